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
from flask import current_app, g, has_request_context, request, session
from flask_babel import Babel, Domain, get_locale

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
        locale = get_locale()
        return self.catalogs.get(locale.language if locale else "zh") or _UNTRANSLATED


def current_language() -> str:
    if not has_request_context():
        return "zh"
    cached = g.get("_language")
    if cached:
        return cached
    # Most requests carry no query string: skip parsing one to find no ``lang`` in it.
    choice = (request.args.get("lang") if request.query_string else None) or session.get("lang")
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
