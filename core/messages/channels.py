"""How messages go out. The in-app inbox needs no channel: a message is in the recipient's inbox from
the moment its transaction commits. Every other way is a channel object:

- ``name`` (stored with each delivery), ``label`` (shown to members and in the delivery log);
- ``audience``: ``"person"`` (the member chooses it on /account; ``address(member, preference)`` says
  where to, or ``None`` when the member has no such address) or ``"group"`` (a group robot that gets
  event-level notices only; ``configured()`` says whether it is set up);
- ``send(outgoing)`` delivers one :class:`Outgoing` or raises :class:`DeliveryError` (any other exception
  counts as a passing failure and is retried);
- ``batch()``, optional: a context manager around a run of sends (the mail channel keeps one SMTP
  connection open through it).

The core's channels: mail over SMTP (``HUODONG_MAIL_URL``), 企业微信 and 钉钉 group robots
(``HUODONG_WECOM_ROBOT_URL``, ``HUODONG_DINGTALK_ROBOT_URL`` and ``HUODONG_DINGTALK_ROBOT_SECRET``). Plugins add
theirs (SMS) through ``huodong_message_channels``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlparse

from flask import current_app

from core.plugins import flatten


class DeliveryError(Exception):
    """A delivery failed. ``permanent``: retrying cannot help (an address refused, a robot that says the
    message is invalid); otherwise the worker tries again later."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """One delivery as a channel sees it."""

    delivery_id: int
    message_id: int
    channel: str
    address: str
    kind: str
    language: str
    subject: str
    body: str
    link: str = ""

    @property
    def text(self) -> str:
        """Subject, body and link as one plain text (robots, SMS)."""
        parts = [self.subject, self.body]
        if self.link:
            parts.append(self.link)
        return "\n".join(p for p in parts if p)


class Channel:
    name = ""
    label = ""
    audience = "person"

    def address(self, member, preference) -> str | None:
        return None

    def configured(self) -> bool:
        return True

    def send(self, outgoing: Outgoing) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def batch(self):
        yield


def _timeout() -> float:
    return float(current_app.config.get("MESSAGE_SEND_TIMEOUT", 20))


# ---------------------------------------------------------------- mail


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    implicit_tls: bool
    starttls: str  # "auto": when offered (required with a password); "no": never
    user: str | None
    password: str | None


def parse_mail_url(url: str) -> MailSettings:
    """``smtp://user:pw@host:587`` (STARTTLS), ``smtps://user:pw@host:465`` (TLS from the start),
    ``smtp://host:2525`` (no login: STARTTLS only if the server offers it). ``?starttls=no`` turns
    STARTTLS off (a local relay)."""
    parsed = urlparse(url or "")
    if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname:
        # Not the setting itself: it may hold the password, and the delivery log is read by organizers.
        raise DeliveryError("HUODONG_MAIL_URL " + ("无效" if url else "未设置") + "：应为 smtp://用户:密码@主机:587",
                            permanent=True)
    query = urllib.parse.parse_qs(parsed.query)
    try:
        port = parsed.port or (465 if parsed.scheme == "smtps" else 587)
    except ValueError as exc:
        raise DeliveryError(f"HUODONG_MAIL_URL 端口无效：{exc}", permanent=True) from None
    return MailSettings(host=parsed.hostname, port=port, implicit_tls=parsed.scheme == "smtps",
                        starttls=(query.get("starttls") or ["auto"])[0],
                        user=unquote(parsed.username) if parsed.username else None,
                        password=unquote(parsed.password) if parsed.password else None)


class MailChannel(Channel):
    name = "mail"
    label = "电子邮件"

    def __init__(self):
        self._smtp: smtplib.SMTP | None = None
        self._in_batch = False

    def address(self, member, preference):
        return (preference.email or None) if preference is not None else None

    def configured(self) -> bool:
        return bool(current_app.config.get("MAIL_URL"))

    def _sender(self) -> str:
        sender = current_app.config.get("MAIL_FROM")
        if sender:
            return sender
        host = urlparse(current_app.config.get("BASE_URL", "")).hostname or "localhost"
        return formataddr(("工会活动", f"noreply@{host}"))

    def _connect(self) -> smtplib.SMTP:
        settings = parse_mail_url(current_app.config.get("MAIL_URL", ""))
        # A union's own mail server may carry a certificate of its own CA: MAIL_CA_FILE trusts that CA instead.
        context = ssl.create_default_context(cafile=current_app.config.get("MAIL_CA_FILE") or None)
        try:
            if settings.implicit_tls:
                smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=_timeout(), context=context)
            else:
                smtp = smtplib.SMTP(settings.host, settings.port, timeout=_timeout())
            smtp.ehlo()
            if not settings.implicit_tls and settings.starttls != "no":
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()
                elif settings.user:
                    smtp.close()
                    raise DeliveryError(f"邮件服务器 {settings.host}:{settings.port} 不支持 STARTTLS，拒绝以明文发送密码")
            if settings.user:
                smtp.login(settings.user, settings.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"邮件服务器拒绝登录：{exc.smtp_code} {_decode(exc.smtp_error)}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"无法连接邮件服务器 {settings.host}:{settings.port}：{_describe(exc)}") from None
        return smtp

    @contextlib.contextmanager
    def batch(self):
        self._in_batch = True
        try:
            yield
        finally:
            self._in_batch = False
            self._drop()

    def _drop(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(Exception):
                self._smtp.quit()
            self._smtp = None

    def send(self, outgoing: Outgoing) -> None:
        domain = urlparse(current_app.config.get("BASE_URL", "")).hostname or "localhost"
        mail = compose_mail(outgoing, self._sender(), domain)
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise DeliveryError(f"收件地址被拒绝：{code} {_decode(text)}", permanent=code >= 500) from None
        except smtplib.SMTPResponseException as exc:
            self._drop()
            raise DeliveryError(f"邮件服务器拒收：{exc.smtp_code} {_decode(exc.smtp_error)}",
                                permanent=exc.smtp_code >= 500) from None
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise DeliveryError(f"发送邮件时连接中断：{_describe(exc)}") from None
        finally:
            if not self._in_batch:
                self._drop()
        if refused:
            code, text = next(iter(refused.values()))
            raise DeliveryError(f"收件地址被拒绝：{code} {_decode(text)}", permanent=code >= 500)


def compose_mail(outgoing: Outgoing, sender: str, domain: str) -> EmailMessage:
    """The mail for one delivery: plain text, the link under the body, the delivery's id in a header."""
    mail = EmailMessage()
    mail["Subject"] = outgoing.subject
    mail["From"] = sender
    mail["To"] = outgoing.address
    # With its domain given, make_msgid does not ask the resolver for this host's name on every mail.
    mail["Message-ID"] = make_msgid(idstring=f"huodong-{outgoing.delivery_id}", domain=domain)
    mail["X-Huodong-Delivery"] = str(outgoing.delivery_id)
    mail.set_content(outgoing.body + (f"\n\n{outgoing.link}" if outgoing.link else ""))
    return mail


