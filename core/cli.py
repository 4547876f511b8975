"""The ``huodong`` command."""

from __future__ import annotations

import getpass
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from core import __version__


def _app(**overrides):
    from core.app import create_app

    return create_app(overrides)


@contextmanager
def app_context(**overrides):
    """The app with its context pushed and a database connection open: what a plugin's command needs."""
    from core.db import db

    app = _app(**overrides)
    with app.app_context(), db.connection_context():
        yield app


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="huodong")
def cli():
    """huodong 工会活动管理：报名、扫码签到、评分奖金、外出活动与送温暖。"""


@cli.command()
def migrate():
    """执行数据库迁移（建表或升级）：先核心的，再各插件自己的。"""
    from core.db import db
    from core.migrate import carry_over_legacy_history
    from core.migrate import migrate as run

    app = _app()
    with app.app_context():
        with db.connection_context():
            moved = carry_over_legacy_history()
        if moved:
            click.echo(f"内置插件的 {len(moved)} 个迁移已在共用目录中执行过，记录已移到各插件自己的迁移记录表，不再重复执行")
        ran = run(app.extensions["huodong_pm"])
    click.echo(f"已执行 {len(ran)} 个迁移" + (f"：{', '.join(ran)}" if ran else "，数据库已是最新"))


@cli.command()
@click.argument("name")
@click.option("--plugin", help="为该插件生成（写入插件自己的 migrations/ 目录）；不填则为核心")
def makemigrations(name, plugin):
    """比较模型与已有迁移，在 migrations/（或插件的 migrations/）中生成新的迁移文件。"""
    from core.migrate import UnknownPlugin, make_migration

    app = _app()
    with app.app_context():
        try:
            created = make_migration(app.extensions["huodong_pm"], name, plugin=plugin)
        except UnknownPlugin:
            raise click.ClickException(f"插件 {plugin} 未加载或没有迁移目录（huodong_migrations）") from None
    click.echo(f"已生成迁移：{created}" if created else "模型没有变化，无需迁移")


@cli.command("create-admin")
@click.argument("username")
@click.option("--password", help="不填则交互输入")
def create_admin(username, password):
    """创建系统管理员账号。"""
    from core.db import db
    from core.errors import UserError
    from core.migrate import migrate as run
    from core.services.accounts import create_account

    app = _app()
    if not password:
        password = getpass.getpass("密码：")
    with app.app_context():
        run(app.extensions["huodong_pm"])
        with db.connection_context():
            try:
                create_account(username, password, roles=["admin"], display_name="系统管理员")
            except UserError as exc:
                raise click.ClickException(exc.message) from None
    click.echo(f"已创建管理员 {username}")


@cli.command("create-token")
@click.argument("username")
@click.option("--name", default="cli", help="令牌用途")
def create_token(username, name):
    """为账号生成 API 令牌（只显示一次）。"""
    from core.db import db
    from core.models import Account
    from core.services.accounts import issue_token

    app = _app()
    with app.app_context(), db.connection_context():
        account = Account.get_or_none(Account.username == username)
        if account is None:
            raise click.ClickException(f"没有账号 {username}")
        click.echo(issue_token(account, name))


@cli.command()
def plugins():
    """列出已加载的插件。"""
    from core.plugins import plugin_names

    app = _app()
    for name in plugin_names(app.extensions["huodong_pm"]):
        click.echo(name)


def _serve(app, host: str, port: int, workers: int, threads: int = 4, post_worker_init=None):
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", "-" if os.environ.get("HUODONG_ACCESS_LOG") else None)
            if post_worker_init is not None:
                self.cfg.set("post_worker_init", post_worker_init)

        def load(self):
            return app

    # What ran before (the pending-migrations check, the demo's build) left connections in the pool; the
    # workers forked from here would share them, and two processes on one PostgreSQL connection fail.
    from core.db import close_all

    close_all()
    Server().run()


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="进程数（一般为 CPU 核数）")
@click.option("--threads", default=4, show_default=True, type=int, help="每个进程的线程数")
def serve(host, port, workers, threads):
    """启动服务（gunicorn）。先执行 huodong migrate：有未执行的迁移时拒绝启动。"""
    app = _app()
    _refuse_pending_migrations(app)
    _serve(app, host, port, workers, threads)


def _refuse_pending_migrations(app) -> None:
    from core.migrate import pending

    with app.app_context():
        waiting = pending(app.extensions["huodong_pm"])
    if waiting:
        shown = "、".join(waiting[:5]) + ("……" if len(waiting) > 5 else "")
        raise click.ClickException(
            f"数据库 {_shown_url(app.config['DATABASE_URL'])} 还有 {len(waiting)} 个迁移未执行（{shown}），"
            "页面会出错：请先运行 huodong migrate")


