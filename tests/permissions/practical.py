"""我为群众办实事 (plugins/practical) in the permissions matrix.

实验中学工会 runs the programme: a project (职工子女暑期托管班) with a supervision check, the pledge of
its cadre 蒋亚诚 (工会主席), his grassroots day, and a volunteer team. One role of its own: ``cadre``,
蒋亚诚's account, on the school's roster of cadres and nothing more.

- the union's organizers (of the school or above) plan: projects, progress, checks, pledges and
  their assessment, cadres, volunteer teams;
- the members of the school (the participant, the head of 初一年级组, the cadre) read the project list,
  the projects, the published pledges and the volunteer teams; outsiders do not (404);
- supervision records, the grassroots days and the summary are for who holds ``practical.view``
  over the unit: the school's organizers, and the head of 初一年级组 for his own group's;
- a cadre logs his own grassroots days and reads them.
"""

from __future__ import annotations

from tests.permissions import LOGGED_IN, SCHOOL_MEMBERS, allow

MANAGERS = {"organizer", "admin"}
READERS = MANAGERS | SCHOOL_MEMBERS
G1_RECORDS = MANAGERS | {"dept_head_other"}  # practical.view over 初一年级组


def setup(world):
    from datetime import datetime

    from core.timeutil import from_local
    from plugins.practical import grassroots, pledges, projects, supervision, volunteers
    from plugins.practical.supervision import today

    f = world.factory
    day = today()
    world.year, world.month, world.today = day.year, day.month, day.isoformat()
    cadre_member = f.member(world.school, name="蒋亚诚", staff_no="Q001")
    world.add_role("cadre", f.account("cadre", member=cadre_member))
    world.cadre = grassroots.add_cadre(world.school, "Q001", "工会主席")
    world.project = projects.save_project(None, world.school, {"title": "职工子女暑期托管班", "year": day.year,
                                                                "target_people": "120"})
    world.check = supervision.add_check(world.project, {"checked_on": world.today, "checkers": "区总工会督查组",
                                                        "problems": "报名渠道单一", "follow_up_due": world.today})
    world.pledge = pledges.add_pledge(world.cadre, day.year, {"content": "每月走访一线职工不少于 2 次"})
    world.day = grassroots.log_day(world.cadre, {"role": "chairman", "on": world.today, "place": "初二年级组",
                                                 "discussed": "托管班报名"})
    world.team = volunteers.create_team(world.school, "实验中学教职工志愿服务队")
    world.linked_event = f.event(world.school, title="暑期托管班开班", starts_at=from_local(datetime(day.year, 7, 6, 9)))
    projects.link_event(world.project, world.linked_event)
    world.free_event = f.event(world.school, title="托管班结业展示", starts_at=from_local(datetime(day.year, 8, 20, 9)))
    world.participant_staff_no = world.member.staff_no


def _school(**values):
    return {"unit_id": "$school", **values}


def _year(**values):
    return _school(year="$year", **values)


