"""The registration rules an organizer sets per event and per item, as pure functions.

An event's rules live in ``Event.settings["rules"]``, a dict with these keys (all optional):

``units``
    Ids of the units (with the units below them) whose members may join. Empty: every unit below
    the event's owner, which is the default.
``dues_paid``
    ``True``: only members whose dues (会费) are paid up to the event's day may join.
``exclude_jobs``
    ``Member.job`` values that may not join, e.g. ``["司机", "值班"]`` (drivers and staff on duty).
``exclude_roles``
    Roles that may not join: account roles (``judge``, ``referee`` ...) held over the event, or
    committee roles of the event (``摄像``, ``后勤器材组`` ...).
``min_items`` / ``max_items``
    At least / at most this many items per person (篇九: at most 3).
``min_starred``
    At least this many of the starred items (篇九: one of the items 1–3).
``family``
    ``{"allowed": bool, "max_per_member": int | None}``: family members (家属) on a registration.
``prices``
    ``{"member": "0.00", "family": "25.00", "child": "25.00"}``: what each person pays himself out of
    the cost per person (``Event.fee``); the union pays the rest. A missing price means the full cost.
``waitlist``
    ``True`` (default): when the event is full, later registrations wait in order; ``False``: refused.
``team_required``
    ``True``: every registration belongs to one of the event's teams.

An item (``core.models.Item``) adds its own: ``capacity`` (places in the item), ``per_team`` (places
per team, or per unit when the event has no teams: 乒乓球 3, 定点投篮 5), ``team_size_min`` /
``team_size_max`` (a team's size in a team item: 拔河 exactly 10), ``min_women`` (拔河 at least 2),
``starred``, ``group`` (people may not repeat across the items of one group) and, in
``Item.settings``, ``exclude_jobs`` / ``exclude_roles`` (staff who run an item may not play in it).

Every check returns a list of messages, each starting with the rule's name in brackets, so that a
refused registration tells the user which rule refused it. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from core.errors import Invalid
from core.money import yuan

ZERO = Decimal("0.00")
FROZEN_STATUSES = ("closed", "running", "finished", "archived", "cancelled")


def _ids(values) -> tuple[int, ...]:
    return tuple(int(v) for v in values or ())


def _texts(values) -> tuple[str, ...]:
    if isinstance(values, str):
        values = values.replace("，", ",").replace("、", ",").split(",")
    return tuple(t for t in (str(v).strip() for v in values or ()) if t)


def _count(value, name: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = _("应为整数")
        return None
    if number < 0:
        errors[name] = _("不能为负数")
        return None
    return number


def _price(value, name: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, float):
        value = str(value)
    try:
        price = yuan(value)
    except (InvalidOperation, TypeError, ValueError):
        errors[name] = _("应为金额，如 25.00")
        return None
    if price < 0:
        errors[name] = _("不能为负数")
        return None
    return price


@dataclass(frozen=True)
class Rules:
    """An event's rules (see the module docstring for each key)."""

    units: tuple[int, ...] = ()
    dues_paid: bool = False
    exclude_jobs: tuple[str, ...] = ()
    exclude_roles: tuple[str, ...] = ()
    min_items: int = 0
    max_items: int | None = None
    min_starred: int = 0
    family_allowed: bool = False
    family_max: int | None = None
    member_price: Decimal | None = None
    family_price: Decimal | None = None
    child_price: Decimal | None = None
    waitlist: bool = True
    team_required: bool = False

    def to_settings(self) -> dict:
        """The dict stored in ``Event.settings["rules"]``."""
        def money(value):
            return None if value is None else str(value)

        return {
            "units": list(self.units),
            "dues_paid": self.dues_paid,
            "exclude_jobs": list(self.exclude_jobs),
            "exclude_roles": list(self.exclude_roles),
            "min_items": self.min_items,
            "max_items": self.max_items,
            "min_starred": self.min_starred,
            "family": {"allowed": self.family_allowed, "max_per_member": self.family_max},
            "prices": {"member": money(self.member_price), "family": money(self.family_price),
                       "child": money(self.child_price)},
            "waitlist": self.waitlist,
            "team_required": self.team_required,
        }


