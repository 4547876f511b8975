"""Fixtures of the 我为群众办实事 tests: an app with extra test plugins, a district union with its
organizer, a cadre and a member, and helpers for dates in Beijing."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.db import db
from core.timeutil import from_local, to_local, utcnow
from tests.conftest import USING_PG, _truncate_postgres
from tests.support import Factory


@pytest.fixture
def app_with(make_app):
    """Build the app with extra ``(name, module)`` plugins, set up like the ``app`` fixture."""
    contexts = []

    def build(*plugins):
        application = make_app(extra_plugins=plugins)
        if USING_PG:
            _truncate_postgres()
        ctx = application.app_context()
        ctx.push()
        db.connect(reuse_if_open=True)
        contexts.append(ctx)
        return application

    yield build
    for ctx in reversed(contexts):
        if not db.is_closed():
            db.close()
        ctx.pop()
    if USING_PG and contexts:
        db.obj.close_all()


def this_year() -> int:
    return to_local(utcnow()).year


def beijing(year, month, day, hour=9, minute=0) -> datetime:
    return from_local(datetime(year, month, day, hour, minute))


def union(factory: Factory) -> dict:
    """A district union with a school below it, an organizer, a cadre with a login and a teacher."""
    tree = factory.school()
    district = tree["district"]
    organizer = factory.account("org", roles=[("organizer", district)])
    cadre_member = factory.member(district, name="蒋亚诚", staff_no="Q001")
    teacher = factory.member(tree["g1"], name="王芳", gender="F", staff_no="T001")
    return {**tree, "organizer": organizer, "cadre_member": cadre_member,
            "cadre_account": factory.account("cadre", member=cadre_member),
            "teacher": teacher, "teacher_account": factory.account("teacher", member=teacher)}
