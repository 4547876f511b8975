"""Fixtures for tests that drive headless Chromium through Playwright (mark them ``@pytest.mark.browser``).

- ``live_server``: the test's app served by werkzeug in a thread on a free port; yields its base URL.
- ``browser``: one headless Chromium per test session (Debian's ``/usr/bin/chromium``, or the path in
  ``HUODONG_CHROMIUM``); tests using it are skipped, with the reason, when it is not installed.
- ``page``: a fresh phone-sized browser context (390×844, touch, zh-CN) and its page.
- :func:`browser_login`: log a page in through the real login form.
- ``phone_for``: ``phone_for()`` gives a :class:`Phone` with the site's own CSP in force (no bypass), which
  checks on every page that nothing is wider than the screen, that the console logged no error and that axe-core
  finds no serious or critical WCAG 2.1 AA violation, at the phone's size and at a desktop's.
- :func:`axe_violations`: what axe-core finds wrong on a page; :func:`tab_to`: press Tab until an element has
  the focus; :func:`wait_until`: wait for a condition in a page under the site's own CSP.
"""

from __future__ import annotations

import os
import re
import threading
import time

import pytest
from werkzeug.serving import make_server

from tests.support import PASSWORD

CHROMIUM = os.environ.get("HUODONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA, and its best practices; a violation of one of these
# rules with this impact fails a page.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_FAILING_IMPACTS = {"serious", "critical"}
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


_axe = None


def axe_violations(page, impacts=AXE_FAILING_IMPACTS) -> list[str]:
    """axe-core's violations on ``page`` as it is now, one line each (rule, impact, elements, what to fix)."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    results = _axe.run(page, options={"resultTypes": ["violations"],
                                      "runOnly": {"type": "tag", "values": AXE_TAGS}}).response
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in impacts:
            continue
        for node in violation["nodes"][:5]:
            summary = (node.get("failureSummary") or "").splitlines()  # "Fix any of the following:", reasons
            fix = summary[1].strip() if len(summary) > 1 else " ".join(summary)
            lines.append(f"{violation['id']} ({violation['impact']}) {' '.join(map(str, node['target']))}: "
                         f"{node['html'][:120]} -- {fix}")
        if len(violation["nodes"]) > 5:
            lines.append(f"{violation['id']}: and {len(violation['nodes']) - 5} more elements")
    return lines


def wait_until(page, expression: str, arg=None, timeout: float = 15) -> None:
    """Wait until the JavaScript ``expression`` (a function of ``arg`` when one is given) is true in the page.

    Not ``page.wait_for_function``: while it waits it compiles the expression with ``eval``, which the site's
    own Content-Security-Policy refuses on a ``phone_for()`` phone. ``page.evaluate`` is not bound by it.
    """
    deadline = time.monotonic() + timeout
    while not (page.evaluate(expression, arg) if arg is not None else page.evaluate(expression)):
        assert time.monotonic() < deadline, f"{expression} ({arg!r}) never became true on {page.url}"
        time.sleep(0.05)


def focused(page) -> str:
    """The focused element's name, roughly as a screen reader says it: its aria-label, else its label's
    text, else its own text ("" when nothing has the focus)."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return "";
        const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
        return (el.getAttribute("aria-label") || label || el.innerText || el.value || el.tagName).trim();
    }""")


def tab_to(page, text: str, *, exact: bool = False, limit: int = 60, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab with ``backwards``) until the focused element's name (see :func:`focused`)
    contains ``text`` (is ``text`` with ``exact``); fails after ``limit`` presses, listing where the focus went."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        if now == text or (not exact and text in now):
            return
        seen.append(now)
    raise AssertionError(f"Tab never reached {text!r} on {page.url}; it went through {seen}")


class Phone:
    """One person's phone: ``page`` and the errors it logged; :meth:`check` after every page."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.pages: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def login(self, username: str) -> None:
        browser_login(self.page, self.base_url, username)
        self.check()

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        self.check()

    def check(self, *, refused: bool = False) -> None:
        """The page fits the screen's width, logged no error (a blocked inline script shows here) and has no
        serious or critical accessibility problem that axe-core finds, on the phone and on a desktop screen.

        ``refused``: the page is a form sent back with errors, answered 422 on purpose (Chromium logs it).
        """
        self.page.wait_for_load_state("load")
        if refused:
            self.errors = [e for e in self.errors if "status of 422" not in e]
        url = self.page.url
        # Not window.innerWidth: on a phone that grows with a page too wide for it (the page is shown zoomed out).
        width, inner = self.page.evaluate("document.documentElement.scrollWidth"), self.page.viewport_size["width"]
        assert width <= inner, f"{url} is {width}px wide on a {inner}px screen"
        assert not self.errors, f"{url}: {self.errors}"
        self.check_accessible()
        self.pages.append(url)
        shots = os.environ.get("HUODONG_JOURNEY_SHOTS")  # a folder: keep a full-page picture of each page
        if shots:
            name = f"{len(self.pages):02d}-" + re.sub(r"[^A-Za-z0-9]+", "_", url.split("/", 3)[-1])[:60]
            self.page.screenshot(path=os.path.join(shots, name + ".png"), full_page=True)

    def check_accessible(self) -> None:
        """axe-core at the phone's size, then at a desktop's (the page laid out again), then back."""
        url = self.page.url
        phone = self.page.viewport_size
        problems = [f"phone: {line}" for line in axe_violations(self.page)]
        self.page.set_viewport_size(DESKTOP)
        try:
            problems += [f"desktop: {line}" for line in axe_violations(self.page)]
        finally:
            self.page.set_viewport_size(phone)
        assert not problems, f"{url}: axe-core found\n" + "\n".join(problems)

    def text(self, selector: str = "main") -> str:
        return self.page.inner_text(selector)

    def get(self, path: str):
        """A file the page links to (QR image, .ics), fetched with the phone's own session."""
        response = self.page.request.get(self.base_url + path)
        assert response.ok, (path, response.status)
        return response.body()


@pytest.fixture
def phone_for(browser, live_server):
    """``phone_for()`` gives a new phone (own cookies) on the live server; closed after the test."""
    contexts = []

    def make(**options) -> Phone:
        """``options`` go to the browser context too (``geolocation=...``, ``permissions=[...]``)."""
        context = browser.new_context(**{**PHONE, "bypass_csp": False, **options})
        context.set_default_timeout(15000)
        contexts.append(context)
        return Phone(context.new_page(), live_server)

    yield make
    for context in contexts:
        context.close()
