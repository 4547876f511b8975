"""The people on an outing: each active registration's member and his family members, in one list.

A person's ``key`` is ``r<registration id>`` for the member and ``g<guest id>`` for a family member;
seats and beds are keyed by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from core.errors import NotFound
from core.models import Event, Guest, Member, Registration, Unit
from core.money import yuan


@dataclass(frozen=True)
class Person:
    key: str
    registration_id: int
    guest_id: int | None
    member_id: int
    name: str
    gender: str
    unit: str
    unit_path: str
    kind: str  # member | family | child
    cost: Decimal
    own: Decimal
    union: Decimal
    payment_status: str
    extra: dict

    @property
    def kind_label(self) -> str:
        return {"member": _("会员"), "family": _("家属"), "child": _("儿童")}[self.kind]

    @property
    def gender_label(self) -> str:
        return {"M": _("男"), "F": _("女")}.get(self.gender, "")


def _registrations(event: Event, statuses=("active",)):
    return (Registration.select(Registration, Member, Unit)
            .join(Member, on=(Registration.member == Member.id)).join(Unit, on=(Member.unit == Unit.id))
            .where(Registration.event == event, Registration.status.in_(statuses))
            .order_by(Unit.path, Member.staff_no))


def _people_of(reg: Registration, guests: list[Guest]) -> list[Person]:
    member = reg.member
    guest_costs = [(yuan(g.fee), yuan(g.member_share), yuan(g.union_share)) for g in guests]
    own_cost = yuan(reg.fee_total) - sum((c[0] for c in guest_costs), Decimal("0.00"))
    own_share = yuan(reg.member_share) - sum((c[1] for c in guest_costs), Decimal("0.00"))
    own_union = yuan(reg.union_share) - sum((c[2] for c in guest_costs), Decimal("0.00"))
    people = [Person(key=f"r{reg.id}", registration_id=reg.id, guest_id=None, member_id=member.id, name=member.name,
                     gender=member.gender, unit=member.unit.name, unit_path=member.unit.path, kind="member",
                     cost=own_cost, own=own_share, union=own_union, payment_status=reg.payment_status,
                     extra=dict(reg.extra or {}))]
    for guest, (fee, own, union) in zip(guests, guest_costs, strict=True):
        people.append(Person(key=f"g{guest.id}", registration_id=reg.id, guest_id=guest.id, member_id=member.id,
                             name=guest.name, gender=guest.gender or "", unit=member.unit.name,
                             unit_path=member.unit.path, kind="child" if guest.is_child else "family",
                             cost=fee, own=own, union=union,
                             payment_status=reg.payment_status, extra={}))
    return people


def families(event: Event) -> list[list[Person]]:
    """Each active registration as a block: the member first, then his family members."""
    regs = list(_registrations(event))
    guests: dict[int, list[Guest]] = {}
    for guest in Guest.select().where(Guest.registration.in_([r.id for r in regs] or [0])).order_by(Guest.id):
        guests.setdefault(guest.registration_id, []).append(guest)
    return [_people_of(reg, guests.get(reg.id, [])) for reg in regs]


def participants(event: Event) -> list[Person]:
    """Everyone going, by department and staff number, each member followed by his family."""
    return [p for block in families(event) for p in block]


def by_key(event: Event) -> dict[str, Person]:
    return {p.key: p for p in participants(event)}


def find(event: Event, key: str) -> Person:
    person = by_key(event).get(str(key))
    if person is None:
        raise NotFound(_("找不到该参加人员（%(key)s）", key=key))
    return person
