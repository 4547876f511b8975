"""Building blocks of the sports day tests: a school with offices of staff, events made from the presets
through the core's event service, registration and result entry through the JSON API."""

from __future__ import annotations

from types import SimpleNamespace

from core.models import Account, Member, Team
from core.services import registrations as reg_service
from tests.support import PASSWORD


def post(client, url, body, status=(200, 201)):
    response = client.post(url, json=body)
    assert response.status_code in ((status,) if isinstance(status, int) else status), \
        response.get_data(as_text=True)
    return response.get_json()


def login_client(app, username):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def school_with_offices(factory, offices=("二楼办公室", "三楼办公室", "行政办公室"), men=6, women=4, spare=2):
    """Offices (units) of ``men`` + ``women`` staff each, plus ``spare`` staff who will not compete.

    People are named by office letter and number: ``A1`` .. ``A10`` compete, ``A11``, ``A12`` are spare.
    """
    school = factory.school()
    units, people = {}, {}
    for letter, name in zip("ABCDEFGH", offices, strict=False):
        unit = factory.unit(name, school["school"])
        units[letter] = unit
        sexes = ["M"] * men + ["F"] * women + ["M"] * spare
        for number, gender in enumerate(sexes, start=1):
            code = f"{letter}{number}"
            people[code] = factory.member(unit, name=f"{name[:2]}{code}", gender=gender)
    return SimpleNamespace(school=school, units=units, people=people)


def account_for(factory, sd, code: str) -> Account:
    found = Account.get_or_none(Account.member == sd.people[code].id)
    return found or factory.account(f"u{code.lower()}", member=sd.people[code])


def set_teams(event, sd, captains: dict[str, str]) -> dict[str, Team]:
    """Give the preset's teams their office and captain (as the organizer does on the rules page)."""
    teams = {}
    for letter, unit in sd.units.items():
        team = Team.get(Team.event == event, Team.name == unit.name)
        captain = sd.people[captains[letter]] if letter in captains else None
        teams[letter] = reg_service.save_team(event, name=team.name, team=team, unit_ids=[unit.id], captain=captain)
    return teams


def key(member: Member) -> str:
    return f"m{member.id}"
