"""The scoring plugin's hooks: models, permissions, pages, API, menu, event sections and sheets."""

from __future__ import annotations

from pathlib import Path

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from core import hookimpl
from core.access import can
from core.contrib import ExportSheet, MenuItem, Permission, Role, Section

HERE = Path(__file__).resolve().parent


def _scored(event) -> bool:
    from core.models import Item
    from plugins.scoring.models import ItemScoring

    return ItemScoring.select().join(Item).where(Item.event == event.id).exists()


@hookimpl
def huodong_models():
    from plugins.scoring.models import MODELS

    return MODELS


@hookimpl
def huodong_roles():
    return [Role("judge", _l("评委")), Role("referee", _l("裁判"))]


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
    from plugins.scoring.views import bp as pages

    return [pages, api_bp]


@hookimpl
def huodong_menu_items(account, event):
    if event is None:
        items = []
        if account is not None and can(account, "scoring.enter_results"):
            items.append(MenuItem(_("评分"), "scoring.mine", order=30))
        if account is not None and can(account, "scoring.publish"):
            items.append(MenuItem(_("活动积分"), "scoring.points", order=31))
        return items
    if not _scored(event):
        return []
    items = [MenuItem(_("成绩"), "scoring.standings", values={"event_id": event.id}, order=40),
             MenuItem(_("记分板"), "scoring.scoreboard", values={"event_id": event.id}, order=41)]
    if account is not None and can(account, "scoring.payout", event=event):
        items += [MenuItem(_("奖金预算"), "scoring.budget", values={"event_id": event.id}, order=42),
                  MenuItem(_("奖金发放表"), "scoring.payout", values={"event_id": event.id}, order=43),
                  MenuItem(_("获奖证书"), "scoring.certificates", values={"event_id": event.id}, order=44)]
    return items


@hookimpl
def huodong_event_sections(event, account):
    if not _scored(event):
        return []
    from plugins.scoring.tally import load_tally

    tally = load_tally(event)
    teams, names = tally.standings.teams, tally.names
    top = "".join(f"<li>{escape(_('第%(n)s名', n=p.place))} {escape(names.get(p.entry, ''))} · {escape(str(p.value))}</li>"
                  for p in teams[:3] if p.place)
    link = url_for("scoring.standings", event_id=event.id)
    html = Markup(f'<ol class="list">{top}</ol><p><a class="button" href="{escape(link)}">'
                  f'{escape(_("查看全部成绩"))}</a></p>')
    return [Section(_("成绩与团体总分"), html, order=30)]


@hookimpl
def huodong_export_sheets(event):
    if not _scored(event):
        return []
    from plugins.scoring import changes, sheets

    return [ExportSheet("payout", "奖金发放表", sheets.build, permission="scoring.payout"),
            ExportSheet("scoring_changes", "成绩更正记录", changes.sheet, permission="scoring.publish")]


@hookimpl
def huodong_event_figures(event):
    from plugins.scoring.tally import latest_payout_record

    record = latest_payout_record(event)
    if record is None:
        return {}
    paid = sum(1 for p in record.data.get("people", []) if p["total"] != "0.00")
    return {"prize_people": paid, "prize_money": record.total}


@hookimpl
def huodong_demo_data(demo):
    from plugins.scoring.demo import build

    build(demo)


@hookimpl
def huodong_message_kinds():
    from plugins.scoring.notices import KINDS

    return KINDS


@hookimpl
def huodong_migrations():
    return ("scoring", HERE / "migrations")


@hookimpl
def huodong_template_dirs():
    return [HERE / "templates"]  # scoring/*.html
