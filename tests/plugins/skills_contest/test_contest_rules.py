"""The contest's rules through the test client: a judge sees and marks only the items he is on the panel
of, recusal of his own department, a judge may not enter the item he judges, bad form input gets a
message and changes nothing, and submissions and phase moves hold under concurrent requests."""

from __future__ import annotations

import threading

import pytest

from core.models import Account, Entry, Registration
from core.services import registrations as service
from core.services.accounts import issue_token
from plugins.scoring import public as scoring
from plugins.skills_contest.items import add_judge, contest_item, move_phase
from plugins.skills_contest.models import Submission
from tests.plugins.skills_contest.helpers import contest_world, item_form, login_client
from tests.support import text_of

CRITERIA = ("笔法", "字法", "章法", "特色")


@pytest.fixture
def contest(app, factory, make_app):
    w = contest_world(factory)
    w.web = make_app()
    w.org = login_client(w.web, "org")
    admin = factory.account("admin1", roles=["admin"])
    for code in ("T1", "T2", "T3"):
        service.register(w.event, service.Request(member=w.people[code], items=[w.items["粉笔字"].id,
                                                                                w.items["钢笔字"].id]),
                         account=admin)
    return w


def test_a_judge_sees_and_marks_only_his_items(contest):
    w = contest
    chalk, brush, pen = w.items["粉笔字"], w.items["毛笔字"], w.items["钢笔字"]
    add_judge(brush, w.accounts["j1"])
    add_judge(chalk, w.accounts["j2"])
    add_judge(pen, w.accounts["j2"])
    for item in (chalk, pen):
        move_phase(item, contest_item(item).mode == "onsite" and "session" or "submission")
    login_client(w.web, "t1").post(f"/api/v1/contest/items/{pen.id}/submission/file",
                                   data={"file": (__import__("io").BytesIO(b"%PDF-1.4"), "张书法.pdf")},
                                   content_type="multipart/form-data")
    for item in (chalk, pen):
        move_phase(item, "judging")
    j1 = login_client(w.web, "j1")
    assert j1.get(f"/contest/items/{chalk.id}/judge").status_code == 403
    assert j1.get(f"/scoring/items/{chalk.id}/enter").status_code == 403
    number = next(b.number for b in chalk.blind_numbers)
    marks = {c: "80" for c in CRITERIA}
    assert j1.post(f"/api/v1/scoring/items/{chalk.id}/marks", json={"entrant": str(number), "marks": marks}
                   ).status_code == 403
    entry = Submission.get(Submission.item == pen.id)
    assert j1.get(f"/contest/submissions/{entry.id}/file").status_code == 403
    mine = text_of(j1.get("/contest/mine"))
    assert "毛笔字" in mine and "粉笔字" not in mine and "钢笔字" not in mine
    # j2 judges 钢笔字: he downloads the entry under its blind number, never the teacher's name.
    j2 = login_client(w.web, "j2")
    response = j2.get(f"/contest/submissions/{entry.id}/file")
    pen_number = next(b.number for b in pen.blind_numbers if b.entrant == f"m{entry.member_id}")
    assert response.status_code == 200 and response.data == b"%PDF-1.4"
    disposition = response.headers["Content-Disposition"]
    assert "%E5%BC%A0" not in disposition and f"{pen_number}" in disposition  # 张 is not in the name
    assert j2.post(f"/api/v1/scoring/items/{chalk.id}/marks", json={"entrant": str(number), "marks": marks}
                   ).status_code == 200
    # A teacher is not a judge: no judge page, no marks.
    t1 = login_client(w.web, "t1")
    assert t1.get(f"/contest/items/{chalk.id}/judge").status_code == 403
    assert t1.post(f"/api/v1/scoring/items/{chalk.id}/marks", json={"entrant": str(number), "marks": marks}
                   ).status_code == 403


def test_recusal_of_the_judges_own_department(contest):
    w = contest
    chalk = w.items["粉笔字"]
    add_judge(chalk, w.accounts["j4"])  # 初一年级组, like T1 and T2
    move_phase(chalk, "session")
    move_phase(chalk, "judging")
    j4 = login_client(w.web, "j4")
    page = text_of(j4.get(f"/contest/items/{chalk.id}/judge"))
    assert page.count("回避：本部门参赛者，您不打分") == 2
    numbers = {b.entrant: b.number for b in chalk.blind_numbers}
    t1 = numbers[f"m{w.people['T1'].id}"]
    response = j4.post(f"/api/v1/scoring/items/{chalk.id}/marks",
                       json={"entrant": str(t1), "marks": {c: "80" for c in CRITERIA}})
    assert response.status_code == 403 and "回避" in response.get_json()["message"]


def test_a_judge_may_not_enter_his_item_nor_judge_what_he_entered(contest):
    w = contest
    chalk = w.items["粉笔字"]
    add_judge(chalk, w.accounts["j1"])
    client = login_client(w.web, "j1")
    response = client.post(f"/api/v1/events/{w.event.id}/registrations", json={"items": [chalk.id]})
    assert response.status_code == 409 and "[评委回避]" in response.get_json()["message"]
    response = w.org.post(f"/contest/items/{chalk.id}/judges", data={"who": "t1"}, follow_redirects=True)
    assert "参加了“粉笔字”，不能担任该项目评委" in text_of(response)
    response = w.org.post(f"/contest/items/{chalk.id}/judges", data={"who": "nobody"}, follow_redirects=True)
    assert "找不到工号或用户名为“nobody”的会员或账号" in text_of(response)
    assert [a.username for a, _r, _s in scoring.panel(chalk)] == ["j1"]


