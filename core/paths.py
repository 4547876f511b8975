"""Where the core's templates and migrations are at run time.

In the source tree they are the top-level folders ``templates/`` and ``migrations/`` (their names are
fixed). A wheel carries them inside the ``core`` package as ``core/templates`` and ``core/migrations``:
setup.py maps the two folders there (``package_dir``), because a top-level folder outside every package
would land in site-packages as a stray ``templates``/``migrations``, or not at all. An editable install
and a checkout on ``PYTHONPATH`` have no ``core/templates``: they read the top-level folders.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def core_folder(name: str) -> Path:
    """``core/<name>`` in an installed wheel, ``<checkout>/<name>`` in the source tree."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


TEMPLATES = core_folder("templates")
MIGRATIONS = core_folder("migrations")
STATIC = PACKAGE / "static"
TRANSLATIONS = PACKAGE / "translations"
