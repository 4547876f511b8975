"""The plugin author's way in: a third-party plugin (tests/example_plugin, a reading club) installed
through a real ``huodong`` entry point, every hook exercised through it, and the start-up checks that
refuse a broken plugin.

Each hook in core/hookspecs.py has a ``test_hook_<name>`` here or in the plugin that calls it.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import types
from importlib import metadata
from pathlib import Path

import pytest
from flask import Blueprint, current_app
from openpyxl import load_workbook

from core import hookimpl
from core.db import db
from core.migrate import all_models, migrate, pending
from core.models import AuditLog, Event, Item, Registration
from core.plugins import PluginError, event_hooks, plugin_names
from tests.conftest import TEST_CONFIG, USING_PG
from tests.support import Factory, login, text_of

ROOT = Path(__file__).resolve().parents[2]


def _pm(app):
    return app.extensions["huodong_pm"]


def _book_pick():
    from huodong_example.models import BookPick

    return BookPick


@pytest.fixture
def factory(example_app):
    return Factory(example_app)


@pytest.fixture
def client(example_app):
    return example_app.test_client()


@pytest.fixture
def club(example_app, factory):
    """A school with an organizer, a member, and a published reading-club event built from its preset."""
    school = factory.school()
    member = factory.member(school["g1"], name="王芳", gender="F")
    return {
        "school": school,
        "member": member,
        "reader": factory.account("reader", member=member),
        "organizer": factory.account("org", roles=[("organizer", school["school"])]),
        "event": factory.event(school["school"], activity_type="reading", preset="monthly", title="四月读书分享会"),
    }


def _forget_example_schema():
    """PostgreSQL keeps one database for the whole run: start these tests without the plugin's table."""
    with db.connection_context():
        db.execute_sql("DROP TABLE IF EXISTS example_book_pick")
        db.execute_sql("DROP TABLE IF EXISTS migratehistory_example")


def _huodong(args, database_url, tmp_path, site=None, **env):
    """Run the real ``huodong`` command in a child process."""
    pythonpath = [str(site)] if site else []
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([*pythonpath, str(ROOT)]),
        "HUODONG_DATABASE_URL": database_url,
        "HUODONG_INSTANCE_PATH": str(tmp_path / "cli-instance"),
        "HUODONG_SECRET_KEY": TEST_CONFIG["SECRET_KEY"],
        "HUODONG_DATA_KEY": TEST_CONFIG["DATA_KEY"],
        **env,
    }
    return subprocess.run([sys.executable, "-c", "from core.cli import main; main()", *args], env=environment,
                          capture_output=True, text=True, timeout=120)


# -- installing -----------------------------------------------------------------------------------


def test_plugin_is_found_through_its_entry_point(example_installed, make_app):
    found = {ep.name: ep.value for ep in metadata.entry_points(group="huodong")}
    assert found["example"] == "huodong_example.plugin"
    assert "example" in plugin_names(_pm(make_app()))


def test_without_installing_there_is_no_plugin(make_app):
    app = make_app()
    assert "example" not in plugin_names(_pm(app))
    assert app.test_client().get("/example/books").status_code == 404


def test_huodong_migrate_creates_the_plugins_table_and_the_app_serves_its_page(
        example_installed, make_app, database_url, tmp_path):
    app = make_app()
    if USING_PG:
        _forget_example_schema()
    with db.connection_context():
        assert "example_book_pick" not in db.get_tables()

    result = _huodong(["migrate"], database_url, tmp_path, example_installed)
    assert result.returncode == 0, result.stderr
    assert "example:001_book_pick" in result.stdout
    listed = _huodong(["plugins"], database_url, tmp_path, example_installed)
    assert "example" in listed.stdout.split()

    with app.app_context():
        assert "example_book_pick" in db.get_tables()
        factory = Factory(app)
        school = factory.school()
        member = factory.member(school["g1"], name="王芳")
        factory.account("reader", member=member)
        event = factory.event(school["school"], activity_type="reading", preset="monthly", title="四月读书分享会")
        _book_pick().create(event=event, member=member, title="平凡的世界")
    client = app.test_client()
    login(client, "reader")
    page = client.get("/example/books")
    assert page.status_code == 200
    assert "《平凡的世界》" in text_of(page) and "四月读书分享会" in text_of(page)


