"""The sign-in plugin's public functions other plugins keep their checkpoints and roll calls with
(plugins/checkin/public.py): a checkpoint made, moved and removed; a sign-in by an operator's hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import Invalid, Refused
from core.models import AuditLog
from plugins.checkin import public
from plugins.checkin.models import CheckIn, Checkpoint
from tests.plugins.checkin.helpers import setup


def test_ensure_checkpoint_makes_then_follows_then_leaves_alone(app, factory):
    s = setup(factory)
    start = s.event.starts_at
    assert public.ensure_checkpoint(s.event, "outing-stop-7", "集合点名：集合", place="国交旁球场入口处",
                                    starts_at=start, closes_at=start + timedelta(minutes=30), sort=100) is True
    cp = Checkpoint.get(Checkpoint.event == s.event.id, Checkpoint.key == "outing-stop-7")
    assert (cp.name, cp.place, cp.starts_at, cp.closes_at, cp.sort) == (
        "集合点名：集合", "国交旁球场入口处", start, start + timedelta(minutes=30), 100)
    assert ("outing-stop-7", "集合点名：集合") in public.checkpoint_keys(s.event)
    pm = app.extensions["huodong_pm"]
    feed = [i.uid for items in pm.hook.huodong_calendar_components(event=s.event, member=None) for i in items]
    assert feed == [f"event-{s.event.id}-checkpoint-{cp.id}@huodong"]
    public.ensure_checkpoint(s.event, "outing-stop-7", "集合点名：集合", place="国交旁球场入口处",
                             starts_at=start, closes_at=start + timedelta(minutes=30), sort=100, in_calendar=False)
    assert not [i for items in pm.hook.huodong_calendar_components(event=s.event, member=None) for i in items]
    # The organizer turned self sign-in off on the sign-in pages; moving the stop keeps that.
    Checkpoint.update(self_sign_in=False).where(Checkpoint.id == cp.id).execute()
    later = start + timedelta(hours=1)
    assert public.ensure_checkpoint(s.event, "outing-stop-7", "集合点名：集合", place="国交正门", starts_at=later,
                                    closes_at=later + timedelta(minutes=30), sort=100) is True
    cp = Checkpoint.get_by_id(cp.id)
    assert (cp.place, cp.starts_at, cp.self_sign_in) == ("国交正门", later, False)
    audits = AuditLog.select().where(AuditLog.action.startswith("checkin.checkpoint.")).count()
    assert public.ensure_checkpoint(s.event, "outing-stop-7", "集合点名：集合", place="国交正门", starts_at=later,
                                    closes_at=later + timedelta(minutes=30), sort=100) is False
    assert AuditLog.select().where(AuditLog.action.startswith("checkin.checkpoint.")).count() == audits


def test_ensure_checkpoint_refuses_a_bad_key_or_window(app, factory):
    s = setup(factory)
    with pytest.raises(Invalid):
        public.ensure_checkpoint(s.event, "Bad Key", "x")
    with pytest.raises(Invalid) as caught:
        public.ensure_checkpoint(s.event, "stop-1", "集合", opens_at=s.event.starts_at,
                                 closes_at=s.event.starts_at - timedelta(minutes=1))
    assert "签到截止时间不能早于签到开始时间" in caught.value.errors["closes_at"]
    assert not Checkpoint.select().where(Checkpoint.key == "stop-1").exists()


def test_sign_in_by_hand_records_the_operator_once(app, factory):
    s = setup(factory)
    public.ensure_checkpoint(s.event, "gate", "集合点名：集合", starts_at=s.event.starts_at)
    first = public.sign_in_by_hand(s.event, "gate", s.registrations[0], reason="集合点名", account=s.organizer)
    assert first.ok and not first.already and first.status == "on_time"
    again = public.sign_in_by_hand(s.event, "gate", s.registrations[0].id, reason="集合点名", account=s.organizer)
    assert again.ok and again.already and again.at == first.at
    row = CheckIn.get(CheckIn.registration == s.registrations[0].id)
    assert (row.source, row.account_id, row.reason, row.kind) == ("manual", s.organizer.id, "集合点名", "in")
    assert public.attendance_status(s.event, s.members[0], "gate") == "on_time"
    assert public.attendance_status(s.event, s.members[0]) is None  # the main checkpoint is another one
    with pytest.raises(Invalid):
        public.sign_in_by_hand(s.event, "gate", s.registrations[1], reason=" ", account=s.organizer)
    s.registrations[2].status = "withdrawn"
    s.registrations[2].save()
    refused = public.sign_in_by_hand(s.event, "gate", s.registrations[2], reason="集合点名", account=s.organizer)
    assert not refused.ok and refused.result == "not_registered"
    other = factory.event(s.school["school"], title="别的活动")
    from core.models import Registration

    stranger = Registration.create(event=other, member=s.members[1])
    with pytest.raises(Invalid):
        public.sign_in_by_hand(s.event, "gate", stranger, reason="集合点名", account=s.organizer)

    public.undo_sign_in(s.event, "gate", s.registrations[0], reason="点错了人", account=s.organizer)
    assert not CheckIn.select().where(CheckIn.registration == s.registrations[0].id).exists()
    with pytest.raises(Refused):
        public.undo_sign_in(s.event, "gate", s.registrations[0], reason="点错了人", account=s.organizer)


def test_remove_checkpoint_keeps_recorded_attendance(app, factory):
    s = setup(factory)
    public.ensure_checkpoint(s.event, "empty", "无人签到")
    public.ensure_checkpoint(s.event, "used", "已有签到")
    public.sign_in_by_hand(s.event, "used", s.registrations[0], reason="集合点名", account=s.organizer)
    assert public.remove_checkpoint(s.event, "empty", account=s.organizer) is True
    assert public.remove_checkpoint(s.event, "empty") is False
    with pytest.raises(Refused) as caught:
        public.remove_checkpoint(s.event, "used")
    assert "已有签到" in caught.value.message and "已有人签到" in caught.value.message
    assert CheckIn.select().where(CheckIn.registration == s.registrations[0].id).exists()
    public.checkpoint_keys(s.event)  # makes the main checkpoint
    with pytest.raises(Refused):
        public.remove_checkpoint(s.event, "main")
    assert [k for k, _name in public.checkpoint_keys(s.event)] == ["main", "used"]
