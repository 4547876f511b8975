"""Finding members by what people type in a search box, each way by an index of its own.

A search text may be a whole staff number, a whole phone number, the start of a name (a surname,
a full name) or a part of a unit's name. Each is looked up on its own, through the unique index
of staff numbers, the index of phones, the name-prefix index (migration 020: ``text_pattern_ops``
on PostgreSQL, a plain index on SQLite) and the members of the units whose names match (units are
few); the answer is the union of the four. One ``OR`` over all of them, with the name matched
anywhere, left the database no index to use: 200–440 ms at 200,000 members.
"""

from __future__ import annotations

import peewee

from core.db import is_postgres
from core.models import Member, Unit

LAST_CHARACTER = "\U0010ffff"  # sorts after any character that can follow a prefix


def search(query, text: str):
    """``query`` (members) narrowed to those found by ``text`` (:func:`found_ids`)."""
    return query.where(Member.id.in_(found_ids(text)))


def found_ids(text: str):
    """A query of the ids of the members ``text`` finds: by staff number, phone, name prefix or unit."""
    text = text.strip()
    ways = [
        Member.select(Member.id).where(Member.staff_no == text),
        Member.select(Member.id).where(name_starts_with(text)),
        Member.select(Member.id).where(Member.unit.in_(Unit.select(Unit.id).where(Unit.name.contains(text)))),
    ]
    if text.isdigit():
        ways.append(Member.select(Member.id).where(Member.phone == text))
    union = ways[0]
    for way in ways[1:]:
        union = union | way
    return union


def name_starts_with(prefix: str) -> peewee.Expression:
    """Names beginning with ``prefix``, in a form the name-prefix index answers: ``LIKE 'prefix%'``
    on PostgreSQL (wildcards in the prefix escaped), a range of names on SQLite."""
    if is_postgres():
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return peewee.Expression(Member.name, "LIKE", escaped + "%")
    return (Member.name >= prefix) & (Member.name < prefix + LAST_CHARACTER)
