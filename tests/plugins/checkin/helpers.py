"""Rows the sign-in tests share: a school, an event at 8:30 with sign-in from 8:00, registrations,
and a scanning account with an API token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.models import Event, Registration
from core.timeutil import from_local, utcnow


@dataclass
class Setup:
    school: dict
    event: Event
    registrations: list[Registration]
    organizer: object
    token: str
    headers: dict = field(default_factory=dict)

    @property
    def members(self):
        return [r.member for r in self.registrations]


def local(day: datetime, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """Beijing wall-clock ``hour:minute`` on ``day``'s date, as stored (naive UTC)."""
    return from_local(datetime(day.year, day.month, day.day, hour, minute, second))


def event_now(factory, school, *, title="全体教职工大会", status="published", start_offset=timedelta(minutes=10),
              hours=3, **fields) -> Event:
    """An event starting shortly after now (its sign-in window open)."""
    start = utcnow().replace(microsecond=0) + start_offset
    return factory.event(school["school"], title=title, status=status, starts_at=start,
                         ends_at=start + timedelta(hours=hours), **fields)


def register(event, members, status="active", team=None) -> list[Registration]:
    return [Registration.create(event=event, member=m, status=status, team=team) for m in members]


def setup(factory, *, people=4, event=None, school=None) -> Setup:
    from core.services.accounts import issue_token

    school = school or factory.school()
    event = event or event_now(factory, school)
    members = [factory.member(school["g1" if i % 2 == 0 else "g2"], name=f"教师{i + 1}") for i in range(people)]
    registrations = register(event, members)
    organizer = factory.account("organizer", roles=[("organizer", school["school"])])
    token = issue_token(organizer, "scanner")
    return Setup(school=school, event=event, registrations=registrations, organizer=organizer, token=token,
                 headers={"Authorization": f"Bearer {token}"})


def code_of(registration) -> str:
    from plugins.checkin.public import personal_code

    return personal_code(registration)


def scan(client, setup: Setup, code=None, **body):
    """Scan as the setup's scanner. A scan with its own ``scanned_at`` comes from a device that
    downloaded its offline list the day before (its ``list_token``), so that its time is trusted."""
    payload = {"event_id": setup.event.id, **body}
    if code is not None:
        payload["code"] = code
    if "scanned_at" in body and "list_token" not in body:
        payload["list_token"] = list_token_of(setup.event, body.get("checkpoint"),
                                              setup.event.starts_at - timedelta(days=1))
    return client.post("/api/v1/checkins", json=payload, headers=setup.headers)


def list_token_of(event, checkpoint_key, downloaded_at) -> str:
    """The token a scanner got with the offline list of a checkpoint downloaded at ``downloaded_at``."""
    from plugins.checkin import checkpoints, tokens

    return tokens.list_token(checkpoints.info(event.id, checkpoint_key).id, downloaded_at)
