"""Recording changes in the audit log."""

from __future__ import annotations

from flask import g, has_request_context

from core.models import AuditLog


def record(action: str, obj=None, *, object_type: str | None = None, object_id=None, before=None,
           after=None, reason: str = "", account=None, event=None) -> AuditLog:
    """Write one audit row. ``account`` defaults to the request's account."""
    if account is None and has_request_context():
        account = g.get("_account")
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", "")
    return AuditLog.create(
        account_id=getattr(account, "id", None),
        account_name=str(account) if account else "",
        action=action,
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        event_id=getattr(event, "id", event) if event is not None else None,
        before=before,
        after=after,
        reason=reason or "",
    )
