"""The pure registration rules: each rule broken and its message read, and properties checked with hypothesis."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import Invalid
from core.services import registration_rules as r

OWNER = ("/1/2/", "实验中学工会")
TUG = r.ItemRule(id=1, name="拔河", kind="team", team_size_min=10, team_size_max=10, min_women=2)
PING = r.ItemRule(id=3, name="乒乓球单打", per_team=3)
SHOOT = r.ItemRule(id=5, name="定点投篮", per_team=5)
FUN = [r.ItemRule(id=i, name=f"项目{i}", starred=i <= 3) for i in range(1, 8)]


def person(**kw):
    return r.Person(**({"name": "张三", "unit_path": "/1/2/3/", "gender": "M"} | kw))


def test_members_below_the_owner_may_join_by_default():
    assert r.eligibility_problems(r.Rules(), person(), owner=OWNER) == []
    problems = r.eligibility_problems(r.Rules(), person(unit_path="/1/9/"), owner=OWNER)
    assert problems == ["【参加范围】本活动只接受实验中学工会及下属单位的会员报名"]


def test_listed_units_only():
    rules = r.Rules(units=(3,))
    allowed = [("/1/2/3/", "初一年级组")]
    assert r.eligibility_problems(rules, person(), owner=OWNER, allowed_units=allowed) == []
    problems = r.eligibility_problems(rules, person(unit_path="/1/2/4/"), owner=OWNER, allowed_units=allowed)
    assert problems == ["【参加范围】本活动只接受以下单位的会员报名：初一年级组"]


def test_dues_must_be_paid_when_the_plan_says_so():
    assert r.eligibility_problems(r.Rules(), person(dues_paid=False), owner=OWNER) == []
    problems = r.eligibility_problems(r.Rules(dues_paid=True), person(dues_paid=False), owner=OWNER)
    assert problems == ["【会员状态】张三未按时足额缴纳会费，不能报名"]


def test_drivers_and_staff_on_duty_are_excluded():
    rules = r.Rules(exclude_jobs=("司机", "值班"))
    assert r.eligibility_problems(rules, person(job="教师"), owner=OWNER) == []
    assert r.eligibility_problems(rules, person(job="司机"), owner=OWNER) == ["【不参加人员】岗位为“司机”的人员不参加本活动"]
    assert r.eligibility_problems(rules, person(job="值班"), owner=OWNER) == ["【不参加人员】岗位为“值班”的人员不参加本活动"]


def test_excluded_roles(app):  # the app: referee is a role the scoring plugin declares
    rules = r.Rules(exclude_roles=("referee", "摄像"))
    assert r.eligibility_problems(rules, person(roles=frozenset({"referee"})), owner=OWNER) == [
        "【不参加人员】担任“裁判”的人员不参加本活动"]
    assert r.eligibility_problems(rules, person(roles=frozenset({"摄像"})), owner=OWNER) == [
        "【不参加人员】担任“摄像”的人员不参加本活动"]


def test_at_most_three_items_one_of_them_starred():
    rules = r.Rules(max_items=3, min_starred=1)
    assert r.item_choice_problems(rules, FUN, [1, 4, 5]) == []
    assert r.item_choice_problems(rules, FUN, [1, 2, 4, 5]) == ["【限报项目数】每人最多报 3 个项目，已选 4 个"]
    assert r.item_choice_problems(rules, FUN, [4, 5]) == [
        "【必报项目】每人须至少报 1 个带★的项目：项目1、项目2、项目3"]


def test_people_may_not_repeat_across_items_of_a_group():
    items = [r.ItemRule(id=1, name="跳绳", group="A"), r.ItemRule(id=2, name="踢毽子", group="A"),
             r.ItemRule(id=3, name="猜谜")]
    assert r.item_choice_problems(r.Rules(), items, [1, 3]) == []
    assert r.item_choice_problems(r.Rules(), items, [1, 2]) == [
        "【项目不可兼报】“跳绳”、“踢毽子” 同属“A”，同一人只能报其中一项"]


def test_staff_running_an_item_may_not_play_in_it():
    items = [r.ItemRule(id=1, name="趣味接力", exclude_jobs=("后勤",))]
    assert r.item_choice_problems(r.Rules(), items, [1], person(job="后勤")) == [
        "【不参加人员】岗位为“后勤”的人员不能参加“趣味接力”"]


def test_places_per_team():
    assert r.team_place_problems(PING, "二楼办公室", ["M", "F", "M"]) == []
    assert r.team_place_problems(PING, "二楼办公室", ["M", "F", "M", "M"]) == [
        "【每队名额】“乒乓球单打”每队限报 3 人，二楼办公室将有 4 人"]
    assert r.team_place_problems(SHOOT, "行政办公室", ["M"] * 6)[0].startswith("【每队名额】“定点投篮”每队限报 5 人")


def test_tug_of_war_ten_per_team_at_least_two_women():
    eight_men_two_women = ["M"] * 8 + ["F"] * 2
    assert r.team_place_problems(TUG, "三楼办公室", eight_men_two_women, complete=True) == []
    assert r.team_place_problems(TUG, "三楼办公室", ["M"] * 9) == [
        "【女性人数】“拔河”每队至少 2 名女性，三楼办公室最多只能报 8 名男性"]
    assert r.team_place_problems(TUG, "三楼办公室", eight_men_two_women + ["F"]) == [
        "【队伍人数】“拔河”每队 10 人，三楼办公室将有 11 人"]
    assert r.team_place_problems(TUG, "三楼办公室", ["M"] * 7 + ["F"] * 2, complete=True) == [
        "【队伍人数】“拔河”每队 10 人，三楼办公室只有 9 人"]
    # a roster still being built only meets the upper limits
    assert r.team_place_problems(TUG, "三楼办公室", ["M"] * 3) == []


def test_team_size_between():
    relay = r.ItemRule(id=9, name="接力", kind="team", team_size_min=6, team_size_max=8)
    assert r.team_place_problems(relay, "一队", ["F"] * 5, complete=True) == ["【队伍人数】“接力”每队 6–8 人，一队只有 5 人"]
    assert r.team_place_problems(relay, "一队", ["F"] * 7, complete=True) == []


def test_women_counted_in_a_complete_roster():
    relay = r.ItemRule(id=9, name="迎面接力", kind="team", team_size_min=4, min_women=2)
    assert r.team_place_problems(relay, "一队", ["M", "M", "M", "F"], complete=True) == [
        "【女性人数】“迎面接力”每队至少 2 名女性，一队只有 1 名"]


def test_family_members():
    assert r.family_problems(r.Rules(), 0) == []
    assert r.family_problems(r.Rules(), 1) == ["【家属】本活动不接受携带家属"]
    assert r.family_problems(r.Rules(family_allowed=True, family_max=2), 3) == ["【家属】每位会员最多携带 2 名家属"]


def test_item_capacity():
    item = r.ItemRule(id=1, name="猜谜", capacity=2)
    assert r.item_capacity_problems(item, 2) == []
    assert r.item_capacity_problems(item, 3) == ["【项目名额】“猜谜”限 2 人，名额已满"]


def test_members_free_family_half_price():
    rules = r.parse_rules({"prices": {"member": "0", "family": "25"}, "family": {"allowed": True}})
    member, family = r.fees(rules, Decimal("50.00"), [False, True])
    assert member == r.Share(Decimal("50.00"), Decimal("0.00"), Decimal("50.00"))
    assert [f.own for f in family] == [Decimal("25.00"), Decimal("25.00")]
    total = r.totals(member, family)
    assert (total.cost, total.own, total.union) == (Decimal("150.00"), Decimal("50.00"), Decimal("100.00"))


def test_bad_rules_are_named():
    with pytest.raises(Invalid) as caught:
        r.parse_rules({"max_items": "three", "prices": {"family": "abc"}})
    assert set(caught.value.errors) == {"max_items", "prices.family"}
    with pytest.raises(Invalid):
        r.parse_rules({"max_items": 0, "min_starred": 1})


def test_rules_round_trip_through_settings():
    rules = r.parse_rules({"units": [3, "4"], "exclude_jobs": "司机、值班", "max_items": 3, "min_starred": 1,
                           "family": {"allowed": True, "max_per_member": 2}, "prices": {"family": "25"},
                           "waitlist": False})
    assert rules.units == (3, 4) and rules.exclude_jobs == ("司机", "值班")
    assert r.parse_rules(rules.to_settings()) == rules


money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@given(cost=money, member=st.one_of(st.none(), money), family=st.one_of(st.none(), money),
       guests=st.lists(st.booleans(), max_size=6))
def test_shares_always_add_up_and_are_never_negative(cost, member, family, guests):
    rules = r.Rules(member_price=member, family_price=family)
    member_share, family_shares = r.fees(rules, cost, guests)
    for s in [member_share, *family_shares]:
        assert s.own >= 0 and s.union >= 0 and s.own + s.union == s.cost == r.yuan(cost)
    total = r.totals(member_share, family_shares)
    assert total.cost == r.yuan(cost) * (1 + len(guests))
    assert total.own + total.union == total.cost


@given(st.lists(st.sampled_from("MF"), max_size=14))
def test_a_roster_within_every_upper_limit_is_never_refused_while_growing(genders):
    problems = r.team_place_problems(TUG, "队", genders)
    within = len(genders) <= 10 and genders.count("M") <= 8
    assert (problems == []) == within


@given(st.lists(st.sampled_from("MF"), min_size=10, max_size=10))
def test_a_complete_tug_of_war_team_needs_two_women(genders):
    problems = r.team_place_problems(TUG, "队", genders, complete=True)
    assert (problems == []) == (genders.count("F") >= 2)


@given(st.lists(st.integers(min_value=1, max_value=7), unique=True, max_size=7))
def test_item_choice_matches_the_fun_meet_rules(chosen):
    problems = r.item_choice_problems(r.Rules(max_items=3, min_starred=1), FUN, chosen)
    ok = len(chosen) <= 3 and any(i <= 3 for i in chosen)
    assert (problems == []) == ok