RULES = {
    "GET /practical/": [allow(LOGGED_IN)],
    # what the school's members read
    "GET /practical/<int:unit_id>/<int:year>/": [allow(READERS, **_year())],
    "GET /practical/<int:unit_id>/<int:year>/pledges": [allow(READERS, **_year())],
    "GET /practical/projects/<int:project_id>": [allow(READERS, project_id="$project")],
    "GET /practical/<int:unit_id>/volunteers": [allow(READERS, **_school())],
    "GET /practical/teams/<int:team_id>": [allow(READERS, team_id="$team")],
    "GET /api/v1/practical/<int:unit_id>/<int:year>/projects": [allow(READERS, **_year())],
    "GET /api/v1/practical/projects/<int:project_id>": [allow(READERS, project_id="$project")],
    "GET /api/v1/practical/<int:unit_id>/<int:year>/pledges": [allow(READERS, **_year())],
    # records: practical.view over the unit (a cadre reads his own grassroots days on the page)
    "GET /practical/<int:unit_id>/cadres": [allow(MANAGERS, **_school()), allow(G1_RECORDS, unit_id="$g1")],
    "GET /practical/<int:unit_id>/days/": [allow(MANAGERS | {"cadre"}, **_school()),
                                           allow(G1_RECORDS, unit_id="$g1")],
    "GET /practical/<int:unit_id>/days/<int:year>/<int:month>": [
        allow(MANAGERS | {"cadre"}, **_year(month="$month")),
    ],
    "GET /practical/<int:unit_id>/<int:year>/summary": [allow(MANAGERS, **_year()),
                                                        allow(G1_RECORDS, unit_id="$g1", year="$year")],
    "GET /practical/<int:unit_id>/<int:year>/summary.xlsx": [allow(MANAGERS, **_year()),
                                                             allow(G1_RECORDS, unit_id="$g1", year="$year")],
    "GET /api/v1/practical/<int:unit_id>/days/<int:year>/<int:month>": [
        allow(MANAGERS, **_year(month="$month")),
        allow(G1_RECORDS, unit_id="$g1", year="$year", month="$month"),
    ],
    "GET /api/v1/practical/teams/<int:team_id>/hours": [allow(MANAGERS, team_id="$team")],
    "GET /api/v1/practical/<int:unit_id>/<int:year>/summary": [allow(MANAGERS, **_year()),
                                                               allow(G1_RECORDS, unit_id="$g1", year="$year")],
    # a cadre logs his own days; the organizers anybody's
    "POST /practical/<int:unit_id>/days": [
        allow(MANAGERS | {"cadre"}, **_school(), data={"cadre": "$cadre", "role": "worker", "on": "$today",
                                                       "place": "实验中学食堂", "discussed": "职工午餐"}),
    ],
    "POST /practical/days/<int:day_id>/follow-up": [
        allow(MANAGERS | {"cadre"}, day_id="$day", data={"follow_up": "托管班已增设线上报名"}),
    ],
    # planning: the organizers only
    "POST /practical/<int:unit_id>/<int:year>/projects": [
        allow(MANAGERS, **_year(), data={"title": "教职工健康体检", "target_people": "80"}),
    ],
    "POST /practical/projects/<int:project_id>/edit": [
        allow(MANAGERS, project_id="$project", data={"title": "职工子女暑期托管班", "year": "$year"}),
    ],
    "POST /practical/projects/<int:project_id>/entries": [
        allow(MANAGERS, project_id="$project", data={"on": "$today", "people": "36"}),
    ],
    "POST /api/v1/practical/projects/<int:project_id>/entries": [
        allow(MANAGERS, project_id="$project", json={"on": "$today", "people": 36, "money": "1800.00"}),
    ],
    "POST /practical/projects/<int:project_id>/events": [
        allow(MANAGERS, project_id="$project", data={"event": "$free_event"}),
    ],
    "POST /practical/projects/<int:project_id>/events/<int:event_id>/unlink": [
        allow(MANAGERS, project_id="$project", event_id="$linked_event"),
    ],
    "POST /practical/projects/<int:project_id>/checks": [
        allow(MANAGERS, project_id="$project", data={"checked_on": "$today", "checkers": "区总工会督查组"}),
    ],
    "POST /practical/checks/<int:check_id>/close": [
        allow(MANAGERS, check_id="$check", data={"follow_up_note": "已开通线上报名"}),
    ],
    "POST /practical/<int:unit_id>/<int:year>/pledges": [
        allow(MANAGERS, **_year(), data={"cadre": "$cadre", "content": "为一线职工办好一件实事"}),
    ],
    "POST /practical/pledges/<int:pledge_id>/assess": [
        allow(MANAGERS, pledge_id="$pledge", data={"outcome": "kept", "evidence": "全年走访 26 次，有记录"}),
    ],
    "POST /practical/<int:unit_id>/<int:year>/pledges/publish": [allow(MANAGERS, **_year(), data={"stage": "pledges"})],
    "POST /practical/<int:unit_id>/cadres": [
        allow(MANAGERS, **_school(), data={"staff_no": "$participant_staff_no", "position": "工会委员"}),
        allow(MANAGERS, unit_id="$g1", data={"staff_no": "$participant_staff_no", "position": "工会小组长"}),
    ],
    "POST /practical/<int:unit_id>/volunteers": [allow(MANAGERS, **_school(), data={"name": "爱心助学服务队"})],
    "POST /practical/teams/<int:team_id>": [allow(MANAGERS, team_id="$team", data={"staff_no": "$participant_staff_no"})],
}