# -- every hook, through the installed plugin ------------------------------------------------------


def test_hook_models(example_app):
    BookPick = _book_pick()
    assert BookPick in all_models(_pm(example_app))
    columns = {c.name: c.null for c in db.get_columns("example_book_pick")}
    assert columns == {f.column_name: f.null for f in BookPick._meta.sorted_fields}
    unique = {tuple(ix.columns) for ix in db.get_indexes("example_book_pick") if ix.unique}
    assert ("event_id", "member_id") in unique


def test_hook_migrations(example_installed, make_app):
    app = make_app()
    if USING_PG:
        _forget_example_schema()
    pm = _pm(app)
    assert pending(pm) == ["example:001_book_pick"]
    with app.app_context():
        assert migrate(pm) == ["example:001_book_pick"]
        assert migrate(pm) == []
    assert pending(pm) == []
    with db.connection_context():
        assert "migratehistory_example" in db.get_tables()
        ran = [row[0] for row in db.execute_sql("SELECT name FROM migratehistory_example")]
    assert ran == ["001_book_pick"]


def test_hook_blueprints(club):
    client = current_app.test_client()
    assert client.get("/example/books").status_code == 302  # login_required: to the login page
    login(client, "reader")
    assert client.get("/example/books").status_code == 200
    event = club["event"]
    response = client.post("/api/v1/example/picks", json={"event_id": event.id, "title": "活着"})
    assert response.status_code == 201, response.get_json()
    again = client.post("/api/v1/example/picks", json={"event_id": event.id, "title": "围城"})
    assert again.status_code == 409 and again.get_json()["message"] == "每人每次活动只能推荐一本书"
    assert [p.title for p in _book_pick().select()] == ["活着"]
    assert "/api/v1/example/picks" in client.get("/api/v1/openapi.json").get_json()["paths"]


def test_hook_template_dirs(club, client, login_as):
    login_as("reader")
    html = client.get("/example/books").get_data(as_text=True)
    assert "还没有推荐过书。" in html and 'class="topbar"' in html  # the plugin's template in the base layout
    english = text_of(client.get("/example/books?lang=en"))
    assert "You have not brought a book yet." in english  # the plugin's own translations/en.po


def test_hook_menu_items(club, client, login_as):
    assert 'href="/example/books"' not in client.get("/").get_data(as_text=True)
    login_as("reader")
    assert 'href="/example/books"' in client.get("/").get_data(as_text=True)
    event = club["event"]
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/example/events/{event.id}/books"' in page


def test_hook_menu_items_only_on_the_plugins_events(club, factory, client, login_as):
    meeting = factory.event(club["school"]["school"], preset="meeting", title="工会会员代表大会")
    login_as("reader")
    assert "/example/events/" not in client.get(f"/events/{meeting.id}").get_data(as_text=True)


def test_hook_login_methods(example_app, client):
    page = client.get("/login?next=/events/").get_data(as_text=True)
    assert 'href="https://sso.example.invalid/start"' in page and "用示例单点登录登录" in page
    # The core's own OpenID Connect button comes first when configured, carrying where to go next.
    example_app.config.update(OIDC_ISSUER="https://id.example.invalid", OIDC_CLIENT_ID="huodong")
    page = client.get("/login?next=/events/").get_data(as_text=True)
    assert page.index('href="/login/oidc?next=/events/"') < page.index("https://sso.example.invalid/start")


def test_hook_activity_types(club, client, login_as):
    login_as("org")
    page = text_of(client.get("/events/new"))
    assert "读书会" in page and "每月读书分享会" in page
    form = client.get("/events/new/reading?preset=monthly").get_data(as_text=True)
    assert 'value="图书馆二楼"' in form and "T15:00" in form  # the preset's defaults fill the form
    english = text_of(client.get("/events/new?lang=en"))
    assert "Reading club" in english and "Monthly book sharing" in english


def test_hook_event_created(club, client, login_as):
    login_as("org")
    response = client.post("/events/new/reading?preset=monthly", data={
        "title": "五月读书分享会", "unit": club["school"]["school"].id, "venue": "图书馆二楼",
        "starts_at": "2026-05-26T15:00", "ends_at": "2026-05-26T17:00"})
    assert response.status_code == 302
    event = Event.get(Event.title == "五月读书分享会")
    assert [i.name for i in Item.select().where(Item.event == event).order_by(Item.sort)] == ["好书推荐", "读书分享"]


