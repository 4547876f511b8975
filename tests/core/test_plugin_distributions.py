"""Each built-in plugin is a self-contained package: copied out of ``plugins/`` into a distribution of its
own (a pyproject naming it in the ``huodong`` entry-point group; imports of ``plugins.<name>`` renamed to
the new package, the one change lifting it out takes), installed with pip and loaded instead of the
built-in one, it migrates with its own folder, builds its demo data and serves its pages with its own
templates, translations and static files; nothing is imported from ``plugins``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import own_database_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BUILTINS = ("checkin", "outing", "practical", "scoring", "skills_contest", "sports_day", "warmth")
RENAME = re.compile(r"\bplugins\.(" + "|".join(BUILTINS) + r")\b")
PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "huodong-{name}"
version = "0.1.0"
requires-python = ">=3.11"

[project.entry-points.huodong]
{name} = "huodong_{name}.plugin"

[tool.setuptools.packages.find]
include = ["huodong_{name}", "huodong_{name}.*"]

[tool.setuptools.package-data]
"*" = ["templates/**/*.html", "migrations/*.py", "translations/*.po", "static/*.js", "static/vendor/*"]
"""

# Run in a child process: the copies are found first on sys.path, so their entry points take the
# built-in names (pluggy registers the first of two entry points of one name).
CHILD = r"""
import json, re, sys
from core.app import create_app
from core.db import db
from core.demo import build
from core.migrate import migrate, pending
from core.plugins import ordered_plugins

app = create_app({"DATABASE_URL": sys.argv[1], "WTF_CSRF_ENABLED": False, "SECRET_KEY": "s", "DATA_KEY": "d"})
pm = app.extensions["huodong_pm"]
modules = {name: module.__name__ for name, module in ordered_plugins(pm) if name != "core"}
files = {name: module.__file__ for name, module in ordered_plugins(pm) if name != "core"}
ran = migrate(pm)
with app.app_context(), app.test_request_context(), db.connection_context():
    build(pm)
client = app.test_client()
assert client.post("/login", data={"username": "organizer", "password": "huodong2024"}).status_code == 302
statuses = {}
events = sorted(set(re.findall(r'href="(/events/\d+)"', client.get("/events/").get_data(as_text=True))))
for event in events:
    page = client.get(event)
    statuses[event] = page.status_code
    for link in re.findall(r'href="(/[a-z_]+/[^"#]*)"', page.get_data(as_text=True)):
        link = link.replace("&amp;", "&")
        if not re.search(r"^/(logout|static/|events/)|\.(ics|xlsx|png|svg)", link) and link not in statuses:
            statuses[link] = client.get(link).status_code
english = client.get("/checkin/sw.js")
catalog = app.extensions["huodong_i18n"].catalogs["en"]
print(json.dumps({
    "modules": modules, "files": files, "ran": ran, "pending": pending(pm),
    "statuses": statuses, "sw": english.status_code,
    "english": {m: catalog.ugettext(m) for m in ("签到表", "送温暖", "奖金发放表", "行程、车辆与住宿")},
    "from_plugins": sorted(m for m in sys.modules if m == "plugins" or m.startswith("plugins.")),
}))
"""


@pytest.fixture(scope="module")
def lifted(tmp_path_factory) -> Path:
    """The seven plugins as seven distributions, installed with pip into a folder of their own."""
    root = tmp_path_factory.mktemp("lifted")
    projects = []
    for name in BUILTINS:
        project = root / f"huodong-{name}"
        package = project / f"huodong_{name}"
        shutil.copytree(ROOT / "plugins" / name, package, ignore=shutil.ignore_patterns("__pycache__"))
        for path in package.rglob("*.py"):
            path.write_text(RENAME.sub(r"huodong_\1", path.read_text(encoding="utf-8")), encoding="utf-8")
        (project / "pyproject.toml").write_text(PYPROJECT.format(name=name), encoding="utf-8")
        projects.append(str(project))
    site = root / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "--target", str(site), *projects],
                   check=True, capture_output=True, text=True, cwd=root, timeout=600)
    return site


def test_each_builtin_plugin_installs_as_its_own_distribution_and_runs(lifted, tmp_path):
    for name in BUILTINS:
        dist = next(lifted.glob(f"huodong_{name}-0.1.0.dist-info"))
        assert f"{name} = huodong_{name}.plugin" in (dist / "entry_points.txt").read_text()
        package = lifted / f"huodong_{name}"
        assert (package / "migrations" / "001_initial.py").exists()
        assert (package / "templates" / name).is_dir() and (package / "translations" / "en.po").exists()
    assert (lifted / "huodong_checkin" / "static" / "vendor" / "jsQR.min.js").exists()

    env = {**os.environ, "PYTHONPATH": str(lifted), "HUODONG_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("HUODONG_DISABLED_PLUGINS", None)
    child = subprocess.run([sys.executable, "-c", CHILD, own_database_url(tmp_path, "lifted")], env=env,
                           cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads(child.stdout.strip().splitlines()[-1])

    assert report["modules"] == {name: f"huodong_{name}.plugin" for name in BUILTINS}
    assert all(path.startswith(str(lifted)) for path in report["files"].values())
    assert report["from_plugins"] == []
    written = sorted(f"{name}:{path.stem}" for name in BUILTINS
                     for path in (ROOT / "plugins" / name / "migrations").glob("[0-9][0-9][0-9]_*.py"))
    assert sorted(name for name in report["ran"] if ":" in name) == written and report["pending"] == []
    assert len(report["statuses"]) > 40
    failed = {path: status for path, status in report["statuses"].items() if status >= 400}
    assert failed == {}
    assert report["sw"] == 200
    assert all(english and english != chinese for chinese, english in report["english"].items()), report["english"]
