"""The teacher skills contest's routes in the permissions matrix.

Its roles: ``contest_judge``, on the panels of 粉笔字 and 钢笔字 of the contest (a judge grant over the
contest only, a login without a member). The participant of the core world has entered both items and handed in his 钢笔字,
which is in judging. A second judge (``spare_judge``, no role in the matrix) is there for the
organizer to take off the panel. POST bodies are empty or refused by the workflow (409/422), so that
checking access changes nothing the other cases rely on.
"""

from __future__ import annotations

import io

from tests.permissions import EVERYONE, LOGGED_IN, allow

MANAGERS = {"organizer", "admin"}


def setup(world):
    from core.services import registrations as service
    from plugins.skills_contest import submissions
    from plugins.skills_contest.items import add_judge, contest_item, contest_items, move_phase

    f = world.factory
    with f.app.test_request_context():
        world.contest = f.event(world.school, activity_type="skills_contest", preset="teacher_skills",
                                title="教师基本功大赛")
        items = {ci.item.name: ci.item for ci in contest_items(world.contest)}
        world.contest_chalk, world.contest_pen = items["粉笔字"], items["钢笔字"]
        service.register(world.contest, service.Request(member=world.member, items=[world.contest_chalk.id, world.contest_pen.id]),
                         account=world.accounts["admin"])
        judge = f.account("contest_judge")  # no member: like the core's organizers, he has no personal calendar
        world.spare_judge = f.account("contest_spare_judge", member=f.member(world.g1, name="评委乙"))
        for item in (world.contest_chalk, world.contest_pen):
            add_judge(item, judge)
        add_judge(world.contest_chalk, world.spare_judge)
        world.add_role("contest_judge", judge)
        move_phase(world.contest_chalk, "session")
        move_phase(world.contest_pen, "submission")
        world.submission = submissions.submit(contest_item(world.contest_pen), world.member,
                                              upload=submissions.Upload("钢笔字.pdf", io.BytesIO(b"%PDF-1.4 pen")))
        move_phase(world.contest_pen, "judging")


RULES = {
    "GET /contest/events/<int:event_id>": [allow(EVERYONE, event_id="$contest")],
    "GET /contest/events/<int:event_id>/items/new": [allow(MANAGERS, event_id="$contest")],
    "POST /contest/events/<int:event_id>/items/new": [allow(MANAGERS, event_id="$contest")],
    "GET /contest/items/<int:item_id>/edit": [allow(MANAGERS, item_id="$contest_chalk")],
    "POST /contest/items/<int:item_id>/edit": [allow(MANAGERS, item_id="$contest_chalk")],
    "GET /contest/items/<int:item_id>": [allow(EVERYONE, item_id="$contest_chalk")],
    "POST /contest/items/<int:item_id>/phase": [allow(MANAGERS, item_id="$contest_chalk")],
    "POST /contest/items/<int:item_id>/lock": [allow(MANAGERS, item_id="$contest_chalk")],
    "POST /contest/items/<int:item_id>/submit": [allow(LOGGED_IN, item_id="$contest_chalk")],
    "GET /contest/submissions/<int:submission_id>/file": [
        allow(MANAGERS | {"participant", "contest_judge"}, submission_id="$submission"),
    ],
    "GET /contest/items/<int:item_id>/judges": [allow(MANAGERS, item_id="$contest_chalk")],
    "POST /contest/items/<int:item_id>/judges": [allow(MANAGERS, item_id="$contest_chalk")],
    "POST /contest/items/<int:item_id>/judges/<int:account_id>/remove": [
        allow(MANAGERS, item_id="$contest_chalk", account_id="$spare_judge"),
    ],
    "GET /contest/items/<int:item_id>/judge": [allow({"contest_judge"}, item_id="$contest_chalk")],
    "GET /contest/mine": [allow(LOGGED_IN)],
    "GET /contest/items/<int:item_id>/results": [allow(EVERYONE, item_id="$contest_chalk")],
    "GET /contest/events/<int:event_id>/certificates": [allow(MANAGERS, event_id="$contest")],
    "GET /contest/events/<int:event_id>/prizes.xlsx": [allow(MANAGERS, event_id="$contest")],
    "GET /api/v1/contest/events/<int:event_id>/items": [allow(EVERYONE, event_id="$contest")],
    # Not an adjacent phase, and nothing to lock yet: 409 for whoever may ask.
    "POST /api/v1/contest/items/<int:item_id>/phase": [allow(MANAGERS, item_id="$contest_chalk", json={"phase": "published"})],
    "POST /api/v1/contest/items/<int:item_id>/lock": [allow(MANAGERS, item_id="$contest_chalk", json={})],
    # 粉笔字 is written on site: handing something in is refused with 422 for every logged-in user.
    "POST /api/v1/contest/items/<int:item_id>/submission": [
        allow(LOGGED_IN, item_id="$contest_chalk", json={"url": "https://pan.example.cn/s/abc"}),
    ],
    "POST /api/v1/contest/items/<int:item_id>/submission/file": [allow(LOGGED_IN, item_id="$contest_chalk")],
    "GET /api/v1/contest/items/<int:item_id>/results": [allow(EVERYONE, item_id="$contest_chalk")],
    "GET /api/v1/contest/items/<int:item_id>/distances": [allow(MANAGERS, item_id="$contest_chalk")],
}
