"""Sign-in (签到) in the permissions matrix.

A general meeting of 实验中学工会 starting in ten minutes (its sign-in window open), with the
participant and the head of 初一年级组 registered. Roles of its own:
- ``volunteer``: named by the organizer to scan at this event (a ``volunteer`` grant over it);
- ``volunteer_other_event``: a volunteer of another event (工会会员代表大会) only;
- ``referee``: a referee of this event.

Organizers, referees and volunteers of the event scan and see who is in; only its organizers manage
checkpoints, manual sign-ins, codes and volunteers; a participant sees his own QR only; the venue
screen is for those who scan; self sign-in from the venue code is public (the code is the key).
"""

from __future__ import annotations

from datetime import timedelta

from tests.permissions import EVERYONE, allow

ORGANIZERS = {"organizer", "admin"}
SCANNERS = ORGANIZERS | {"volunteer", "referee"}


def setup(world):
    from core.models import Registration
    from core.timeutil import utcnow
    from plugins.checkin import checkpoints, selfservice

    f = world.factory
    start = utcnow().replace(microsecond=0) + timedelta(minutes=10)
    world.checkin_event = f.event(world.school, title="全体教职工大会", starts_at=start, ends_at=start + timedelta(hours=3))
    world.add_role("volunteer", f.account("volunteer", roles=[("volunteer", None, world.checkin_event)]))
    world.add_role("volunteer_other_event", f.account("volunteer_other", roles=[("volunteer", None, world.event)]))
    world.add_role("referee", f.account("referee", roles=[("referee", None, world.checkin_event)]))
    world.checkin_registration = Registration.create(event=world.checkin_event, member=world.member)
    head = world.accounts["dept_head_other"].member
    world.head_registration = Registration.create(event=world.checkin_event, member=head)
    world.recoded_registration = Registration.create(event=world.checkin_event, member=f.member(world.g1, name="王五"))
    world.gate = checkpoints.save(world.checkin_event, {"key": "gate", "name": "东门签到"})
    world.venue_code = selfservice.current_code(checkpoints.info(world.checkin_event.id))[0]
    world.new_volunteer = f.account("helper")
    from plugins.checkin.models import AttendanceRequest

    world.pending_request = AttendanceRequest.create(registration=world.recoded_registration, kind="leave",
                                                     checkpoint=checkpoints.ensure_main(world.checkin_event),
                                                     reason="带学生参加比赛")
    world.offline_scans = [{"registration_id": world.checkin_registration.id, "client_scan_id": "phone-1-0001",
                            "scanned_at": (utcnow() - timedelta(minutes=1)).isoformat() + "+00:00"}]


def _checkpoint_form(**extra):
    return {"name": "操场集合点", "place": "学校操场", "item": 0, "grace_minutes": 5, "rotate_seconds": 30,
            "self_sign_in": "y", **extra}


RULES = {
    # scanning and watching
    "GET /checkin/events/<int:event_id>/": [allow(SCANNERS, event_id="$checkin_event")],
    "GET /checkin/events/<int:event_id>/scan": [allow(SCANNERS, event_id="$checkin_event")],
    "GET /checkin/events/<int:event_id>/scan.webmanifest": [allow(SCANNERS, event_id="$checkin_event")],
    "GET /checkin/sw.js": [allow(EVERYONE)],
    "GET /checkin/static/<path:filename>": [allow(EVERYONE, filename="vendor/jsQR.min.js")],
    "GET /checkin/events/<int:event_id>/live": [allow(SCANNERS, event_id="$checkin_event")],
    "GET /checkin/events/<int:event_id>/sheet": [allow(SCANNERS, event_id="$checkin_event")],
    "GET /checkin/events/<int:event_id>/venue": [allow(SCANNERS, event_id="$checkin_event")],
    "GET /checkin/events/<int:event_id>/venue.json": [allow(SCANNERS, event_id="$checkin_event")],
    "GET /api/v1/events/<int:event_id>/attendance": [allow(SCANNERS, event_id="$checkin_event")],
    "GET /api/v1/events/<int:event_id>/checkin-list": [allow(SCANNERS, event_id="$checkin_event")],
    "POST /api/v1/checkins": [
        allow(SCANNERS, json={"event_id": "$checkin_event", "registration_id": "$checkin_registration"}),
    ],
    "POST /api/v1/checkins/batch": [
        allow(SCANNERS, json={"event_id": "$checkin_event", "checkpoint": "gate", "scans": "$offline_scans"}),
    ],
    # managing
    "GET /checkin/events/<int:event_id>/people": [allow(ORGANIZERS, event_id="$checkin_event")],
    "POST /checkin/events/<int:event_id>/checkpoints": [
        allow(ORGANIZERS, event_id="$checkin_event", data=_checkpoint_form(key="field")),
    ],
    "GET /checkin/events/<int:event_id>/checkpoints/<key>": [
        allow(ORGANIZERS, event_id="$checkin_event", key="gate"),
    ],
    "POST /checkin/events/<int:event_id>/checkpoints/<key>": [
        allow(ORGANIZERS, event_id="$checkin_event", key="gate", data=_checkpoint_form(name="东门签到处")),
    ],
    "POST /checkin/events/<int:event_id>/manual": [
        allow(ORGANIZERS, event_id="$checkin_event",
              data={"action": "excuse", "registration_id": "$head_registration", "reason": "外出培训"}),
    ],
    "POST /checkin/events/<int:event_id>/remind-missing": [allow(ORGANIZERS, event_id="$checkin_event")],
    "POST /checkin/events/<int:event_id>/volunteers": [
        allow(ORGANIZERS, event_id="$checkin_event", data={"username": "helper"}),
    ],
    "POST /checkin/registrations/<int:registration_id>/code": [
        allow(ORGANIZERS, registration_id="$recoded_registration", data={"action": "reissue", "reason": "手机丢失"}),
    ],
    # a participant's own QR; those who scan at the event see everyone's
    "GET /checkin/registrations/<int:registration_id>/qr.<fmt>": [
        allow(SCANNERS | {"participant"}, registration_id="$checkin_registration", fmt="svg"),
        allow(SCANNERS | {"dept_head_other"}, registration_id="$head_registration", fmt="png"),
    ],
    # a participant's own requests (请假 before, 补签 after); the organizer decides
    "POST /checkin/registrations/<int:registration_id>/requests": [
        allow({"participant"}, registration_id="$checkin_registration", data={"kind": "leave", "reason": "出差"}),
    ],
    "POST /checkin/requests/<int:request_id>/decide": [
        allow(ORGANIZERS, request_id="$pending_request", data={"action": "approve"}),
    ],
    # self sign-in from the venue screen's code
    "GET /checkin/v/<code>": [allow(EVERYONE, code="$venue_code")],
    "POST /checkin/v/<code>": [allow(EVERYONE, code="$venue_code")],
}
