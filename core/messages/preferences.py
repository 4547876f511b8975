"""A member's choice of channels and his mail address."""

from __future__ import annotations

from core.db import db
from core.errors import Invalid
from core.messages.channels import person_channels
from core.messages.models import MessagePreference
from core.models import Member
from core.timeutil import utcnow


def save(member: Member, *, email: str, channels: list[str]) -> MessagePreference:
    known = {c.name for c in person_channels()}
    unknown = [c for c in channels if c not in known]
    if unknown:
        raise Invalid(f"没有这种通知方式：{'、'.join(unknown)}")
    email = (email or "").strip()
    if "mail" in channels and not email:
        raise Invalid("选择邮件通知时请填写电子邮箱", {"email": "请填写电子邮箱"})
    with db.atomic():
        preference = MessagePreference.get_or_none(MessagePreference.member == member)
        if preference is None:
            preference = MessagePreference(member=member)
        preference.email = email
        preference.channels = sorted(set(channels))
        preference.updated_at = utcnow()
        preference.save()
    return preference
