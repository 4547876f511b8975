"""Sports days and fun games (教职工体育竞赛、趣味运动会、趣味游戏): the hooks that plug them into huodong.

Built on the core's registrations (items, teams, rules), on scoring's public module (results,
standings, brackets, prize money) and on the ``huodong_attendance`` hook for who came on time.

Per-item sign-in: an item marked for its own sign-in (检录; the 篇二 preset's two knockouts, played in
rooms of their own) gets a checkpoint of the sign-in plugin, when that plugin is on, where only its
entrants are expected (:func:`plugins.sports_day.items.save_item`). The event's own attendance (on time,
late, left early, absent) is read through ``huodong_attendance``.
"""

from __future__ import annotations

from pathlib import Path

from flask import flash, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import hookimpl
from core.contrib import ActivityType, ExportSheet, MenuItem, Preset, Section

HERE = Path(__file__).resolve().parent

REQUIRES = ("scoring",)
OWN_EVENTS_ONLY = True  # the hooks about one event reach this plugin for sports days and fun games only


def _ours(event) -> bool:
    from plugins.sports_day.presets import ACTIVITY_TYPES

    return event is not None and event.activity_type in ACTIVITY_TYPES


@hookimpl
def huodong_models():
    from plugins.sports_day.models import MODELS

    return MODELS


@hookimpl
def huodong_blueprints():
    from plugins.sports_day.api import bp as api_bp
    from plugins.sports_day.views import bp

    return [bp, api_bp]


@hookimpl
def huodong_activity_types():
    from plugins.sports_day.presets import plans_of

    def presets(kind):
        return tuple(Preset(p.key, p.label, p.description, p.defaults) for p in plans_of(kind))

    return [
        ActivityType(key="sports_day", label=_l("教职工体育竞赛"),
                     description=_l("以办公室或单位组队的运动会：集体和个人项目、裁判、秩序册、成绩、团体总分和奖金"),
                     presets=presets("sports_day"), icon="🏃"),
        ActivityType(key="fun_games", label=_l("趣味游戏"),
                     description=_l("以年级组或部门为单位的趣味游戏和健身活动：计时计数、积分、达标纪念品"),
                     presets=presets("fun_games"), icon="🎯"),
    ]


@hookimpl
def huodong_event_created(event, preset, account):
    if preset is None:
        return
    from plugins.sports_day.building import build
    from plugins.sports_day.presets import PLANS

    plan = PLANS.get(preset.key)
    if plan is not None:
        build(event, plan, account)


@hookimpl
def huodong_registration_check(event, member, data, registration):
    from plugins.sports_day.referees import referee_problems

    return referee_problems(event, member, data.get("items") or [])


@hookimpl
def huodong_registration_changed(registration, action, account):
    event = registration.event
    from plugins.sports_day.items import sync_places
    from plugins.sports_day.schedule import clashes

    sync_places(event, account=account)
    if has_request_context() and action in ("created", "updated", "promoted"):
        for clash in clashes(event, registration.member):
            flash(clash.message, "warning")


@hookimpl
def huodong_event_status_changed(event, old, new, account):
    from plugins.sports_day.items import sync_places

    sync_places(event, account=account)


@hookimpl
def huodong_calendar_components(event, member):
    if not _ours(event):
        return []
    from plugins.sports_day.schedule import feed_items

    return feed_items(event, member)


@hookimpl
def huodong_calendar_components_batch(events, member):
    from plugins.sports_day.presets import ACTIVITY_TYPES

    ours = [e for e in events if e.activity_type in ACTIVITY_TYPES]
    if not ours:
        return {}
    from plugins.sports_day.schedule import feed_items_many

    return feed_items_many(ours, member)


@hookimpl
def huodong_menu_items(account, event):
    if account is None or event is not None:
        return []
    from plugins.sports_day.referees import refereed_items

    if refereed_items(account):
        return [MenuItem(_("我的裁判项目"), "sports_day.mine", order=45)]
    return []


@hookimpl
def huodong_event_sections(event, account):
    from plugins.sports_day.views import section_html

    return [Section(_("项目与秩序册"), section_html(event, account), order=20)]


@hookimpl
def huodong_export_sheets(event):
    from plugins.sports_day.views import running_order_sheet

    return [ExportSheet(key="sports_day_order", label=_("秩序册"), build=running_order_sheet,
                        permission="events.manage")]


@hookimpl
def huodong_demo_data(demo):
    from plugins.sports_day.demo import build

    build(demo)


@hookimpl
def huodong_migrations():
    return ("sports_day", HERE / "migrations")


@hookimpl
def huodong_template_dirs():
    return [HERE / "templates"]  # sports_day/*.html
