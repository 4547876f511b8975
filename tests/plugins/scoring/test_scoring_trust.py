"""Trust in results: publishing locks, unlocking needs a reason, every change is audited, bad input
gets a message, two referees typing the same result at once leave one row, unknown attendance is shown."""

import threading

import pytest

from core.models import AuditLog
from plugins.scoring import public as scoring
from plugins.scoring.models import ScoringResult
from tests.plugins.scoring import sportsday
from tests.support import login


@pytest.fixture
def day(make_app, factory):
    app = make_app()
    sd = sportsday.build(factory)
    factory.account("org", roles=[("organizer", sd.school["school"])])
    sd.app = app
    sd.client = login(app.test_client(), "org")
    return sd


def test_publish_locks_and_unlock_needs_a_reason(day):
    c, relay = day.client, day.items["relay"]
    url = f"/api/v1/scoring/items/{relay.id}"
    first = c.post(f"{url}/results", json={"entrant": sportsday.key(day, "A"), "value": "95.3"})
    assert first.status_code == 201
    assert c.post(f"{url}/publish").get_json() == {"state": "published"}
    response = c.post(f"{url}/results", json={"entrant": sportsday.key(day, "A"), "value": "94.1", "version": 1})
    assert response.status_code == 409 and "已发布并锁定" in response.get_json()["message"]
    response = c.post(f"{url}/unlock", json={"reason": "  "})
    assert response.status_code == 422 and "原因" in response.get_json()["message"]
    assert c.post(f"{url}/unlock", json={}).status_code == 422
    assert c.post(f"{url}/unlock", json={"reason": "计时员报错，复核录像后更正"}).get_json() == {"state": "open"}
    corrected = c.post(f"{url}/results", json={"entrant": sportsday.key(day, "A"), "value": "94.1", "version": 1})
    assert corrected.status_code == 200 and corrected.get_json()["version"] == 2
    stale = c.post(f"{url}/results", json={"entrant": sportsday.key(day, "A"), "value": "93", "version": 1})
    assert stale.status_code == 409
    actions = [(a.action, a.reason) for a in AuditLog.select().where(AuditLog.action.in_(
        ("scoring.result.enter", "scoring.item.publish", "scoring.item.unlock", "scoring.result.correct")))
               .order_by(AuditLog.id)]
    assert actions == [("scoring.result.enter", ""), ("scoring.item.publish", ""),
                       ("scoring.item.unlock", "计时员报错，复核录像后更正"), ("scoring.result.correct", "")]
    row = AuditLog.get(AuditLog.action == "scoring.result.correct")
    assert row.before["value"] == "95.3" and row.after["value"] == "94.1" and row.account_name == "org"


def test_bad_input_gets_a_clear_message(day):
    c, k = day.client, lambda code: sportsday.key(day, code)
    relay, shoot, tt = day.items["relay"], day.items["shoot"], day.items["tt"]
    cases = [
        (relay, "results", {"entrant": k("A"), "value": "abc"}, "“abc”不是有效的用时"),
        (relay, "results", {"entrant": k("A"), "value": "1:75"}, "不是有效的用时"),
        (relay, "results", {"entrant": k("A"), "value": "-3"}, "不是有效的用时"),
        (relay, "results", {"entrant": k("A1"), "value": "90"}, "集体项目"),
        (relay, "results", {"entrant": k("A"), "status": "foul", "value": "90"}, "不记成绩"),
        (relay, "results", {"entrant": "x1", "value": "90"}, "格式不正确"),
        (relay, "results", {"entrant": k("A"), "status": "late"}, "取值应为"),
        (shoot, "results", {"entrant": k("A1"), "value": "6.5"}, "应为整数"),
        (shoot, "results", {"entrant": k("C6"), "value": "3"}, "没有报名"),
        (shoot, "results", {"entrant": "m999999", "value": "3"}, "没有报名"),
        (tt, "results", {"entrant": k("A1"), "value": "3"}, "不能直接录入"),
        (tt, "matches", {"round": 1, "number": 2, "games": [[11, 5], [11, 7]]}, "请先抽签"),
    ]
    for item, what, body, message in cases:
        response = c.post(f"/api/v1/scoring/items/{item.id}/{what}", json=body)
        assert response.status_code in (409, 422), (body, response.get_data(as_text=True))
        assert message in response.get_json()["message"], (body, response.get_json())
    numbers = {k(p): n for p, n in sportsday.TT_NUMBERS.items()}
    wrong = dict(numbers, **{k("A1"): 2})  # 2 is a bye slot
    response = c.post(f"/api/v1/scoring/items/{tt.id}/draw", json={"numbers": wrong})
    assert response.status_code == 422 and "1、3、4" in response.get_json()["message"]
    assert c.post(f"/api/v1/scoring/items/{tt.id}/draw", json={"numbers": numbers}).status_code == 200
    for games, message in (([[11, 11]], "不符合计分规则"), ([[11, 5]], "未分出胜负"),
                           ([[11, 5], [11, 7], [11, 3]], "多打了局数"), ([[11, 10], [11, 5]], "不符合计分规则")):
        response = c.post(f"/api/v1/scoring/items/{tt.id}/matches", json={"round": 1, "number": 2, "games": games})
        assert response.status_code == 422 and message in response.get_json()["message"]
    response = c.post(f"/api/v1/scoring/items/{tt.id}/matches", json={"round": 3, "number": 1, "games": [[11, 5], [11, 7]]})
    assert response.status_code == 422 and "尚未产生" in response.get_json()["message"]
    assert c.post(f"/api/v1/scoring/items/{relay.id}/results", data="not json").status_code == 422
    assert not ScoringResult.select().exists()
    page = c.post(f"/scoring/items/{relay.id}/enter", data={"entrant": k("A"), "value": "abc"}, follow_redirects=True)
    assert page.status_code == 200 and "不是有效的用时" in page.get_data(as_text=True)


