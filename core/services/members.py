"""Members: adding and changing them, with the checks every path (form, API, import) shares."""

from __future__ import annotations

from flask_babel import gettext as _

from core import privacy
from core.db import db
from core.errors import Invalid
from core.models import Member, Unit
from core.services import audit

AUDITED = ("name", "gender", "phone", "staff_no", "unit_id", "job", "dues_paid_until")


def _snapshot(member: Member) -> dict:
    data = {k: getattr(member, k) for k in AUDITED}
    data["id_number"] = member.masked_id
    return data


def validate_member(data: dict, existing: Member | None = None) -> dict:
    """Check and normalise member data; raise :class:`Invalid` with per-field messages."""
    errors = {}
    clean = {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in data.items()}
    data = clean
    clean = dict(data)
    clean["name"] = (data.get("name") or "").strip()
    clean["staff_no"] = str(data.get("staff_no") or "").strip()
    if not clean["name"]:
        errors["name"] = _("请填写姓名")
    if not clean["staff_no"]:
        errors["staff_no"] = _("请填写工号")
    elif (Member.select().where(Member.staff_no == clean["staff_no"],
                                Member.id != (existing.id if existing else 0)).exists()):
        errors["staff_no"] = _("工号 %(no)s 已被其他会员使用", no=clean["staff_no"])
    if data.get("gender") not in ("M", "F"):
        errors["gender"] = _("性别应为男或女")
    if "phone" in data or existing is None:
        phone = (data.get("phone") or "").strip()
        if phone and not privacy.is_valid_phone(phone):
            errors["phone"] = _("手机号应为11位数字，以1开头")
        clean["phone"] = phone or None
    if "id_number" in data:
        raw = (data.get("id_number") or "").strip()
        if raw:
            try:
                clean["id_number"] = privacy.normalize_id_number(raw)
            except privacy.InvalidIdNumber as exc:
                errors["id_number"] = _(str(exc))
            else:
                clash = Member.select().where(Member.id_hash == privacy.keyed_hash(clean["id_number"]),
                                              Member.id != (existing.id if existing else 0))
                if clash.exists():
                    errors["id_number"] = _("该身份证号已属于另一位会员")
        else:
            clean["id_number"] = None
    unit = data.get("unit")
    if isinstance(unit, int):
        unit = Unit.get_or_none(Unit.id == unit)
    if unit is None:
        errors["unit"] = _("请选择所在单位")
    clean["unit"] = unit
    if errors:
        raise Invalid(_("会员信息有误"), errors)
    return clean


def save_member(member: Member | None, data: dict, account=None) -> Member:
    clean = validate_member(data, member)
    before = _snapshot(member) if member else None
    with db.atomic():
        if member is None:
            member = Member(staff_no=clean["staff_no"], name=clean["name"], gender=clean["gender"],
                            unit=clean["unit"])
        for key in ("name", "gender", "staff_no", "unit", "phone", "job", "dues_paid_until"):
            if key in clean and (clean[key] is not None or key == "phone"):
                setattr(member, key, clean.get(key) if key != "job" else (clean.get("job") or ""))
        if "id_number" in clean:
            member.set_id_number(clean["id_number"])
        member.save()
        audit.record("member.update" if before else "member.create", member, before=before,
                     after=_snapshot(member), account=account)
    return member
