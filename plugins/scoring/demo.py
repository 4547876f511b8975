"""Demo data: a small staff sports day (篇二) with three office teams, scored items and some results."""

from __future__ import annotations

from core.models import Entry, Item, Registration, Team
from plugins.scoring import public as scoring


def build(demo) -> None:
    """Add the sports day to the demo database, with a referee login for 定点投篮."""
    event = demo.create_event("general", None, title="教职工体育竞赛（成绩演示）", starts_at=demo.local(-1, 8, 30),
                              ends_at=demo.local(-1, 12, 0), venue="学校操场", status="running")
    teams = {}
    people = {}
    for member in demo.members:
        if not member.staff_no.startswith("T"):
            continue
        office = demo.office_of(member)
        if office not in teams:
            teams[office] = Team.create(event=event, name=office, unit=member.unit)
        if len(people.setdefault(office, [])) < 5:
            registration = Registration.create(event=event, member=member, team=teams[office])
            people[office].append((member, registration))
    tug = Item.create(event=event, name="拔河", kind="team", sort=1, per_team=10, min_women=2)
    relay = Item.create(event=event, name="迎面接力", kind="team", sort=2, per_team=10, min_women=2)
    shoot = Item.create(event=event, name="定点投篮", sort=3, per_team=5)
    for rows in people.values():
        for member, registration in rows:
            Entry.create(item=shoot, registration=registration, member=member, team=registration.team)
    scoring.configure_event(event, team_prizes=scoring.TEAM_PRIZES, unknown_attendance_on_time=True)
    scoring.configure_item(tug, measure="place", points=scoring.COLLECTIVE_POINTS)
    scoring.configure_item(relay, measure="time", points=scoring.COLLECTIVE_POINTS)
    scoring.configure_item(shoot, measure="count", points=scoring.INDIVIDUAL_POINTS, prizes=scoring.INDIVIDUAL_PRIZES,
                           tie_rule="first_to_reach", team_points=scoring.COLLECTIVE_POINTS)
    admin = demo.accounts["admin"]
    offices = list(teams)
    for place, office in enumerate(offices[::-1], start=1):
        scoring.enter_result(tug, team=teams[office], value=str(place), account=admin)
    for seconds, office in zip(("95.3", "92.8", "97.1"), offices, strict=False):
        scoring.enter_result(relay, team=teams[office], value=seconds, account=admin)
    for n, (member, _registration) in enumerate(r for rows in people.values() for r in rows):
        if n == 3:
            scoring.enter_result(shoot, member=member, status="foul", account=admin)
        else:
            scoring.enter_result(shoot, member=member, value=str(demo.rng.randrange(2, 10)),
                                 reached_at=demo.rng.randrange(5, 11), account=admin)
    referee = demo.add_login("referee", "裁判（定点投篮）", roles=[("referee", demo.school)])
    scoring.assign_judge(shoot, referee, role="referee")
