"""The roster (会员名册) in and out of Excel: template, import and export.

One service for the members page, the API and ``huodong import-members``. An import reads every
row, checks each one against the file itself and the database (preloaded into sets and dicts, so
10,000 rows take seconds, not minutes) and writes nothing while any row is wrong. A clean file is
then written in one transaction: new staff numbers are added in chunks, known ones updated where
something changed. Blank optional cells keep what the member already has: an import never erases.
"""

from __future__ import annotations

import calendar
import io
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import peewee
import psycopg
from flask import current_app, has_app_context
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from core import privacy
from core.access import managed_unit_ids
from core.db import db, is_postgres
from core.errors import Invalid, Refused
from core.models import AuditLog, Member, Unit
from core.services import audit
from core.xlsx import append, header_row, read_rows, write_workbook

HEADERS = ("姓名", "性别", "工号", "单位", "手机号", "身份证号", "岗位", "会费缴至")
REQUIRED = ("姓名", "工号", "单位")
# Other spellings found in unions' own rosters.
ALIASES = {
    "名字": "姓名", "职工姓名": "姓名", "职工号": "工号", "员工号": "工号", "教工号": "工号",
    "所在单位": "单位", "部门": "单位", "所在部门": "单位", "手机": "手机号", "手机号码": "手机号",
    "联系电话": "手机号", "身份证": "身份证号", "身份证号码": "身份证号", "公民身份号码": "身份证号",
    "职务": "岗位", "会费缴至日期": "会费缴至", "会费缴纳至": "会费缴至",
}
TEXT_COLUMNS = (2, 4, 5)  # 工号, 手机号, 身份证号: kept as text so Excel does not round them
MAX_ROWS = 20000
CHUNK = 500
UNIT_SEPARATORS = re.compile(r"\s*[/／>＞]\s*")
GENDER_WORDS = {"男": "M", "男性": "M", "m": "M", "male": "M", "女": "F", "女性": "F", "f": "F", "female": "F"}
# 2024-12-31, 2024/12/31, 2024.12.31, 2024年12月31日, 20241231; a month (2024-12, 2024年12月) means its
# last day and a year (2024, 2024年) its 31 December: dues are paid up to the end of a period.
DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?|月)?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4})年?()()"),
)
# Fields compared to tell an update from an unchanged row, in the order of Member's columns.
COMPARED = ("name", "gender", "phone", "unit", "job", "dues_paid_until", "id_hash")

Progress = Callable[[str, int, int], None]


@dataclass
class ImportPlan:
    """What a file would do: the rows read, the errors by row, and the writes a clean file makes."""

    rows: int = 0
    errors: dict[int, list[str]] = field(default_factory=dict)
    new: list[dict] = field(default_factory=list)
    changed: list[tuple[int, dict, dict]] = field(default_factory=list)  # (member id, changes, before)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def check(self) -> None:
        """Raise :class:`Invalid` listing every bad row (``errors`` maps row numbers to reasons)."""
        if self.errors:
            shown = "；".join(row_message(n, reasons) for n, reasons in list(self.errors.items())[:3])
            raise Invalid(
                _("%(headline)s。%(rows)s", headline=rows_headline(len(self.errors)), rows=shown),
                {str(n): reasons for n, reasons in self.errors.items()},
            )