def test_draw_by_lot_is_reproducible(day):
    c, tt = day.client, day.items["tt"]
    first = c.post(f"/api/v1/scoring/items/{tt.id}/draw", json={"seed": "2024-09-18"}).get_json()["draw"]
    again = c.post(f"/api/v1/scoring/items/{tt.id}/draw", json={"seed": "2024-09-18"}).get_json()["draw"]
    assert first == again and sorted(first.values()) == [1, 3, 4, 5, 7, 9, 11, 13, 15]
    match = c.post(f"/api/v1/scoring/items/{tt.id}/matches", json={"round": 1, "number": 2, "games": [[11, 5], [11, 7]]})
    assert match.status_code == 200
    assert c.post(f"/api/v1/scoring/items/{tt.id}/draw", json={"seed": "other"}).status_code == 409


def test_two_referees_typing_the_same_result_leave_one(day, factory):
    shoot = day.items["shoot"]
    clients = []
    for name in ("ref1", "ref2"):
        account = factory.account(name, roles=[("referee", day.school["school"])])
        scoring.assign_judge(shoot, account, role="referee")
        clients.append(login(day.app.test_client(), name))
    codes = sportsday.SHOOTERS[:8]
    statuses = {code: [] for code in codes}
    barrier = threading.Barrier(2)

    def referee(client, baskets):
        for code in codes:
            barrier.wait()
            response = client.post(f"/api/v1/scoring/items/{shoot.id}/results",
                                   json={"entrant": sportsday.key(day, code), "value": baskets})
            statuses[code].append(response.status_code)

    threads = [threading.Thread(target=referee, args=(client, str(n))) for n, client in zip((5, 6), clients, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for code in codes:
        assert sorted(statuses[code]) == [201, 409], (code, statuses[code])
    assert ScoringResult.select().where(ScoringResult.item == shoot.id).count() == len(codes)
    assert AuditLog.select().where(AuditLog.action == "scoring.result.enter").count() == len(codes)


def test_unknown_attendance_is_shown_unless_the_organizer_says_on_time(day):
    c = day.client
    payout = c.get(f"/api/v1/scoring/events/{day.event.id}/payouts").get_json()
    assert payout["unknown_attendance"] == 16 and payout["total"] == "0.00"
    assert payout["people"][0]["attendance_label"] == "未知"
    assert payout["people"][0]["lines"][0]["note"] == "出勤未知"
    assert "16 人出勤未知" in c.get(f"/scoring/events/{day.event.id}/payout").get_data(as_text=True)
    scoring.configure_event(day.event, team_prizes=scoring.TEAM_PRIZES, unknown_attendance_on_time=True)
    payout = c.get(f"/api/v1/scoring/events/{day.event.id}/payouts").get_json()
    assert payout["unknown_attendance"] == 0 and payout["total"] == "800.00"  # 16 × 50, no results yet


def test_api_is_described_and_needs_rights(day, factory):
    c = day.client
    paths = c.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/scoring/items/{item_id}/results" in paths
    assert paths["/api/v1/scoring/items/{item_id}/results"]["post"]["requestBody"]
    assert "/api/v1/scoring/events/{event_id}/payouts" in paths
    anonymous = day.app.test_client()
    assert anonymous.post(f"/api/v1/scoring/items/{day.items['relay'].id}/results", json={}).status_code == 401
    assert anonymous.get(f"/api/v1/scoring/events/{day.event.id}/payouts").status_code == 401
    factory.account("t1", member=day.people["A1"])
    member = login(day.app.test_client(), "t1")
    assert member.get(f"/api/v1/scoring/events/{day.event.id}/payouts").status_code == 403
    assert member.get(f"/api/v1/scoring/events/{day.event.id}/standings").status_code == 200
