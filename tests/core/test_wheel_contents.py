"""The wheel carries every file of the core and the plugins that the app reads at run time: all of
``core/`` and ``plugins/`` (templates, migrations, translations, static and vendored files included),
and the top-level ``templates/`` and ``migrations/`` as ``core/templates`` and ``core/migrations``;
nothing lands in site-packages outside ``core`` and ``plugins``. (.ci/wheel-smoke installs the wheel
and runs it; this says which file is missing when a pattern in setup.cfg misses one.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("core", "plugins", "templates", "migrations")
PACKAGING = ("setup.py", "setup.cfg", "pyproject.toml", "README.md", "MANIFEST.in")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


def test_the_wheel_carries_the_core_and_plugins_files(tmp_path):
    tree = tmp_path / "tree"
    for name in SOURCES:
        shutil.copytree(ROOT / name, tree / name, ignore=IGNORED)
    for name in PACKAGING:
        shutil.copy(ROOT / name, tree / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-w", str(tmp_path / "dist"), str(tree)],
                   check=True, capture_output=True, text=True, timeout=600)
    wheel = next((tmp_path / "dist").glob("huodong-*.whl"))
    names = {n for n in zipfile.ZipFile(wheel).namelist() if ".dist-info/" not in n}

    wanted = {p.relative_to(tree).as_posix() for name in ("core", "plugins") for p in _files(tree / name)}
    wanted |= {f"core/{p.relative_to(tree).as_posix()}" for name in ("templates", "migrations")
               for p in _files(tree / name)}
    assert sorted(wanted - names) == []
    assert sorted(n for n in names if n.split("/")[0] not in ("core", "plugins")) == []
    assert "core/templates/core/error.html" in names and "core/migrations/001_core.py" in names
    assert "plugins/checkin/static/vendor/jsQR.min.js" in names
    assert "plugins/checkin/migrations/001_initial.py" in names
    assert "plugins/warmth/templates/warmth/index.html" in names