def parse_rules(data: dict | None) -> Rules:
    """Read (and check) a rules dict; raise :class:`Invalid` naming each bad key."""
    data = dict(data or {})
    errors: dict[str, str] = {}
    family = data.get("family") or {}
    prices = data.get("prices") or {}
    try:
        units = _ids(data.get("units"))
    except (TypeError, ValueError):
        errors["units"] = _("应为单位编号列表")
        units = ()
    rules = Rules(
        units=units,
        dues_paid=bool(data.get("dues_paid")),
        exclude_jobs=_texts(data.get("exclude_jobs")),
        exclude_roles=_texts(data.get("exclude_roles")),
        min_items=_count(data.get("min_items"), "min_items", errors) or 0,
        max_items=_count(data.get("max_items"), "max_items", errors),
        min_starred=_count(data.get("min_starred"), "min_starred", errors) or 0,
        family_allowed=bool(family.get("allowed")),
        family_max=_count(family.get("max_per_member"), "family.max_per_member", errors),
        member_price=_price(prices.get("member"), "prices.member", errors),
        family_price=_price(prices.get("family"), "prices.family", errors),
        child_price=_price(prices.get("child"), "prices.child", errors),
        waitlist=bool(data.get("waitlist", True)),
        team_required=bool(data.get("team_required")),
    )
    if rules.max_items is not None and rules.max_items < max(rules.min_items, rules.min_starred, 1):
        errors["max_items"] = _("每人限报项目数不能少于必报项目数")
    if errors:
        raise Invalid(_("报名规则有误：%(detail)s", detail="；".join(f"{k}：{v}" for k, v in errors.items())),
                      errors)
    return rules


@dataclass(frozen=True)
class ItemRule:
    """What the rules need to know of an item."""

    id: int
    name: str
    kind: str = "individual"
    starred: bool = False
    group: str = ""
    capacity: int | None = None
    per_team: int | None = None
    team_size_min: int | None = None
    team_size_max: int | None = None
    min_women: int | None = None
    exclude_jobs: tuple[str, ...] = ()
    exclude_roles: tuple[str, ...] = ()

    @classmethod
    def from_item(cls, item) -> ItemRule:
        settings = item.settings or {}
        return cls(id=item.id, name=item.name, kind=item.kind, starred=item.starred, group=item.group or "",
                   capacity=item.capacity, per_team=item.per_team, team_size_min=item.team_size_min,
                   team_size_max=item.team_size_max, min_women=item.min_women,
                   exclude_jobs=_texts(settings.get("exclude_jobs")),
                   exclude_roles=_texts(settings.get("exclude_roles")))

    @property
    def team_limit(self) -> int | None:
        """The most people one team may put in this item."""
        limits = [n for n in (self.per_team, self.team_size_max) if n is not None]
        return min(limits) if limits else None


@dataclass(frozen=True)
class Person:
    """What the rules need to know of a member."""

    name: str
    unit_path: str
    gender: str = ""
    job: str = ""
    dues_paid: bool = True
    roles: frozenset[str] = field(default_factory=frozenset)


def eligibility_problems(rules: Rules, person: Person, *, owner: tuple[str, str],
                         allowed_units: Sequence[tuple[str, str]] = ()) -> list[str]:
    """Who may join: the units, member status and excluded jobs and roles.

    ``owner`` is the event's unit as ``(path, name)``; ``allowed_units`` the ``(path, name)`` of the
    units the rules list (empty: every unit below the owner).
    """
    problems = []
    if allowed_units:
        if not any(person.unit_path.startswith(path) for path, _name in allowed_units):
            problems.append(_("【参加范围】本活动只接受以下单位的会员报名：%(units)s",
                              units="、".join(name for _path, name in allowed_units)))
    elif not person.unit_path.startswith(owner[0]):
        problems.append(_("【参加范围】本活动只接受%(unit)s及下属单位的会员报名", unit=owner[1]))
    if rules.dues_paid and not person.dues_paid:
        problems.append(_("【会员状态】%(name)s未按时足额缴纳会费，不能报名", name=person.name))
    if person.job and person.job in rules.exclude_jobs:
        problems.append(_("【不参加人员】岗位为“%(job)s”的人员不参加本活动", job=person.job))
    for role in sorted(person.roles & set(rules.exclude_roles)):
        problems.append(_("【不参加人员】担任“%(role)s”的人员不参加本活动", role=role_label(role)))
    return problems


