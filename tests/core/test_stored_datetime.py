"""Datetime columns read from SQLite's text the way peewee reads them, only faster."""

from __future__ import annotations

from datetime import datetime

import peewee
from hypothesis import given
from hypothesis import strategies as st

from core.db import stored_datetime

PEEWEE = peewee.DateTimeField()


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31)))
def test_the_text_sqlite_stores_reads_back_as_peewee_reads_it(value):
    text = str(value)  # what peewee writes: "2026-05-26 08:30:00" or with ".123456"
    assert stored_datetime(text) == PEEWEE.python_value(text) == value


def test_other_values_pass_through_or_go_to_peewee():
    moment = datetime(2026, 5, 26, 8, 30)
    assert stored_datetime(moment) is moment
    assert stored_datetime(None) is None
    assert stored_datetime("2026-05-26") == datetime(2026, 5, 26)
    assert stored_datetime("not a time") == PEEWEE.python_value("not a time") == "not a time"
