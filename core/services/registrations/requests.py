"""What one registration asks for, as the views, the API and an uploaded 报名表 hand it to the operations."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import Member, Team


@dataclass
class GuestData:
    """A family member as submitted."""

    name: str
    relation: str = ""
    gender: str = ""
    is_child: bool = False


@dataclass
class Request:
    """What one registration asks for. ``items`` are item ids; ``team`` a Team or ``None`` (automatic)."""

    member: Member
    items: list[int] = field(default_factory=list)
    team: Team | None = None
    guests: list[GuestData] | None = None  # None: keep the family members already there
    extra: dict = field(default_factory=dict)
