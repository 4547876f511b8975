"""The attendance workbook (签到表): one row per person and checkpoint, with times and statuses."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.timeutil import to_local
from plugins.checkin import attendance, checkpoints
from plugins.checkin.windows import STATUS_LABELS

SOURCE_LABELS = {"door": _l("扫码"), "venue": _l("自助扫码"), "manual": _l("补签"), "offline": _l("离线扫码")}


def _local(value, tz):
    return to_local(value, tz).replace(tzinfo=None, microsecond=0) if value else None


def attendance_sheet(event) -> tuple[list[str], list[list]]:
    """``(headers, rows)`` for :class:`core.contrib.ExportSheet`; times in the event's zone."""
    headers = [_("签到点"), _("姓名"), _("工号"), _("单位"), _("队伍"), _("签到时间"), _("签到"), _("签退时间"),
               _("签退"), _("考勤状态"), _("签到方式"), _("请假原因")]
    rows = []
    for checkpoint in checkpoints.for_event(event):
        for p in attendance.attendances(event, checkpoint):
            rows.append([
                checkpoint.name, p.name, p.staff_no, p.unit, p.team,
                _local(p.signed_in_at, event.timezone), str(STATUS_LABELS[p.signed_in_status]) if p.signed_in_status else "",
                _local(p.signed_out_at, event.timezone),
                str(STATUS_LABELS[p.signed_out_status]) if p.signed_out_status else "",
                str(STATUS_LABELS[p.status]), str(SOURCE_LABELS.get(p.signed_in_source, "")),
                p.excuse,
            ])
    return headers, rows
