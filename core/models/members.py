"""Members (会员 / 教职工): the people who register, sign in and are aided."""

from __future__ import annotations

import peewee

from core import privacy
from core.db import BaseModel
from core.fields import EncryptedField
from core.models.units import Unit

GENDERS = {"M": "男", "F": "女"}


class Member(BaseModel):
    name = peewee.CharField(max_length=50)
    gender = peewee.CharField(max_length=1)  # 'M' or 'F'
    phone = peewee.CharField(max_length=20, null=True, index=True)
    id_number = EncryptedField(null=True)  # resident ID, encrypted at rest
    id_hash = peewee.CharField(max_length=64, null=True, unique=True)  # keyed hash for matching
    staff_no = peewee.CharField(max_length=40, unique=True)
    unit = peewee.ForeignKeyField(Unit, backref="members", on_delete="RESTRICT")
    job = peewee.CharField(max_length=50, default="")  # post, e.g. 教师, 司机, 值班
    dues_paid_until = peewee.DateField(null=True)
    birth_date = peewee.DateField(null=True)
    is_active = peewee.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name

    @property
    def gender_label(self) -> str:
        return GENDERS.get(self.gender, "")

    @property
    def masked_name(self) -> str:
        return privacy.mask_name(self.name)

    @property
    def masked_id(self) -> str:
        return privacy.mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return privacy.mask_phone(self.phone)

    def set_id_number(self, value: str | None) -> None:
        """Validate and store an ID number (raises :class:`core.privacy.InvalidIdNumber`)."""
        if not value:
            self.id_number = None
            self.id_hash = None
            return
        normalized = privacy.normalize_id_number(value)
        self.id_number = normalized
        self.id_hash = privacy.keyed_hash(normalized)
        self.birth_date = privacy.birth_date_from_id(normalized)
