"""Packaging is declared in setup.cfg; this file adds only what setup.cfg cannot say.

The core's templates and migrations sit in the top-level folders ``templates/`` and ``migrations/`` (their
names are fixed), outside every package. The wheel carries them inside the ``core`` package, as
``core/templates`` and ``core/migrations``, through a ``package_dir`` mapping; ``packages = find:`` in
setup.cfg cannot name a package that is mapped from elsewhere, so the package list is made here.
``core.paths`` finds the folders at run time, installed or in a checkout.
"""

import sys

from setuptools import find_packages, setup

if sys.version_info < (3, 11):  # noqa: UP036 - an old pip would otherwise report a dependency it cannot find
    sys.exit(f"huodong needs Python 3.11 or newer; this is Python {sys.version.split()[0]}")

MAPPED = {"core.templates": "templates", "core.migrations": "migrations"}

setup(
    packages=[*find_packages(include=["core", "core.*", "plugins", "plugins.*"]), *MAPPED],
    package_dir=MAPPED,
)