def _decode(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "超时"
    return f"{type(exc).__name__}: {exc}"


# ---------------------------------------------------------------- group robots


def post_json(url: str, body: dict, who: str = "机器人") -> dict:
    """POST ``body`` as JSON; the JSON answer (``errcode`` other than 0 is a failure, as robots answer).
    Failures become :class:`DeliveryError` naming ``who`` and the host."""
    host = urlparse(url).netloc
    if urlparse(url).scheme not in ("http", "https") or not host:
        # Not the address itself: a webhook's address holds its key, and the delivery log is read by organizers.
        raise DeliveryError(f"{who}地址无效：应以 https:// 开头", permanent=True)
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:  # noqa: S310 (the operator's URL)
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"{who} {host} 答复 HTTP {exc.code}", permanent=400 <= exc.code < 500
                            and exc.code not in (408, 429)) from None
    except (OSError, ValueError) as exc:
        raise DeliveryError(f"无法连接{who} {host}：{_describe(exc)}") from None
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise DeliveryError(f"{who} {host} 的答复不是 JSON") from None
    code = answer.get("errcode", 0)
    if code not in (0, "0"):
        raise DeliveryError(f"{who} {host} 拒绝：errcode {code} {answer.get('errmsg', '')}".strip())
    return answer


class WeComRobot(Channel):
    """企业微信群机器人: ``{"msgtype": "text", "text": {"content": ...}}`` to its webhook address."""

    name = "wecom"
    label = "企业微信群机器人"
    audience = "group"
    setting = "WECOM_ROBOT_URL"

    def url(self) -> str:
        return current_app.config.get(self.setting) or ""

    def configured(self) -> bool:
        return bool(self.url())

    def send(self, outgoing: Outgoing) -> None:
        if not self.url():
            raise DeliveryError(f"未设置 HUODONG_{self.setting}", permanent=True)
        # A group notice's body is its whole text (kinds' group templates begin with the event's name).
        content = outgoing.body + (f"\n{outgoing.link}" if outgoing.link else "")
        post_json(self.signed_url(), {"msgtype": "text", "text": {"content": content}}, who=self.label)

    def signed_url(self) -> str:
        return self.url()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉's signature: base64 of HMAC-SHA256 over ``"{timestamp}\\n{secret}"`` keyed by the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class DingTalkRobot(WeComRobot):
    """钉钉群机器人: the same JSON; with a secret (加签) the address carries ``timestamp`` and ``sign``."""

    name = "dingtalk"
    label = "钉钉群机器人"
    setting = "DINGTALK_ROBOT_URL"

    def signed_url(self) -> str:
        url = self.url()
        secret = current_app.config.get("DINGTALK_ROBOT_SECRET") or ""
        if not secret:
            return url
        timestamp = int(time.time() * 1000)
        query = urllib.parse.urlencode({"timestamp": timestamp, "sign": dingtalk_sign(secret, timestamp)})
        return url + ("&" if "?" in url else "?") + query


def builtin_channels() -> list[Channel]:
    return [MailChannel(), WeComRobot(), DingTalkRobot()]


def all_channels() -> dict[str, Channel]:
    """Every channel of the core and the loaded plugins, by name (one set of objects per app)."""
    found = current_app.extensions.get("huodong_channels")
    if found is None:
        pm = current_app.extensions["huodong_pm"]
        found = {c.name: c for c in [*builtin_channels(), *flatten(pm.hook.huodong_message_channels())]}
        current_app.extensions["huodong_channels"] = found
    return found


def person_channels() -> list[Channel]:
    """The channels members may choose: those set up on this install."""
    return [c for c in all_channels().values() if c.audience == "person" and c.configured()]


def group_channels() -> list[Channel]:
    return [c for c in all_channels().values() if c.audience == "group" and c.configured()]
