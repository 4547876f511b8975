"""The hooks the sign-in plugin implements and fires, each through the real plugin manager."""

import io
import types

from openpyxl import load_workbook

from core import hookimpl
from core.db import db
from plugins.checkin.models import MODELS
from tests.plugins.checkin.helpers import code_of, scan, setup
from tests.support import text_of


def test_hook_attendance(app, client, factory):
    s = setup(factory)
    pm = app.extensions["huodong_pm"]
    scan(client, s, code_of(s.registrations[0]))
    assert pm.hook.huodong_attendance(event=s.event, member=s.members[0], checkpoint=None) == "on_time"
    assert pm.hook.huodong_attendance(event=s.event, member=s.members[1], checkpoint=None) is None
    assert pm.hook.huodong_attendance(event=s.event, member=s.members[0], checkpoint="nope") is None


def test_hook_checked_in(app, make_app):
    calls = []
    recorder = types.ModuleType("recorder")
    recorder.__file__ = __file__

    @hookimpl
    def huodong_checked_in(event, member, checkpoint, status, at):
        calls.append((event.id, member.name, checkpoint, status, at))

    recorder.huodong_checked_in = huodong_checked_in
    app = make_app(extra_plugins=[("recorder", recorder)])
    with app.app_context():
        db.connect(reuse_if_open=True)
        from tests.support import Factory

        s = setup(Factory(app))
        client = app.test_client()
        scan(client, s, code_of(s.registrations[0]))
        scan(client, s, code_of(s.registrations[0]))  # already: not announced again
        db.close()
    assert len(calls) == 1
    event_id, name, checkpoint, status, at = calls[0]
    assert (event_id, name, checkpoint, status) == (s.event.id, "教师1", None, "on_time") and at is not None


def test_hook_models(app):
    assert set(MODELS) <= set(m for part in app.extensions["huodong_pm"].hook.huodong_models() for m in part)


def test_hook_permissions(app):
    perms = app.extensions["huodong_permissions"]
    assert "volunteer" in perms["checkin.scan"].roles and "referee" in perms["checkin.scan"].roles
    assert perms["checkin.manage"].roles == ("organizer",)


def test_hook_menu_items(app, client, factory, login_as):
    s = setup(factory)
    login_as(s.organizer)
    page = client.get(f"/events/{s.event.id}").get_data(as_text=True)
    assert f'href="/checkin/events/{s.event.id}/"' in page
    assert client.get(f"/checkin/events/{s.event.id}/").status_code == 200


def test_hook_event_sections(app, client, factory, login_as):
    s = setup(factory)
    login_as(factory.account("t1", member=s.members[0]))
    assert "我的签到码" in text_of(client.get(f"/events/{s.event.id}"))
    client.post("/logout")
    login_as(factory.account("t9", member=factory.member(s.school["g1"])))
    assert "我的签到码" not in text_of(client.get(f"/events/{s.event.id}"))


def test_hook_export_sheets(app, client, factory, login_as):
    s = setup(factory)
    scan(client, s, code_of(s.registrations[0]))
    login_as(s.organizer)
    response = client.get(f"/events/{s.event.id}/export/checkin.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("签到点", "姓名", "工号", "单位")
    by_name = {r[1]: r for r in rows[1:]}
    assert len(by_name) == 4
    assert by_name["教师1"][6] == "准时" and by_name["教师1"][5] is not None
    assert by_name["教师2"][9] == "未签到" and by_name["教师2"][5] is None


def test_hook_demo_data(app):
    from core.demo import build
    from plugins.checkin.models import CheckIn, Checkpoint

    with app.test_request_context():
        build(app.extensions["huodong_pm"])
    assert Checkpoint.select().count() >= 2
    assert CheckIn.select().count() > 10
    assert CheckIn.select().where(CheckIn.status == "late").exists()
