"""Time: stored as naive UTC in the database, shown in the event's zone (default Asia/Shanghai)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"
WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def utcnow() -> datetime:
    """Now, as the naive UTC datetime the database stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def zone(name: str | None = None) -> ZoneInfo:
    return ZoneInfo(name or DEFAULT_TZ)


def to_local(value: datetime | None, tz: str | None = None) -> datetime | None:
    """A stored (naive UTC) or aware datetime seen in ``tz``."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(zone(tz))
    except OverflowError:  # a stored 9999-12-31 or 0001-01-01: shown as the last or first instant there is
        return (datetime.max if value.year > 1 else datetime.min).replace(tzinfo=zone(tz))


def from_local(value: datetime | None, tz: str | None = None) -> datetime | None:
    """A wall-clock time in ``tz`` (naive or aware) as the naive UTC datetime to store."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    try:
        return value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # within a day of datetime.min/max
        return datetime.max if value.year > 1 else datetime.min


def shift(value: datetime, delta: timedelta) -> datetime:
    """``value + delta``, held at the first or last instant ``datetime`` has instead of overflowing
    (a stored 9999-12-31 plus a grace period)."""
    try:
        return value + delta
    except OverflowError:
        edge = datetime.max if delta > timedelta(0) else datetime.min
        return edge.replace(tzinfo=value.tzinfo)


def aware_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def format_date(value: date | datetime | None, tz: str | None = None, lang: str = "zh") -> str:
    """2024年5月26日（周日） in Chinese, 2024-05-26 (Sun) in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value, tz).date()
    if lang == "en":
        return f"{value.isoformat()} ({WEEKDAYS_EN[value.weekday()]})"
    return f"{value.year}年{value.month}月{value.day}日（周{WEEKDAYS_ZH[value.weekday()]}）"


def format_datetime(value: datetime | None, tz: str | None = None, lang: str = "zh") -> str:
    if value is None:
        return ""
    local = to_local(value, tz)
    return f"{format_date(local.date(), lang=lang)} {local:%H:%M}"


def format_time(value: datetime | None, tz: str | None = None) -> str:
    return "" if value is None else f"{to_local(value, tz):%H:%M}"