def _shown_url(url: str) -> str:
    """A database address fit for a message: without its password."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    return url


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--keep", is_flag=True, help="保留已有的演示数据库，不重建")
@click.option("--no-serve", is_flag=True, help="只建好演示数据库，不启动服务")
def demo(host, port, keep, no_serve):
    """用演示数据启动：一所学校的工会、约 80 名教职工和各类活动。

    默认用嵌入式 SQLite（<instance>/demo.sqlite3，每次重建）；HUODONG_DATABASE_URL 指向 PostgreSQL 时，
    演示数据建在那个数据库里，它必须是空的（或加 --keep 沿用其中已有的演示数据）。
    """
    from core import config as config_module
    from core.db import db
    from core.demo import build, demo_people_summary
    from core.migrate import migrate as run

    base_url = f"http://{host}:{port}"
    configured = str(config_module.peek("DATABASE_URL") or "")
    if configured.startswith("postgres"):
        app = _app(BASE_URL=base_url)
        path = _shown_url(configured)
        with app.app_context(), db.connection_context():
            has_data = "unit" in db.get_tables() and db.execute_sql('SELECT 1 FROM "unit" LIMIT 1').fetchone()
        if has_data and not keep:
            raise click.ClickException(f"数据库 {path} 里已有数据：演示只建在空数据库中"
                                       "（换一个空数据库，或加 --keep 沿用其中已有的演示数据）")
        fresh = not has_data
    else:
        instance = config_module.instance_path()
        instance.mkdir(parents=True, exist_ok=True)
        path = instance / "demo.sqlite3"
        fresh = not (keep and path.exists())
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        app = _app(DATABASE_URL=f"sqlite:///{path}", BASE_URL=base_url)
    logins, notes = [], []
    with app.app_context(), app.test_request_context():
        run(app.extensions["huodong_pm"])
        with db.connection_context():
            if fresh:
                built = build(app.extensions["huodong_pm"])
                logins, notes = built.logins, built.notes
            summary = demo_people_summary()
    click.echo(f"演示数据库：{path}（{summary}）")
    for username, password, what in logins:
        click.echo(f"  {username:<12} 密码 {password}   {what}")
    for note in notes:
        click.echo(f"  {note}")
    if no_serve:
        return
    click.echo(f"打开 http://{host}:{port}/  （Ctrl+C 停止）；消息在本进程内发送（站内信，及设置的邮件与群机器人）")

    def deliver_in_process(_worker):
        # In the serving process, after gunicorn forked it: the thread and its connections live there.
        from core.messages.worker import start_background

        start_background(app, echo=click.echo)

    _serve(app, host, port, workers=1, threads=8, post_worker_init=deliver_in_process)


@cli.command()
@click.option("--once", is_flag=True, help="发送当前到期的消息后退出")
@click.option("--interval", default=5.0, show_default=True, type=float, help="两轮之间等待的秒数")
@click.option("--batch", default=20, show_default=True, type=int, help="每次领取的条数")
@click.option("--lease", default=None, type=float, help="领取后多少秒内归本进程（默认按批量和超时计算）")
def worker(once, interval, batch, lease):
    """发送消息队列（邮件、企业微信/钉钉群机器人、插件渠道）：失败按退避重试；PostgreSQL 上可同时运行多个进程。"""
    import signal
    import threading

    from core.db import db
    from core.messages.worker import Worker

    app = _app()
    with app.app_context():
        runner = Worker(batch=batch, lease=lease, echo=lambda line: click.echo(line))
        if once:
            with db.connection_context():
                handled = runner.run_once()
            click.echo(f"本轮处理 {handled} 条")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_args: stop.set())
        click.echo(f"消息发送进程 {runner.name} 已启动，每 {interval:g} 秒一轮（Ctrl+C 停止）")
        try:
            runner.run(interval, stop)
        except KeyboardInterrupt:
            pass


@cli.command()
def remind():
    """排队明天举行的活动的提醒（每人每天一次，可重复运行；huodong worker 也会每 10 分钟做一次）。"""
    from core.messages.reminders import queue_reminders

    with app_context():
        queued = queue_reminders()
    click.echo(f"已排队 {queued} 条提醒")


@cli.command()
@click.argument("target", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup(target):
    """备份数据库（SQLite 在线复制；PostgreSQL 用 pg_dump）。"""
    from core.backup import backup as run

    app = _app()
    with app.app_context(), _user_errors():
        written = run(app, target)
    click.echo(f"已备份到 {written}")


@cli.command("copy-db")
@click.argument("target_url")
def copy_db(target_url):
    """把整个实例复制到另一个数据库（如 SQLite → PostgreSQL），逐表核对。目标须为新建的空数据库，
    使用相同的 HUODONG_DATA_KEY。复制前请先停止服务。"""
    from core.copy_db import copy_database

    with app_context() as app, _user_errors():
        report = copy_database(app.extensions["huodong_pm"], target_url, echo=click.echo)
    if report.mismatched:
        raise click.ClickException(f"复制后核对不一致：{'、'.join(report.mismatched)}")
    click.echo(f"已复制 {len(report.tables)} 个表、{report.rows} 行，逐表核对一致。"
               f"把 HUODONG_DATABASE_URL 改为 {target_url} 后启动服务即可。")


@cli.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="不再询问，直接恢复")
def restore(source, yes):
    """用备份文件恢复数据库（会先把当前数据另存一份）。恢复前请先停止服务。"""
    from core.backup import restore as run
    from core.db import db

    app = _app()
    where = db.obj.database
    if not yes:
        click.confirm(f"将用 {source} 覆盖数据库 {where} 的全部数据，继续吗？", abort=True)
    with app.app_context(), _user_errors():
        safety = run(app, source)
    click.echo(f"已从 {source} 恢复数据库 {where}")
    click.echo(f"恢复前的数据已另存为 {safety}")


@cli.command("import-members")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只检查，不写入")
def import_members(file, dry_run):
    """从 xlsx 名册导入会员：按工号新增或更新；任何一行有误则整个文件都不导入。"""
    from core.db import db
    from core.errors import UserError
    from core.services.member_import import import_members as run
    from core.services.member_import import row_message, rows_headline

    app = _app()
    progress = _ProgressBars({"check": "检查", "write": "写入"})
    with app.app_context(), db.connection_context():
        try:
            result = run(file.read_bytes(), dry_run=dry_run, progress=progress)
        except UserError as exc:
            progress.close()
            for row, reasons in exc.errors.items():
                click.echo(row_message(row, reasons) if isinstance(reasons, list) else f"{row}：{reasons}")
            raise click.ClickException(rows_headline(len(exc.errors)) if exc.errors else exc.message) from None
        progress.close()
    click.echo(result.summary())


@cli.command("export-members")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--masked", is_flag=True, help="身份证号和手机号脱敏")
def export_members(file, masked):
    """把会员名册导出为 xlsx（可修改后再用 import-members 导入）。"""
    from core.db import db
    from core.models import Member
    from core.services.member_import import write_export

    app = _app()
    with app.app_context(), db.connection_context():
        write_export(file, show_private=not masked)
        count = Member.select().count()
    click.echo(f"已导出 {count} 名会员到 {file}")


class _ProgressBars:
    """One click progress bar per stage of a long job, fed with ``(stage, done, total)``."""

    def __init__(self, labels: dict[str, str]):
        self.labels = labels
        self.stage = None
        self.bar = None
        self.done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            self.bar = click.progressbar(length=total, label=self.labels.get(stage, stage), show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
            self.stage = None


class _user_errors:
    """Turn a service's :class:`core.errors.UserError` into a clean command-line error."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        from core.errors import UserError

        if isinstance(exc, UserError):
            raise click.ClickException(exc.message) from None
        return False


