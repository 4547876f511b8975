"""The union tree: 总工会 → 区/县总工会 → 乡镇/街道工会 → 基层工会 → 部门工会 / 工会小组."""

from __future__ import annotations

import peewee

from core.db import BaseModel

UNIT_KINDS = {
    "federation": "总工会",
    "district": "区/县总工会",
    "township": "乡镇/街道工会",
    "grassroots": "基层工会",
    "department": "部门工会",
    "group": "工会小组",
}


class Unit(BaseModel):
    name = peewee.CharField(max_length=100)
    kind = peewee.CharField(max_length=20, default="grassroots")
    parent = peewee.ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    # Materialised path of ids, "/1/4/9/", so that a subtree is one prefix match.
    path = peewee.CharField(max_length=255, index=True, default="/")
    code = peewee.CharField(max_length=40, null=True, unique=True)
    sort = peewee.IntegerField(default=0)
    is_active = peewee.BooleanField(default=True)

    class Meta:
        indexes = ((("parent", "name"), True),)

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS.get(self.kind, self.kind)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def contains(self, other: Unit) -> bool:
        """True when ``other`` is this unit or lies below it."""
        return other.path.startswith(self.path)

    def ancestors(self) -> list[Unit]:
        ids = [int(part) for part in self.path.strip("/").split("/") if part][:-1]
        if not ids:
            return []
        by_id = {u.id: u for u in Unit.select().where(Unit.id.in_(ids))}
        return [by_id[i] for i in ids if i in by_id]

    def subtree(self):
        return Unit.select().where(Unit.path.startswith(self.path))

    @classmethod
    def create_child(cls, name: str, parent: Unit | None = None, **fields) -> Unit:
        unit = cls.create(name=name, parent=parent, **fields)
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        unit.save(only=[cls.path])
        return unit
