"""What can be sent: each kind of message with its texts, in Chinese (the message ids) and in English
through the catalogs (``translations/en.po``).

A kind's texts are ``%(name)s`` templates filled from the context given to :func:`core.messages.send`.
Rendering happens when the message is queued, in the recipient's language: the inbox, the mail and the
delivery log then show the same words, the worker needs nothing but the row (not the plugin that made
the kind, nor the registration as it was), and a later change of the cause does not rewrite what was
already said. Plugins add kinds through ``huodong_message_kinds``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from core.plugins import flatten
from core.timeutil import format_datetime


def _l(text: str) -> str:
    """Marks a message text for the catalogs (``huodong translations``); it is translated when rendered."""
    return text


def translate(language: str, template: str, values: dict | None = None) -> str:
    """``template`` (a Chinese message id) in ``language``, filled with ``values`` (a missing key is blank)."""
    domain = current_app.extensions["huodong_i18n"]
    catalog = domain.catalogs.get(language)
    found = catalog.ugettext(template) if catalog is not None else template
    if values is None:
        return found
    return found % (values if isinstance(values, _Blank) else _Blank(values))


@dataclass(frozen=True)
class MessageKind:
    """A kind of message.

    ``subject`` and ``body`` are Chinese ``%(name)s`` templates (mark them with ``_l`` so that they reach
    the catalog); ``lines`` are ``(key, template)`` pairs appended to the body only when the context's
    ``key`` is set (a reason, a note). ``group`` is the text a group robot (企业微信/钉钉) may carry for the
    event, or ``None``: never to a group. It must hold no private detail — no amount, no aid decision,
    no reason given about one person; use ``%(masked_name)s`` rather than the full name.
    ``render``, when given, replaces the templates: ``render(language, context) -> (subject, body)``.
    ``inbox=False`` keeps a kind out of 我的消息: one that carries a key (a password-reset link) goes only to
    the address it was sent to.
    """

    key: str
    label: str
    subject: str
    body: str
    lines: tuple[tuple[str, str], ...] = ()
    group: str | None = None
    render: Callable[[str, dict], tuple[str, str]] | None = field(default=None, compare=False)
    inbox: bool = True

    def texts(self, language: str, context: dict) -> tuple[str, str]:
        if self.render is not None:
            return self.render(language, context)
        values = localized(language, context)
        subject = translate(language, self.subject, values)
        body = translate(language, self.body, values)
        for key, template in self.lines:
            if context.get(key):
                body += "\n" + translate(language, template, values)
        return subject, body

    def group_text(self, language: str, context: dict) -> str | None:
        if self.group is None:
            return None
        return translate(language, self.group, localized(language, context))


class Text(str):
    """A context value that is itself a message (a role's name, a status): translated with the texts."""


class _Blank(dict):
    def __missing__(self, key):
        return ""


def localized(language: str, context: dict) -> dict:
    """The context as text in ``language``: datetimes in the event's zone (``context["timezone"]``)."""
    out = _Blank()
    zone = context.get("timezone")
    for key, value in context.items():
        if isinstance(value, datetime):
            out[key] = format_datetime(value, zone, language)
        elif isinstance(value, Text):
            out[key] = translate(language, value)
        else:
            out[key] = "" if value is None else value
    return out


CORE_KINDS = (
    MessageKind(
        "registration.received", _l("报名成功"), _l("报名成功：%(event)s"),
        _l("%(name)s，您已报名“%(event)s”。\n时间：%(starts_at)s\n地点：%(venue)s"),
        lines=(("registered_by", _l("由%(registered_by)s代为报名。")),)),
    MessageKind(
        "registration.waitlisted", _l("进入候补"), _l("已进入候补：%(event)s"),
        _l("%(name)s，“%(event)s”名额已满，您在候补名单第 %(rank)s 位。有人退出时按顺序递补，届时会通知您。")),
    MessageKind(
        "registration.promoted", _l("候补转正"), _l("候补转正：%(event)s"),
        _l("%(name)s，“%(event)s”有人退出，您已由候补转为正式报名。\n时间：%(starts_at)s\n地点：%(venue)s"),
        group=_l("【%(event)s】候补递补：%(masked_name)s 已转为正式报名。")),
    MessageKind(
        "registration.refused", _l("报名未通过"), _l("报名未通过：%(event)s"),
        _l("%(name)s，您的“%(event)s”报名未通过。"),
        lines=(("reason", _l("原因：%(reason)s")),)),
    MessageKind(
        "registration.changed", _l("报名被修改"), _l("报名已被修改：%(event)s"),
        _l("%(name)s，%(by)s修改了您的“%(event)s”报名，请查看。"),
        lines=(("reason", _l("原因：%(reason)s")),)),
    MessageKind(
        "registration.withdrawn", _l("报名被取消"), _l("报名已被取消：%(event)s"),
        _l("%(name)s，%(by)s取消了您的“%(event)s”报名。"),
        lines=(("reason", _l("原因：%(reason)s")),)),
    MessageKind(
        "registration.deadline", _l("报名即将截止"), _l("报名即将截止：%(event)s"),
        _l("%(name)s，“%(event)s”的报名将于 %(closes_at)s 截止。%(whose)s目前已报名 %(count)s 人，"
           "如需增减请在截止前办理。"),
        lines=(("page", _l("报名页面：%(page)s")),)),
    MessageKind(
        "account.verify_email", _l("验证邮箱"), _l("请验证您的电子邮箱"),
        _l("%(name)s，您在工会活动平台填写了这个电子邮箱。请在 3 天内打开下面的链接完成验证，验证后忘记密码时可用它重设密码：\n%(url)s\n如果不是您本人操作，请忽略本邮件。"),
        inbox=False),
    MessageKind(
        "account.reset", _l("重设密码"), _l("重设密码"),
        _l("%(name)s，有人为您的账号 %(username)s 申请了重设密码。请在 1 小时内打开下面的链接设置新密码：\n%(url)s\n如果不是您本人申请，请忽略本邮件，您的密码不会改变。"),
        inbox=False),
    MessageKind(
        "event.assigned", _l("任务安排"), _l("任务安排：%(event)s"),
        _l("%(name)s，您被安排担任“%(event)s”%(item)s的%(role)s。\n时间：%(starts_at)s\n地点：%(venue)s"),
        lines=(("by", _l("安排人：%(by)s")), ("page", _l("您的任务：%(page)s")))),
    MessageKind(
        "event.unassigned", _l("任务取消"), _l("任务取消：%(event)s"),
        _l("%(name)s，您在“%(event)s”%(item)s的%(role)s任务已取消。"),
        lines=(("by", _l("办理人：%(by)s")),)),
    MessageKind(
        "event.result", _l("成绩公布"), _l("成绩公布：%(event)s"),
        _l("%(name)s，“%(event)s”%(item)s的结果已公布：您获得第 %(place)s 名。"),
        lines=(("band", _l("奖项：%(band)s")), ("prize", _l("奖金：%(prize)s")), ("page", _l("查看结果：%(page)s")))),
    MessageKind(
        "event.broadcast", _l("活动通知"), _l("%(event)s：%(title)s"), _l("%(text)s"),
        group=_l("【%(event)s】%(title)s\n%(text)s")),
    MessageKind(
        "unit.broadcast", _l("单位通知"), _l("%(unit)s：%(title)s"), _l("%(text)s"),
        group=_l("【%(unit)s】%(title)s\n%(text)s")),
    MessageKind(
        "event.reminder", _l("活动提醒"), _l("明天：%(event)s"),
        _l("%(name)s，您报名的“%(event)s”明天举行。\n时间：%(starts_at)s\n地点：%(venue)s"),
        lines=(("signin", _l("签到：%(signin)s")), ("note", "%(note)s"), ("calendar", _l("加入日历：%(calendar)s"))),
        group=_l("【活动提醒】“%(event)s”明天举行。时间：%(starts_at)s，地点：%(venue)s")),
)


_loaded: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def all_kinds() -> dict[str, MessageKind]:
    """The core's kinds and those the loaded plugins add, by key (asked of the plugins once per app: the
    unread count in every page's menu reads it)."""
    pm = current_app.extensions["huodong_pm"]
    kinds = _loaded.get(pm)
    if kinds is None:
        kinds = {k.key: k for k in CORE_KINDS}
        for kind in flatten(pm.hook.huodong_message_kinds()):
            kinds[kind.key] = kind
        _loaded[pm] = kinds
    return kinds


def hidden_kinds() -> list[str]:
    """Keys of the kinds kept out of 我的消息."""
    return [key for key, kind in all_kinds().items() if not kind.inbox]


def kind_of(key: str) -> MessageKind:
    kinds = all_kinds()
    if key not in kinds:
        raise KeyError(f"unknown message kind {key!r} (add it through huodong_message_kinds)")
    return kinds[key]