@dataclass(frozen=True)
class ImportResult:
    rows: int
    added: int
    updated: int
    unchanged: int
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {"rows": self.rows, "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "dry_run": self.dry_run}

    def summary(self) -> str:
        if self.dry_run:
            return _("检查通过（未写入）：共 %(rows)s 行，将新增 %(added)s 人，更新 %(updated)s 人，"
                     "%(unchanged)s 人无变化", **self.as_dict())
        return _("导入完成：共 %(rows)s 行，新增 %(added)s 人，更新 %(updated)s 人，%(unchanged)s 人无变化",
                 **self.as_dict())


def rows_headline(count: int) -> str:
    return _("有 %(count)s 行有误，没有导入任何会员", count=count)


def row_message(row: int, reasons: list[str]) -> str:
    return _("第 %(row)s 行：%(reasons)s", row=row, reasons="；".join(reasons))


# ---------------------------------------------------------------- units by name or path

class UnitIndex:
    """Units found by name, by a path of names ending in it (海城实验中学工会/初一年级组), or by code."""

    def __init__(self, units):
        self.units = {u.id: u for u in units}
        self.chains: dict[int, list[str]] = {}
        for unit in self.units.values():
            ids = [int(p) for p in unit.path.strip("/").split("/") if p]
            self.chains[unit.id] = [self.units[i].name.strip() for i in ids if i in self.units]
        self.by_key: dict[str, set[int]] = {}
        for unit_id, chain in self.chains.items():
            for start in range(len(chain)):
                self.by_key.setdefault("/".join(chain[start:]), set()).add(unit_id)
        self.by_code = {u.code.strip(): u.id for u in self.units.values() if u.code}

    @classmethod
    def load(cls) -> UnitIndex:
        return cls(Unit.select(Unit.id, Unit.name, Unit.path, Unit.code))

    def find(self, text: str) -> set[int]:
        key = "/".join(p for p in UNIT_SEPARATORS.split(text.strip()) if p)
        found = self.by_key.get(key)
        if found:
            return found
        return {self.by_code[text]} if text in self.by_code else set()

    def label(self, unit_id: int) -> str:
        """The shortest path that names the unit alone: 初一年级组, or 海城实验中学工会/初一年级组."""
        chain = self.chains[unit_id]
        for start in range(len(chain) - 1, -1, -1):
            key = "/".join(chain[start:])
            if len(self.by_key.get(key, ())) == 1:
                return key
        return "/".join(chain)


def _allowed_units(account) -> set[int] | None:
    """Units whose members ``account`` may manage; ``None`` for everywhere (an admin, or the CLI)."""
    if account is None:
        return None
    ids = managed_unit_ids(account, "members.manage")
    return None if ids is None else set(ids)


# ---------------------------------------------------------------- cell values

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").replace("\u200b", "").strip()


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value == int(value) and (1950 <= value <= 2100 or 19500101 <= value <= 21001231):
            value = str(int(value))  # 2024 or 20241231 typed as a number
        elif 1 <= value < 100000:  # an Excel serial day number in a cell not formatted as a date
            return from_excel(value).date()
        else:
            raise ValueError(value)
    text = _text(value).replace(" ", "")
    found = next((m for m in (p.fullmatch(text) for p in DATE_PATTERNS) if m), None)
    if found is None:
        raise ValueError(text)
    year, month, day = (int(part) if part else None for part in found.groups())
    if month is None:
        month, day = 12, 31
    elif day is None:
        day = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
    return date(year, month, day)


def _phone(value) -> str:
    text = re.sub(r"[\s\-－]", "", _text(value))
    if text.startswith("+86"):
        text = text[3:]
    return text


# ---------------------------------------------------------------- checking a file

class _Existing:
    """The members already in the database, preloaded as plain tuples for set lookups."""

    def __init__(self):
        self.by_staff_no: dict[str, tuple] = {}
        self.hash_owner: dict[str, str] = {}
        query = Member.select(Member.id, Member.staff_no, Member.name, Member.gender, Member.phone, Member.unit,
                              Member.job, Member.dues_paid_until, Member.id_hash).tuples()
        for member_id, staff_no, *values in query:
            self.by_staff_no[staff_no] = (member_id, dict(zip(COMPARED, values, strict=True)))
            if values[-1]:
                self.hash_owner[values[-1]] = staff_no

    @staticmethod
    def id_number_of(member_id: int) -> str | None:
        member = Member.select(Member.id, Member.id_number).where(Member.id == member_id).first()
        return member.id_number if member else None


def prepare_import(data: bytes, *, account=None, progress: Progress | None = None) -> ImportPlan:
    """Read and check a roster file; return the plan, with every bad row in ``plan.errors``.

    Raises :class:`Invalid` when the file itself cannot be used (not xlsx, empty, a column missing,
    too large). Nothing is written.
    """
    limit = current_app.config.get("MAX_CONTENT_LENGTH") if has_app_context() else None
    if limit and len(data) > limit:
        raise Invalid(_("文件太大（超过 %(mb)s MB）", mb=round(limit / 1024 / 1024)))
    _headers, rows = read_rows(data, REQUIRED, aliases=ALIASES, max_rows=MAX_ROWS)
    if not rows:
        raise Invalid(_("表格中没有会员数据"))
    plan = ImportPlan(rows=len(rows))
    units = UnitIndex.load()
    allowed = _allowed_units(account)
    existing = _Existing()
    seen_staff: dict[str, int] = {}
    seen_hash: dict[str, int] = {}
    step = max(1, len(rows) // 100)
    for done, (number, cells) in enumerate(rows, start=1):
        reasons: list[str] = []
        values = _check_row(cells, number, reasons, units, allowed, existing, seen_staff, seen_hash)
        if reasons:
            plan.errors[number] = reasons
        elif values is not None:
            _plan_row(plan, values, existing)
        if progress and (done % step == 0 or done == len(rows)):
            progress("check", done, len(rows))
    return plan


def _check_row(cells, number, reasons, units, allowed, existing, seen_staff, seen_hash) -> dict | None:
    name = _text(cells.get("姓名"))
    staff_no = _text(cells.get("工号"))
    if not name:
        reasons.append(_("请填写姓名"))
    elif len(name) > 50:
        reasons.append(_("姓名太长（最多 50 个字）"))
    known = None
    if not staff_no:
        reasons.append(_("请填写工号"))
    elif len(staff_no) > 40:
        reasons.append(_("工号太长（最多 40 个字符）"))
    elif staff_no in seen_staff:
        reasons.append(_("工号 %(no)s 与第 %(row)s 行重复", no=staff_no, row=seen_staff[staff_no]))
    else:
        seen_staff[staff_no] = number
        known = existing.by_staff_no.get(staff_no)
    if known and allowed is not None and known[1]["unit"] not in allowed:
        reasons.append(_("工号 %(no)s 是其他单位的会员，您无权修改", no=staff_no))

    unit_text = _text(cells.get("单位"))
    unit_id = None
    if not unit_text:
        reasons.append(_("请填写单位"))
    else:
        found = units.find(unit_text)
        if not found:
            reasons.append(_("找不到单位“%(unit)s”", unit=unit_text))
        elif len(found) > 1:
            example = "、".join(sorted(units.label(i) for i in found)[:2])
            reasons.append(_("单位“%(unit)s”有重名，请写上上级单位，如：%(example)s", unit=unit_text,
                             example=example))
        else:
            unit_id = next(iter(found))
            if allowed is not None and unit_id not in allowed:
                reasons.append(_("您无权管理单位“%(unit)s”的会员", unit=unit_text))

    id_number, id_hash = _check_id_number(cells.get("身份证号"), known, staff_no, number, reasons, existing,
                                          seen_hash)
    gender = _check_gender(cells.get("性别"), id_number, known, reasons)
    phone = _check_phone(cells.get("手机号"), known, reasons)

    job = _text(cells.get("岗位")) or None
    if job and len(job) > 50:
        reasons.append(_("岗位太长（最多 50 个字）"))
    dues = None
    raw_dues = cells.get("会费缴至")
    if _text(raw_dues):
        try:
            dues = _parse_date(raw_dues)
            if not 1950 <= dues.year <= 2100:
                raise ValueError(dues)
        except (ValueError, OverflowError):
            reasons.append(_("会费缴至日期无效：%(value)s（应为如 2024-12-31 的日期）", value=_text(raw_dues)))
    if reasons:
        return None
    return {"name": name, "gender": gender, "staff_no": staff_no, "unit": unit_id, "phone": phone,
            "id_number": id_number, "id_hash": id_hash, "job": job, "dues_paid_until": dues, "known": known}


def _check_id_number(raw, known, staff_no, number, reasons, existing, seen_hash):
    """Returns ``(id_number, id_hash)``; ``(None, None)`` keeps what the member has."""
    if isinstance(raw, float):
        reasons.append(_("身份证号被 Excel 存成了数字，末几位已丢失：请把该列设为文本后重新填写"))
        return None, None
    text = _text(raw).upper()
    if not text:
        return None, None
    if "*" in text:
        # A masked export re-imported: the masked number stands for the one already stored.
        current = existing.id_number_of(known[0]) if known and known[1]["id_hash"] else None
        if current and privacy.mask_id(current) == text:
            return None, None
        reasons.append(_("身份证号已脱敏（含 *），请填写完整的号码"))
        return None, None
    try:
        id_number = privacy.normalize_id_number(text)
    except privacy.InvalidIdNumber as exc:
        reasons.append(_(str(exc)))
        return None, None
    id_hash = privacy.keyed_hash(id_number)
    owner = existing.hash_owner.get(id_hash)
    if id_hash in seen_hash:
        reasons.append(_("身份证号与第 %(row)s 行重复", row=seen_hash[id_hash]))
    elif owner is not None and owner != staff_no:
        reasons.append(_("该身份证号已属于另一位会员"))
    seen_hash.setdefault(id_hash, number)
    return id_number, id_hash


def _check_gender(raw, id_number, known, reasons) -> str | None:
    text = _text(raw)
    gender = GENDER_WORDS.get(text.lower()) if text else None
    if text and gender is None:
        reasons.append(_("性别应为男或女"))
        return None
    if id_number:
        from_id = privacy.gender_from_id(id_number)
        if gender and gender != from_id:
            reasons.append(_("性别与身份证号不符（身份证号显示为%(gender)s）",
                             gender=_("男") if from_id == "M" else _("女")))
        return gender or from_id
    if gender is None and known is None:
        reasons.append(_("请填写性别"))
    return gender


def _check_phone(raw, known, reasons) -> str | None:
    text = _phone(raw)
    if not text:
        return None
    if "*" in text:
        if known and known[1]["phone"] and privacy.mask_phone(known[1]["phone"]) == text:
            return None
        reasons.append(_("手机号已脱敏（含 *），请填写完整的号码"))
        return None
    if not privacy.is_valid_phone(text):
        reasons.append(_("手机号“%(phone)s”无效：应为 11 位数字，以 1 开头", phone=text))
        return None
    return text


def _plan_row(plan: ImportPlan, values: dict, existing: _Existing) -> None:
    known = values.pop("known")
    id_number = values.pop("id_number")
    if known is None:
        row = dict(values, job=values["job"] or "", id_number=None, birth_date=None)
        if id_number:
            # Encrypted here, outside the write transaction; the INSERT takes it as it is.
            row["id_number"] = privacy.encrypt(id_number)
            row["birth_date"] = privacy.birth_date_from_id(id_number)
        plan.new.append(row)
        return
    member_id, before = known
    changes = {k: values[k] for k in COMPARED if values[k] is not None and values[k] != before[k]}
    if not changes:
        plan.unchanged += 1
        return
    if "id_hash" in changes:
        changes["id_number"] = id_number
        changes["birth_date"] = privacy.birth_date_from_id(id_number)
    plan.changed.append((member_id, changes, {k: before[k] for k in changes if k in before}))


# ---------------------------------------------------------------- writing a clean file

def apply_import(plan: ImportPlan, *, account=None, progress: Progress | None = None) -> ImportResult:
    """Write a clean plan in one transaction: all of it, or (on any database error) none of it.

    A staff number or ID number taken by someone else between the check and the write (another
    import at the same moment) hits the database's unique index; the transaction is rolled back and
    :class:`Refused` asks the user to import again.
    """
    plan.check()
    total = len(plan.new) + len(plan.changed)
    try:
        with db.atomic():
            done = 0
            for start in range(0, len(plan.new), CHUNK):
                chunk = plan.new[start:start + CHUNK]
                _insert_members(chunk)
                done += len(chunk)
                if progress:
                    progress("write", done, total)
            audit_rows = []
            for member_id, changes, before in plan.changed:
                Member.update(**changes).where(Member.id == member_id).execute()
                audit_rows.append(_audit_row(account, member_id, changes, before))
                done += 1
                if progress and (done % CHUNK == 0 or done == total):
                    progress("write", done, total)
            for start in range(0, len(audit_rows), CHUNK):
                AuditLog.insert_many(audit_rows[start:start + CHUNK]).execute()
            result = ImportResult(rows=plan.rows, added=len(plan.new), updated=len(plan.changed),
                                  unchanged=plan.unchanged)
            audit.record("member.import", object_type="Member", object_id="", after=result.as_dict(),
                         account=account)
    except (peewee.IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError):
        raise Refused(_("导入时会员名册被同时修改（工号或身份证号与刚写入的会员冲突），"
                        "本次没有导入任何会员，请重新导入")) from None
    return result


def _insert_members(rows: list[dict]) -> None:
    """Insert new members straight through the driver: COPY on PostgreSQL, executemany on SQLite.

    Building one INSERT of hundreds of rows through the ORM costs more than the database's own work;
    values still go through each field's ``db_value`` (ID numbers arrive already encrypted) and
    fields a row leaves out get the model's defaults.
    """
    fields = [f for f in Member._meta.sorted_fields if f.name != "id"]
    defaults = {f.name: f.default for f in fields}
    values = []
    for row in rows:
        out = []
        for f in fields:
            value = row[f.name] if f.name in row else (defaults[f.name]() if callable(defaults[f.name])
                                                       else defaults[f.name])
            out.append(value if f.name == "id_number" else f.db_value(value))
        values.append(out)
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    table = Member._meta.table_name
    cursor = db.cursor()
    if is_postgres() and hasattr(cursor, "copy"):  # psycopg 3; psycopg2 has no COPY rows API
        with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            for out in values:
                copy.write_row(out)
    else:
        marks = ", ".join("%s" if is_postgres() else "?" for _ in fields)
        cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values)


def _audit_row(account, member_id: int, changes: dict, before: dict) -> dict:
    def shown(values: dict) -> dict:
        out = {("unit_id" if k == "unit" else k): v for k, v in values.items()
               if k not in ("id_hash", "id_number", "birth_date")}
        if "id_hash" in changes:
            out["id_number"] = _("已修改")
        return out

    return {"account_id": getattr(account, "id", None), "account_name": str(account) if account else "",
            "action": "member.update", "object_type": "Member", "object_id": str(member_id),
            "before": shown(before), "after": shown(changes), "reason": _("名册导入")}


def import_members(data: bytes, *, account=None, dry_run: bool = False,
                   progress: Progress | None = None) -> ImportResult:
    """Check a roster file and, unless ``dry_run`` or any row is wrong, import it.

    Raises :class:`Invalid` (the file or its rows: ``errors`` maps row numbers to reasons) or
    :class:`Refused` (a conflicting change at the same moment). Returns the counts.
    """
    plan = prepare_import(data, account=account, progress=progress)
    plan.check()
    if dry_run:
        return ImportResult(rows=plan.rows, added=len(plan.new), updated=len(plan.changed),
                            unchanged=plan.unchanged, dry_run=True)
    return apply_import(plan, account=account, progress=progress)


# ---------------------------------------------------------------- template and export

def template_workbook(account=None) -> bytes:
    """The empty roster to fill in, with a sheet of instructions and the units one may use."""
    wb = Workbook()
    ws = wb.active
    ws.title = "会员名册"
    header_row(ws, HEADERS)
    for index, cell in enumerate(ws[1]):
        letter = cell.column_letter
        ws.column_dimensions[letter].width = (24 if index in (3, 5) else 14)
        if index in TEXT_COLUMNS:
            ws.column_dimensions[letter].number_format = "@"
    ws.column_dimensions["H"].number_format = "yyyy-mm-dd"
    genders = DataValidation(type="list", formula1='"男,女"', allow_blank=True)
    ws.add_data_validation(genders)
    genders.add(f"B2:B{MAX_ROWS + 1}")
    ws.freeze_panes = "A2"

    notes = wb.create_sheet("填写说明")
    append(notes, ["列", "必填", "说明"], font=Font(bold=True))
    for row in (
        ("姓名", "是", "会员的真实姓名"),
        ("性别", "否", "男或女；不填时按身份证号判断"),
        ("工号", "是", "单位内唯一；再次导入时按工号更新已有会员，不会重复添加"),
        ("单位", "是", "填单位名称；有重名时写上级单位，如 海城实验中学工会/初一年级组（见下方单位列表）"),
        ("手机号", "否", "11 位手机号"),
        ("身份证号", "否", "18 位居民身份证号，请保持本列为文本格式，以免 Excel 改写末几位"),
        ("岗位", "否", "如 教师、司机、值班"),
        ("会费缴至", "否", "会费已缴纳到的日期，如 2024-12-31 或 2024-12"),
        ("", "", "已有会员的可选列留空表示不修改；有任何一行出错时整个文件都不会导入。"),
    ):
        append(notes, row)
    notes.append([])
    append(notes, ["可用的单位"])
    units = UnitIndex.load()
    allowed = _allowed_units(account)
    for unit in sorted(units.units.values(), key=lambda u: u.path):
        if allowed is None or unit.id in allowed:
            append(notes, [units.label(unit.id)])
    notes.column_dimensions["A"].width = 36
    notes.column_dimensions["C"].width = 80
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


EXPORT_CHUNK = 5000  # members read from the database at a time by an export


def export_rows(*, account=None, show_private: bool = False) -> Iterator[list]:
    """The roster as rows under :data:`HEADERS`, in unit order; ID numbers and phones masked unless
    ``show_private``. ``account`` limits it to the members he may view (``None``: everyone).

    The rows are read whole units at a time, about :data:`EXPORT_CHUNK` members a query, and
    handed on one by one: a county's roster goes out without holding it all in memory.
    """
    units = UnitIndex.load()
    labels: dict[int, str] = {}
    allowed = None if account is None else managed_unit_ids(account, "members.view")
    for unit_ids in _export_batches(None if allowed is None else set(allowed)):
        query = (Member.select(Member.name, Member.gender, Member.staff_no, Member.unit, Member.phone,
                               Member.id_number, Member.job, Member.dues_paid_until)
                 .join(Unit).where(Member.unit.in_(unit_ids)).order_by(Unit.path, Member.staff_no))
        for name, gender, staff_no, unit_id, phone, id_number, job, dues_paid_until in query.tuples().iterator():
            if unit_id not in labels:
                labels[unit_id] = units.label(unit_id)
            yield [
                name, _("男") if gender == "M" else _("女"), staff_no, labels[unit_id],
                (phone if show_private else privacy.mask_phone(phone)) or None,
                (id_number if show_private else privacy.mask_id(id_number)) or None,
                job or None, dues_paid_until,
            ]


def _export_batches(allowed: set[int] | None) -> Iterator[list[int]]:
    """Unit ids in the database's path order, grouped so that a group holds about :data:`EXPORT_CHUNK`
    members (a larger unit makes a group of its own); units without members, or not in ``allowed``
    (``None``: every unit), are left out."""
    counts = dict(Member.select(Member.unit, peewee.fn.COUNT(Member.id)).group_by(Member.unit).tuples())
    batch, size = [], 0
    for (unit_id,) in Unit.select(Unit.id).order_by(Unit.path).tuples():
        count = counts.get(unit_id, 0)
        if not count or (allowed is not None and unit_id not in allowed):
            continue
        if batch and size + count > EXPORT_CHUNK:
            yield batch
            batch, size = [], 0
        batch.append(unit_id)
        size += count
    if batch:
        yield batch


def write_export(target, *, account=None, show_private: bool = False) -> None:
    """Write the roster (:func:`export_rows`) as an xlsx file that :func:`import_members` reads back
    to ``target``, a path or a binary file."""
    write_workbook(target, "会员名册", HEADERS, export_rows(account=account, show_private=show_private),
                   text_columns=TEXT_COLUMNS)


def export_workbook(*, account=None, show_private: bool = False) -> bytes:
    """The roster as the bytes of :func:`write_export`'s file (small rosters, tests)."""
    buf = io.BytesIO()
    write_export(buf, account=account, show_private=show_private)
    return buf.getvalue()
