"""The seed plans as data: each preset lists its items (with their registration rules, how they are
scored, their time and place in the day), the event's registration rules, its teams and its prize rules.

:func:`plugins.sports_day.building.build` turns a plan into rows when an event is created from it;
after that everything lives in the database and organizers change it on the pages.

- ``staff_sports_day`` (篇二): teams by office with captains; 拔河 and 迎面接力 10 per team with at least 2
  women; 乒乓球 and 羽毛球 singles 3 per team, drawn, best of three, knockout; 定点投篮 5 per team, 10 shots,
  also ranked by team; points 3/2/1 (individual) and 5/3/1 (collective); 50 yuan each for taking part
  (half when late or leaving early), 30/20/10 per individual item, 300/260/200 for the teams.
- ``cadres_fun_meet`` (篇九): 7 items, at most 3 per person and one of the starred items 1–3, sign-in 8:00
  and start 8:30, registration closing five days before (9-18 for 9-23), a souvenir for everyone, places
  "根据报名情况录取" (fewer entrants than places: one place fewer than entrants) and best placing only.
- ``eight_groups`` (篇七): eight groups (six grades, 行政后勤, 综合学科) in three timed games of 8 or 9 people,
  points 10..3 that count toward the yearly activity points; people should not repeat across games and
  the union members who run a game do not play in it (they are its referees).
- ``fitness_fun`` (篇七, the 元月 variant): 1-minute jump rope and shuttlecock (6 per group, 1st/2nd/3rd
  prizes, a souvenir at 30 jumps / 20 kicks), riddles (a souvenir per correct answer) and two relays by
  department (10 per team, at least 2 women, team placings).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

INDIVIDUAL_POINTS = ("3", "2", "1")
COLLECTIVE_POINTS = ("5", "3", "1")
EIGHT_GROUP_POINTS = ("10", "9", "8", "7", "6", "5", "4", "3")
INDIVIDUAL_PRIZES = ("30", "20", "10")
TEAM_PRIZES = ("300", "260", "200")
PLACE_BANDS = (("第一名", 1), ("第二名", 1), ("第三名", 1))
PRIZE_BANDS = (("一等奖", 1), ("二等奖", 1), ("三等奖", 1))


@dataclass(frozen=True)
class ItemPlan:
    """One item of a plan: the core item's fields, its scoring, and its slot in the day."""

    name: str
    rule: str = ""  # the item's rules as the plan words them (shown on the running order)
    kind: str = "individual"
    starred: bool = False
    sign_in: bool = False  # its own sign-in (检录) for its entrants, where it runs apart from the rest
    group: str = ""
    per_team: int | None = None
    team_size_min: int | None = None
    team_size_max: int | None = None
    min_women: int | None = None
    measure: str = "count"
    unit_label: str = ""
    points: tuple[str, ...] = ()
    prizes: tuple[str, ...] = ()
    tie_rule: str = "share"
    team_points: tuple[str, ...] = ()
    game_rule: str = ""
    third_place: str = "shared"
    bands: tuple = ()
    threshold: dict | None = None
    answer_award: dict | None = None
    start: int = 0  # minutes after the event starts
    minutes: int = 30
    place: str = ""


@dataclass(frozen=True)
class Plan:
    """A preset's plan: items, registration rules, teams and prize rules."""

    key: str
    activity_type: str
    label: object
    description: object
    defaults: dict
    items: tuple[ItemPlan, ...]
    rules: dict = field(default_factory=dict)
    teams: tuple[str, ...] = ()  # named teams; empty with ``teams_from_units``
    teams_from_units: bool = False  # one team per department below the event's unit
    prizes: dict = field(default_factory=dict)  # scoring.configure_event keyword arguments
    places_by_entries: bool = False
    sign_in_minutes: int = 0  # sign-in opens this long before the start
    closes_days_before: int | None = None
    warn_repeats: bool = False  # people should not repeat across the team items (篇七: "尽量不要重复")


