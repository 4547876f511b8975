"""Registrations in the permissions matrix (core/views/registrations.py and core/api/registrations.py).

Two events of 实验中学工会: ``reg_event`` holds the registrations of 李四光 (the participant, 初二年级组)
and of 王五 (初一年级组, the department of ``dept_head_other``); ``open_event`` is where people register.

- a member registers and withdraws himself; he sees his own registrations only ("mine");
- a department head registers, edits and withdraws his own department's people, not another
  department's, and sees his department's part of an event's list;
- only organizers of the event's unit or above (and admins) record payments, promote the waiting
  list and edit the rules; an organizer of another school has no say over this school's events, not
  even through his own members.
"""

from __future__ import annotations

from tests.permissions import LOGGED_IN, SCHOOL_MEMBERS, allow

MANAGERS = {"organizer", "admin"}
HEAD = MANAGERS | {"dept_head_other"}


def setup(world):
    from core.models import Registration

    f = world.factory
    world.reg_event = f.event(world.school, title="教职工气排球赛")
    world.open_event = f.event(world.school, title="“三八”妇女节插花活动")
    world.g1_member = f.member(world.g1, name="王五", gender="F")
    world.own_reg = Registration.create(event=world.reg_event, member=world.member)
    world.g1_reg = Registration.create(event=world.reg_event, member=world.g1_member)


RULES = {
    # one's own
    "GET /registrations/mine": [allow(LOGGED_IN)],
    "GET /api/v1/registrations/mine": [allow(LOGGED_IN)],
    "POST /events/<int:event_id>/register": [allow(SCHOOL_MEMBERS, event_id="$open_event")],
    # only who has a registration there withdraws it
    "POST /events/<int:event_id>/withdraw": [allow({"participant"}, event_id="$reg_event")],
    "POST /api/v1/events/<int:event_id>/registrations": [
        allow({"participant", *MANAGERS}, event_id="$open_event", json={"member_id": "$member"}),
        allow(HEAD, event_id="$open_event", json={"member_id": "$g1_member", "items": []}),
    ],
    "POST /api/v1/registrations/<int:registration_id>/withdraw": [
        allow({"participant", *MANAGERS}, registration_id="$own_reg", json={}),
        allow(HEAD, registration_id="$g1_reg", json={"reason": "临时出差"}),
    ],
    # a department head's batch page, its 报名表 template and upload
    "GET /events/<int:event_id>/department": [allow(HEAD, event_id="$open_event")],
    "GET /events/<int:event_id>/department/template.xlsx": [allow(HEAD, event_id="$open_event")],
    "POST /events/<int:event_id>/department": [allow(HEAD, event_id="$open_event", data={"reason": ""})],
    # no file: the page says which file to choose (422)
    "POST /events/<int:event_id>/department/upload": [allow(HEAD, event_id="$open_event")],
    # the list: organizers see everyone, a department head his department
    "GET /events/<int:event_id>/registrations": [allow(HEAD, event_id="$reg_event")],
    "GET /api/v1/events/<int:event_id>/registrations": [allow(HEAD, event_id="$reg_event")],
    "GET /events/<int:event_id>/registrations/<int:registration_id>/edit": [
        allow(MANAGERS, event_id="$reg_event", registration_id="$own_reg"),
        allow(HEAD, event_id="$reg_event", registration_id="$g1_reg"),
    ],
    "POST /events/<int:event_id>/registrations/<int:registration_id>/edit": [
        allow(MANAGERS, event_id="$reg_event", registration_id="$own_reg", data={"reason": "更正项目"}),
        allow(HEAD, event_id="$reg_event", registration_id="$g1_reg", data={"reason": "更正项目"}),
    ],
    "POST /events/<int:event_id>/registrations/<int:registration_id>/withdraw": [
        allow(MANAGERS, event_id="$reg_event", registration_id="$own_reg", data={"reason": "临时出差"}),
        allow(HEAD, event_id="$reg_event", registration_id="$g1_reg", data={"reason": "临时出差"}),
    ],
    # organizers only
    "POST /events/<int:event_id>/registrations/<int:registration_id>/payment": [
        allow(MANAGERS, event_id="$reg_event", registration_id="$own_reg", data={"payment_status": "paid"}),
    ],
    "POST /events/<int:event_id>/registrations/promote": [allow(MANAGERS, event_id="$reg_event")],
    "GET /events/<int:event_id>/rules": [allow(MANAGERS, event_id="$reg_event")],
    "POST /events/<int:event_id>/rules": [allow(MANAGERS, event_id="$open_event", data={"waitlist": "1"})],
}