def role_label(role: str) -> str:
    from core.roles import all_roles

    return _(all_roles().get(role, role))


def item_choice_problems(rules: Rules, items: Sequence[ItemRule], chosen: Iterable[int],
                         person: Person | None = None) -> list[str]:
    """The items one person chose: how many, the starred ones, groups, and who may play in each."""
    by_id = {item.id: item for item in items}
    chosen = list(dict.fromkeys(chosen))
    problems = []
    unknown = [i for i in chosen if i not in by_id]
    if unknown:
        problems.append(_("【项目】所选项目不属于本活动"))
    picked = [by_id[i] for i in chosen if i in by_id]
    if items and len(picked) < rules.min_items:
        problems.append(_("【必报项目数】每人至少报 %(n)s 个项目", n=rules.min_items))
    if rules.max_items is not None and len(picked) > rules.max_items:
        problems.append(_("【限报项目数】每人最多报 %(n)s 个项目，已选 %(chosen)s 个", n=rules.max_items,
                          chosen=len(picked)))
    starred = [item for item in items if item.starred]
    if rules.min_starred and starred and sum(1 for item in picked if item.starred) < rules.min_starred:
        problems.append(_("【必报项目】每人须至少报 %(n)s 个带★的项目：%(items)s", n=rules.min_starred,
                          items="、".join(item.name for item in starred)))
    groups: dict[str, list[str]] = {}
    for item in picked:
        if item.group:
            groups.setdefault(item.group, []).append(item.name)
    for group, names in groups.items():
        if len(names) > 1:
            problems.append(_("【项目不可兼报】%(items)s 同属“%(group)s”，同一人只能报其中一项",
                              items="、".join(f"“{n}”" for n in names), group=group))
    if person is not None:
        for item in picked:
            if person.job and person.job in item.exclude_jobs:
                problems.append(_("【不参加人员】岗位为“%(job)s”的人员不能参加“%(item)s”", job=person.job,
                                  item=item.name))
            for role in sorted(person.roles & set(item.exclude_roles)):
                problems.append(_("【不参加人员】担任“%(role)s”的人员不能参加“%(item)s”", role=role_label(role),
                                  item=item.name))
    return problems


def team_size_text(item: ItemRule) -> str:
    """每队 10 人, 每队 8–10 人, 每队至少 8 人, 每队最多 10 人."""
    low, high = item.team_size_min, item.team_size_max
    if low is not None and low == high:
        return _("每队 %(n)s 人", n=low)
    if low is not None and high is not None:
        return _("每队 %(low)s–%(high)s 人", low=low, high=high)
    if low is not None:
        return _("每队至少 %(n)s 人", n=low)
    return _("每队最多 %(n)s 人", n=high)


def team_place_problems(item: ItemRule, team: str, genders: Sequence[str], *, complete: bool = False) -> list[str]:
    """One team's people in one item (``genders``: 'M'/'F' of each, after the change).

    Upper limits always hold: places per team, team size, and enough places left for the women the
    item needs. ``complete=True`` (a captain's whole roster) also asks for the minimum size and the
    women themselves.
    """
    problems = []
    count = len(genders)
    women = sum(1 for g in genders if g == "F")
    men = count - women
    if item.per_team is not None and count > item.per_team:
        problems.append(_("【每队名额】“%(item)s”每队限报 %(n)s 人，%(team)s将有 %(count)s 人", item=item.name,
                          n=item.per_team, team=team, count=count))
    if item.team_size_max is not None and count > item.team_size_max:
        problems.append(_("【队伍人数】“%(item)s”%(size)s，%(team)s将有 %(count)s 人", item=item.name,
                          size=team_size_text(item), team=team, count=count))
    limit = item.team_limit
    if item.min_women and limit is not None and men > limit - item.min_women:
        problems.append(_("【女性人数】“%(item)s”每队至少 %(n)s 名女性，%(team)s最多只能报 %(men)s 名男性",
                          item=item.name, n=item.min_women, team=team, men=max(limit - item.min_women, 0)))
    if complete:
        if item.team_size_min is not None and count < item.team_size_min:
            problems.append(_("【队伍人数】“%(item)s”%(size)s，%(team)s只有 %(count)s 人", item=item.name,
                              size=team_size_text(item), team=team, count=count))
        if item.min_women and count and women < item.min_women:
            problems.append(_("【女性人数】“%(item)s”每队至少 %(n)s 名女性，%(team)s只有 %(women)s 名",
                              item=item.name, n=item.min_women, team=team, women=women))
    return problems


