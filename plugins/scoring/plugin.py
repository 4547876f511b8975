"""The scoring plugin's hooks: models, permissions, pages, API, menu, event sections and sheets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core import hookimpl
from core.contrib import Permission


@hookimpl
def huodong_models():
    from plugins.scoring.models import MODELS

    return MODELS


@hookimpl
def huodong_permissions():
    return [
        Permission("scoring.enter_results", _l("录入成绩和评分"), ("judge", "referee", "organizer")),
        Permission("scoring.publish", _l("发布、解锁成绩，设置计分和奖金"), ("organizer",)),
        Permission("scoring.payout", _l("查看和生成奖金发放表"), ("organizer",)),
    ]


@hookimpl
def huodong_blueprints():
    from plugins.scoring.api import bp as api_bp

    return [api_bp]
