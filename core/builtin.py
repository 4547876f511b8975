"""The core's own hook implementations: the general activity type every install has, and the
registration block, 报名表 export and demo events of the registration rules."""

from __future__ import annotations

from flask_babel import gettext as _

from core import access, hookimpl
from core.contrib import ActivityType, ExportSheet, Preset, Section


@hookimpl
def huodong_activity_types():
    return [
        ActivityType(
            key="general",
            label="普通活动",
            description="讲座、会议、志愿服务等只需报名和签到的活动",
            presets=(Preset("meeting", "会议 / 讲座", "半天的会议或讲座", {"duration_hours": 3}),),
        )
    ]


@hookimpl
def huodong_models():
    from core.messages.models import MESSAGE_MODELS

    return list(MESSAGE_MODELS)


@hookimpl
def huodong_blueprints():
    from core.api.registrations import bp
    from core.messages.views import bp as messages

    return [bp, messages]


@hookimpl
def huodong_event_sections(event, account):
    from core.views.registrations import section_html

    sections = [Section(title=_("报名"), html=section_html(event, account), order=10)]
    if account is not None and access.can(account, "events.manage", event=event):
        from core.messages.views import section_html as messages_html

        sections.append(Section(title=_("消息"), html=messages_html(event, account), order=90))
    return sections


@hookimpl
def huodong_export_sheets(event):
    from core.services.registrations import sheet

    return [ExportSheet(key="registrations", label="报名表", build=sheet)]


@hookimpl
def huodong_demo_data(demo):
    demo.create_event(
        "general", "meeting", title="工会会员代表大会", starts_at=demo.local(10, 14, 30),
        ends_at=demo.local(10, 17, 0), venue="学校报告厅", capacity=120,
        description="审议工会工作报告和经费收支情况报告。",
    )


@hookimpl
def huodong_event_figures(event):
    """Every event reached at least the people actively registered for it."""
    from core.models import Registration

    return {"people": event.registrations.where(Registration.status == "active").count()}
