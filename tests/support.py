"""Helpers for tests: a factory of real rows, logging in through the real form, reading pages."""

from __future__ import annotations

import re
from datetime import date, timedelta

PASSWORD = "secret-pass-1"


class Factory:
    """Makes real rows through the real services (not mocks)."""

    def __init__(self, app):
        self.app = app
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def unit(self, name=None, parent=None, kind="department"):
        from core.models import Unit

        return Unit.create_child(name or f"单位{self._next()}", parent, kind=kind)

    def school(self):
        """A small union tree: 区总工会 → 实验中学工会 → two grade groups."""
        district = self.unit("区总工会", None, "district")
        school = self.unit("实验中学工会", district, "grassroots")
        return {"district": district, "school": school, "g1": self.unit("初一年级组", school),
                "g2": self.unit("初二年级组", school)}

    def member(self, unit, name=None, gender="M", **fields):
        from core.models import Member

        n = self._next()
        member = Member(name=name or f"会员{n}", gender=gender, staff_no=fields.pop("staff_no", f"S{n:05d}"),
                        unit=unit, phone=fields.pop("phone", f"139{n:08d}"),
                        dues_paid_until=fields.pop("dues_paid_until", date(2099, 12, 31)), **fields)
        member.save()
        return member

    def account(self, username=None, *, member=None, roles=()):
        from core.services.accounts import create_account

        return create_account(username or f"user{self._next()}", PASSWORD, member=member, roles=roles)

    def event(self, unit, *, activity_type="general", preset=None, title=None, status="published",
              starts_in_days=7, hours=4, **fields):
        from core.models import Event
        from core.services.events import create_event
        from core.timeutil import utcnow

        start = fields.pop("starts_at", None) or (utcnow().replace(microsecond=0) + timedelta(days=starts_in_days))
        end = fields.pop("ends_at", None) or start + timedelta(hours=hours)
        with self.app.test_request_context():
            event = create_event(activity_type_key=activity_type, preset_key=preset,
                                 data={"title": title or f"活动{self._next()}", "unit": unit,
                                       "starts_at": start, "ends_at": end, **fields})
        if status != "draft":
            Event.update(status=status).where(Event.id == event.id).execute()
            event = Event.get_by_id(event.id)
        return event


def login(client, username, password=PASSWORD):
    """Log ``client`` in through the real login form."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.data.decode()[:500]
    return client


def text_of(response) -> str:
    """The visible text of an HTML response, tags stripped, whitespace folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
