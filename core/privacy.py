"""Private data: resident ID numbers, phones and names, validated, masked and kept unreadable at rest.

ID numbers are stored twice: encrypted (Fernet) for those allowed to see them, and as a keyed
hash (HMAC-SHA256) so that matching ("is this person already aided?") needs no decryption and a
database dump reveals neither.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import date

from cryptography.fernet import Fernet, InvalidToken

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")

_keys: dict[str, bytes] = {}


class InvalidIdNumber(ValueError):
    """A resident ID number that is malformed or fails its check character."""


def configure(secret: str | bytes) -> None:
    """Derive the encryption and hashing keys from the instance's data key."""
    if isinstance(secret, str):
        secret = secret.encode()
    _keys["fernet"] = base64.urlsafe_b64encode(hashlib.sha256(b"huodong-encrypt:" + secret).digest())
    _keys["hmac"] = hashlib.sha256(b"huodong-hash:" + secret).digest()
    _keys.pop("_fernet_obj", None)


def _fernet() -> Fernet:
    if "fernet" not in _keys:
        raise RuntimeError("privacy keys are not configured; create the app first")
    obj = _keys.get("_fernet_obj")
    if obj is None:
        obj = _keys["_fernet_obj"] = Fernet(_keys["fernet"])
    return obj


def encrypt(text: str | None) -> str | None:
    if text is None or text == "":
        return text
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str | None) -> str | None:
    if token is None or token == "":
        return token
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def keyed_hash(text: str) -> str:
    if "hmac" not in _keys:
        raise RuntimeError("privacy keys are not configured; create the app first")
    return hmac.new(_keys["hmac"], text.encode(), hashlib.sha256).hexdigest()


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    """Validate an 18-character resident ID number and return it upper-cased.

    Raises :class:`InvalidIdNumber` with a Chinese message naming what is wrong.
    """
    text = (value or "").strip().upper()
    if not _ID_RE.match(text):
        raise InvalidIdNumber("身份证号应为18位：17位数字加1位数字或X")
    try:
        date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise InvalidIdNumber("身份证号中的出生日期无效") from None
    if id_check_char(text[:17]) != text[17]:
        raise InvalidIdNumber("身份证号校验位不正确")
    return text


def is_valid_id_number(value: str) -> bool:
    try:
        normalize_id_number(value)
    except InvalidIdNumber:
        return False
    return True


def birth_date_from_id(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def gender_from_id(value: str) -> str:
    """'M' or 'F' from the 17th digit (odd for men)."""
    return "M" if int(value[16]) % 2 else "F"


def is_valid_phone(value: str) -> bool:
    return bool(_PHONE_RE.match((value or "").strip()))


def mask_id(value: str | None) -> str:
    """3201**********1234: the first four and last four characters only."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_name(value: str | None) -> str:
    """张*明 for three characters, 张* for two, 欧**华 for four."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) == 11 else "*" * len(value)
