"""The 送温暖 plugin's hook implementations (entry point ``warmth = plugins.warmth.plugin``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from flask import render_template_string
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import hookimpl
from core.access import can
from core.contrib import MenuItem, Permission, Role, Widget

HERE = Path(__file__).resolve().parent


@hookimpl
def huodong_models():
    """The archive, decisions, review, notices, campaigns, funds, pairings and wishes."""
    from plugins.warmth.models import MODELS

    return MODELS


@hookimpl
def huodong_blueprints():
    """The pages under ``/warmth`` and the JSON under ``/api/v1/warmth``."""
    from plugins.warmth.api import bp as api
    from plugins.warmth.views import bp as pages

    return [pages, api]


@hookimpl
def huodong_roles():
    return [Role("reviewer", _l("审核人")), Role("aid_officer", _l("帮扶专干"))]


@hookimpl
def huodong_permissions():
    """Who may see masked files, full files, file, review, run campaigns, funds, thresholds and wishes."""
    from plugins.warmth.scope import PERMISSIONS

    return [Permission(name, label, roles) for name, (label, roles) in PERMISSIONS.items()]


@hookimpl
def huodong_menu_items(account, event):
    """送温暖 for those who work on it; the self-test and 微心愿 for everyone."""
    if event is not None:
        return []
    items = [MenuItem(_("困难自测"), "warmth.self_test_page", order=90)]
    if account is None:
        return items
    items.append(MenuItem(_("微心愿"), "warmth.wishes", order=85))
    if can(account, "warmth.view"):
        items.append(MenuItem(_("送温暖"), "warmth.index", order=60))
    if can(account, "warmth.review"):
        items.append(MenuItem(_("帮扶审核"), "warmth.reviews", order=61))
    if can(account, "warmth.campaigns"):
        items.append(MenuItem(_("四季送温暖"), "warmth.campaigns_page", order=62))
    return items


WIDGET_FILES = 5  # files of each level named on the home page; the count says how many wait in all
_WIDGET = """<ul class="list">{% for level, (total, first) in pending.items() %}
<li>{{ labels[level] }}：<a href="{{ url_for('warmth.reviews', _anchor='level-' + level) }}">{{ _('%(n)s 户待处理', n=total) }}</a>
<ul>{% for h in first %}<li><a href="{{ url_for('warmth.household', household_id=h.id) }}">{{ h.masked_name }}</a> <span class="muted">{{ h.unit.name }}</span></li>{% endfor %}</ul></li>
{% endfor %}</ul>"""


@hookimpl
def huodong_dashboard_widgets(account):
    """Files waiting for this reviewer, per level: how many, and the first few."""
    if not can(account, "warmth.review"):
        return []
    from plugins.warmth.models import LEVELS
    from plugins.warmth.services.review import pending_queries

    pending = {}
    for level, query in pending_queries(account).items():
        total = query.count()
        if total:
            pending[level] = (total, list(query.limit(WIDGET_FILES)))
    if not pending:
        return []
    labels = {k: _(v) for k, v in LEVELS.items()}
    return [Widget(_("待审核的困难职工档案"), render_template_string(_WIDGET, pending=pending, labels=labels), order=20)]


@hookimpl
def huodong_event_figures(event):
    """People reached and money given by the campaigns linked to ``event``."""
    from plugins.warmth.models import Campaign
    from plugins.warmth.services.campaigns import figures

    linked = list(Campaign.select().where(Campaign.event == event.id))
    if not linked:
        return None
    people, money = 0, Decimal("0.00")
    for campaign in linked:
        f = figures(campaign)
        people += f["people"]
        money += f["money"]
    return {"people": people, "money": money}


@hookimpl
def huodong_demo_data(demo):
    """A winter campaign in 东湖街道 with bus drivers' and school staff's households, reviewers at the
    three levels, funds, collective visits and wishes."""
    from plugins.warmth.demo import build

    build(demo)


@hookimpl
def huodong_message_kinds():
    from plugins.warmth.services.notify import KINDS

    return KINDS


@hookimpl
def huodong_migrations():
    return ("warmth", HERE / "migrations")


@hookimpl
def huodong_template_dirs():
    return [HERE / "templates"]  # warmth/*.html
