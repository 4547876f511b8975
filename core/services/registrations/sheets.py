"""The 报名表: the registrations exported as a sheet, the template a department head fills in, and
the filled-in sheet read back into requests."""

from __future__ import annotations

import io
from collections.abc import Sequence

from flask_babel import gettext as _
from openpyxl import Workbook

from core.errors import Invalid
from core.models import Event, Item, Member, Unit
from core.services.registrations.reading import (
    entries_by_registration,
    event_registrations,
    guests_by_registration,
    waitlist_rank,
)
from core.services.registrations.requests import Request
from core.timeutil import format_datetime
from core.xlsx import append, header_row, read_rows

SHEET_HEADERS = ["工号", "姓名", "项目", "队伍"]
SHEET_MAX_ROWS = 5000  # people in one department's 报名表; a bigger sheet is refused before it is held


def sheet(event: Event) -> tuple[list[str], list[list]]:
    """The 报名表 export: one row per registration (waiting list included)."""
    regs = list(event_registrations(event))
    entries, guests = entries_by_registration(regs), guests_by_registration(regs)
    headers = ["序号", "工号", "姓名", "性别", "单位", "队伍", "项目", "状态", "候补顺序", "家属", "费用合计",
               "工会承担", "个人承担", "缴费状态", "报名时间"]
    rows = []
    for number, reg in enumerate(regs, start=1):
        rows.append([
            number, reg.member.staff_no, reg.member.name, reg.member.gender_label, reg.member.unit.name,
            reg.team.name if reg.team else "", "、".join(i.name for i in entries.get(reg.id, [])), reg.status_label,
            waitlist_rank(reg) or "",
            "、".join(f"{g.name}（{g.relation}）" if g.relation else g.name for g in guests.get(reg.id, [])),
            reg.fee_total, reg.union_share, reg.member_share, reg.payment_label,
            format_datetime(reg.created_at, event.timezone),
        ])
    return headers, rows


def template_workbook(event: Event, members: Sequence[Member]) -> bytes:
    """The 报名表 template a department head fills in: one row per person; the second sheet lists his people."""
    wb = Workbook()
    ws = wb.active
    ws.title = "报名表"
    header_row(ws, SHEET_HEADERS)
    items = list(event.items.order_by(Item.sort, Item.id))
    info = wb.create_sheet("说明")
    append(info, [_("每行填写一人：工号、姓名；项目写项目名称，多个项目用“、”分隔；队伍可留空（按单位自动分队）。")])
    append(info, [_("可选项目"), "、".join(("★" if i.starred else "") + i.name for i in items)])
    append(info, [_("队伍"), "、".join(t.name for t in event.teams)])
    people = wb.create_sheet("名单")
    header_row(people, ["工号", "姓名", "性别", "单位"])
    for member in members:
        append(people, [member.staff_no, member.name, member.gender_label, member.unit.name])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _split(text) -> list[str]:
    if text is None:
        return []
    for sep in "，,;；/":
        text = str(text).replace(sep, "、")
    return [t.strip().lstrip("★") for t in str(text).split("、") if t.strip()]


def read_sheet(event: Event, data: bytes) -> list[tuple[str, Request]]:
    """Read an uploaded 报名表 into requests; raise :class:`Invalid` listing every bad row and why."""
    _headers, rows = read_rows(data, ["工号", "姓名", "项目"], max_rows=SHEET_MAX_ROWS)
    items = {i.name: i.id for i in event.items}
    items |= {i.code: i.id for i in event.items if i.code}
    teams = {t.name: t for t in event.teams}
    errors: dict[str, str] = {}
    requests: list[tuple[str, Request]] = []
    seen: dict[str, int] = {}
    if not rows:
        raise Invalid(_("表格中没有报名数据"))
    staff = {str(r.get("工号") or "").strip() for _n, r in rows}
    members = {m.staff_no: m for m in Member.select(Member, Unit).join(Unit).where(Member.staff_no.in_(staff))}
    for number, row in rows:
        label = _("第 %(n)s 行", n=number)
        problems = []
        staff_no = str(row.get("工号") or "").strip()
        if staff_no.endswith(".0"):
            staff_no = staff_no[:-2]
        name = str(row.get("姓名") or "").strip()
        member = members.get(staff_no)
        if not staff_no:
            problems.append(_("缺少工号"))
        elif member is None:
            problems.append(_("工号 %(no)s 不存在", no=staff_no))
        elif name and name != member.name:
            problems.append(_("工号 %(no)s 是%(real)s，不是%(name)s", no=staff_no, real=member.name, name=name))
        if staff_no in seen:
            problems.append(_("与第 %(n)s 行重复", n=seen[staff_no]))
        seen.setdefault(staff_no, number)
        chosen = []
        for item_name in _split(row.get("项目")):
            if item_name in items:
                chosen.append(items[item_name])
            else:
                problems.append(_("没有项目“%(item)s”", item=item_name))
        team = None
        team_name = str(row.get("队伍") or "").strip()
        if team_name:
            team = teams.get(team_name)
            if team is None:
                problems.append(_("没有队伍“%(team)s”", team=team_name))
        if problems:
            errors[label] = "；".join(problems)
        else:
            requests.append((label, Request(member=member, items=chosen, team=team)))
    if errors:
        raise Invalid(_("报名表未导入：%(n)s 行有误，请改正后重新上传", n=len(errors)), errors)
    return requests
