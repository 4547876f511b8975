"""The reading club's hook implementations: everything a third-party plugin can bring."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _
from markupsafe import Markup, escape
from wtforms import StringField

from core import hookimpl
from core.access import can
from core.contrib import (
    ActivityType,
    ExportSheet,
    LoginMethod,
    MenuItem,
    Permission,
    Preset,
    RegistrationField,
    Section,
    Widget,
)
from core.models import Item
from core.services import audit

HERE = Path(__file__).resolve().parent
REQUIRES: tuple[str, ...] = ()  # names of plugins this one builds on
KIND = "reading"
OWN_EVENTS_ONLY = True  # the hooks about one event reach this plugin for reading clubs only


def _picks():
    from huodong_example.models import BookPick

    return BookPick


@hookimpl
def huodong_models():
    return [_picks()]


@hookimpl
def huodong_migrations():
    return ("example", HERE / "migrations")


@hookimpl
def huodong_blueprints():
    from huodong_example.views import api, bp

    return [bp, api]


@hookimpl
def huodong_template_dirs():
    return [HERE / "templates"]


@hookimpl
def huodong_login_methods():
    # A school's own single sign-on; its view would use core.services.identities on the way back.
    return [LoginMethod(_("示例单点登录"), url="https://sso.example.invalid/start", order=50)]


@hookimpl
def huodong_menu_items(account, event):
    if event is None:
        return [MenuItem(_("读书会"), "example.books", order=60)] if account is not None else []
    if event.activity_type == KIND:
        return [MenuItem(_("书目"), "example.event_books", values={"event_id": event.id})]
    return []


@hookimpl
def huodong_activity_types():
    return [
        ActivityType(
            key=KIND,
            label="读书会",
            description="会员各带一本书来分享",
            presets=(
                Preset("monthly", "每月读书分享会", "两小时，好书推荐和读书分享两个环节",
                       {"duration_hours": 2, "start_hour": 15, "start_minute": 0, "venue": "图书馆二楼"}),
            ),
        )
    ]


@hookimpl
def huodong_event_created(event, preset, account):
    if preset is None or preset.key != "monthly":
        return
    half = (event.ends_at - event.starts_at) / 2
    for sort, name in enumerate(("好书推荐", "读书分享")):
        Item.create(event=event, name=name, sort=sort, starts_at=event.starts_at + sort * half,
                    ends_at=event.starts_at + (sort + 1) * half)


@hookimpl
def huodong_event_status_changed(event, old, new, account):
    if new == "published":
        audit.record("example.announced", event, after={"from": old}, account=account, event=event)


@hookimpl
def huodong_registration_fields(event):
    return [RegistrationField("book_title", lambda: StringField(_("推荐书目")), order=10)]


@hookimpl
def huodong_registration_check(event, member, data, registration):
    title = (data.get("book_title") or "").strip()
    if not title:
        return [_("请填写推荐书目")]
    taken = _picks().select().where(_picks().event == event, _picks().title == title,
                                    _picks().member != member).exists()
    return [_("《%(title)s》已有人推荐，请换一本", title=title)] if taken else []


@hookimpl
def huodong_registration_changed(registration, action, account):
    event = registration.event
    BookPick = _picks()
    if action == "withdrawn":
        BookPick.delete().where(BookPick.event == event, BookPick.member == registration.member_id).execute()
        return
    title = (registration.extra or {}).get("book_title", "").strip()
    if title:
        (BookPick.insert(event=event, member=registration.member_id, title=title)
         .on_conflict(conflict_target=[BookPick.event, BookPick.member], update={BookPick.title: title})
         .execute())


@hookimpl
def huodong_attendance(event, member, checkpoint):
    pick = _picks().get_or_none(event=event, member=member)
    if pick is None:
        return None
    return "on_time" if pick.checked_in_at else "absent"


@hookimpl
def huodong_checked_in(event, member, checkpoint, status, at):
    BookPick = _picks()
    BookPick.update(checked_in_at=at).where(BookPick.event == event, BookPick.member == member).execute()


@hookimpl
def huodong_calendar_components(event, member):
    """The two sessions of a meeting; in a personal feed only for a member who brings a book."""
    from core.services.feeds import component

    if event.activity_type != KIND:
        return []
    if member is not None and not _picks().select().where(_picks().event == event, _picks().member == member).exists():
        return []
    items = Item.select().where(Item.event == event, Item.starts_at.is_null(False)).order_by(Item.sort)
    return [component(event, f"item-{item.id}", f"{event.title}：{item.name}", item.starts_at, item.ends_at,
                      location=event.venue or None)
            for item in items]


def _book_sheet(event):
    rows = [[p.member.staff_no, p.member.name, p.title] for p in _picks().select().where(_picks().event == event)
            .order_by(_picks().id)]
    return [_("工号"), _("姓名"), _("书名")], rows


@hookimpl
def huodong_export_sheets(event):
    return [ExportSheet("books", "书目", _book_sheet, permission="example.manage")]


@hookimpl
def huodong_permissions():
    return [Permission("example.manage", "管理读书会书目", ("organizer", "librarian"))]


@hookimpl
def huodong_roles():
    from flask_babel import lazy_gettext as _l

    from core.contrib import Role

    return [Role("librarian", _l("图书管理员"))]


@hookimpl
def huodong_dashboard_widgets(account):
    if not account.member_id:
        return []
    count = _picks().select().where(_picks().member == account.member_id).count()
    return [Widget(_("我推荐的书"), Markup("<p>{}</p>").format(_("共 %(n)s 本", n=count)), order=50)]


@hookimpl
def huodong_event_sections(event, account):
    titles = [p.title for p in _picks().select().where(_picks().event == event).order_by(_picks().id)]
    items = Markup("").join(Markup("<li>《{}》</li>").format(t) for t in titles)
    html = Markup('<ul class="list">{}</ul>').format(items) if titles else escape(_("还没有人推荐书目"))
    if can(account, "example.manage", event=event):
        html += Markup('<p class="muted">{}</p>').format(_("您可以下载书目表"))
    return [Section(_("本次书目"), str(html), order=30)]


@hookimpl
def huodong_event_figures(event):
    return {"books": _picks().select().where(_picks().event == event).count()}


@hookimpl
def huodong_demo_data(demo):
    demo.create_event(KIND, "monthly", title="四月读书分享会", starts_at=demo.local(12, 15, 0),
                      ends_at=demo.local(12, 17, 0), venue="图书馆二楼", capacity=30)


@hookimpl
def huodong_register_commands(cli):
    @cli.command("example-books")
    @click.argument("event_id", type=int)
    def example_books(event_id):
        """列出一次读书会的书目。"""
        from core.cli import app_context
        from core.models import Event

        with app_context():
            event = Event.get_or_none(Event.id == event_id)
            if event is None:
                raise click.ClickException(f"没有活动 {event_id}")
            picks = _picks().select().where(_picks().event == event).order_by(_picks().id)
            for pick in picks:
                click.echo(f"《{pick.title}》")
            click.echo(f"共 {len(picks)} 本")


@hookimpl
def huodong_message_kinds():
    from core.messages.kinds import MessageKind, _l

    return [MessageKind("example.book_chosen", _l("书目已选定"), _l("书目已选定：%(event)s"),
                        _l("%(name)s，本次读书会读《%(title)s》，请提前阅读。"),
                        group=_l("【%(event)s】本次书目：《%(title)s》"))]


class TextMessages:
    """短信 through a provider's HTTP API (``EXAMPLE_SMS_URL``): what a union's SMS plugin looks like.
    The member's phone number on the roster is the address; he turns it on on his account page."""

    name = "example_sms"
    label = "短信"
    audience = "person"

    def address(self, member, preference):
        return member.phone or None

    def configured(self):
        from flask import current_app

        return bool(current_app.config.get("EXAMPLE_SMS_URL"))

    def send(self, outgoing):
        from flask import current_app

        from core.messages.channels import DeliveryError, post_json

        url = current_app.config.get("EXAMPLE_SMS_URL")
        if not url:
            raise DeliveryError("未设置 EXAMPLE_SMS_URL", permanent=True)
        post_json(url, {"phone": outgoing.address, "text": outgoing.text[:300]}, who="短信接口")

    def batch(self):
        import contextlib

        return contextlib.nullcontext()


@hookimpl
def huodong_message_channels():
    return [TextMessages()]


@hookimpl
def huodong_reminder_context(event):
    from core.messages.kinds import Text, _l

    return {"note": Text(_l("请带上您推荐的书。"))}


@hookimpl
def huodong_scheduled(now):
    """An hour before a reading club, everyone who picked a book is reminded which one (once each)."""
    from datetime import timedelta

    from core.messages import send
    from core.models import Event

    count = 0
    soon = Event.select().where(Event.activity_type == KIND, Event.status == "published", Event.starts_at > now,
                                Event.starts_at <= now + timedelta(hours=1))
    for event in soon:
        for pick in _picks().select().where(_picks().event == event):
            if send(pick.member, "example.book_chosen", {"title": pick.title}, event=event, group=False,
                    dedupe=f"example:hour-before:{pick.id}"):
                count += 1
    return count
