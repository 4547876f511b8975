"""Evidence attachments (证明材料): stored in the instance folder, checked for size and real type."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, NotFound
from core.services import audit
from plugins.warmth.models import Attachment, Household
from plugins.warmth.services.archive import _editable

MAX_BYTES = 5 * 1024 * 1024
# extension -> (content type, how the file must begin)
TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def folder() -> Path:
    path = Path(current_app.instance_path) / "warmth_evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload(household: Household, title: str, filename: str, data: bytes, *, account) -> Attachment:
    """Store one evidence file for ``household`` after checking its size and that its content is
    what its name says (PDF, JPEG or PNG)."""
    _editable(household, account)
    title = (title or "").strip()[:100] or _("证明材料")
    name = Path(filename or "").name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in TYPES:
        raise Invalid(_("只能上传 PDF、JPG 或 PNG 文件"), {"file": _("文件类型不支持")})
    if not data:
        raise Invalid(_("文件是空的"), {"file": _("文件是空的")})
    if len(data) > MAX_BYTES:
        raise Invalid(_("文件不能超过 5 MB"), {"file": _("文件太大")})
    content_type, signatures = TYPES[ext]
    if not any(data.startswith(sig) for sig in signatures):
        raise Invalid(_("文件内容与扩展名不符"), {"file": _("文件内容与扩展名不符")})
    stored = f"{household.id}-{secrets.token_hex(12)}.{ext}"
    path = folder() / stored
    path.write_bytes(data)
    try:
        with db.atomic():
            row = Attachment.create(household=household, title=title, filename=name[:200], stored_name=stored,
                                    content_type=content_type, size=len(data),
                                    sha256=hashlib.sha256(data).hexdigest(), uploaded_by=account)
            audit.record("warmth.evidence.upload", household, after={"title": title, "size": len(data)},
                         account=account)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return row


def read(attachment: Attachment) -> bytes:
    path = folder() / attachment.stored_name
    if not path.exists():
        raise NotFound(_("证明材料文件已丢失"))
    return path.read_bytes()
