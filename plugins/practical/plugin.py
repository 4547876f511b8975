"""我为群众办实事: hooks that plug the programme into huodong."""

from __future__ import annotations

from pathlib import Path

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import hookimpl
from core.access import managed_unit_ids
from core.contrib import ActivityType, MenuItem, Permission, Preset, Section, Widget
from plugins.practical import grassroots, supervision, volunteers
from plugins.practical.models import DAY_ROLES, MODELS, Cadre, Project, ProjectEvent, VolunteerActivity

HERE = Path(__file__).resolve().parent


@hookimpl
def huodong_models():
    return MODELS


@hookimpl
def huodong_blueprints():
    from plugins.practical.api import api
    from plugins.practical.views import bp

    return [bp, api]


@hookimpl
def huodong_permissions():
    return [
        Permission("practical.manage", _l("管理我为群众办实事（项目、承诺、督查、三个一天、志愿服务）"), ("organizer",)),
        Permission("practical.view", _l("查看办实事督查记录、三个一天和年度总结"), ("organizer", "dept_head")),
    ]


@hookimpl
def huodong_menu_items(account, event):
    if event is None and account is not None:
        return [MenuItem(_("办实事"), "practical.index", order=60)]
    return []


@hookimpl
def huodong_activity_types():
    return [
        ActivityType(
            key="volunteer",
            label=_l("志愿服务"),
            description=_l("工会志愿者服务队的活动：义务植树、无偿献血、法律宣讲、文明劝导，报名、签到并累计服务时长"),
            presets=(
                Preset("tree_planting", _l("义务植树"), _l("半天的植树活动"),
                       {"title": "义务植树志愿服务", "duration_hours": 4, "start_hour": 8, "start_minute": 30,
                        "venue": "城郊植树基地", "capacity": 40}),
                Preset("blood_donation", _l("无偿献血"), _l("集中献血，现场体检"),
                       {"title": "无偿献血志愿服务", "duration_hours": 3, "start_hour": 9,
                        "venue": "中心血站献血屋", "capacity": 30}),
                Preset("legal_advice", _l("法律知识宣讲"), _l("劳动法律咨询与宣讲"),
                       {"title": "职工法律知识宣讲", "duration_hours": 3, "start_hour": 14, "start_minute": 30,
                        "venue": "职工之家", "capacity": 20}),
                Preset("civility", _l("文明劝导"), _l("路口文明交通劝导"),
                       {"title": "文明交通劝导", "duration_hours": 2, "start_hour": 7, "start_minute": 0,
                        "venue": "学校门口路口", "capacity": 12}),
            ),
        )
    ]


@hookimpl
def huodong_event_created(event, preset, account):
    if event.activity_type == "volunteer":
        volunteers.attach(event)


@hookimpl
def huodong_dashboard_widgets(account):
    widgets = []
    ids = managed_unit_ids(account, "practical.view")
    if ids != []:
        late = supervision.overdue(ids)
        if late:
            html = render_template("practical/_overdue_widget.html", checks=late, today=supervision.today())
            widgets.append(Widget(_("督查整改逾期（%(n)s）", n=len(late)), html, order=30))
    if account.member_id:
        for cadre in Cadre.select().where(Cadre.member == account.member_id, Cadre.is_active == True):  # noqa: E712
            today = supervision.today()
            row = next(r for r in grassroots.month_view(cadre.unit, today.year, today.month) if r.cadre.id == cadre.id)
            if row.missing:
                html = render_template("practical/_days_widget.html", row=row, unit=cadre.unit, today=today,
                                       roles=DAY_ROLES)
                widgets.append(Widget(_("本月“三个一天”还差 %(n)s 天", n=len(row.missing)), html, order=35))
    return widgets


@hookimpl
def huodong_event_sections(event, account):
    sections = []
    link = ProjectEvent.select(ProjectEvent, Project).join(Project).where(ProjectEvent.event == event).first()
    if link is not None:
        url = url_for("practical.project", project_id=link.project.id)
        sections.append(Section(_("我为群众办实事"), render_template(
            "practical/_event_section.html", project=link.project, url=url), order=80))
    if event.activity_type == "volunteer":
        activity = VolunteerActivity.get_or_none(VolunteerActivity.event == event)
        if activity is not None:
            sections.append(Section(_("志愿服务队"), render_template(
                "practical/_team_section.html", team=activity.team,
                hours=volunteers.duration_hours(event)), order=81))
    return sections


@hookimpl
def huodong_demo_data(demo):
    from plugins.practical.demo import build

    build(demo)


@hookimpl
def huodong_migrations():
    return ("practical", HERE / "migrations")


@hookimpl
def huodong_template_dirs():
    return [HERE / "templates"]  # practical/*.html
