"""The schema built by the migrations matches the models, on SQLite and PostgreSQL."""

from core.db import db
from core.migrate import all_models, pending


def _columns(table):
    return {c.name: c.null for c in db.get_columns(table)}


def test_migrated_schema_matches_models(app):
    models = all_models(app.extensions["huodong_pm"])
    tables = set(db.get_tables())
    for model in models:
        table = model._meta.table_name
        assert table in tables, f"no migration creates {table}"
        columns = _columns(table)
        for field in model._meta.sorted_fields:
            assert field.column_name in columns, f"{table}.{field.column_name} is not migrated"
            assert columns[field.column_name] == field.null, f"{table}.{field.column_name}: nullability differs"
        extra = set(columns) - {f.column_name for f in model._meta.sorted_fields}
        assert not extra, f"{table} has columns no model knows: {extra}"


def test_unique_indexes_are_migrated(app):
    models = all_models(app.extensions["huodong_pm"])
    for model in models:
        table = model._meta.table_name
        migrated = {tuple(ix.columns) for ix in db.get_indexes(table) if ix.unique}
        wanted = {(f.column_name,) for f in model._meta.sorted_fields if f.unique}
        for fields, unique in model._meta.indexes:
            if unique:
                wanted.add(tuple(model._meta.fields[f].column_name for f in fields))
        assert wanted <= migrated, f"{table}: unique constraints {wanted - migrated} are not migrated"


def test_nothing_pending_after_migrate(app):
    assert pending(app.extensions["huodong_pm"]) == []
