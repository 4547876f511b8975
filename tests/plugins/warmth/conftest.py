"""A small union tree with 送温暖 people at every level, built through the real services.

海城市总工会 → 海城区总工会 → 东湖街道工会 → 公交公司工会 / 实验中学工会, and a second street
(西山街道工会 → 西山机械厂工会) whose people must see nothing of 东湖's files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from core import privacy
from core.timeutil import utcnow

REGION = "440402"
YEAR = utcnow().year


def id_number(seq: int, birth: str = "19800101", region: str = "440402") -> str:
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + privacy.id_check_char(first17)


def account_number(seq: int) -> str:
    return f"62305800000{seq:08d}"


@dataclass
class World:
    units: dict
    accounts: dict
    factory: object
    seq: int = 0
    households: list = field(default_factory=list)

    def household(self, unit="bus", *, incomes=(("wage", "30000"),), spendings=(), members_count=3,
                  cause="illness", filer=None, **extra):
        """A file with a valid ID number and bank account, filed by the unit's grassroots reviewer."""
        from plugins.warmth.services import archive

        self.seq += 1
        filer = filer or self.accounts[f"grassroots_{unit}"]
        data = {"unit": self.units[unit], "worker_name": extra.pop("worker_name", f"职工{self.seq}号"),
                "id_number": id_number(self.seq), "region_code": REGION, "year": YEAR,
                "members_count": members_count, "main_cause": cause, "bank_name": "海城农商银行",
                "bank_account": account_number(self.seq), **extra}
        household = archive.save_household(None, data, account=filer)
        for category, amount in incomes:
            archive.add_money_line(household, {"kind": "income", "category": category, "amount": amount},
                                   account=filer)
        for category, amount in spendings:
            archive.add_money_line(household, {"kind": "spending", "category": category, "amount": amount},
                                   account=filer)
        self.households.append(household)
        return household

    def approve(self, household, *, days_ago: int = 20):
        """Take a file through submit → first review → notice → approval, the notice published
        ``days_ago`` (the clock set back for it: a notice is never dated before the day it is published)."""
        from plugins.warmth.services import notices, review

        unit_key = "school" if household.unit_id == self.units["school"].id else "bus"
        with published_ago(days_ago):
            review.act(household, "submit", "申报", account=self.accounts[f"grassroots_{unit_key}"])
            review.act(household, "pass", "属实", account=self.accounts["township"])
            notices.publish(self.units["district"], {"title": "公示", "working_days": 5}, [household.id],
                            account=self.accounts["county"])
        review.act(household, "approve", "审定", account=self.accounts["county"])
        return household

    def fund(self, unit="district", amount="400000", kind="donation", year=YEAR):
        from plugins.warmth.services import funds

        return funds.add_source(self.units[unit], {"year": year, "kind": kind, "name": f"{unit}资金",
                                                   "amount": amount, "received_on": f"{year}-01-05"},
                                account=self.accounts["officer"])

    def campaign(self, unit="district", season="winter", standard="500", year=YEAR, **extra):
        from plugins.warmth.services import campaigns

        return campaigns.create(self.units[unit], {"year": year, "season": season, "standard": standard, **extra},
                                account=self.accounts["officer"])


def published_ago(days: int):
    """The clock set back ``days`` days (ticking): what is done inside happened then."""
    import time_machine

    return time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=days), tick=True)


@pytest.fixture
def world(app, factory):
    from core.services.accounts import grant_role
    from plugins.warmth.services import standards

    city = factory.unit("海城市总工会", None, "federation")
    district = factory.unit("海城区总工会", city, "district")
    street = factory.unit("东湖街道工会", district, "township")
    bus = factory.unit("海城公交公司工会", street, "grassroots")
    school = factory.unit("海城实验中学工会", street, "grassroots")
    west = factory.unit("西山街道工会", district, "township")
    plant = factory.unit("西山机械厂工会", west, "grassroots")
    units = {"city": city, "district": district, "street": street, "bus": bus, "school": school, "west": west,
             "plant": plant}
    accounts = {
        "admin": factory.account("admin", roles=["admin"]),
        "officer": factory.account("officer", roles=[("aid_officer", city)]),
        "district_officer": factory.account("district_officer", roles=[("aid_officer", district)]),
        "street_organizer": factory.account("street_org", roles=[("organizer", street)]),
        "bus_organizer": factory.account("bus_org", roles=[("organizer", bus)]),
        "plant_organizer": factory.account("plant_org", roles=[("organizer", plant)]),
        "west_officer": factory.account("west_officer", roles=[("aid_officer", west)]),
        "participant": factory.account("driver", member=factory.member(bus, name="王师傅")),
    }
    for key, level, unit in (("grassroots_bus", "grassroots", bus), ("grassroots_school", "grassroots", school),
                             ("township", "township", street), ("county", "county", district),
                             ("west_township", "township", west), ("plant_grassroots", "grassroots", plant)):
        accounts[key] = factory.account(key)
        grant_role(accounts[key], "reviewer", unit=unit, detail=level)
    for y, line in ((YEAR - 1, "950"), (YEAR, "1000")):
        standards.add_version({"region_code": REGION, "region_name": "海城区", "year": y, "version": "第1版",
                               "dibao_monthly": line, "near_line_multiple": "1.5", "medical_share": "0.5",
                               "tuition_share": "0.5", "disaster_share": "0.5"}, account=accounts["admin"])
    return World(units=units, accounts=accounts, factory=factory)


D = Decimal
