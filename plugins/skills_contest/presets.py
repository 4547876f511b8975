"""The seed plan as data (seed 002 篇一, 教师基本功大赛 "三字一课").

- 粉笔字 and 毛笔字 are written on site in a set time in 二楼物理实验室, with the text given on the
  spot (毛笔字: 师德; 粉笔字: 望庐山瀑布); 钢笔字 (无题) and 微型课 (a 3–10 minute mock lesson)
  are done by the teachers themselves and handed in.
- Schedule: 5-26 全体会动员 (the event's start), 5-29 评委进行评比三字 (three days later), June
  微课上交及评比.
- Every item is judged by a panel with weighted criteria (三字: 笔法 30 / 字法 30 / 章法 20 / 特色 20;
  微型课 after the seed's own words: 切入课题, 讲授线索, 收尾总结, 教态语言), blind numbers, recusal of a
  judge's own department, highest and lowest dropped; 一、二、三等奖 "若干" by share, and 鼓励奖 for the rest.

:func:`plugins.skills_contest.building.build` turns it into rows; after that organizers change any of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

SCRIPT_CRITERIA = (("笔法", 30), ("字法", 30), ("章法", 20), ("特色", 20))
LESSON_CRITERIA = (("切入课题", 20), ("讲授线索", 30), ("收尾总结", 20), ("教态语言", 30))
BANDS = (("一等奖", "1/10"), ("二等奖", "1/5"), ("三等奖", "3/10"), ("鼓励奖", "2/5"))
SCRIPT_REQUIREMENT = "由评委制定唐诗或宋词一首，按要求书写并写明参赛者姓名；要求字体工整清晰、美观"
IMAGE_TYPES = ("jpg", "jpeg", "png", "pdf")
LESSON_TYPES = ("mp4", "mov", "pdf", "ppt", "pptx", "doc", "docx")


@dataclass(frozen=True)
class ItemPlan:
    """One item: on site (``day`` and ``start`` minutes after midnight, ``minutes`` long, in ``room``)
    or submitted (deadline ``day`` at ``start``), its rubric and its bands."""

    name: str
    mode: str
    requirement: str
    criteria: tuple = SCRIPT_CRITERIA
    text_title: str = ""
    text: str = ""
    day: int = 3  # days after the event's start
    start: int = 15 * 60 + 30
    minutes: int = 40
    room: str = ""
    kinds: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    max_mb: int = 10
    bands: tuple = BANDS


@dataclass(frozen=True)
class Milestone:
    """A date of the plan shown on the contest page and in calendars."""

    name: str
    day: int
    start: int  # minutes after midnight, local time
    minutes: int


@dataclass(frozen=True)
class Plan:
    key: str
    label: object
    description: object
    defaults: dict
    items: tuple[ItemPlan, ...]
    milestones: tuple[Milestone, ...] = ()
    rules: dict = field(default_factory=dict)


TEACHER_SKILLS = Plan(
    key="teacher_skills",
    label=_l("教师基本功大赛“三字一课”（篇一）"),
    description=_l("粉笔字、毛笔字现场书写（临时提供书写内容），钢笔字和微型课自行完成上交；"
                   "评委盲评打分、去掉最高分和最低分；单项一、二、三等奖若干，获奖证书和鼓励奖品"),
    defaults={"title": "教师基本功大赛", "start_hour": 15, "start_minute": 30, "duration_hours": 1,
              "venue": "学校报告厅"},
    rules={"exclude_roles": ["judge", "摄像"]},
    milestones=(
        Milestone("全体会动员", 0, 15 * 60 + 30, 60),
        Milestone("评委进行评比三字", 3, 15 * 60 + 30, 120),
        Milestone("微课上交截止", 25, 17 * 60, 30),
        Milestone("微型课评比", 30, 15 * 60 + 30, 120),
    ),
    items=(
        ItemPlan("粉笔字", "onsite", SCRIPT_REQUIREMENT + "（七言古诗一首）", text_title="望庐山瀑布（唐·李白）",
                 text="日照香炉生紫烟，遥看瀑布挂前川。\n飞流直下三千尺，疑是银河落九天。", day=3,
                 start=14 * 60 + 30, minutes=30, room="二楼物理实验室"),
        ItemPlan("毛笔字", "onsite", SCRIPT_REQUIREMENT, text_title="师德", text="师德", day=3, start=15 * 60 + 10,
                 minutes=30, room="二楼物理实验室"),
        ItemPlan("钢笔字", "submission", SCRIPT_REQUIREMENT + "（七言古诗一首，自行完成上交）",
                 text_title="无题（唐·李商隐）",
                 text="相见时难别时难，东风无力百花残。\n春蚕到死丝方尽，蜡炬成灰泪始干。\n"
                      "晓镜但愁云鬓改，夜吟应觉月光寒。\n蓬山此去无多路，青鸟殷勤为探看。",
                 day=3, start=12 * 60, kinds=("file",), extensions=IMAGE_TYPES),
        ItemPlan("微型课", "submission",
                 "以模拟课堂为载体，进行3—10分钟的模拟课堂教学；包括引入课题、内容讲授和总结三个步骤。"
                 "切入课题要迅速，讲授线索要明亮醒目，收尾要快捷；讲授人表现要干练，语言要准确、简明",
                 criteria=LESSON_CRITERIA, day=25, start=17 * 60, kinds=("file", "link"), extensions=LESSON_TYPES),
    ),
)

PLANS = {TEACHER_SKILLS.key: TEACHER_SKILLS}
ACTIVITY_TYPE = "skills_contest"