def test_bad_item_form_gets_a_message_and_changes_nothing(contest):
    w = contest
    chalk = w.items["粉笔字"]
    for criteria, message in (("笔法 thirty", "评分项“笔法”的权重应为正整数"), ("笔法", "应写成 名称 权重")):
        response = w.org.post(f"/contest/items/{chalk.id}/edit", data=item_form(chalk, criteria=criteria))
        assert response.status_code == 422 and message in text_of(response)
    response = w.org.post(f"/contest/items/{chalk.id}/edit", data=item_form(chalk, bands="一等奖 2/1"))
    assert response.status_code == 422 and "0 到 1 之间的比例" in text_of(response)
    response = w.org.post(f"/contest/items/{chalk.id}/edit", data=item_form(chalk, name="毛笔字"))
    assert response.status_code == 422 and "本活动已有名为“毛笔字”的项目" in text_of(response)
    pen = w.items["钢笔字"]
    response = w.org.post(f"/contest/items/{pen.id}/edit", data=item_form(pen, allow_file=False, allow_link=False))
    assert response.status_code == 422 and "至少要允许一种提交方式" in text_of(response)
    assert [c["weight"] for c in scoring.item_scoring(chalk).criteria] == ["30", "30", "20", "20"]
    assert chalk.name == "粉笔字" and contest_item(pen).kinds == ["file"]
    # Once judging has begun the rubric stays as the judges know it.
    move_phase(chalk, "session")
    move_phase(chalk, "judging")
    response = w.org.post(f"/contest/items/{chalk.id}/edit", data=item_form(chalk, criteria="笔法 50\n字法 50"))
    assert response.status_code == 409 and "已开始评审，不能再修改评分项" in text_of(response)


def test_a_link_must_be_a_web_address(contest):
    w = contest
    lesson = w.items["微型课"]
    admin = Account.get(Account.username == "admin1")
    service.register(w.event, service.Request(member=w.people["T1"], items=[lesson.id]), account=admin)
    move_phase(lesson, "submission")
    t1 = login_client(w.web, "t1")
    for url in ("javascript:alert(1)", "pan.example.cn/s/abc", "https://"):
        response = t1.post(f"/api/v1/contest/items/{lesson.id}/submission", json={"url": url})
        assert response.status_code == 422 and "http:// 或 https://" in response.get_json()["message"]
    response = t1.post(f"/api/v1/contest/items/{lesson.id}/submission", json={"url": "https://pan.example.cn/s/abc"})
    assert response.status_code == 201 and response.get_json()["kind"] == "link"
    t2 = login_client(w.web, "t4")  # T4 did not enter 微型课
    response = t2.post(f"/api/v1/contest/items/{lesson.id}/submission", json={"url": "https://pan.example.cn/s/x"})
    assert response.status_code == 403 and "您没有报名“微型课”" in response.get_json()["message"]


def _fire(app, url, tokens, body):
    barrier = threading.Barrier(len(tokens))
    results = [None] * len(tokens)

    def worker(index, token):
        client = app.test_client()
        barrier.wait()
        response = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
        results[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=worker, args=(i, t)) for i, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_submissions_keep_one_entry_and_phase_moves_draw_once(contest, factory):
    w = contest
    lesson, chalk = w.items["微型课"], w.items["粉笔字"]
    admin = Account.get(Account.username == "admin1")
    service.register(w.event, service.Request(member=w.people["T1"], items=[chalk.id, lesson.id]), account=admin)
    move_phase(lesson, "submission")
    token = issue_token(w.accounts["T1"])
    results = _fire(w.web, f"/api/v1/contest/items/{lesson.id}/submission", [token] * 8,
                    {"url": "https://pan.example.cn/s/lesson"})
    assert all(status in (201, 409) for status, _b in results), results
    assert any(status == 201 for status, _b in results)
    assert Submission.select().where(Submission.item == lesson.id).count() == 1

    move_phase(chalk, "session")
    org_token = issue_token(Account.get(Account.username == "org"))
    results = _fire(w.web, f"/api/v1/contest/items/{chalk.id}/phase", [org_token] * 6, {"phase": "judging"})
    assert sorted(status for status, _b in results) == [200] + [409] * 5, results
    assert contest_item(chalk).phase == "judging"
    assert sorted(b.number for b in chalk.blind_numbers) == [1, 2, 3]
    assert Entry.select().join(Registration).where(Entry.item == chalk.id).count() == 3


def test_a_judge_named_by_staff_number_before_he_has_an_account_finds_the_role_waiting(contest, factory):
    from core.models import Account
    from core.services import activation

    w = contest
    chalk = w.items["粉笔字"]
    senior = factory.member(w.school["g1"], name="老教师")
    response = w.org.post(f"/contest/items/{chalk.id}/judges", data={"who": senior.staff_no}, follow_redirects=True)
    assert "已请老教师担任“粉笔字”的评委" in text_of(response)
    waiting = Account.get(Account.member == senior.id)
    assert activation.is_waiting(waiting) and "老教师" in [str(a) for a, _r, _s in scoring.panel(chalk)]