def test_hook_event_created_runs_inside_the_creating_transaction(example_app, factory):
    from core.errors import Invalid

    broken = types.ModuleType("broken_builder")

    @hookimpl
    def huodong_event_created(event, preset, account):
        Item.create(event=event, name="半成品")
        raise Invalid("模板数据有误")

    broken.huodong_event_created = huodong_event_created
    _pm(example_app).register(broken, name="broken_builder")
    try:
        with pytest.raises(Invalid):
            factory.event(factory.school()["school"], activity_type="reading", preset="monthly", title="坏活动")
    finally:
        _pm(example_app).unregister(name="broken_builder")
    assert not Event.select().where(Event.title == "坏活动").exists()
    assert not Item.select().where(Item.name == "半成品").exists()
    assert not AuditLog.select().where(AuditLog.action == "event.create").exists()


def test_hook_event_status_changed(example_app, factory, client, login_as):
    school = factory.school()
    factory.account("org", roles=[("organizer", school["school"])])
    event = factory.event(school["school"], activity_type="reading", preset="monthly", status="draft")
    login_as("org")
    client.post(f"/events/{event.id}/status", data={"status": "published"})
    row = AuditLog.get(AuditLog.action == "example.announced")
    assert row.event_id == event.id and row.after == {"from": "draft"} and row.account_name == "org"


def test_hook_registration_fields(club):
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict

    from core.plugins import event_hooks, flatten

    pm = _pm(current_app)
    fields = flatten(event_hooks(pm, club["event"]).huodong_registration_fields(event=club["event"]))
    assert [f.name for f in fields] == ["book_title"]
    meeting = Event(activity_type="general", title="x")
    # The core asks about an event through event_hooks: a plugin that keeps to its own events
    # (OWN_EVENTS_ONLY) is not asked about anyone else's, so it tests no activity type itself.
    assert flatten(event_hooks(pm, meeting).huodong_registration_fields(event=meeting)) == []
    assert "book_title" in [f.name for f in flatten(pm.hook.huodong_registration_fields(event=meeting))]

    class RegistrationForm(FlaskForm):
        pass

    for field in fields:
        setattr(RegistrationForm, field.name, field.factory())
    with current_app.test_request_context(method="POST"):
        form = RegistrationForm(formdata=MultiDict({"book_title": "平凡的世界"}), meta={"csrf": False})
        assert form.validate() and form.book_title.data == "平凡的世界"
        assert form.book_title.label.text == "推荐书目"


def test_hook_registration_check(club, factory):
    from core.plugins import flatten

    pm, event, member = _pm(current_app), club["event"], club["member"]
    other = factory.member(club["school"]["g2"], name="李强")
    _book_pick().create(event=event, member=other, title="围城")

    def check(data, lang="zh"):
        with current_app.app_context(), current_app.test_request_context(f"/?lang={lang}"):
            return flatten(pm.hook.huodong_registration_check(event=event, member=member, data=data,
                                                              registration=None))

    assert check({"book_title": "  "}) == ["请填写推荐书目"]
    assert check({"book_title": "围城"}) == ["《围城》已有人推荐，请换一本"]
    assert check({"book_title": "围城"}, lang="en") == ["“围城” is already taken, please choose another book"]
    assert check({"book_title": "活着"}) == []


def test_hook_registration_changed(club):
    pm, event, member = _pm(current_app), club["event"], club["member"]
    registration = Registration.create(event=event, member=member, extra={"book_title": "平凡的世界"})
    pm.hook.huodong_registration_changed(registration=registration, action="created", account=club["reader"])
    assert [p.title for p in _book_pick().select()] == ["平凡的世界"]
    registration.extra = {"book_title": "活着"}
    pm.hook.huodong_registration_changed(registration=registration, action="updated", account=club["reader"])
    assert [p.title for p in _book_pick().select()] == ["活着"]
    pm.hook.huodong_registration_changed(registration=registration, action="withdrawn", account=club["reader"])
    assert _book_pick().select().count() == 0