STAFF_SPORTS_DAY = Plan(
    key="staff_sports_day",
    activity_type="sports_day",
    label=_l("教职工“庆五一”体育竞赛（篇二）"),
    description=_l("以办公室为单位组队，办公室负责人任队长；拔河、迎面接力、乒乓球、羽毛球、定点投篮；"
                   "团体总分与参与奖、单项奖、团体奖"),
    defaults={"title": "教职工“庆五一”体育竞赛", "start_hour": 8, "start_minute": 30, "duration_hours": 4,
              "venue": "学校操场"},
    teams=("二楼办公室", "三楼办公室", "行政办公室"),
    rules={"team_required": True},
    prizes={"team_prizes": TEAM_PRIZES, "participation_amount": "50", "late_rate": "1/2",
            "early_leave_rate": "1/2", "participation_needs_entry": True},  # 不参赛的不计发
    items=(
        ItemPlan("拔河", "每队10人，其中女队员至少2人", kind="team", team_size_min=10, team_size_max=10, min_women=2,
                 measure="place", points=COLLECTIVE_POINTS, start=0, minutes=30, place="学校操场"),
        ItemPlan("迎面接力（50米）", "每队10人，其中女队员至少2人", kind="team", team_size_min=10, team_size_max=10,
                 min_women=2, measure="time", points=COLLECTIVE_POINTS, start=30, minutes=30, place="学校操场跑道"),
        ItemPlan("乒乓球单打", "每队3人；抽签得号，相邻号对赛，三局两胜淘汰制", per_team=3, measure="match",
                 points=INDIVIDUAL_POINTS, prizes=INDIVIDUAL_PRIZES, game_rule="table_tennis", start=70,
                 minutes=80, place="乒乓球室", sign_in=True, third_place="match"),  # the plan pays one 3rd place
        ItemPlan("羽毛球单打", "每队3人；抽签得号，相邻号对赛，三局两胜淘汰制", per_team=3, measure="match",
                 points=INDIVIDUAL_POINTS, prizes=INDIVIDUAL_PRIZES, game_rule="badminton", start=70, minutes=80,
                 place="羽毛球馆", sign_in=True, third_place="match"),
        ItemPlan("定点投篮", "每队5人，每人限投10次；以进球数计，相同时先投中者列前；也计集体名次得分", per_team=5,
                 measure="count", unit_label="个", points=INDIVIDUAL_POINTS, prizes=INDIVIDUAL_PRIZES,
                 tie_rule="first_to_reach", team_points=COLLECTIVE_POINTS, start=150, minutes=40, place="篮球场"),
    ),
)

CADRES_FUN_MEET = Plan(
    key="cadres_fun_meet",
    activity_type="sports_day",
    label=_l("工会干部趣味运动会（篇九）"),
    description=_l("7个趣味项目，每人限报3项且须报1–3项中的一项；8:00签到、8:30比赛；"
                   "根据报名情况录取名次，取最好名次奖励，参赛选手均有纪念奖"),
    defaults={"title": "区直单位工会干部趣味运动会", "start_hour": 8, "start_minute": 30, "duration_hours": 3,
              "venue": "双兴小学田径场"},
    rules={"max_items": 3, "min_items": 1, "min_starred": 1},
    prizes={"participation": False, "best_placing_only": True, "souvenir_each": 1, "activity_points": False},
    places_by_entries=True,
    sign_in_minutes=30,
    closes_days_before=5,
    items=(
        ItemPlan("托球跑", "比赛距离20米；乒乓球放在球拍中间不能固定，球掉地须回起点重新开始；用时最少者名次最好",
                 starred=True, measure="time", prizes=INDIVIDUAL_PRIZES, start=0, minutes=20, place="田径场直道"),
        ItemPlan("双腿夹球走", "比赛距离20米；皮球夹在两膝上方，中途脱离须原地拣起夹好再走，不可用手扶球；时间最短者胜",
                 starred=True, measure="time", prizes=INDIVIDUAL_PRIZES, start=20, minutes=20, place="田径场直道"),
        ItemPlan("摸石过河", "比赛距离20米；两块泡沫板交替前进，途中如有脚落地判为犯规，不记成绩", starred=True,
                 measure="time", prizes=INDIVIDUAL_PRIZES, start=40, minutes=20, place="田径场直道"),
        ItemPlan("定点投篮", "罚球线后投篮10次，以进球个数计算成绩；成绩相等以先投中者名次列前", measure="count",
                 unit_label="个", prizes=INDIVIDUAL_PRIZES, tie_rule="first_to_reach", start=60, minutes=30,
                 place="篮球场"),
        ItemPlan("一分钟跳绳", "一分钟计数，个数多者名次列前", measure="count", unit_label="个",
                 prizes=INDIVIDUAL_PRIZES, start=90, minutes=20, place="田径场内场"),
        ItemPlan("踢毽子", "直径2米圆圈内用脚内侧踢毽，不得悬踢；一分钟成功次数多者名次列前", measure="count",
                 unit_label="个", prizes=INDIVIDUAL_PRIZES, start=110, minutes=20, place="田径场内场"),
        ItemPlan("金豆搬家", "两筐相距3米，用筷子夹乒乓球到空筐；2分钟内以夹球多少计算成绩", measure="count",
                 unit_label="个", prizes=INDIVIDUAL_PRIZES, start=130, minutes=30, place="风雨操场"),
    ),
)

