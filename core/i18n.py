"""Languages: Chinese by default, English on request.

Message ids are the Chinese text; English comes from ``translations/en.po`` in the core and in
each plugin package, read straight from the .po files at start-up (nothing to compile).
"""

from __future__ import annotations

import io
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Babel, Domain

LANGUAGES = {"zh": "中文", "en": "English"}
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}
_UNTRANSLATED = NullTranslations()  # Chinese: the message ids are the text


def load_catalog(po_files: list[Path]) -> Translations | None:
    merged: Translations | None = None
    for path in po_files:
        if not path.exists():
            continue
        with path.open("rb") as fh:
            catalog = read_po(fh, locale="en")
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        translations = Translations(buf)
        if merged is None:
            merged = translations
        else:
            merged.merge(translations)
    return merged


class CatalogDomain(Domain):
    """A Flask-Babel domain whose catalogs come from the .po files of the core and the plugins."""

    def __init__(self):
        super().__init__()
        self.catalogs: dict[str, Translations] = {}

    def get_translations(self):
        if not has_request_context():
            return _UNTRANSLATED
        # The request's language straight from our own choice (cached on ``g``): going through
        # Flask-Babel's ``get_locale()`` costs more than the lookup of the message itself.
        return self.catalogs.get(current_language()) or _UNTRANSLATED

    def gettext(self, string, **variables):
        text = self.get_translations().ugettext(string)
        return text % variables if variables else text


def gettext(string: str, **variables) -> str:
    """Flask-Babel's ``gettext`` (the same catalogs and language) for the busiest paths, such as a
    sign-in: it goes to the app's domain directly instead of looking it up again on every call."""
    if not has_app_context():
        return string % variables if variables else string
    return current_app.extensions["huodong_i18n"].gettext(string, **variables)


def current_language() -> str:
    if not has_request_context():
        return "zh"
    cached = g.get("_language")
    if cached:
        return cached
    # Most requests carry no query string: skip parsing one to find no ``lang`` in it.
    choice = request.args.get("lang") if request.query_string else None
    # No cookie, no session: reading it anyway would mark the session used (a Vary: Cookie header).
    if not choice and "HTTP_COOKIE" in request.environ:
        choice = session.get("lang")
    if choice not in LANGUAGES:
        account = g.get("_account")
        choice = getattr(account, "language", None)
    if choice not in LANGUAGES:
        if request.path.startswith("/api/"):
            choice = request.accept_languages.best_match(list(LANGUAGES))
    if choice not in LANGUAGES:
        choice = current_app.config.get("LANGUAGE", "zh")
    g._language = choice
    return choice


def _locale() -> Locale:
    # A ready Locale: Flask-Babel would otherwise parse the language code again on every request.
    return _LOCALES[current_language()]


def init_app(app, po_files: list[Path]) -> None:
    domain = CatalogDomain()
    catalog = load_catalog(po_files)
    if catalog is not None:
        domain.catalogs["en"] = catalog
    babel = Babel(app, locale_selector=_locale, default_timezone="UTC")
    babel.domain_instance = domain  # overrides Flask-Babel's cached per-app domain
    app.extensions["huodong_i18n"] = domain
