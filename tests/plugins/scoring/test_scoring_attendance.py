"""Attendance for payouts comes from the sign-in plugins, in one batch where they can answer so."""

import sys

from core import hookimpl
from plugins.scoring import tally
from plugins.scoring.payout import Person

CALLS = {"many": 0, "one": 0}


@hookimpl
def huodong_attendance_many(event, member_ids, checkpoint):
    CALLS["many"] += 1
    return {mid: ("late" if i == 0 else "on_time") for i, mid in enumerate(sorted(member_ids))}


@hookimpl
def huodong_attendance(event, member, checkpoint):
    CALLS["one"] += 1
    return "absent"


def _people(factory):
    school = factory.school()
    event = factory.event(school["school"])
    a, b = factory.member(school["g1"]), factory.member(school["g1"])
    return event, [Person(f"m{a.id}", a.name), Person(f"m{b.id}", b.name)]


def test_hook_attendance_many(app, make_app):
    batch_app = make_app(extra_plugins=[("batch_attendance", sys.modules[__name__])])
    with batch_app.app_context(), batch_app.test_request_context():
        from tests.support import Factory

        event, people = _people(Factory(batch_app))
        CALLS.update(many=0, one=0)
        answers = tally.attendance_of(event, people, unknown_on_time=False)
    assert answers == {people[0].id: "late", people[1].id: "on_time"}
    assert CALLS == {"many": 1, "one": 0}


def test_without_a_batch_answer_each_member_is_asked(app, make_app):
    module = type(sys)("one_by_one")
    module.huodong_attendance = huodong_attendance
    single_app = make_app(extra_plugins=[("one_by_one", module)])
    with single_app.app_context(), single_app.test_request_context():
        from core.models import Registration
        from tests.support import Factory

        event, people = _people(Factory(single_app))
        for person in people:
            Registration.create(event=event, member=int(person.id[1:]))
        CALLS.update(many=0, one=0)
        answers = tally.attendance_of(event, people, unknown_on_time=False)
    assert set(answers.values()) == {"absent"} and CALLS["one"] == 2