EIGHT_GROUPS = Plan(
    key="eight_groups",
    activity_type="fun_games",
    label=_l("趣味游戏·八个组（篇七）"),
    description=_l("以年级为单位分八组；顶橘子、搭桥过河、大家乐套圈，以时间定成绩，"
                   "每项按10、9、8、7、6、5、4、3分积分，总积分定名次并纳入工会活动积分"),
    defaults={"title": "教职工趣味游戏", "start_hour": 15, "start_minute": 30, "duration_hours": 2,
              "venue": "学校操场"},
    teams_from_units=True,
    rules={"team_required": True},
    prizes={"participation": False, "activity_points": True},
    warn_repeats=True,
    items=(
        ItemPlan("顶橘子", "每组8人，两端接力；橘子跌落须在跌落处重新放好再走；赛距20米，以时间定成绩", kind="team",
                 team_size_min=8, team_size_max=8, measure="time", points=EIGHT_GROUP_POINTS, start=0, minutes=30,
                 place="学校操场"),
        ItemPlan("搭桥过河", "每组9人，三人一小组，踩报纸前进15米，脚不能触地，绕障碍物回起点；以时间定成绩",
                 kind="team", team_size_min=9, team_size_max=9, measure="time", points=EIGHT_GROUP_POINTS, start=30,
                 minutes=30, place="学校操场"),
        ItemPlan("大家乐套圈", "每组8人手握橡皮筋排成一列，呼啦圈依次套过全身；以时间定成绩", kind="team",
                 team_size_min=8, team_size_max=8, measure="time", points=EIGHT_GROUP_POINTS, start=60, minutes=30,
                 place="学校操场"),
    ),
)

FITNESS_FUN = Plan(
    key="fitness_fun",
    activity_type="fun_games",
    label=_l("教职工健身趣味活动（篇七）"),
    description=_l("跳绳、踢毽（每组6人，一分钟计数，一二三等奖，达标有纪念品）、猜谜（猜对一个得纪念品一份）、"
                   "滚铁环接力赛和羊角球竞速接力（以部门为单位，每队10人至少2名女职工，团体名次）"),
    defaults={"title": "教职工健身趣味活动", "start_hour": 8, "start_minute": 30, "duration_hours": 3,
              "venue": "学校操场"},
    teams_from_units=True,
    prizes={"participation": False, "activity_points": False},
    items=(
        ItemPlan("跳绳", "一组6人，1分钟计个数，中断可继续跳，累加个数计成绩；一、二、三等奖各1名；累加30个获纪念品",
                 per_team=6, measure="count", unit_label="个", bands=PRIZE_BANDS,
                 threshold={"value": "30", "label": "跳绳满30个纪念品", "souvenirs": 1}, start=0, minutes=30,
                 place="学校操场"),
        ItemPlan("踢毽", "一组6人，1分钟计个数，中断可继续踢，累加个数计成绩；一、二、三等奖各1名；累加20个获纪念品",
                 per_team=6, measure="count", unit_label="个", bands=PRIZE_BANDS,
                 threshold={"value": "20", "label": "踢毽满20个纪念品", "souvenirs": 1}, start=30, minutes=30,
                 place="学校操场"),
        ItemPlan("猜谜", "现场猜谜，不得用网络搜索谜底；每猜对一个，工作人员核对后获纪念品一份", measure="count",
                 unit_label="条", answer_award={"label": "猜谜纪念品", "souvenirs": 1}, start=0, minutes=150,
                 place="教学楼走廊"),
        ItemPlan("滚铁环接力赛", "每队10名，至少女职工2名；赛程20米，用钩推环前进，铁环不脱钩在接力区交下一位；"
                 "计接力总成绩取团体一、二、三名", kind="team", team_size_min=10, team_size_max=10, min_women=2,
                 measure="time", bands=PLACE_BANDS, start=60, minutes=30, place="学校操场跑道"),
        ItemPlan("羊角球竞速接力", "每队10名，至少女职工2名；赛程20米，蹲坐羊角球前进，在接力区交下一位；"
                 "计接力总成绩取团体一、二、三名", kind="team", team_size_min=10, team_size_max=10, min_women=2,
                 measure="time", bands=PLACE_BANDS, start=90, minutes=30, place="学校操场跑道"),
    ),
)

PLANS = {plan.key: plan for plan in (STAFF_SPORTS_DAY, CADRES_FUN_MEET, EIGHT_GROUPS, FITNESS_FUN)}
ACTIVITY_TYPES = ("sports_day", "fun_games")


def plans_of(activity_type: str) -> list[Plan]:
    return [plan for plan in PLANS.values() if plan.activity_type == activity_type]
