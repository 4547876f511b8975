"""The scanner's files as served: the service worker, the web app manifest, the vendored decoder and its
licence, and the package data that puts them in the wheel."""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path

from plugins.checkin.offline import STATIC
from tests.plugins.checkin.helpers import setup

ROOT = Path(__file__).resolve().parents[3]


def _worker_settings(body: str) -> dict:
    found = dict(re.findall(r"^var (FILES|SCOPE) = (.+);$", body, re.M))
    return {name: json.loads(value) for name, value in found.items()}


def test_service_worker_covers_the_scanner_pages_and_lists_files_that_exist(app, client, factory, login_as):
    s = setup(factory)
    response = client.get("/checkin/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response.headers  # /checkin/sw.js may control /checkin/events/
    body = response.get_data(as_text=True)
    settings = _worker_settings(body)
    assert settings["SCOPE"] == "/checkin/events/"
    assert f"/checkin/events/{s.event.id}/scan".startswith(settings["SCOPE"])
    assert "/checkin/static/vendor/jsQR.min.js" in settings["FILES"]
    for path in settings["FILES"]:
        served = client.get(path)
        assert served.status_code == 200, path
        assert served.mimetype in ("text/javascript", "text/css", "image/svg+xml"), (path, served.mimetype)
    assert "{{" not in body and "{%" not in body
    # the worker's template is not handed out raw, nor anything outside the static folder
    assert client.get("/checkin/static/sw.js").status_code == 404
    assert client.get("/checkin/static/../offline.py").status_code == 404
    assert client.get("/checkin/static/nothing.js").status_code == 404


def test_scanner_page_links_its_manifest_and_scripts_without_inline_code(app, client, factory, login_as):
    s = setup(factory)
    login_as(s.organizer)
    html = client.get(f"/checkin/events/{s.event.id}/scan").get_data(as_text=True)
    link = re.search(r'<link rel="manifest" href="([^"]+)" crossorigin="use-credentials">', html)
    assert link and link.group(1) == f"/checkin/events/{s.event.id}/scan.webmanifest"
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all("src=" in tag for tag in scripts), scripts  # the page keeps working from the worker's cache
    for name in ("vendor/jsQR.min.js", "camera.js", "scanner.js"):
        assert f'src="/checkin/static/{name}"' in html
    texts = json.loads(re.search(r"data-texts='([^']+)'", html).group(1).replace("&#39;", "'"))
    assert texts["offline"] == "离线" and "__N__" in texts["refusedCount"]

    manifest = client.get(link.group(1))
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    data = manifest.get_json()
    assert data["start_url"] == f"/checkin/events/{s.event.id}/scan" and data["start_url"].startswith(data["scope"])
    assert data["display"] == "standalone" and s.event.title in data["name"]
    assert client.get(data["icons"][0]["src"]).status_code == 200


def test_manifest_of_an_event_the_account_may_not_scan_is_refused(app, client, factory, login_as):
    s = setup(factory)
    login_as(factory.account("teacher"))
    assert client.get(f"/checkin/events/{s.event.id}/scan.webmanifest").status_code in (403, 404)


def test_vendored_decoder_names_its_version_and_licence():
    vendor = STATIC / "vendor"
    head = (vendor / "jsQR.min.js").read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("/*! jsQR 1.4.0 (npm: jsqr) | Apache-2.0")
    assert "Apache License" in (vendor / "jsQR.LICENSE").read_text(encoding="utf-8")
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    assert "npm pack jsqr@1.4.0" in readme and "| `jsqr` | 1.4.0 |" in readme


def test_package_data_puts_every_static_file_in_the_wheel():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    patterns = [p.strip() for p in config["options.package_data"]["plugins"].split(",")]
    files = [p.relative_to(ROOT / "plugins").as_posix() for p in STATIC.rglob("*") if p.is_file()]
    assert "checkin/static/vendor/jsQR.min.js" in files
    # as setuptools globs them: ``*`` does not cross a folder
    globs = [re.compile(re.escape(p).replace(r"\*", "[^/]*") + "$") for p in patterns]
    missing = [f for f in files if not any(g.match(f) for g in globs)]
    assert not missing, missing
