"""A teacher hands in his 钢笔字 on a phone-sized page in headless Chromium: the real file input, the
CSRF-protected form, the message; the page fits the phone and raises no CSP or script errors."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from core.services import registrations as service
from plugins.skills_contest.items import move_phase
from plugins.skills_contest.models import Submission
from tests.browser_support import browser_login
from tests.plugins.skills_contest.helpers import contest_world

pytestmark = [pytest.mark.browser]


def test_a_teacher_hands_in_his_pen_script_on_a_phone(live_server, browser, factory, tmp_path):
    w = contest_world(factory)
    pen = w.items["钢笔字"]
    admin = factory.account("admin1", roles=["admin"])
    service.register(w.event, service.Request(member=w.people["T1"], items=[pen.id]), account=admin)
    move_phase(pen, "submission")
    picture = tmp_path / "钢笔字.png"
    out = io.BytesIO()
    Image.new("RGB", (60, 30), "white").save(out, "PNG")
    picture.write_bytes(out.getvalue())

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        errors = []
        # Script and CSP errors; a missing resource is caught by its response (the browser asks for a
        # favicon the app does not have).
        page.on("console", lambda m: errors.append(m.text) if m.type == "error"
                and not m.text.startswith("Failed to load resource") else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400
                and not r.url.endswith("/favicon.ico") else None)
        browser_login(page, live_server, "t1")
        page.goto(f"{live_server}/contest/items/{pen.id}")
        assert "无题" in page.inner_text("main")  # a submitted item's text is known beforehand
        page.set_input_files("input[name=file]", str(picture))
        page.click("text=提交作品")
        assert "作品已提交" in page.inner_text("main")
        assert "钢笔字.png" in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert not errors, errors
    finally:
        context.close()
    saved = Submission.get(Submission.item == pen.id)
    assert (saved.kind, saved.filename, saved.size) == ("file", "钢笔字.png", len(out.getvalue()))
