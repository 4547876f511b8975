"""The schema built by the migrations matches the models, on SQLite and PostgreSQL."""

from core.db import db
from core.migrate import all_models, pending


def _columns(table):
    return {c.name: c.null for c in db.get_columns(table)}


def schema_differences(models) -> list[str]:
    """What the database's tables lack or have beyond ``models``: columns, nullability, unique indexes."""
    problems = []
    tables = set(db.get_tables())
    for model in models:
        table = model._meta.table_name
        if table not in tables:
            problems.append(f"no migration creates {table}")
            continue
        columns = _columns(table)
        for field in model._meta.sorted_fields:
            if field.column_name not in columns:
                problems.append(f"{table}.{field.column_name} is not migrated")
            elif columns[field.column_name] != field.null:
                problems.append(f"{table}.{field.column_name}: nullability differs")
        extra = set(columns) - {f.column_name for f in model._meta.sorted_fields}
        if extra:
            problems.append(f"{table} has columns no model knows: {extra}")
        migrated = {tuple(ix.columns) for ix in db.get_indexes(table) if ix.unique}
        wanted = {(f.column_name,) for f in model._meta.sorted_fields if f.unique}
        for fields, unique in model._meta.indexes:
            if unique:
                wanted.add(tuple(model._meta.fields[f].column_name for f in fields))
        if not wanted <= migrated:
            problems.append(f"{table}: unique constraints {wanted - migrated} are not migrated")
    return problems


def test_migrated_schema_matches_models(app):
    assert schema_differences(all_models(app.extensions["huodong_pm"])) == []


def test_nothing_pending_after_migrate(app):
    assert pending(app.extensions["huodong_pm"]) == []
