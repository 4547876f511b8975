"""The teacher skills contest (教师基本功大赛 "三字一课"): the hooks that plug it into huodong.

Built on the core's registrations (teachers enter the items they compete in), on the sign-in plugin's
public module (who came to an on-site session) and on scoring's public module (rubrics, panels,
blind numbers, recusal, marks, locking, bands and certificates).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import hookimpl
from core.contrib import ActivityType, ExportSheet, MenuItem, Preset, Section

HERE = Path(__file__).resolve().parent

REQUIRES = ("scoring", "checkin")
OWN_EVENTS_ONLY = True  # the hooks about one event reach this plugin for skills contests only


def _ours(event) -> bool:
    from plugins.skills_contest.presets import ACTIVITY_TYPE

    return event is not None and event.activity_type == ACTIVITY_TYPE


@hookimpl
def huodong_models():
    from plugins.skills_contest.models import MODELS

    return MODELS


@hookimpl
def huodong_blueprints():
    from plugins.skills_contest.api import bp as api_bp
    from plugins.skills_contest.views import bp

    return [bp, api_bp]


@hookimpl
def huodong_activity_types():
    from plugins.skills_contest.presets import ACTIVITY_TYPE, PLANS

    presets = tuple(Preset(p.key, p.label, p.description, p.defaults) for p in PLANS.values())
    return [ActivityType(key=ACTIVITY_TYPE, label=_l("教师基本功大赛"),
                         description=_l("粉笔字、钢笔字、毛笔字和微型课：现场书写或作品上交，评委盲评打分，"
                                        "按等级评奖并打印获奖证书"),
                         presets=presets, icon="🖌")]


@hookimpl
def huodong_event_created(event, preset, account):
    if preset is None:
        return
    from plugins.skills_contest.building import build
    from plugins.skills_contest.presets import PLANS

    plan = PLANS.get(preset.key)
    if plan is not None:
        build(event, plan, account)


@hookimpl
def huodong_registration_check(event, member, data, registration):
    """A judge of an item may not enter it."""
    from core.models import Account, Item
    from plugins.scoring import public as scoring

    accounts = list(Account.select().where(Account.member == member.id))
    out = []
    for item in Item.select().where(Item.id.in_([int(i) for i in data.get("items") or []]), Item.event == event.id):
        if any(scoring.on_panel(item, a) for a in accounts):
            out.append(_("[评委回避] %(name)s 是“%(item)s”的评委，不能报名该项目", name=member.name, item=item.name))
    return out


@hookimpl
def huodong_calendar_components(event, member):
    if not _ours(event):
        return []
    from plugins.skills_contest.schedule import feed_items

    return feed_items(event, member)


@hookimpl
def huodong_calendar_components_batch(events, member):
    # A unit's feed may hold thousands of events and only a few contests: skip the others here.
    from plugins.skills_contest.presets import ACTIVITY_TYPE

    ours = [e for e in events if e.activity_type == ACTIVITY_TYPE]
    if not ours:
        return {}
    from plugins.skills_contest.schedule import feed_items

    return {e.id: feed_items(e, member) for e in ours}


@hookimpl
def huodong_menu_items(account, event):
    if account is None or event is not None:
        return []
    from plugins.skills_contest.items import judged_items

    if judged_items(account):
        return [MenuItem(_("我的评审项目"), "skills_contest.mine", order=46)]
    return []


@hookimpl
def huodong_event_sections(event, account):
    from plugins.skills_contest.views import section_html

    return [Section(_("比赛项目与日程"), section_html(event, account), order=20)]


@hookimpl
def huodong_export_sheets(event):
    from plugins.skills_contest.awards import prize_sheet

    return [ExportSheet(key="skills_contest_prizes", label=_("获奖名单"), build=prize_sheet,
                        permission="events.manage")]


@hookimpl
def huodong_demo_data(demo):
    from plugins.skills_contest.demo import build

    build(demo)


def milestone_times(event) -> list[tuple[str, datetime, datetime]]:
    """The plan's milestones of ``event`` as ``(name, start, end)`` in naive UTC."""
    out = []
    for m in ((event.settings or {}).get("skills_contest") or {}).get("milestones") or []:
        out.append((m["name"], datetime.fromisoformat(m["starts_at"]), datetime.fromisoformat(m["ends_at"])))
    return out


@hookimpl
def huodong_migrations():
    return ("skills_contest", HERE / "migrations")


@hookimpl
def huodong_template_dirs():
    return [HERE / "templates"]  # skills_contest/*.html
