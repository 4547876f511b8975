"""The core's own hook implementations: the general activity type every install has."""

from __future__ import annotations

from core import hookimpl
from core.contrib import ActivityType, Preset


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