def test_hook_attendance(club, factory):
    from core.timeutil import utcnow

    pm, event, member = _pm(current_app), club["event"], club["member"]
    assert pm.hook.huodong_attendance(event=event, member=member, checkpoint=None) is None  # nobody knows
    pick = _book_pick().create(event=event, member=member, title="平凡的世界")
    assert pm.hook.huodong_attendance(event=event, member=member, checkpoint=None) == "absent"
    pick.checked_in_at = utcnow()
    pick.save()
    assert pm.hook.huodong_attendance(event=event, member=member, checkpoint=None) == "on_time"
    meeting = factory.event(club["school"]["school"], preset="meeting")
    assert pm.hook.huodong_attendance(event=meeting, member=member, checkpoint=None) is None


def test_hook_checked_in(club):
    from datetime import datetime

    pm, event, member = _pm(current_app), club["event"], club["member"]
    _book_pick().create(event=event, member=member, title="平凡的世界")
    at = datetime(2026, 4, 20, 7, 1, 30)
    pm.hook.huodong_checked_in(event=event, member=member, checkpoint=None, status="on_time", at=at)
    assert _book_pick().get().checked_in_at == at
    assert pm.hook.huodong_attendance(event=event, member=member, checkpoint=None) == "on_time"


def test_hook_calendar_components(club, factory, client):
    import icalendar

    from core.plugins import flatten
    from core.timeutil import to_local

    pm, event, member = _pm(current_app), club["event"], club["member"]
    with current_app.test_request_context():
        assert flatten(pm.hook.huodong_calendar_components(event=event, member=member)) == []  # brings no book
        _book_pick().create(event=event, member=member, title="平凡的世界")
        personal = flatten(pm.hook.huodong_calendar_components(event=event, member=member))
        public = flatten(pm.hook.huodong_calendar_components(event=event, member=None))
        meeting = factory.event(club["school"]["school"], preset="meeting")
        assert flatten(pm.hook.huodong_calendar_components(event=meeting, member=None)) == []
    assert [c.uid for c in personal] == [c.uid for c in public] and len(public) == 2

    feed = client.get(f"/events/{event.id}.ics")  # the event's real feed carries the plugin's sessions
    assert feed.status_code == 200
    vevents = {str(c["SUMMARY"]): c for c in icalendar.Calendar.from_ical(feed.data).walk("VEVENT")}
    assert {"四月读书分享会：好书推荐", "四月读书分享会：读书分享"} <= set(vevents)
    first, second = vevents["四月读书分享会：好书推荐"], vevents["四月读书分享会：读书分享"]
    assert str(first["UID"]) == public[0].uid
    start = first.decoded("DTSTART")
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert start.replace(tzinfo=None) == to_local(event.starts_at, "Asia/Shanghai").replace(tzinfo=None)
    assert first.decoded("DTEND") == second.decoded("DTSTART")  # the sessions follow each other


