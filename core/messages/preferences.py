"""A member's choice of channels and his mail address, and proving that address his.

A changed address is unverified until its owner opens the link mailed to it (signed, valid three days,
bound to the member and to that very address). Only a verified address receives a password-reset link,
so that whoever once typed somebody else's address cannot take his account through it.
"""

from __future__ import annotations

import hashlib
import time

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from core.db import db
from core.errors import Invalid
from core.messages.channels import person_channels
from core.messages.models import MessagePreference
from core.models import Member
from core.services import audit
from core.timeutil import utcnow

VERIFY_FOR = 3 * 24 * 3600  # seconds a verification link works
RESEND_EVERY = 3600  # one verification mail per address and hour, however often it is asked for


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
        changed = email.lower() != (preference.email or "").lower()
        preference.email = email
        if changed:
            preference.email_verified_at = None
        preference.channels = sorted(set(channels))
        preference.updated_at = utcnow()
        preference.save()
        if changed and email:
            ask_to_verify(member, preference)
    return preference


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="huodong-verify-email")


def mail_available() -> bool:
    return any(c.name == "mail" for c in person_channels())


def ask_to_verify(member: Member, preference: MessagePreference) -> bool:
    """Mail a verification link to the member's address (once an hour at most); whether one was queued."""
    from core.messages.outbox import link_to, send

    if not preference.email or preference.email_verified_at is not None or not mail_available():
        return False
    token = _serializer().dumps([member.id, preference.email])
    digest = hashlib.sha256(preference.email.lower().encode()).hexdigest()[:16]
    hour = int(time.time()) // RESEND_EVERY
    return send(member, "account.verify_email", {"url": link_to("messages.verify_email", token=token)},
                dedupe=f"verify-email:{member.id}:{digest}:{hour}", link="", group=False,
                to={"mail": preference.email}) is not None


def confirm(token: str) -> MessagePreference:
    """Mark the address a verification link was sent to as verified; :class:`Invalid` when the link is
    forged, expired, or the member has since changed his address."""
    try:
        member_id, email = _serializer().loads(token, max_age=VERIFY_FOR)
    except SignatureExpired:
        raise Invalid(_("验证链接已过期，请在“我的账号”中重新发送")) from None
    except (BadSignature, ValueError, TypeError):
        raise Invalid(_("验证链接无效")) from None
    preference = MessagePreference.get_or_none(MessagePreference.member == member_id)
    if preference is None or preference.email.lower() != str(email).lower():
        raise Invalid(_("该邮箱已不是账号中填写的邮箱，请在“我的账号”中重新发送验证邮件"))
    if preference.email_verified_at is None:
        with db.atomic():
            MessagePreference.update(email_verified_at=utcnow()).where(
                MessagePreference.id == preference.id, MessagePreference.email == preference.email).execute()
            audit.record("account.email.verified", preference.member, after={"email": preference.email})
        preference = MessagePreference.get_by_id(preference.id)
    return preference


def verified_email(member_id: int) -> str | None:
    """The member's mail address if he has verified it."""
    preference = MessagePreference.get_or_none(MessagePreference.member == member_id)
    if preference is None or not preference.email or preference.email_verified_at is None:
        return None
    return preference.email
