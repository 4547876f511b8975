"""Demo data: yesterday's staff meeting with its sign-ins (some late, some excused, an early leave),
a second checkpoint, and a volunteer login that may scan.
"""

from __future__ import annotations

from datetime import timedelta

from core.models import Registration
from plugins.checkin import checkpoints, overrides
from plugins.checkin.models import CheckIn


def build(demo) -> None:
    event = demo.create_event(
        "general", "meeting", title="全体教职工大会（签到演示）", starts_at=demo.local(-1, 8, 30),
        ends_at=demo.local(-1, 11, 30), venue="学校报告厅", capacity=200,
        description="8:00 开始签到，8:30 开会；散会时签退。",
    )
    people = [m for m in demo.members if m.staff_no.startswith("T")][:48]
    registrations = [Registration.create(event=event, member=m, status="active") for m in people]
    main = checkpoints.ensure_main(event)
    checkpoints.save(event, {"opens_at": demo.local(-1, 8, 0), "grace_minutes": 0, "sign_out": True}, main)
    group = checkpoints.save(event, {"key": "group", "name": "分组讨论", "opens_at": demo.local(-1, 10, 20),
                                     "starts_at": demo.local(-1, 10, 30), "ends_at": demo.local(-1, 11, 30)})
    rng = demo.rng
    for index, reg in enumerate(registrations):
        if index % 12 == 11:
            continue  # absent
        if index % 12 == 10:
            overrides.excuse(main, reg, reason="外出培训", account=demo.accounts["admin"])
            continue
        minutes = rng.randrange(2, 29) if index % 7 else rng.randrange(31, 50)
        signed_in = demo.local(-1, 8, 0) + timedelta(minutes=minutes, seconds=rng.randrange(60))
        _row(main, reg, "in", "on_time" if minutes < 30 else "late", signed_in, "door" if index % 3 else "venue")
        if index % 9 == 4:
            _row(main, reg, "out", "early_leave", demo.local(-1, 10, 45), "door")
        elif index % 2:
            _row(main, reg, "out", "on_time", demo.local(-1, 11, 32), "door")
        if index % 4:
            _row(group, reg, "in", "on_time", demo.local(-1, 10, 25), "door")
    demo.add_login("volunteer", "扫码志愿者（全体教职工大会）", roles=[("volunteer", None, event)])


def _row(checkpoint, registration, kind, status, at, source) -> None:
    CheckIn.create(checkpoint=checkpoint, registration=registration, member=registration.member_id, kind=kind,
                   status=status, scanned_at=at, created_at=at, source=source)
