"""Settings: defaults, then ``<instance>/config.py``, then ``HUODONG_*`` environment variables,
then what the caller passes. Secrets are generated on first start and kept in the instance folder.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULTS = {
    "DATABASE_URL": None,  # default: sqlite:///<instance>/huodong.sqlite3
    "SECRET_KEY": None,  # default: <instance>/secret_key, generated once
    "DATA_KEY": None,  # encrypts private data; default: <instance>/data_key, generated once
    "DISABLED_PLUGINS": "",
    "LANGUAGE": "zh",
    "BASE_URL": "http://127.0.0.1:5000",
    "TIMEZONE": "Asia/Shanghai",
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
    "WTF_I18N_ENABLED": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "LOGIN_MAX_FAILURES": 5,  # per username
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 50,  # per client address (a school often shares one)
    "LOGIN_WINDOW_SECONDS": 900,
    "SESSION_IDLE_MINUTES": 30,  # a login ends after this long without a request
    "SESSION_MAX_HOURS": 12,  # and this long after it began, however busy
    "COMPRESS": True,  # brotli or gzip for pages, styles, scripts and JSON; off where a proxy in front compresses
    # Reverse proxies in front (nginx, Caddy) whose X-Forwarded-For/-Proto/-Host are believed; 0: none, the
    # headers are ignored (anybody could send them).
    "PROXY_COUNT": 0,
    # The union's own login (OpenID Connect): on when an issuer is set (see core/services/identities.py).
    "OIDC_ISSUER": "",
    "OIDC_CLIENT_ID": "",
    "OIDC_CLIENT_SECRET": "",
    "OIDC_NAME": "统一身份认证",  # the button on the login page
    "OIDC_SCOPE": "openid profile phone",
    "OIDC_MATCH": "employee_number=staff_no",  # the claim that finds a member the first time, and his field
    # Messages (core/messages): mail over SMTP, group robots, the worker's retries.
    "MAIL_URL": "",  # smtp://user:pw@host:587 (STARTTLS), smtps://user:pw@host:465, smtp://host:25
    "MAIL_FROM": "",  # default: 工会活动 <noreply@host of BASE_URL>
    "MAIL_CA_FILE": "",  # PEM file of the CA that signed the mail server's certificate (default: the system's)
    "WECOM_ROBOT_URL": "",  # 企业微信群机器人 webhook
    "DINGTALK_ROBOT_URL": "",  # 钉钉群机器人 webhook
    "DINGTALK_ROBOT_SECRET": "",  # its 加签 secret (SEC...), if set
    "MESSAGE_MAX_ATTEMPTS": 6,
    "MESSAGE_RETRY_SECONDS": 60,  # the first retry; each next one waits twice as long
    "MESSAGE_SEND_TIMEOUT": 20,  # seconds for one SMTP or robot exchange
}

_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def instance_path(override: str | None = None) -> Path:
    """The instance folder: ``HUODONG_INSTANCE_PATH`` or ``./instance``."""
    return Path(override or os.environ.get("HUODONG_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


def _coerce(default, raw: str):
    if isinstance(default, bool):
        return _BOOLEANS.get(raw.strip().lower(), default)
    if isinstance(default, int):
        return int(raw)
    return raw


def _secret_file(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


def peek(key: str, instance: Path | None = None):
    """One setting as ``load`` would give it, without creating the instance folder or any secret.

    Used before an app exists, e.g. by the command line to learn which plugins are disabled.
    """
    raw = os.environ.get(f"HUODONG_{key}")
    if raw is not None:
        return _coerce(DEFAULTS.get(key, ""), raw)
    config_file = (instance or instance_path()) / "config.py"
    if config_file.exists():
        namespace: dict = {}
        exec(compile(config_file.read_text(), str(config_file), "exec"), namespace)  # noqa: S102 - the operator's file
        if key in namespace:
            return namespace[key]
    return DEFAULTS.get(key)


def disabled_plugins(value) -> list[str]:
    """``DISABLED_PLUGINS`` as a list, from a comma-separated string or a list."""
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [p for p in (value or ()) if p]


def load(config, instance: Path, overrides: dict | None = None) -> None:
    """Fill the Flask ``config`` mapping."""
    instance.mkdir(parents=True, exist_ok=True)
    config.from_mapping(DEFAULTS)
    config_file = instance / "config.py"
    if config_file.exists():
        config.from_pyfile(str(config_file))
    for key, default in DEFAULTS.items():
        raw = os.environ.get(f"HUODONG_{key}")
        if raw is not None:
            config[key] = _coerce(default, raw)
    config.update(overrides or {})
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'huodong.sqlite3'}"
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _secret_file(instance / "secret_key")
    if not config["DATA_KEY"]:
        config["DATA_KEY"] = _secret_file(instance / "data_key")
    config["DISABLED_PLUGINS"] = disabled_plugins(config["DISABLED_PLUGINS"])
