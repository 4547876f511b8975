"""``create_app()``: configuration, database, plugins, blueprints, templates and error pages."""

from __future__ import annotations

import logging
from decimal import InvalidOperation
from pathlib import Path

import peewee
from flask import Flask, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_compress import Compress
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from core import config as config_module
from core import i18n, privacy, security, sessions, validation
from core.access import CORE_PERMISSIONS, wants_json
from core.db import bind, db, open_database
from core.errors import UserError
from core.paths import STATIC, TEMPLATES, TRANSLATIONS
from core.plugins import flatten, make_plugin_manager, ordered_plugins

log = logging.getLogger("huodong")
csrf = CSRFProtect()


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` in URLs, limited to what a database integer holds: a larger number finds nothing
    (404) instead of overflowing the database driver (500)."""

    def __init__(self, map, *args, max=2**63 - 1, **kwargs):
        super().__init__(map, *args, max=max, **kwargs)


def create_app(config: dict | None = None, extra_plugins=()) -> Flask:
    """Build the huodong app. ``config`` overrides settings; ``extra_plugins`` are ``(name, module)`` pairs."""
    config = dict(config or {})
    instance = config_module.instance_path(config.pop("INSTANCE_PATH", None))
    app = Flask(
        "huodong",
        instance_path=str(instance),
        static_folder=str(STATIC),
        template_folder=None,
    )
    config_module.load(app.config, instance, config)
    privacy.configure(app.config["DATA_KEY"])
    bind(open_database(app.config["DATABASE_URL"]))

    pm = make_plugin_manager(app.config["DISABLED_PLUGINS"], extra_plugins)
    app.extensions["huodong_pm"] = pm
    plugin_dirs = [Path(module.__file__).parent for _name, module in ordered_plugins(pm)
                   if getattr(module, "__file__", None)]

    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader([str(TEMPLATES), *map(str, flatten(pm.hook.huodong_template_dirs()))])]
    )
    i18n.init_app(app, [TRANSLATIONS / "en.po"] + [d / "translations" / "en.po" for d in plugin_dirs])
    csrf.init_app(app)

    app.extensions["huodong_permissions"] = {
        p.name: p for p in [*CORE_PERMISSIONS, *flatten(pm.hook.huodong_permissions())]
    }
    app.extensions["huodong_activity_types"] = {t.key: t for t in flatten(pm.hook.huodong_activity_types())}

    app.url_map.converters["int"] = DatabaseIntConverter
    _register_blueprints(app, pm)
    _register_database_hooks(app)
    security.init_app(app)
    validation.init_app(app)
    sessions.init_app(app)
    _register_error_handlers(app)
    _register_template_helpers(app)
    if app.config["COMPRESS"]:
        _register_compression(app)
    if app.config["PROXY_COUNT"]:
        # The client's address (login and activation limits count per address), scheme and host as the
        # proxies in front saw them; only that many hops are believed, so a client cannot forge its own.
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _check_views_declare_access(app)
    return app


# What is compressed: text the app writes. Calendar feeds (text/calendar) are left alone: their ETag is the
# app's own, answered with a 304 before any body is made. Files (xlsx, PNG, uploads) are compressed already.
COMPRESSED_TYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                    "image/svg+xml", "text/plain"]


def _register_compression(app: Flask) -> None:
    """Answers of 500 bytes or more go out with brotli or gzip, as the client asks (``Vary: Accept-Encoding``)."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])  # static files are sent streamed
    compress = Compress(app)
    # Flask-Compress looks at every answer, which costs a sign-in about a quarter of a millisecond; a
    # client that accepts no encoding (scanners' API calls, load balancers) is answered without that look.
    app.after_request_funcs[None].remove(compress.after_request)

    @app.after_request
    def _compress(response):
        if "HTTP_ACCEPT_ENCODING" not in request.environ:
            if response.mimetype in COMPRESSED_TYPES:
                response.vary.add("Accept-Encoding")  # caches still learn that the answer varies
            return response
        return compress.after_request(response)


def plugin_manager(app: Flask | None = None):
    from flask import current_app

    return (app or current_app).extensions["huodong_pm"]


def _register_blueprints(app: Flask, pm) -> None:
    from core.api import api
    from core.views import blueprints as core_blueprints

    for blueprint in core_blueprints():
        app.register_blueprint(blueprint)
    app.register_blueprint(api)
    csrf.exempt(api)
    for blueprint in flatten(pm.hook.huodong_blueprints()):
        if blueprint.name.startswith("api_") or (blueprint.url_prefix or "").startswith("/api/"):
            csrf.exempt(blueprint)
        app.register_blueprint(blueprint)


# Values cached on ``g`` for one request: the account, its API token, its grants, the language, the CSP
# nonce and Flask-Babel's locale. A request reuses an application context already pushed around it (tests,
# jobs), so they are cleared when each request starts.
REQUEST_CACHES = ("_account", "_token", "_grants", "_language", "_csp_nonce", "_flask_babel")


def _register_database_hooks(app: Flask) -> None:
    @app.before_request
    def _fresh_request():
        for name in REQUEST_CACHES:
            g.pop(name, None)

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(_exc):
        if not db.is_closed():
            db.close()


def _error_response(status: int, code: str, message: str, errors: dict | None = None):
    if wants_json():
        body = {"error": code, "message": message}
        if errors:
            body["errors"] = errors
        response = jsonify(body)
        response.status_code = status
        return response
    return render_template("core/error.html", status=status, message=message, errors=errors or {}), status


def _register_error_handlers(app: Flask) -> None:
    messages = {
        400: "请求无效",
        401: "请先登录",
        403: "没有权限访问此页面",
        404: "找不到该页面或记录",
        405: "不支持此请求方法",
        409: "操作与当前状态冲突",
        413: "上传的文件太大",
        415: "不支持的内容类型",
        422: "提交的数据有误",
        429: "尝试次数过多，请稍后再试",
    }

    @app.errorhandler(UserError)
    def _user_error(exc: UserError):
        return _error_response(exc.status, type(exc).__name__.lower(), exc.message, exc.errors)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc):
        return _error_response(400, "csrf", _("表单已过期或来源无效，请刷新页面后重试"))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.response is not None:
            return exc.response
        status = exc.code or 500
        if status == 401 and not wants_json():
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return _error_response(status, exc.name.lower().replace(" ", "_"), _(messages.get(status, exc.name)))

    @app.errorhandler(OverflowError)
    @app.errorhandler(InvalidOperation)
    @app.errorhandler(peewee.DataError)
    def _out_of_range(exc):
        # A value past what a column or a conversion holds that no validator caught: the transaction
        # was rolled back when the error left it; the user reads a refusal, the log says where.
        log.warning("value out of range on %s %s: %s", request.method, request.path, exc)
        return _error_response(422, "invalid", validation.range_message())

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if app.config.get("TESTING") and app.config.get("PROPAGATE_UNEXPECTED", True):
            raise exc
        return _error_response(500, "internal", _("服务器内部错误，请稍后再试或联系管理员"))


def _register_template_helpers(app: Flask) -> None:
    from core import access, money, timeutil
    from core.navigation import menu_items

    def tz_default():
        return app.config["TIMEZONE"]

    app.jinja_env.filters.update(
        localtime=lambda v, tz=None: timeutil.format_datetime(v, tz or tz_default(), i18n.current_language()),
        cn_date=lambda v, tz=None: timeutil.format_date(v, tz or tz_default(), i18n.current_language()),
        hm=lambda v, tz=None: timeutil.format_time(v, tz or tz_default()),
        yuan=money.format_yuan,
        mask_id=privacy.mask_id,
        mask_name=privacy.mask_name,
        mask_phone=privacy.mask_phone,
    )
    app.jinja_env.globals.update(
        current_account=access.current_account,
        can=lambda perm, **kw: access.can(access.current_account(), perm, **kw),
        menu_items=menu_items,
        languages=i18n.LANGUAGES,
        current_language=i18n.current_language,
    )

    @app.context_processor
    def _inject():
        return {"g": g}


def _check_views_declare_access(app: Flask) -> None:
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "_access")
    ]
    if missing:
        raise RuntimeError(f"views without an access rule (use core.access): {', '.join(sorted(missing))}")
