"""The navigation menu: the core's entries and those plugins add through ``huodong_menu_items``."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _

from core.access import can, current_account
from core.contrib import MenuItem
from core.messages.inbox import unread_count
from core.plugins import flatten


def core_menu(account) -> list[MenuItem]:
    items = [MenuItem(_("首页"), "main.dashboard", order=0), MenuItem(_("活动"), "events.index", order=10)]
    if account is not None:
        items.append(MenuItem(_("我的报名"), "registrations.mine", order=20))
        items.append(MenuItem(_("我的日历"), "feeds.mine", order=25))
        unread = unread_count(account)
        items.append(MenuItem(_("我的消息"), "messages.inbox_page", order=27, badge=str(unread) if unread else "",
                              badge_label=_("%(n)s 条未读", n=unread) if unread else ""))
        if can(account, "members.view"):
            items.append(MenuItem(_("会员"), "members.index", order=40))
        if can(account, "units.manage"):
            items.append(MenuItem(_("组织"), "units.index", order=50))
        if can(account, "accounts.manage"):
            items.append(MenuItem(_("账号"), "accounts.index", order=55))
        items.append(MenuItem(_("我的账号"), "account.show", order=90))
    return items


def menu_items(event=None) -> list[dict]:
    """Menu entries for the current account, as ``{"label", "url"}`` dicts in order."""
    account = current_account()
    items = core_menu(account) if event is None else []
    pm = current_app.extensions["huodong_pm"]
    items += flatten(pm.hook.huodong_menu_items(account=account, event=event))
    out = []
    for item in sorted(items, key=lambda i: i.order):
        if item.endpoint and item.endpoint not in current_app.view_functions:
            continue
        url = item.url or url_for(item.endpoint, **item.values)
        out.append({"label": item.label, "url": url, "icon": item.icon, "badge": item.badge,
                    "badge_label": item.badge_label})
    return out
