"""Where a self sign-in may come from: within a radius of the checkpoint's place.

The place is what the phone's browser reports through the Geolocation API: evidence, not proof (a
determined cheat can fake it), but it stops the usual abuse, a venue code forwarded to a WeChat
group and used from home. The default radius is 钉钉's 300 m, settable from 100 m to 3 km; the
reported accuracy is kept with the sign-in for the organizer to judge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import gettext as _

from core.errors import Invalid

DEFAULT_RADIUS_M = 300
MIN_RADIUS_M, MAX_RADIUS_M = 100, 3000
EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class Position:
    """A place a phone reported: degrees, and its accuracy in metres."""

    latitude: float
    longitude: float
    accuracy_m: float | None = None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def read_position(latitude, longitude, accuracy=None) -> Position | None:
    """A position from form text; ``None`` when none was sent, :class:`Invalid` when it is not one."""
    if latitude in (None, "") and longitude in (None, ""):
        return None
    try:
        lat, lon = float(latitude), float(longitude)
        acc = float(accuracy) if accuracy not in (None, "") else None
    except (TypeError, ValueError):
        raise Invalid(_("位置信息无效，请重新获取位置")) from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise Invalid(_("位置信息无效，请重新获取位置"))
    if acc is not None and not (math.isfinite(acc) and acc >= 0):
        acc = None
    return Position(lat, lon, acc)


def check_place(latitude: float | None, longitude: float | None, radius_m: int | None) -> dict:
    """The checkpoint's fence as saved, or :class:`Invalid` naming the field: both or neither of the
    coordinates, a radius within the allowed range."""
    errors = {}
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("请同时填写纬度和经度，或都留空")
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = _("纬度应在 -90 到 90 之间")
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = _("经度应在 -180 到 180 之间")
    radius = radius_m or DEFAULT_RADIUS_M
    if not MIN_RADIUS_M <= radius <= MAX_RADIUS_M:
        errors["radius_m"] = _("签到范围应在 %(low)s 到 %(high)s 米之间", low=MIN_RADIUS_M, high=MAX_RADIUS_M)
    if errors:
        raise Invalid(_("签到点设置有误"), errors)
    return {"latitude": latitude, "longitude": longitude, "radius_m": radius}


def outside(fence_lat: float | None, fence_lon: float | None, radius_m: int, position: Position | None) -> str | None:
    """Why ``position`` may not sign in at a checkpoint fenced at ``fence_lat``/``fence_lon`` (``None``: it may)."""
    if fence_lat is None or fence_lon is None:
        return None
    if position is None:
        return _("本签到点需要确认你在现场：请允许浏览器获取位置后重试")
    away = distance_m(fence_lat, fence_lon, position.latitude, position.longitude)
    if away > radius_m:
        return _("你不在签到范围内（距签到点约 %(away)s 米，范围 %(radius)s 米）", away=round(away),
                 radius=radius_m)
    return None
