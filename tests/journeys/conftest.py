"""A phone for the journeys: a 390×844 touch screen with the site's own Content-Security-Policy in force
(no bypass), whose console errors, page errors and CSP violations are collected and checked on every page."""

from __future__ import annotations

import os
import re

import pytest

from tests.browser_support import PHONE, browser_login, live_server  # noqa: F401  (fixtures)


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
        """The page fits the screen's width and logged no error (a blocked inline script shows here).

        ``refused``: the page is a form sent back with errors, answered 422 on purpose (Chromium logs it).
        """
        self.page.wait_for_load_state("load")
        if refused:
            self.errors = [e for e in self.errors if "status of 422" not in e]
        url = self.page.url
        width, inner = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"{url} is {width}px wide on a {inner}px screen"
        assert not self.errors, f"{url}: {self.errors}"
        self.pages.append(url)
        shots = os.environ.get("HUODONG_JOURNEY_SHOTS")  # a folder: keep a full-page picture of each page
        if shots:
            name = f"{len(self.pages):02d}-" + re.sub(r"[^A-Za-z0-9]+", "_", url.split("/", 3)[-1])[:60]
            self.page.screenshot(path=os.path.join(shots, name + ".png"), full_page=True)

    def text(self, selector: str = "main") -> str:
        return self.page.inner_text(selector)

    def get(self, path: str):
        """A file the page links to (QR image, .ics), fetched with the phone's own session."""
        response = self.page.request.get(self.base_url + path)
        assert response.ok, (path, response.status)
        return response.body()


@pytest.fixture
def phone_for(browser, live_server):  # noqa: F811
    """``phone_for()`` gives a new phone (own cookies) on the live server; closed after the test."""
    contexts = []

    def make() -> Phone:
        context = browser.new_context(**{**PHONE, "bypass_csp": False})
        context.set_default_timeout(15000)
        contexts.append(context)
        return Phone(context.new_page(), live_server)

    yield make
    for context in contexts:
        context.close()
