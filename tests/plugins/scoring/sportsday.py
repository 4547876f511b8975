"""The seed's staff sports day (篇二) built in the database for the plugin's tests.

Same people, draws, games and baskets as the engine's hand-worked test
(test_scoring_seed_sports_day.py), so the figures there hold here too.
"""

from __future__ import annotations

from types import SimpleNamespace

from core.models import Entry, Item, Registration, Team
from plugins.scoring import public as scoring

OFFICES = ("二楼办公室", "三楼办公室", "行政办公室")
PEOPLE = {
    "A": [("A1", "张伟", "M"), ("A2", "王芳", "F"), ("A3", "李娜", "F"), ("A4", "刘强", "M"), ("A5", "陈静", "F")],
    "B": [("B1", "杨洋", "M"), ("B2", "赵敏", "F"), ("B3", "黄磊", "M"), ("B4", "周杰", "M"), ("B5", "吴丹", "F")],
    "C": [("C1", "徐明", "M"), ("C2", "孙丽", "F"), ("C3", "马超", "M"), ("C4", "朱琳", "F"), ("C5", "胡军", "M"),
          ("C6", "林涛", "M")],
}
TT_PLAYERS = ["A1", "B1", "C1", "A2", "B2", "C2", "A3", "B3", "C3"]
BAD_PLAYERS = ["A4", "B4", "C4", "A5", "B5", "C5", "A3", "B3", "C3"]
SHOOTERS = ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "B5", "C1", "C2", "C3", "C4", "C5"]

TT_NUMBERS = {"A1": 1, "B1": 3, "C1": 4, "A2": 5, "B2": 7, "C2": 9, "A3": 11, "B3": 13, "C3": 15}
TT_GAMES = {
    (1, 2): [(11, 5), (11, 7)], (2, 1): [(11, 9), (8, 11), (11, 6)], (2, 2): [(7, 11), (9, 11)],
    (2, 3): [(11, 4), (11, 8)], (2, 4): [(5, 11), (12, 14)], (3, 1): [(11, 3), (11, 2)],
    (3, 2): [(9, 11), (11, 7), (8, 11)], (4, 1): [(6, 11), (11, 13)],
}
BAD_NUMBERS = {"A4": 1, "B4": 3, "C4": 4, "A5": 5, "B5": 7, "C5": 9, "A3": 11, "B3": 13, "C3": 15}
BAD_GAMES = {
    (1, 2): [(15, 21), (18, 21)], (2, 1): [(21, 19), (21, 17)], (2, 2): [(10, 21), (12, 21)],
    (2, 3): [(21, 11), (30, 29)], (2, 4): [(21, 19), (23, 21)], (3, 1): [(17, 21), (21, 18), (20, 22)],
    (3, 2): [(21, 16), (21, 14)], (4, 1): [(21, 15), (21, 19)], (4, 2): [(21, 12), (21, 13)],
}
SHOTS = {
    "A1": (6, 9), "A2": (4, 7), "A3": (7, 10), "A4": (3, 8), "A5": (5, 9),
    "B1": (7, 8), "B2": (5, 10), "B3": (2, 6), "B4": (6, 10), "B5": (4, 9),
    "C1": (8, 10), "C2": (3, 5), "C3": (5, 8), "C5": (6, 9),
}  # fmt: skip
ATTENDANCE = {"A2": "late", "B4": "early_leave", "C6": "absent"}


def build(factory):
    """Units, teams, people, registrations, items and their scoring; returns a namespace."""
    school = factory.school()
    offices = [factory.unit(name, school["school"]) for name in OFFICES]
    event = factory.event(school["school"], activity_type="general", title="教职工体育竞赛", status="running")
    teams, people, regs = {}, {}, {}
    for letter, office in zip("ABC", offices, strict=True):
        teams[letter] = Team.create(event=event, name=office.name, unit=office)
        for code, name, gender in PEOPLE[letter]:
            member = factory.member(office, name=name, gender=gender)
            people[code] = member
            regs[code] = Registration.create(event=event, member=member, team=teams[letter])
    items = {
        "tug": Item.create(event=event, name="拔河", kind="team", sort=1, per_team=10, min_women=2),
        "relay": Item.create(event=event, name="迎面接力", kind="team", sort=2, per_team=10, min_women=2),
        "tt": Item.create(event=event, name="乒乓球单打", sort=3, per_team=3),
        "bad": Item.create(event=event, name="羽毛球单打", sort=4, per_team=3),
        "shoot": Item.create(event=event, name="定点投篮", sort=5, per_team=5),
    }
    for key, codes in (("tt", TT_PLAYERS), ("bad", BAD_PLAYERS), ("shoot", SHOOTERS)):
        for code in codes:
            Entry.create(item=items[key], registration=regs[code], member=people[code],
                         team=regs[code].team)
    scoring.configure_event(event, team_prizes=scoring.TEAM_PRIZES, participation_amount="50")
    scoring.configure_item(items["tug"], measure="place", points=scoring.COLLECTIVE_POINTS)
    scoring.configure_item(items["relay"], measure="time", points=scoring.COLLECTIVE_POINTS)
    scoring.configure_item(items["tt"], measure="match", points=scoring.INDIVIDUAL_POINTS,
                           prizes=scoring.INDIVIDUAL_PRIZES, game_rule="table_tennis")
    scoring.configure_item(items["bad"], measure="match", points=scoring.INDIVIDUAL_POINTS,
                           prizes=scoring.INDIVIDUAL_PRIZES, game_rule="badminton", third_place="match")
    scoring.configure_item(items["shoot"], measure="count", points=scoring.INDIVIDUAL_POINTS,
                           prizes=scoring.INDIVIDUAL_PRIZES, tie_rule="first_to_reach",
                           team_points=scoring.COLLECTIVE_POINTS)
    return SimpleNamespace(school=school, offices=offices, event=event, teams=teams, people=people, items=items,
                           regs=regs)


def key(sd, code: str) -> str:
    """The entrant key of a person (``A1``) or a team (``A``)."""
    return f"t{sd.teams[code].id}" if len(code) == 1 else f"m{sd.people[code].id}"
