"""Handing in a submitted item's entry (钢笔字, 微型课): an uploaded file or a link, before the deadline.

The file's type is checked by its extension and by its first bytes (a renamed file is refused), its
size against the item's limit; a late entry, an entry in the wrong phase or by someone not entered
is refused with a message in Chinese. The file is written first and the row after, in one
transaction; if the row cannot be written the file is removed, and a replaced file is removed only
once the new one is on record, so nothing is left half-written.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import peewee
from flask import current_app
from flask_babel import gettext as _

from core.db import db
from core.errors import Forbidden, Invalid, NotFound, Refused
from core.models import Entry, Member, Registration
from core.services import audit
from core.timeutil import format_datetime, utcnow
from plugins.skills_contest.models import ContestItem, Submission

# First bytes of the accepted types; ``None`` where there is no fixed signature to check.
SIGNATURES = {
    "pdf": (b"%PDF",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",), "pptx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",), "ppt": (b"\xd0\xcf\x11\xe0",),
}
MB = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its name and a readable stream."""

    filename: str
    stream: object


def upload_root() -> Path:
    return Path(current_app.instance_path) / "uploads" / "skills_contest"


def _entered(ci: ContestItem, member: Member) -> bool:
    return (Entry.select().join(Registration, on=(Entry.registration == Registration.id))
            .where(Entry.item == ci.item_id, Entry.member == member.id, Registration.status == "active").exists())


def _gate(ci: ContestItem, member: Member | None, now) -> None:
    if ci.mode != "submission":
        raise Invalid(_("“%(item)s”是现场书写项目，不需要上交作品", item=ci.item.name))
    if member is None or not _entered(ci, member):
        raise Forbidden(_("您没有报名“%(item)s”，不能提交作品", item=ci.item.name))
    if ci.phase != "submission":
        raise Refused(_("“%(item)s”现在不接收作品（当前阶段：%(phase)s）", item=ci.item.name, phase=_(ci.phase_label)))
    if ci.ends_at is not None and now > ci.ends_at:
        raise Refused(_("已过提交截止时间（%(at)s），不能再提交", at=format_datetime(ci.ends_at, ci.item.event.timezone)))


def _extension(ci: ContestItem, filename: str) -> str:
    name = (filename or "").strip()
    if not name:
        raise Invalid(_("请选择要上传的文件"), {"file": _("必填")})
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ci.extensions:
        raise Invalid(_("只接受以下类型的文件：%(types)s；“%(name)s”不是", types="、".join(ci.extensions), name=name),
                      {"file": _("文件类型不符")})
    return ext


def _read(ci: ContestItem, upload: Upload, ext: str) -> bytes:
    limit = ci.max_mb * MB
    data = upload.stream.read(limit + 1)
    if not data:
        raise Invalid(_("上传的文件是空的"), {"file": _("空文件")})
    if len(data) > limit:
        raise Invalid(_("文件太大：每个文件最大 %(mb)s MB；视频请上传到网盘后提交链接", mb=ci.max_mb),
                      {"file": _("文件太大")})
    signatures = SIGNATURES.get(ext)
    if signatures and not any(data.startswith(sig) for sig in signatures):
        raise Invalid(_("文件内容与扩展名“.%(ext)s”不符，请上传真正的 %(ext)s 文件", ext=ext), {"file": _("文件类型不符")})
    if ext in ("mp4", "mov") and data[4:8] != b"ftyp":
        raise Invalid(_("文件内容与扩展名“.%(ext)s”不符，请上传真正的 %(ext)s 文件", ext=ext), {"file": _("文件类型不符")})
    return data


def _link(url: str) -> str:
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 500 or any(c.isspace() for c in url):
        raise Invalid(_("请填写以 http:// 或 https:// 开头的作品链接（不超过500个字符）"), {"url": _("链接无效")})
    return url


def submit(ci: ContestItem, member: Member | None, *, upload: Upload | None = None, url: str | None = None,
           note: str = "", account=None, now=None) -> Submission:
    """Hand in (or replace, before the deadline) ``member``'s entry: a file ``upload`` or a link ``url``."""
    now = now or utcnow()
    _gate(ci, member, now)
    if (upload is None) == (not url):
        raise Invalid(_("请上传一个文件或填写一个作品链接（二选一）"))
    fields = {"note": (note or "").strip()[:200], "submitted_by": getattr(account, "id", None), "submitted_at": now}
    path = None
    if upload is not None:
        if "file" not in ci.kinds:
            raise Invalid(_("“%(item)s”只接受作品链接", item=ci.item.name))
        ext = _extension(ci, upload.filename)
        data = _read(ci, upload, ext)
        folder = upload_root() / str(ci.item_id)
        folder.mkdir(parents=True, exist_ok=True)
        stored = f"{ci.item_id}/{member.id}-{secrets.token_hex(8)}.{ext}"
        path = upload_root() / stored
        path.write_bytes(data)
        fields |= {"kind": "file", "filename": os.path.basename(upload.filename.replace("\\", "/"))[:200],
                   "stored": stored, "size": len(data), "url": ""}
    else:
        if "link" not in ci.kinds:
            raise Invalid(_("“%(item)s”只接受上传文件", item=ci.item.name))
        fields |= {"kind": "link", "url": _link(url), "filename": "", "stored": "", "size": 0}
    old_file = None
    try:
        with db.atomic():
            existing = Submission.get_or_none(Submission.item == ci.item_id, Submission.member == member.id)
            if existing is None:
                try:
                    with db.atomic():
                        saved = Submission.create(item=ci.item_id, member=member.id, **fields)
                except peewee.IntegrityError:
                    raise Refused(_("您的作品刚刚已提交，请刷新后查看")) from None
            else:
                old_file = existing.stored or None
                Submission.update(**fields).where(Submission.id == existing.id).execute()
                saved = Submission.get_by_id(existing.id)
            audit.record("skills_contest.submission." + ("replace" if existing else "create"), saved,
                         after={"kind": saved.kind, "filename": saved.filename, "size": saved.size, "url": saved.url},
                         account=account, event=ci.item.event_id)
    except Exception:
        if path is not None:
            path.unlink(missing_ok=True)
        raise
    if old_file and old_file != saved.stored:
        (upload_root() / old_file).unlink(missing_ok=True)
    return saved


def submissions_of(item) -> dict[int, Submission]:
    """``{member id: submission}`` of an item."""
    return {s.member_id: s for s in Submission.select().where(Submission.item == getattr(item, "id", item))}


def mine(item, member) -> Submission | None:
    if member is None:
        return None
    return Submission.get_or_none(Submission.item == getattr(item, "id", item), Submission.member == member.id)


def load(submission_id: int) -> Submission:
    found = Submission.get_or_none(Submission.id == submission_id)
    if found is None:
        raise NotFound(_("找不到该作品"))
    return found


def file_path(submission: Submission) -> Path:
    path = (upload_root() / submission.stored).resolve()
    if not submission.stored or upload_root().resolve() not in path.parents or not path.exists():
        raise NotFound(_("作品文件不存在"))
    return path
