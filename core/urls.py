"""Addresses for people outside this request: QR codes, calendar links, messages.

``url_for(_external=True)`` takes the host from the request, which behind a proxy or on a projector
laptop at 127.0.0.1 is an address phones cannot reach; these use ``HUODONG_BASE_URL``.
"""

from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """The address of ``endpoint`` under the configured ``BASE_URL``."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)