def item_capacity_problems(item: ItemRule, taken: int) -> list[str]:
    """An item's own places (``taken``: people in it after the change)."""
    if item.capacity is not None and taken > item.capacity:
        return [_("【项目名额】“%(item)s”限 %(n)s 人，名额已满", item=item.name, n=item.capacity)]
    return []


def family_problems(rules: Rules, guests: int) -> list[str]:
    """Family members on one registration."""
    if guests and not rules.family_allowed:
        return [_("【家属】本活动不接受携带家属")]
    if rules.family_max is not None and guests > rules.family_max:
        return [_("【家属】每位会员最多携带 %(n)s 名家属", n=rules.family_max)]
    return []


def window_problem(*, opens: datetime | None, closes: datetime | None, status: str, now: datetime,
                   opens_text: str = "", closes_text: str = "", ends: datetime | None = None) -> str | None:
    """Whether registration is open now; the message says why not. An event closes by itself when it ends."""
    if status == "draft":
        return _("【报名时间】活动尚未发布，暂不能报名")
    if status == "cancelled":
        return _("【报名时间】活动已取消")
    if ends is not None and now >= ends:
        return _("【报名时间】活动已结束，名单已锁定；如需修改请联系组织者")
    if status in FROZEN_STATUSES or (closes is not None and now >= closes):
        return _("【报名时间】报名已截止%(when)s，名单已锁定；如需修改请联系组织者",
                 when=_("（%(at)s）", at=closes_text) if closes_text else "")
    if opens is not None and now < opens:
        return _("【报名时间】报名尚未开始%(when)s", when=_("（%(at)s 开始）", at=opens_text) if opens_text else "")
    return None


def is_frozen(*, closes: datetime | None, status: str, now: datetime, ends: datetime | None = None) -> bool:
    """After the deadline, and in any case once the event has ended, the list is frozen: only
    organizers change it, with a reason."""
    return (status in FROZEN_STATUSES or (closes is not None and now >= closes)
            or (ends is not None and now >= ends))


def withdrawal_problem(*, starts: datetime, now: datetime, by_organizer: bool, reason: str) -> str | None:
    """Once an event has started a member can no longer withdraw himself: his absence would vanish from
    the attendance that prizes and points are paid by. The organizer can, with a reason, and the
    absence stays on record."""
    if now < starts:
        return None
    if not by_organizer:
        return _("活动已开始，不能自行退出报名；如有特殊情况请联系组织者")
    if not (reason or "").strip():
        return _("活动已开始：组织者办理退出须填写原因")
    return None


@dataclass(frozen=True)
class Share:
    """One person's cost: what it costs, what he pays, what the union pays."""

    cost: Decimal
    own: Decimal
    union: Decimal


def share(cost: Decimal, price: Decimal | None) -> Share:
    """Split ``cost`` into a person's ``price`` (the full cost when ``None``) and the union's rest."""
    cost = yuan(cost or ZERO)
    own = cost if price is None else min(yuan(price), cost) if cost else ZERO
    return Share(cost=cost, own=own, union=cost - own)


def fees(rules: Rules, cost: Decimal, guests: Sequence[bool] = ()) -> tuple[Share, list[Share]]:
    """The member's share and each family member's (``guests``: is each a child?)."""
    member = share(cost, rules.member_price)
    family = [share(cost, (rules.child_price if rules.child_price is not None else rules.family_price)
                    if is_child else rules.family_price) for is_child in guests]
    return member, family


def totals(member: Share, family: Sequence[Share]) -> Share:
    """A registration's totals over the member and his family."""
    return Share(cost=member.cost + sum((s.cost for s in family), ZERO),
                 own=member.own + sum((s.own for s in family), ZERO),
                 union=member.union + sum((s.union for s in family), ZERO))
