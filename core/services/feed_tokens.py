"""The secret URL of a member's personal calendar feed: issue it once, renew it, find its member."""

from __future__ import annotations

import secrets

from core.access import token_hash
from core.db import db
from core.models import FeedToken, Member
from core.timeutil import utcnow


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def feed_token(member: Member) -> str:
    """The member's current feed token, issued on first use.

    Two first requests at once both get the one token the database kept (unique member).
    """
    found = FeedToken.get_or_none(FeedToken.member == member.id)
    if found is not None:
        return found.token
    token = _new_token()
    FeedToken.insert(member=member.id, token_hash=token_hash(token), token=token,
                     created_at=utcnow()).on_conflict_ignore().execute()
    return FeedToken.get(FeedToken.member == member.id).token


def renew_token(member: Member) -> str:
    """Replace the member's feed token; the old URL stops working at once. Returns the new token."""
    token = _new_token()
    with db.atomic():
        changed = (FeedToken.update(token_hash=token_hash(token), token=token, created_at=utcnow())
                   .where(FeedToken.member == member.id).execute())
        if not changed:
            FeedToken.insert(member=member.id, token_hash=token_hash(token), token=token,
                             created_at=utcnow()).on_conflict_ignore().execute()
    return FeedToken.get(FeedToken.member == member.id).token


def member_for_token(token: str) -> Member | None:
    """The active member whose feed ``token`` is, or ``None``."""
    if not token or len(token) > 100:
        return None
    return (Member.select().join(FeedToken, on=(FeedToken.member == Member.id))
            .where(FeedToken.token_hash == token_hash(token), Member.is_active == True)  # noqa: E712
            .first())
