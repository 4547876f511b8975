"""The seed plans as presets: the two-day 河源 trip (篇四), the 野狸岛 spring walk (篇五) and the
神龙寨 day with four bus departures (篇八).

A plan is plain data: stops as ``(day, hour, minute, title, place, note, gathering)`` counted from
the event's first local day, vehicles as ``(name, seats, day, hour, minute, place, dispatcher,
note)``, cost items and the registration rules. :func:`apply` writes it onto a new event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from core.contrib import ActivityType, Preset
from core.models import Event
from core.services.registration_rules import parse_rules
from core.timeutil import from_local, to_local

SAFETY_RULES = "任何人不得在活动期间不打招呼私自脱离集体；注意安全，听从领队和调度安排。"


@dataclass(frozen=True)
class Plan:
    rules: dict
    stops: tuple = ()
    vehicles: tuple = ()
    costs: tuple = ()  # (name, category, per_person, lump_sum, payer)
    notice: str = SAFETY_RULES
    deadline_days_before: int | None = None  # registration closes this many days before, at 17:00
    team_leaders: bool = False
    prize_tiers: tuple = ()


HEYUAN = Plan(
    rules={"exclude_jobs": ["司机", "值班"], "family": {"allowed": False}, "prices": {"member": "0"}},
    stops=(
        (0, 9, 30, "集合出发", "北京大厦", "前往河源", True),
        (0, 12, 0, "抵达河源", "河源", "与当地旅行社（河源市大自然旅行社）接待联系，导游接团，午餐", True),
        (0, 13, 30, "万绿湖游船、镜花缘风景区", "万绿湖、镜花缘", "湖上游船观光；溶洞探险、客家歌舞表演、游泳", False),
        (0, 18, 0, "入住酒店，晚餐", "新世界大酒店", "四星级标准双人间；正餐八菜一汤", True),
        (0, 20, 0, "彩色音乐喷泉", "万绿湖", "观赏亚洲第一彩色音乐喷泉", False),
        (1, 8, 0, "早餐", "新世界大酒店", "酒店自助早餐", False),
        (1, 9, 0, "出发前往野趣沟", "野趣沟自然风景区", "水上滑道、水中蹦极、狐狸坳木径攀爬、银龙瀑布漂流，约5~6小时；午餐",
         True),
        (1, 15, 0, "返回深圳", "野趣沟自然风景区", "午餐后返回", True),
    ),
    vehicles=(("中巴车", 19, 0, 9, 30, "北京大厦", "办公室王珺", "全程组织和安排"),),
    costs=(
        ("三正餐一早餐", "meals", "90", None, "union"),
        ("酒店住宿一晚（四星级双人间）", "hotel", "120", None, "union"),
        ("万绿湖游船", "tickets", "30", None, "union"),
        ("景点首张门票", "tickets", "40", None, "union"),
        ("导游服务", "guide", "10", None, "union"),
        ("车辆（不含在团费内）", "transport", None, "0", "union"),
    ),
    notice=SAFETY_RULES + "原则上不提倡携带家眷。请参加人员自带泳衣。",
)

YELIDAO = Plan(
    rules={"exclude_jobs": ["司机", "值班"], "family": {"allowed": True, "max_per_member": 3},
           "prices": {"member": "0", "family": "25", "child": "25"}},
    stops=(
        (0, 8, 15, "集合", "国交旁球场入口处", "各部门领队点名", True),
        (0, 8, 30, "出发", "国交旁球场入口处", "", False),
        (0, 9, 30, "野狸岛踏青", "珠海野狸岛", "单车环岛游等游艺项目自费", False),
        (0, 12, 0, "午餐", "珠海野狸岛", "", False),
        (0, 14, 30, "返程集合", "珠海野狸岛", "各部门领队点名后上车", True),
    ),
    vehicles=(("1号车", 45, 0, 8, 30, "国交旁球场入口处", "", ""), ("2号车", 45, 0, 8, 30, "国交旁球场入口处", "", "")),
    costs=(
        ("午餐", "meals", "30", None, "union"),
        ("交通（大巴）", "transport", "20", None, "union"),
        ("单车环岛游等游艺项目", "other", None, None, "self"),
    ),
    notice=SAFETY_RULES + "请照看好同行家属和小孩。",
    deadline_days_before=3,
    team_leaders=True,
)

SHENLONGZHAI = Plan(
    rules={"exclude_jobs": ["值班"], "family": {"allowed": True, "max_per_member": 3}},
    stops=(
        (0, 9, 30, "第一班车出发", "县政府门口", "调度：龙秋花、吴如喜", True),
        (0, 12, 30, "末班车出发", "县政府门口", "上午有课的教师上完第四节课后乘末班车", True),
        (0, 13, 30, "活动开始", "神龙寨观光园", "乒乓球拍托球接力、呼拉圈比赛、篮球投篮比赛、踢毽、跳绳比赛、森林日光浴", True),
        (0, 17, 0, "返程", "神龙寨观光园", "", True),
    ),
    vehicles=tuple((f"{h}:{m:02d} 班车", 45, 0, h, m, "县政府门口", "龙秋花、吴如喜",
                    "上午有课的教师乘后面班车" if h >= 11 else "")
                   for h, m in ((9, 30), (10, 30), (11, 30), (12, 30))),
    costs=(
        ("车费", "transport", None, "0", "union"),
        ("场地租用", "other", None, "0", "union"),
        ("餐费", "meals", None, "0", "union"),
        ("活动奖金（每项一等奖400、二等奖350、三等奖300、优胜奖300元）", "prizes", None, "6750", "union"),
    ),
    notice=SAFETY_RULES + "注意野外用火，不得乱扔烟头；娱乐活动健康文明；请做好家属特别是小孩的安全教育。",
    prize_tiers=(("一等奖", "400"), ("二等奖", "350"), ("三等奖", "300"), ("优胜奖", "300")),
)

PLANS = {"heyuan": HEYUAN, "yelidao": YELIDAO, "shenlongzhai": SHENLONGZHAI}

# Plain strings like the core's own types: feeds write the label as a calendar category.
ACTIVITY = ActivityType(
    key="outing",
    label="户外活动 / 旅游",
    description="踏青、秋游和两日游：行程、车辆座位、住宿分房、费用结算、安全告知和集合点名",
    icon="🚌",
    presets=(
        Preset("heyuan", "河源两日游（篇四）",
               "9:30 集合出发，两天行程，290 元/人含三正餐一早餐、酒店一晚、游船、门票和导游，不含车费",
               {"title": "河源两日游", "venue": "万绿湖、野趣沟、镜花缘", "start_hour": 9, "start_minute": 30,
                "duration_days": 2, "duration_hours": 8, "fee": "290.00",
                "description": "参与人员：单位员工（不含司机及安排值班人员）。一台中巴车，办公室王珺负责全程组织和安排。"}),
        Preset("yelidao", "野狸岛春季踏青（篇五）",
               "部门工会报名并收费，会员免费，家属半价 25 元，其余由工会补贴；截止后名单锁定",
               {"title": "珠海野狸岛春季踏青", "venue": "珠海野狸岛", "start_hour": 8, "start_minute": 15,
                "duration_hours": 8, "fee": "50.00",
                "description": "以部门工会为单位组织报名，截止前由部门工会负责人报学校工会并收取费用；"
                               "报名过时人员不再变动。各部门工会选派一位领队。"}),
        Preset("shenlongzhai", "神龙寨户外拓展（篇八）",
               "9:30、10:30、11:30、12:30 四班车，调度龙秋花、吴如喜；上午有课的教师乘后面班车",
               {"title": "神龙寨观光园户外休闲拓展", "venue": "神龙寨观光园", "start_hour": 9, "start_minute": 30,
                "duration_hours": 8, "fee": "0.00",
                "description": "学校负责车费、租房费、餐费及活动奖金；活动由体育组统一组织。"}),
    ),
)


def _at(event: Event, day: int, hour: int, minute: int) -> datetime:
    first = to_local(event.starts_at, event.timezone).date() + timedelta(days=day)
    return from_local(datetime(first.year, first.month, first.day, hour, minute), event.timezone)


def apply(event: Event, key: str) -> None:
    """Build plan ``key`` onto ``event`` (inside the creating transaction)."""
    from plugins.outing.models import CostItem, Stop, Vehicle
    from plugins.outing.roll_call import sync_checkpoint

    plan = PLANS[key]
    settings = dict(event.settings or {})
    settings["rules"] = parse_rules(plan.rules).to_settings()
    settings["outing"] = {"notice": plan.notice, "team_leaders": plan.team_leaders,
                          "prize_tiers": [list(t) for t in plan.prize_tiers]}
    event.settings = settings
    if plan.deadline_days_before is not None and event.registration_closes_at is None:
        event.registration_closes_at = _at(event, -plan.deadline_days_before, 17, 0)
    per_person = sum((Decimal(c[2]) for c in plan.costs if c[2] is not None), Decimal("0.00"))
    if per_person and not event.fee:
        event.fee = per_person
    event.save()
    for day, hour, minute, title, place, note, gathering in plan.stops:
        stop = Stop.create(event=event, starts_at=_at(event, day, hour, minute), title=title, place=place,
                           note=note, gathering=gathering)
        sync_checkpoint(event, stop)
    for name, seats, day, hour, minute, place, dispatcher, note in plan.vehicles:
        Vehicle.create(event=event, name=name, seats=seats, departs_at=_at(event, day, hour, minute), place=place,
                       dispatcher=dispatcher, note=note)
    for sort, (name, category, each, lump, payer) in enumerate(plan.costs):
        CostItem.create(event=event, name=name, category=category, payer=payer, sort=sort,
                        per_person=Decimal(each) if each is not None else None,
                        lump_sum=Decimal(lump) if lump is not None else None)
