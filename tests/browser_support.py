"""Fixtures for tests that drive headless Chromium through Playwright (mark them ``@pytest.mark.browser``).

- ``live_server``: the test's app served by werkzeug in a thread on a free port; yields its base URL.
- ``browser``: one headless Chromium per test session (Debian's ``/usr/bin/chromium``, or the path in
  ``HUODONG_CHROMIUM``); tests using it are skipped, with the reason, when it is not installed.
- ``page``: a fresh phone-sized browser context (390×844, touch, zh-CN) and its page.
- :func:`browser_login`: log a page in through the real login form.
"""

from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.support import PASSWORD

CHROMIUM = os.environ.get("HUODONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN",
         # The tests' own wait_for_function expressions are evaluated in the page; the CSP itself is tested
         # in tests/core/test_security.py (every inline script carries the nonce).
         "bypass_csp": True}


@pytest.fixture
def live_server(app):
    """Serve the test's app (same database as the test) on 127.0.0.1 and a free port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install -e '.[test]')")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:  # a broken Chromium install: say why instead of failing every browser test
        playwright.stop()
        pytest.skip(f"Chromium at {CHROMIUM} does not start: {exc}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(15000)
    tab = context.new_page()
    yield tab
    context.close()


def browser_login(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log ``page`` in through the login form as ``username``."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
