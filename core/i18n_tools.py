"""Keeping the English catalogs complete: extract every message of a package and its templates,
add the new ones to its ``translations/en.po`` and report those without an English text.

``huodong translations`` updates the files; ``huodong translations --check`` only reports.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from core.paths import TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
OPTIONS = {"**.html": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def owners() -> dict[str, list[Path]]:
    """Each catalog and the source folders whose messages it holds."""
    result = {"core": [ROOT / "core", TEMPLATES / "core", TEMPLATES / "macros"]}
    for package in sorted((ROOT / "plugins").iterdir()):
        if package.is_dir() and (package / "__init__.py").exists():
            result[package.name] = [package]  # its templates are in the package: plugins/<name>/templates/
    return result


def po_path(owner: str) -> Path:
    return (ROOT / "core" if owner == "core" else ROOT / "plugins" / owner) / "translations" / "en.po"


def extract(folders: list[Path]) -> dict[str, list[str]]:
    """msgid -> places, for every translatable message in ``folders`` (and base.html for the core)."""
    found: dict[str, list[str]] = {}
    for folder in folders:
        if not folder.exists():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(folder), METHODS, options_map=OPTIONS, keywords=KEYWORDS
        ):
            messages = message if isinstance(message, tuple) else (message,)
            for msgid in messages:
                if msgid:
                    found.setdefault(msgid, []).append(f"{folder.name}/{filename}:{lineno}")
    base = TEMPLATES / "base.html"
    if folders and folders[0].name == "core":
        from babel.messages.extract import extract as extract_file

        with base.open("rb") as fh:
            for lineno, message, _comments, _context in extract_file("jinja2", fh, KEYWORDS):
                for msgid in message if isinstance(message, tuple) else (message,):
                    if msgid:
                        found.setdefault(msgid, []).append(f"base.html:{lineno}")
    return found


def load(owner: str) -> Catalog:
    path = po_path(owner)
    if not path.exists():
        return Catalog(locale="en")
    with path.open("rb") as fh:
        return read_po(fh, locale="en")


def missing(owner: str) -> list[str]:
    catalog = load(owner)
    found = extract(owners()[owner])
    return sorted(msgid for msgid in found if not (catalog.get(msgid) and catalog.get(msgid).string))


def update(owner: str) -> list[str]:
    """Add new msgids (empty English) to the owner's en.po; return the msgids still untranslated."""
    catalog = load(owner)
    for msgid, places in extract(owners()[owner]).items():
        if catalog.get(msgid) is None:
            catalog.add(msgid, "", locations=[(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in places[:3]])
    path = po_path(owner)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, width=0, no_location=True)
    return missing(owner)
