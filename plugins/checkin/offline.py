"""What makes the door scanner an installable page that reopens without network: the plugin's static files
(the scanner's script, the QR decoder), the service worker and the scanner's web app manifest.

The service worker is served from ``/checkin/sw.js`` so that its scope, ``/checkin/events/``, covers every
scanner page without a ``Service-Worker-Allowed`` header. It keeps the scanner pages and their files; the
code list and the queue of offline scans live in the page's own storage (see ``static/scanner.js``).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, jsonify, render_template_string, send_from_directory, url_for
from flask_babel import gettext as _

from core import paths
from core.access import permission_required, public, require
from core.services.events import get_event

STATIC = Path(__file__).resolve().parent / "static"
WORKER = "sw.js"  # a Jinja template in STATIC
CORE_STATIC = paths.STATIC
# Files the scanner needs offline: (endpoint, filename, folder).
OFFLINE_FILES = (
    ("static", "huodong.css", CORE_STATIC),
    ("static", "huodong.js", CORE_STATIC),
    ("static", "favicon.svg", CORE_STATIC),
    ("checkin_offline.asset", "scanner.js", STATIC),
    ("checkin_offline.asset", "camera.js", STATIC),
    ("checkin_offline.asset", "vendor/jsQR.min.js", STATIC),
)

bp = Blueprint("checkin_offline", __name__, url_prefix="/checkin")


@cache
def _files_version() -> str:
    """A digest of the offline files: a new release gives a new service worker, which refreshes its cache."""
    digest = hashlib.sha256()
    for _endpoint, filename, folder in OFFLINE_FILES:
        path = folder / filename
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


@bp.route("/static/<path:filename>")
@public
def asset(filename: str):
    """The plugin's static files (scripts, the vendored decoder and its licence)."""
    if filename == WORKER:  # a template, served filled in at /checkin/sw.js
        abort(404)
    return send_from_directory(STATIC, filename, max_age=3600)


@bp.route("/sw.js")
@public
def service_worker():
    """The scanner's service worker (no secrets in it: it only keeps what a logged-in scanner fetched)."""
    files = [url_for(endpoint, filename=filename) for endpoint, filename, _folder in OFFLINE_FILES]
    body = render_template_string((STATIC / WORKER).read_text(encoding="utf-8"), files=files, version=_files_version(),
                           scope=url_for("checkin_offline.service_worker").rsplit("/", 1)[0] + "/events/")
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/events/<int:event_id>/scan.webmanifest")
@permission_required("checkin.scan")
def manifest(event_id: int):
    """The web app manifest that lets a volunteer add this event's scanner to the phone's home screen."""
    event = get_event(event_id)
    require("checkin.scan", event=event)
    start = url_for("checkin.scanner", event_id=event.id)
    response = jsonify(
        name=f"{_('扫码签到')} · {event.title}", short_name=_("扫码签到"), lang="zh-CN",
        start_url=start, scope=start.rsplit("/", 1)[0] + "/", display="standalone",
        background_color="#f5f6f8", theme_color="#c8102e",
        icons=[{"src": url_for("static", filename="favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    )
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
