"""Scoring's pages, as the organizer, a referee on his phone and the big screen meet them."""

from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from core.models import AuditLog
from tests.plugins.scoring import sportsday
from tests.plugins.scoring.test_scoring_sports_day_e2e import run_sports_day, sports_day  # noqa: F401
from tests.support import login, text_of


def test_pages_of_a_finished_sports_day(sports_day):  # noqa: F811
    sd = sports_day
    run_sports_day(sd)
    c = sd.client
    page = text_of(c.get(f"/scoring/events/{sd.event.id}"))
    assert "团体总分" in page and "三楼办公室" in page and "17" in page
    event_page = text_of(c.get(f"/events/{sd.event.id}"))
    assert "成绩与团体总分" in event_page and "奖金发放表（xlsx）" in event_page
    shoot = text_of(c.get(f"/scoring/items/{sd.items['shoot'].id}"))
    assert "成绩相同，先达者列前" in shoot and "犯规" in shoot
    bracket = text_of(c.get(f"/scoring/items/{sd.items['tt'].id}/bracket"))
    assert "马超" in bracket and "决赛" in bracket and "轮空" in bracket
    board = c.get(f"/scoring/events/{sd.event.id}/scoreboard.json").get_json()
    assert [t["name"] for t in board["teams"]] == ["三楼办公室", "行政办公室", "二楼办公室"]
    assert board["latest"] and board["latest"][0]["item"] == "定点投篮"
    assert "setInterval" in c.get(f"/scoring/events/{sd.event.id}/scoreboard").get_data(as_text=True)
    budget = text_of(c.get(f"/scoring/events/{sd.event.id}/budget"))
    # 16 × 50 + 乒乓 (30+20+10+10) + 羽毛 60 + 投篮 60 + 团体 760
    assert "¥1,750.00" in budget
    # Certificates come from published results only: none yet, then the table tennis ones.
    certificates = f"/scoring/events/{sd.event.id}/certificates"
    assert "暂无获奖名单" in text_of(c.get(certificates))
    c.post(f"/api/v1/scoring/items/{sd.items['tt'].id}/publish")
    page = text_of(c.get(certificates))
    assert "获奖证书" in page and "马超" in page and "第1名" in page
    assert "团体总分" not in page  # the team total waits for every item
    tt = sd.items["tt"].id
    assert f"{sd.event.starts_at.year}-{sd.event.id:03d}-{tt:03d}-m{sd.people['C3'].id}" in page  # 马超's number
    for item in sd.items.values():
        c.post(f"/api/v1/scoring/items/{item.id}/publish")
    page = text_of(c.get(certificates))
    assert "团体总分" in page and f"{sd.event.id:03d}-{tt:03d}-m{sd.people['C3'].id}" in page  # same number


def test_payout_sheet_stored_and_read_back_as_xlsx(sports_day):  # noqa: F811
    sd = sports_day
    run_sports_day(sd)
    c = sd.client
    assert c.post(f"/scoring/events/{sd.event.id}/payout").status_code == 302
    assert AuditLog.select().where(AuditLog.action == "scoring.payout.generate").count() == 1
    page = text_of(c.get(f"/scoring/events/{sd.event.id}/payout"))
    assert "存档第 1 版" in page and "人民币壹仟陆佰伍拾元整" in page and "领款人签名" in page
    for url in (f"/scoring/events/{sd.event.id}/payout.xlsx", f"/events/{sd.event.id}/export/payout.xlsx"):
        response = c.get(url)
        assert response.status_code == 200
        sheet = load_workbook(BytesIO(response.data)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        header = rows[0]
        assert header[-1] == "领款人签名" and header[9] == "合计（元）"
        people = {r[1]: r for r in rows[1:] if r[0] and "（集体）" not in str(r[1])}
        assert len(people) == 16
        assert Decimal(str(people["王芳"][9])) == Decimal("25")  # late
        assert Decimal(str(people["林涛"][9])) == 0 and people["林涛"][3] == "缺席"
        assert Decimal(str(people["马超"][9])) == Decimal("80")
        total = next(r for r in rows if r[1] == "合计")
        assert Decimal(str(total[9])) == Decimal("1650")
        assert sum(Decimal(str(r[9])) for r in rows[1:] if r[0]) == Decimal("1650")
        capital = next(r for r in rows if r[1] == "合计（大写）")
        assert capital[2] == "人民币壹仟陆佰伍拾元整"


def test_referee_on_his_phone_sees_only_his_items(sports_day, factory):  # noqa: F811
    from plugins.scoring import public as scoring

    sd = sports_day
    referee = factory.account("ref", roles=[("referee", sd.school["school"])])
    scoring.assign_judge(sd.items["shoot"], referee, role="referee")
    c = sd.app.test_client()
    login(c, "ref")
    mine = text_of(c.get("/scoring/mine"))
    assert "定点投篮" in mine and "迎面接力" not in mine
    assert c.get(f"/scoring/items/{sd.items['shoot'].id}/enter").status_code == 200
    assert c.get(f"/scoring/items/{sd.items['relay'].id}/enter").status_code == 403
    response = c.post(f"/api/v1/scoring/items/{sd.items['relay'].id}/results",
                      json={"entrant": sportsday.key(sd, "A"), "value": "95.3"})
    assert response.status_code == 403
    response = c.post(f"/scoring/items/{sd.items['shoot'].id}/enter",
                      data={"entrant": sportsday.key(sd, "A1"), "value": "abc", "status": "ok"}, follow_redirects=True)
    assert response.status_code == 200 and "“abc”不是有效的数字" in text_of(response)
    response = c.post(f"/scoring/items/{sd.items['shoot'].id}/enter",
                      data={"entrant": sportsday.key(sd, "A1"), "value": "6", "reached_at": "9"}, follow_redirects=True)
    assert "成绩已保存" in text_of(response)
    assert c.get(f"/scoring/events/{sd.event.id}/payout").status_code == 403


def test_a_match_posted_with_a_round_that_is_not_a_number_gets_a_message(sports_day):  # noqa: F811
    """The phone form's round and number were read with int(): letters were a 500."""
    sd = sports_day
    c, k, item = sd.client, lambda code: sportsday.key(sd, code), sd.items["tt"]
    draw = c.post(f"/api/v1/scoring/items/{item.id}/draw", json={"numbers": {k(p): n for p, n in sportsday.TT_NUMBERS.items()}})
    assert draw.status_code == 200
    for round_no in ("x", "²", "9" * 25):
        page = c.post(f"/scoring/items/{item.id}/enter", data={"round": round_no, "number": "1", "games": "11:5 11:7"},
                      follow_redirects=True)
        assert page.status_code == 200 and "第0轮第1场不存在或双方尚未产生" in text_of(page), round_no
    assert not item.matches.count()