def test_hook_export_sheets(club, factory, client, login_as):
    event = club["event"]
    _book_pick().create(event=event, member=club["member"], title="平凡的世界")
    login_as("org")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f"/events/{event.id}/export/books.xlsx" in page
    response = client.get(f"/events/{event.id}/export/books.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows == [["工号", "姓名", "书名"], [club["member"].staff_no, "王芳", "平凡的世界"]]
    assert sheet.title == "书目"

    other_org = factory.account("org2", roles=[("organizer", factory.unit("别的学校", club["school"]["district"],
                                                                            "grassroots"))])
    other = current_app.test_client()
    login(other, other_org.username)
    assert other.get(f"/events/{event.id}/export/books.xlsx").status_code == 403
    reader = current_app.test_client()
    login(reader, "reader")
    assert reader.get(f"/events/{event.id}/export/books.xlsx").status_code == 403


def test_hook_permissions(club, factory):
    from core.access import can

    permission = current_app.extensions["huodong_permissions"]["example.manage"]
    assert permission.roles == ("organizer", "librarian")
    event, school = club["event"], club["school"]
    admin = factory.account("root", roles=["admin"])
    elsewhere = factory.account("org2", roles=[("organizer", factory.unit("别的学校", school["district"], "grassroots"))])
    head = factory.account("head", roles=[("dept_head", school["g1"])])
    with current_app.test_request_context():
        assert can(club["organizer"], "example.manage", event=event)
        assert can(admin, "example.manage", event=event)
        assert not can(elsewhere, "example.manage", event=event)
        assert not can(head, "example.manage", event=event)
        assert not can(club["reader"], "example.manage", event=event)


def test_hook_roles(club, factory, client, login_as):
    from core.access import can
    from core.errors import Invalid
    from core.roles import all_roles
    from core.services.accounts import grant_role, revoke_role

    assert all_roles()["librarian"] == "图书管理员"
    assert {"judge", "referee", "reviewer", "aid_officer", "volunteer"} <= set(all_roles())  # the built-in plugins'
    keeper = factory.account("keeper", member=factory.member(club["school"]["g1"], name="周书"))
    admin = factory.account("root", roles=["admin"])
    grant = grant_role(keeper, "librarian", unit=club["school"]["school"], by=admin)
    assert grant_role(keeper, "librarian", unit=club["school"]["school"], by=admin).id == grant.id  # held already
    with current_app.test_request_context():
        assert can(keeper, "example.manage", event=club["event"])
    with pytest.raises(Invalid):
        grant_role(keeper, "wizard")
    login_as("root")
    page = text_of(client.get("/accounts/"))
    assert "图书管理员" in page
    assert revoke_role(keeper, "librarian", unit=club["school"]["school"], by=admin) == 1
    assert revoke_role(keeper, "librarian", unit=club["school"]["school"], by=admin) == 0
    actions = [a.action for a in AuditLog.select().where(AuditLog.object_id == str(keeper.id)).order_by(AuditLog.id)]
    assert actions == ["account.role.grant", "account.role.revoke"]


def test_hook_dashboard_widgets(club, client, login_as):
    _book_pick().create(event=club["event"], member=club["member"], title="平凡的世界")
    login_as("reader")
    page = text_of(client.get("/"))
    assert "我推荐的书" in page and "共 1 本" in page
    assert "1 in all" in text_of(client.get("/?lang=en"))


def test_hook_event_sections(club, factory, client, login_as):
    event = club["event"]
    _book_pick().create(event=event, member=club["member"], title="<b>围城</b>")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "本次书目" in html
    assert "《&lt;b&gt;围城&lt;/b&gt;》" in html and "<b>围城</b>" not in html  # titles are escaped
    assert "您可以下载书目表" not in html
    login_as("org")
    assert "您可以下载书目表" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_hook_event_figures(club, factory):
    pm, event = _pm(current_app), club["event"]
    _book_pick().create(event=event, member=club["member"], title="平凡的世界")
    _book_pick().create(event=event, member=factory.member(club["school"]["g2"]), title="活着")
    answers = pm.hook.huodong_event_figures(event=event)
    assert [a for a in answers if "books" in a] == [{"books": 2}]  # other plugins may add their own figures
    meeting = factory.event(club["school"]["school"], preset="meeting")
    assert not [a for a in event_hooks(pm, meeting).huodong_event_figures(event=meeting) if "books" in a]


def test_hook_demo_data(example_app):
    from core.demo import build

    with example_app.test_request_context():
        demo = build(_pm(example_app))
    event = Event.get(Event.title == "四月读书分享会")
    assert event.activity_type == "reading" and event.preset == "monthly" and event.status == "published"
    assert [i.name for i in Item.select().where(Item.event == event).order_by(Item.sort)] == ["好书推荐", "读书分享"]
    assert Event.select().where(Event.title == "工会会员代表大会").exists()  # the core's own demo event
    assert demo.logins[0][0] == "admin"


def test_hook_register_commands(club, database_url, tmp_path, example_installed, monkeypatch):
    from click.testing import CliRunner

    from core.cli import build_cli

    event = club["event"]
    _book_pick().create(event=event, member=club["member"], title="平凡的世界")
    db.close()
    result = _huodong(["example-books", str(event.id)], database_url, tmp_path, example_installed)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["《平凡的世界》", "共 1 本"]

    group = build_cli(_pm(current_app))
    assert "example-books" in group.commands and "migrate" in group.commands
    for key, value in {"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path / "cli"),
                       "SECRET_KEY": "test-secret", "DATA_KEY": "test-data-key"}.items():
        monkeypatch.setenv(f"HUODONG_{key}", value)
    missing = CliRunner().invoke(group, ["example-books", "99999"])
    assert missing.exit_code == 1 and "没有活动 99999" in missing.output


# -- disabling and start-up checks -----------------------------------------------------------------


def test_a_plugin_is_disabled_by_configuration(example_installed, make_app, monkeypatch, database_url, tmp_path):
    app = make_app(DISABLED_PLUGINS="example")
    assert "example" not in plugin_names(_pm(app))
    assert "reading" not in app.extensions["huodong_activity_types"]
    assert app.test_client().get("/example/books").status_code == 404
    monkeypatch.setenv("HUODONG_DISABLED_PLUGINS", "example")
    from core.app import create_app

    from_env = create_app({k: v for k, v in TEST_CONFIG.items()} | {
        "DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path / "env")})
    assert "example" not in plugin_names(_pm(from_env))
    from core.cli import build_cli
    from core.plugins import make_plugin_manager

    assert "example-books" not in build_cli(make_plugin_manager(["example"])).commands
    listed = _huodong(["plugins"], database_url, tmp_path, example_installed, HUODONG_DISABLED_PLUGINS="example")
    assert "core" in listed.stdout.split() and "example" not in listed.stdout.split()


def _module(name, **attributes):
    module = types.ModuleType(name)
    module.__file__ = str(ROOT / "tests" / "example_plugin" / f"{name}.py")
    for key, value in attributes.items():
        setattr(module, key, value)
    return module


def test_a_plugin_whose_requirement_is_missing_stops_start_up(make_app):
    follower = _module("book_prizes", REQUIRES=("example", "bookshop"))
    with pytest.raises(PluginError) as caught:
        make_app(extra_plugins=[("book_prizes", follower)])
    assert str(caught.value) == "插件 book_prizes 依赖的插件未启用：example, bookshop"


def test_requiring_a_disabled_plugin_stops_start_up(example_installed, make_app):
    follower = _module("book_prizes", REQUIRES=("example",))
    assert make_app(extra_plugins=[("book_prizes", follower)])  # fine while example is loaded
    with pytest.raises(PluginError, match="book_prizes 依赖的插件未启用：example"):
        make_app(DISABLED_PLUGINS=["example"], extra_plugins=[("book_prizes", follower)])


def test_a_misspelt_hook_stops_start_up(make_app):
    @hookimpl
    def huodong_menu_item(account, event):
        return []

    typo = _module("typo", huodong_menu_item=huodong_menu_item)
    with pytest.raises(PluginError) as caught:
        make_app(extra_plugins=[("typo", typo)])
    assert "插件 typo 实现了不存在的钩子 huodong_menu_item" in str(caught.value)


def test_a_hook_with_a_wrong_argument_stops_start_up(make_app):
    @hookimpl
    def huodong_menu_items(account, evnt):
        return []

    wrong = _module("wrong", huodong_menu_items=huodong_menu_items)
    with pytest.raises(PluginError) as caught:
        make_app(extra_plugins=[("wrong", wrong)])
    assert "的钩子实现无效" in str(caught.value) and "evnt" in str(caught.value)


def test_a_view_without_an_access_rule_stops_start_up(make_app):
    bp = Blueprint("careless", __name__, url_prefix="/careless")

    @bp.route("/")
    def open_to_all():
        return "oops"

    @hookimpl
    def huodong_blueprints():
        return [bp]

    careless = _module("careless", huodong_blueprints=huodong_blueprints)
    with pytest.raises(RuntimeError, match="views without an access rule .*careless.open_to_all"):
        make_app(extra_plugins=[("careless", careless)])


def test_the_hooks_about_an_event_reach_an_activity_plugin_for_its_own_types_only(club, factory, client, login_as):
    meeting = factory.event(club["school"]["school"], title="全体教职工大会", capacity=50)
    html = client.get(f"/events/{meeting.id}").get_data(as_text=True)
    assert "本次书目" not in html  # the reading club's section is for reading clubs
    login_as("reader")
    client.post(f"/events/{meeting.id}/register", data={})
    assert Registration.get(Registration.event == meeting).status == "active"  # no book asked for
    assert _book_pick().select().count() == 0
    assert "本次书目" in client.get(f"/events/{club['event'].id}").get_data(as_text=True)
