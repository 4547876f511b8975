"""Shared set-up for the outing tests: a school with two departments and an organizer."""

from __future__ import annotations

from core.services.accounts import issue_token


def outing(factory, preset, **fields):
    school = factory.school()
    organizer = factory.account("organizer1", member=factory.member(school["school"], "组织者"),
                                roles=[("organizer", school["school"])])
    event = factory.event(school["school"], activity_type="outing", preset=preset, starts_in_days=10, hours=8,
                          **fields)
    return school, organizer, event


def bearer(account) -> dict:
    return {"Authorization": f"Bearer {issue_token(account)}"}


def register(client, event, member, headers, guests=(), extra=None):
    body = {"member_id": member.id, "guests": list(guests)}
    if extra:
        body["extra"] = extra
    return client.post(f"/api/v1/events/{event.id}/registrations", json=body, headers=headers)
