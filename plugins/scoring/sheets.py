"""The payout sheet (奖金发放表) as a table: one row per person with every line and his total,
team rows, the grand total in figures and in capital numerals, and signature columns.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from core.money import ZERO
from plugins.scoring import tally

translate = _  # for labels held in variables; their texts are listed in plugins.scoring.labels

COLUMNS = {
    "participation": ("participation",),
    "item": ("item_prize",),
    "team": ("team_prize", "team_share"),
    "other": ("threshold", "answer", "souvenir"),
}


def current_data(event) -> tuple[dict, int | None]:
    """The latest stored payout sheet of ``event`` and its version, else the sheet computed now (version ``None``)."""
    record = tally.latest_payout_record(event)
    if record is not None:
        return record.data, record.version
    return tally.payout_data(tally.compute_event_payout(event)), None


def _sum(lines, kinds) -> Decimal:
    return sum((Decimal(line["amount"]) for line in lines if line["kind"] in kinds), ZERO)


def _detail(lines) -> str:
    parts = []
    for line in lines:
        text = f"{line['label']} {line['amount']}"
        if line["souvenirs"]:
            text += _("（纪念品%(n)s件）", n=line["souvenirs"])
        if line["note"]:
            text += f"（{translate(line['note'])}）"
        parts.append(text)
    return "；".join(parts)


def differences(stored: dict, live: dict) -> list[str]:
    """Names of the people whose lines differ between a stored version and the sheet computed now (and
    ``"合计"`` when only the total does): what a correction after archiving changed."""
    before = {p["key"]: (p["total"], p["lines"]) for p in stored["people"]}
    after = {p["key"]: (p["total"], p["lines"]) for p in live["people"]}
    names = {p["key"]: p["name"] for p in [*stored["people"], *live["people"]]}
    changed = [names[key] for key in sorted(set(before) | set(after), key=str) if before.get(key) != after.get(key)]
    if not changed and (stored["total"] != live["total"] or stored["teams"] != live["teams"]):
        changed = [_("合计")]
    return changed


def headers() -> list[str]:
    return [_("序号"), _("姓名"), _("队伍/部门"), _("出勤"), _("参与奖"), _("单项奖"), _("团体奖"), _("其他"),
            _("明细"), _("合计（元）"), _("纪念品（件）"), _("领款人签名")]


def rows(data: dict) -> list[list]:
    """Table rows: people, teams, then the grand total in figures and in capital numerals."""
    out: list[list] = []
    n = 0
    for person in data["people"]:
        n += 1
        lines = person["lines"]
        out.append([n, person["name"], person["team"], translate(person["attendance_label"]),
                    _sum(lines, COLUMNS["participation"]), _sum(lines, COLUMNS["item"]),
                    _sum(lines, COLUMNS["team"]), _sum(lines, COLUMNS["other"]), _detail(lines),
                    Decimal(person["total"]), person["souvenirs"], ""])
    for team in data["teams"]:
        n += 1
        lines = team["lines"]
        out.append([n, team["name"] + _("（集体）"), team["name"], "", ZERO, ZERO, _sum(lines, COLUMNS["team"]),
                    _sum(lines, COLUMNS["other"]), _detail(lines), Decimal(team["total"]),
                    sum(line["souvenirs"] for line in lines), ""])
    out.append(["", _("合计"), "", "", "", "", "", "", "", Decimal(data["total"]), data["souvenirs"], ""])
    out.append(["", _("合计（大写）"), data["capital"], "", "", "", "", "", "", "", "", ""])
    out.append(["", _("经办人："), "", _("审核人："), "", "", _("负责人："), "", "", "", "", ""])
    return out


def build(event) -> tuple[list[str], list[list]]:
    """``huodong_export_sheets`` builder: the sheet on record (or computed now)."""
    data, _version = current_data(event)
    return headers(), rows(data)
