"""Signed codes: the personal code of a registration and the rotating code shown at a venue.

Both are HMACs keyed with the app's ``SECRET_KEY`` (through a key derived for each use), checked
before anything touches the database. Codes use only upper-case letters, digits and dots, so that
QR codes stay small (alphanumeric mode) and a scanner's keyboard input or a typed code reads back
the same.

- personal: ``HD.<registration id>.<version>.<MAC>``; a new version (reissue) makes older codes fail.
- venue:    ``HV.<checkpoint id>.<time slot>.<MAC>``; the slot is the current ``rotate_seconds``
  period, the previous one is accepted for ``VENUE_GRACE_SECONDS``.
- list:     ``HL.<checkpoint id>.<unix time>.<MAC>``, given with a scanner's offline list: the
  earliest moment the device could have read a code offline (see ``plugins/checkin/clock.py``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import UTC, datetime

from flask import current_app

VENUE_GRACE_SECONDS = 10
_MAC_BYTES = 10  # 80 bits: 16 base32 characters
_keys: dict[tuple[str, str], bytes] = {}


def _key(purpose: str, secret: str | None = None) -> bytes:
    secret = secret if secret is not None else current_app.config["SECRET_KEY"]
    found = _keys.get((secret, purpose))
    if found is None:
        found = hmac.new(secret.encode(), f"huodong.checkin.{purpose}".encode(), hashlib.sha256).digest()
        _keys[(secret, purpose)] = found
    return found


def _mac(key: bytes, message: str) -> str:
    digest = hmac.digest(key, message.encode(), "sha256")[:_MAC_BYTES]
    return base64.b32encode(digest).decode()


def normalize(code: str | None) -> str:
    """What a scanner or a person typed, as the code's canonical form (spaces dropped, upper case)."""
    return "".join((code or "").split()).upper()


def personal_token(registration_id: int, version: int = 1, secret: str | None = None) -> str:
    """The code printed in a registration's QR."""
    body = f"HD.{registration_id}.{version}"
    return f"{body}.{_mac(_key('personal', secret), body)}"


def read_personal(code: str, secret: str | None = None) -> tuple[int, int] | None:
    """``(registration id, version)`` of a genuine personal code, ``None`` for anything else."""
    parts = normalize(code).split(".")
    if len(parts) != 4 or parts[0] != "HD" or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    if len(parts[1]) > 12 or len(parts[2]) > 6:
        return None
    expected = _mac(_key("personal", secret), f"HD.{parts[1]}.{parts[2]}")
    if not hmac.compare_digest(expected, parts[3]):
        return None
    return int(parts[1]), int(parts[2])


def list_token(checkpoint_id: int, issued_at: datetime, secret: str | None = None) -> str:
    """The proof that a scanner downloaded the offline list of a checkpoint at ``issued_at`` (naive UTC)."""
    body = f"HL.{checkpoint_id}.{int(issued_at.replace(tzinfo=UTC).timestamp())}"
    return f"{body}.{_mac(_key('list', secret), body)}"


def read_list_token(code: str | None, checkpoint_id: int, secret: str | None = None) -> datetime | None:
    """When the list of ``checkpoint_id`` behind a genuine ``code`` was downloaded (naive UTC), else ``None``."""
    parts = normalize(code).split(".")
    if len(parts) != 4 or parts[0] != "HL" or parts[1] != str(checkpoint_id) or not parts[2].isdigit():
        return None
    if len(parts[2]) > 12:
        return None
    if not hmac.compare_digest(_mac(_key("list", secret), f"HL.{parts[1]}.{parts[2]}"), parts[3]):
        return None
    return datetime.fromtimestamp(int(parts[2]), UTC).replace(tzinfo=None)


def slot_of(now: float, rotate_seconds: int) -> int:
    return int(now // max(rotate_seconds, 5))


def venue_code(checkpoint_id: int, rotate_seconds: int, now: float | None = None, secret: str | None = None) -> str:
    """The venue code valid now for a checkpoint."""
    slot = slot_of(time.time() if now is None else now, rotate_seconds)
    body = f"HV.{checkpoint_id}.{slot}"
    return f"{body}.{_mac(_key('venue', secret), body)}"


def read_venue(code: str, secret: str | None = None) -> tuple[int, int] | None:
    """``(checkpoint id, slot)`` of a genuine venue code (fresh or not), ``None`` for anything else."""
    parts = normalize(code).split(".")
    if len(parts) != 4 or parts[0] != "HV" or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    if len(parts[1]) > 12 or len(parts[2]) > 12:
        return None
    expected = _mac(_key("venue", secret), f"HV.{parts[1]}.{parts[2]}")
    if not hmac.compare_digest(expected, parts[3]):
        return None
    return int(parts[1]), int(parts[2])


def venue_slot_is_fresh(slot: int, rotate_seconds: int, now: float | None = None,
                        grace_seconds: int = VENUE_GRACE_SECONDS) -> bool:
    """The current slot, or the previous one during the first ``grace_seconds`` of the current."""
    now = time.time() if now is None else now
    rotate = max(rotate_seconds, 5)
    current = slot_of(now, rotate)
    if slot == current:
        return True
    return slot == current - 1 and now - current * rotate <= grace_seconds
