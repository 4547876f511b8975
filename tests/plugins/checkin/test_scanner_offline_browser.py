"""The door scanner in Debian's Chromium with the site's own CSP: its camera reads a real personal code from a
fake camera (no BarcodeDetector there: the vendored jsQR decodes), and the page reopens offline through its
service worker with its code list and queue, then uploads and names what the server refused."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from plugins.checkin import overrides
from plugins.checkin.models import CheckIn
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, PHONE, browser_login, wait_until
from tests.plugins.checkin.helpers import code_of, event_now, list_token_of, register, setup

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

FRAME_W, FRAME_H = 640, 480


def y4m_from_png(png: bytes, path, frames: int = 20) -> None:
    """Write a YUV4MPEG2 video (4:2:0) showing the QR in ``png`` on white, as a phone camera would see it."""
    code = Image.open(io.BytesIO(png)).convert("L")
    side = 400
    code = code.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (FRAME_W, FRAME_H), 255)
    frame.paste(code, ((FRAME_W - side) // 2, (FRAME_H - side) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * ((FRAME_W // 2) * (FRAME_H // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{FRAME_W} H{FRAME_H} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)


class Recorder:
    """WSGI middleware noting every path the app serves. While ``down`` it serves nothing (503, noted in
    ``refused``): Chromium's offline emulation has let a request through at the very start of a reloaded
    page now and then, and the test must not depend on that race."""

    def __init__(self, app):
        self.app, self.paths, self.refused, self.down = app, [], [], False

    def __call__(self, environ, start_response):
        if self.down:
            self.refused.append(environ.get("PATH_INFO", ""))
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"offline"]
        self.paths.append(environ.get("PATH_INFO", ""))
        return self.app(environ, start_response)


def _new_phone(browser_or_type, **launch):
    context = browser_or_type.new_context(**{**PHONE, "bypass_csp": False}, **launch)
    context.set_default_timeout(20000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and "ERR_INTERNET_DISCONNECTED" not in m.text
            and errors.append(m.text))
    return context, page, errors


def shows(page, selector: str, text: str, exact: bool = True) -> None:
    """Wait until ``selector`` shows ``text`` (without evaluating strings in the page: the CSP forbids eval)."""
    check = expect(page.locator(selector))
    (check.to_have_text if exact else check.to_contain_text)(text, timeout=20000)


def _shot(page, name: str) -> None:
    """A full-page picture in $HUODONG_JOURNEY_SHOTS (a folder), to look at the page as a volunteer sees it."""
    folder = os.environ.get("HUODONG_JOURNEY_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"scanner-{name}.png"), full_page=True)


def _scan(page, text):
    page.fill("#code", text)
    page.press("#code", "Enter")


def test_camera_reads_a_personal_code_without_barcode_detector(app, factory, live_server, browser, client,
                                                               login_as, tmp_path):
    s = setup(factory)
    person = s.registrations[1]
    login_as(s.organizer)
    png = client.get(f"/checkin/registrations/{person.id}/qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    video = tmp_path / "code.y4m"
    y4m_from_png(png.data, video)

    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"])
    try:
        context, page, errors = _new_phone(camera_browser, permissions=["camera"])
        browser_login(page, live_server, s.organizer.username)
        page.goto(f"{live_server}/checkin/events/{s.event.id}/scan")
        shows(page, "#list-count", "4")
        assert page.evaluate("'BarcodeDetector' in window") is False  # the fallback decoder is what is tested
        page.wait_for_selector("#camera", state="visible")
        assert CheckIn.select().count() == 0
        page.click("#camera")
        shows(page, "#result-message", "签到成功", exact=False)
        assert page.get_attribute("#scanner", "data-reader") == "jsQR"
        assert page.text_content("#result-name") == "教师2"
        assert page.is_visible("#camera-stop") and page.is_hidden("#camera")
        assert page.is_hidden("#torch")  # the fake camera has no torch: no button that does nothing
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # fits the phone
        _shot(page, "camera")
        rows = list(CheckIn.select())
        assert [(r.registration_id, r.kind, r.source) for r in rows] == [(person.id, "in", "door")]
        page.click("#camera-stop")
        assert page.is_hidden("#video") and page.is_visible("#camera")
        assert not errors, errors
        context.close()
    finally:
        camera_browser.close()


def test_camera_button_stays_hidden_without_a_camera(app, factory, live_server, browser):
    s = setup(factory)
    context, page, errors = _new_phone(browser)
    browser_login(page, live_server, s.organizer.username)
    page.goto(f"{live_server}/checkin/events/{s.event.id}/scan")
    shows(page, "#list-count", "4")
    assert page.evaluate("navigator.mediaDevices.enumerateDevices()"
                         ".then(d => d.filter(x => x.kind === 'videoinput').length)") == 0
    # ``hidden`` wins over ``button {display:inline-block}``: nothing on screen that does nothing
    assert page.evaluate("getComputedStyle(document.getElementById('camera')).display") == "none"
    assert not errors, errors
    context.close()


def test_scanner_reopens_offline_then_syncs_and_names_the_refused(app, factory, live_server, browser):
    s = setup(factory)
    first, second, revoked = s.registrations[0], s.registrations[1], s.registrations[3]
    old_code = code_of(revoked)
    overrides.reissue(revoked, reason="丢失")
    other = register(event_now(factory, s.school, title="工会会员代表大会"), [factory.member(s.school["g1"], name="外来人")])[0]
    good = code_of(first)
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    recorder = Recorder(app.wsgi_app)
    app.wsgi_app = recorder

    context, page, errors = _new_phone(browser)
    browser_login(page, live_server, s.organizer.username)
    scanner = f"{live_server}/checkin/events/{s.event.id}/scan"
    page.goto(scanner)
    shows(page, "#list-count", "4")
    page.wait_for_selector("#offline-ready", state="visible")  # the service worker has kept this page
    manifest = page.evaluate("document.querySelector('link[rel=manifest]').href")
    assert manifest.endswith(f"/checkin/events/{s.event.id}/scan.webmanifest")

    context.set_offline(True)
    recorder.down = True
    response = page.reload()
    assert response is not None and response.ok and response.from_service_worker
    shows(page, "#list-count", "4")
    assert page.text_content("#net") == "离线"
    for code in (good, code_of(second), forged, old_code, code_of(other)):
        _scan(page, code)
    shows(page, "#queue-count", "5")
    page.reload()  # the browser reloads at the gathering point: the queue is still there
    shows(page, "#queue-count", "5")
    _scan(page, good)  # already signed in on this phone: not queued again
    shows(page, "#result-message", "离线记录", exact=False)
    assert page.text_content("#queue-count") == "5"
    assert CheckIn.select().count() == 0

    recorder.down = False
    context.set_offline(False)  # back online: the page uploads by itself ("online" event), no button pressed
    shows(page, "#queue-count", "0")
    rows = list(CheckIn.select().order_by(CheckIn.registration))
    assert [(r.registration_id, r.source) for r in rows] == [(first.id, "offline"), (second.id, "offline")]
    # the upload carried the list's token: the phone's scan times are trusted, kept before the upload's
    assert [r.time_flag for r in rows] == ["", ""]
    assert all(r.scanned_at < r.created_at for r in rows)
    summary = page.inner_text("#sync-summary")
    assert "已上传 5 条离线扫码" in summary and "其中 3 条未通过" in summary
    refused = dict(page.eval_on_selector_all(
        "#sync-summary li", "items => items.map(li => [li.dataset.result, li.textContent])"))
    assert set(refused) == {"invalid", "revoked", "wrong_event"}
    assert refused["invalid"].startswith("签到码 " + forged[:16]) and "无法识别" in refused["invalid"]
    assert refused["revoked"].startswith("教师4") and "作废" in refused["revoked"]
    assert refused["wrong_event"].startswith("外来人") and "其他活动" in refused["wrong_event"]
    _shot(page, "synced")

    # The session has ended: the worker passes the redirect to the login page on, not a stale scanner.
    context.clear_cookies()
    page.goto(scanner)
    assert "/login" in page.url
    assert not errors, errors
    context.close()


def test_code_list_is_cleared_once_the_checkpoint_is_over(app, factory, live_server, browser):
    s = setup(factory)
    context, page, errors = _new_phone(browser)
    browser_login(page, live_server, s.organizer.username)
    page.goto(f"{live_server}/checkin/events/{s.event.id}/scan")
    shows(page, "#list-count", "4")
    page.wait_for_selector("#offline-ready", state="visible")
    key = f"hd-checkin-list:{s.event.id}:main"
    assert code_of(s.registrations[0]) in page.evaluate("k => localStorage.getItem(k)", key)

    # The phone, offline, is opened again the day after the event (its clock past the checkpoint's end).
    context.set_offline(True)
    page.clock.set_fixed_time(datetime.now(UTC) + timedelta(days=1))
    page.reload()
    page.wait_for_selector("#list-over", state="visible")
    assert page.text_content("#list-count") == "0"
    assert page.evaluate("k => localStorage.getItem(k)", key) is None
    _scan(page, "教师1")
    shows(page, "#result-message", "没有找到")
    assert not errors, errors
    context.close()


def test_logging_out_forgets_the_code_list_and_the_offline_scanner(app, factory, live_server, browser):
    s = setup(factory)
    context, page, errors = _new_phone(browser)
    browser_login(page, live_server, s.organizer.username)
    scanner = f"{live_server}/checkin/events/{s.event.id}/scan"
    page.goto(scanner)
    shows(page, "#list-count", "4")
    page.wait_for_selector("#offline-ready", state="visible")
    key = f"hd-checkin-list:{s.event.id}:main"
    unsent = json.dumps([{"event_id": s.event.id, "checkpoint": "main", "code": "HD.X"}])
    page.evaluate("v => localStorage.setItem('hd-checkin-queue', v)", unsent)
    assert page.evaluate("async () => (await caches.keys()).some(n => n.startsWith('hd-'))")

    page.click("button.nav-button")  # the phone menu, then its logout button
    page.click("nav form button[type=submit]")
    page.wait_for_url(lambda url: "/login" in url)
    wait_until(page, "async () => !(await caches.keys()).some(n => n.startsWith('hd-'))")
    assert page.evaluate("k => localStorage.getItem(k)", key) is None
    assert page.evaluate("() => localStorage.getItem('hd-checkin-queue')") == unsent  # scans not yet uploaded stay

    # Offline, the phone no longer opens the scanner with the list of the user who left.
    context.set_offline(True)
    page.goto(scanner)
    assert page.locator("#scanner").count() == 0
    assert "没有保存此签到页" in page.content()
    # Reloading the login page by hand does not make the phone forget again (only a real logout does).
    context.set_offline(False)
    page.goto(f"{live_server}/login")
    assert page.locator("[data-forget-device]").count() == 0
    assert not [e for e in errors if "503" not in e], errors
    context.close()


def test_scans_upload_with_the_list_they_were_checked_against(app, factory, live_server, browser):
    """A scan kept under an older list (the phone downloaded a newer one before it could upload) goes up with
    the older list's token, so its time is still trusted instead of flagged as earlier than the list."""
    s = setup(factory)
    early, later = s.registrations[0], s.registrations[1]
    context, page, errors = _new_phone(browser)
    browser_login(page, live_server, s.organizer.username)
    page.goto(f"{live_server}/checkin/events/{s.event.id}/scan")
    shows(page, "#list-count", "4")
    page.wait_for_selector("#offline-ready", state="visible")
    context.set_offline(True)
    older = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=30)
    scanned = older + timedelta(minutes=10)
    page.evaluate("""([item]) => {
        const q = JSON.parse(localStorage.getItem('hd-checkin-queue') || '[]'); q.push(item);
        localStorage.setItem('hd-checkin-queue', JSON.stringify(q)); }""", [{
        "event_id": s.event.id, "checkpoint": "main", "kind": "in", "code": code_of(early), "registration_id": None,
        "client_scan_id": "older-list-1", "scanned_at": scanned.isoformat() + "Z", "local": "",
        "name": "教师1", "list_token": list_token_of(s.event, None, older)}])
    _scan(page, code_of(later))
    shows(page, "#queue-count", "2")
    context.set_offline(False)
    shows(page, "#queue-count", "0")
    rows = {r.registration_id: r for r in CheckIn.select()}
    assert set(rows) == {early.id, later.id}
    assert rows[early.id].time_flag == "" and abs((rows[early.id].scanned_at - scanned).total_seconds()) < 1
    assert rows[later.id].time_flag == ""
    shows(page, "#sync-summary", "已上传 2 条离线扫码", exact=False)
    assert not errors, errors
    context.close()


def test_a_server_answering_errors_still_gives_the_stored_scanner(app, factory, live_server, browser):
    s = setup(factory)
    recorder = Recorder(app.wsgi_app)
    app.wsgi_app = recorder
    context, page, errors = _new_phone(browser)
    browser_login(page, live_server, s.organizer.username)
    page.goto(f"{live_server}/checkin/events/{s.event.id}/scan")
    shows(page, "#list-count", "4")
    page.wait_for_selector("#offline-ready", state="visible")
    recorder.down = True  # the network is up, the server behind it answers 503
    response = page.reload()
    assert response is not None and response.ok and response.from_service_worker
    shows(page, "#list-count", "4")
    assert f"/checkin/events/{s.event.id}/scan" in recorder.refused
    _scan(page, code_of(s.registrations[0]))
    shows(page, "#queue-count", "1")  # kept for later, as when offline
    recorder.down = False
    page.click("#sync")
    shows(page, "#queue-count", "0")
    assert [r.registration_id for r in CheckIn.select()] == [s.registrations[0].id]
    context.close()