@cli.command()
@click.option("--check", is_flag=True, help="只检查，不修改文件")
def translations(check):
    """更新各插件的英文翻译文件（translations/en.po），列出尚未翻译的文字。"""
    from core import i18n_tools

    total = 0
    for owner in i18n_tools.owners():
        todo = i18n_tools.missing(owner) if check else i18n_tools.update(owner)
        total += len(todo)
        for msgid in todo:
            click.echo(f"{owner}: {msgid}")
    if check and total:
        raise click.ClickException(f"{total} 条文字没有英文翻译")
    click.echo(f"未翻译：{total}")


def build_cli(pm) -> click.Group:
    """The ``huodong`` command group: the core's commands and those plugins add (``huodong_register_commands``)."""
    group = click.Group(name="huodong", commands=dict(cli.commands), help=cli.help, params=list(cli.params),
                        context_settings=cli.context_settings)
    pm.hook.huodong_register_commands(cli=group)
    return group


def main(argv=None):
    from core import config as config_module
    from core.plugins import PluginError, make_plugin_manager

    try:
        pm = make_plugin_manager(config_module.disabled_plugins(config_module.peek("DISABLED_PLUGINS")))
    except PluginError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    try:
        build_cli(pm).main(args=argv, prog_name="huodong", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)


__all__ = ["build_cli", "cli", "main"]
