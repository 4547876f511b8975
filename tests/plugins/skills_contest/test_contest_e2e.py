"""篇一, the teacher skills contest, end to end through the pages and the API: four teachers register,
粉笔字 is written on site (its text hidden until the session starts), 钢笔字 is handed in as a file
(type, size and deadline checked), three judges mark 粉笔字 by blind number with one outlier, the
highest and lowest are dropped, the organizer locks the marks, the names are revealed, the bands are
given and the certificates and the prize list carry the right names.

Marks (every criterion the same, so the weighted score is that mark):

    judge   T1  T2  T3  T4
    j1      90  85  80  70
    j2      88  86  78  72
    j3      60  99  95  40    the outlier

Dropping the highest and lowest of three leaves the middle one: T1 88, T2 86, T3 80, T4 70. With
bands 一等奖 1, 二等奖 1, 三等奖 1, 鼓励奖 1: T1 一等奖, T2 二等奖, T3 三等奖, T4 鼓励奖 (a prize, no
certificate). j3 sits 28 below, 13 and 15 above and 30 below: on average 21.50 points from the panel.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image

from core.models import Registration
from core.timeutil import utcnow
from plugins.scoring import public as scoring
from plugins.skills_contest.items import contest_item
from plugins.skills_contest.models import Submission
from plugins.skills_contest.submissions import upload_root
from tests.plugins.skills_contest.helpers import contest_world, item_form, login_client
from tests.support import read_xlsx, text_of

MARKS = {"j1": {"T1": 90, "T2": 85, "T3": 80, "T4": 70},
         "j2": {"T1": 88, "T2": 86, "T3": 78, "T4": 72},
         "j3": {"T1": 60, "T2": 99, "T3": 95, "T4": 40}}
CRITERIA = ("笔法", "字法", "章法", "特色")


@pytest.fixture
def contest(app, factory, make_app):
    w = contest_world(factory)
    w.web = make_app()
    w.org = login_client(w.web, "org")
    return w


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, "PNG")
    return out.getvalue()


def register_teachers(w):
    chalk, pen = w.items["粉笔字"], w.items["钢笔字"]
    for code in ("T1", "T2", "T3", "T4"):
        client = login_client(w.web, code.lower())
        response = client.post(f"/api/v1/events/{w.event.id}/registrations", json={"items": [chalk.id, pen.id]})
        assert response.status_code == 201, response.get_json()
    assert Registration.select().where(Registration.event == w.event).count() == 4


def phase(w, item, to):
    response = w.org.post(f"/contest/items/{item.id}/phase", data={"phase": to}, follow_redirects=True)
    assert contest_item(item).phase == to, text_of(response)


def test_contest_from_registration_to_certificates(contest):
    w = contest
    chalk, pen = w.items["粉笔字"], w.items["钢笔字"]
    assert [i for i in w.items] == ["粉笔字", "毛笔字", "钢笔字", "微型课"]
    register_teachers(w)
    t1 = login_client(w.web, "t1")

    # --- the on-site session: the text is the organizer's until the session starts -----------------
    phase(w, chalk, "session")
    page = text_of(t1.get(f"/contest/items/{chalk.id}"))
    assert "书写内容将在现场比赛开始时公布" in page and "日照香炉生紫烟" not in page and "二楼物理实验室" in page
    api = t1.get(f"/api/v1/contest/events/{w.event.id}/items").get_json()["items"]
    assert next(i for i in api if i["name"] == "粉笔字")["text"] is None
    assert "日照香炉生紫烟" in text_of(w.org.get(f"/contest/items/{chalk.id}"))
    # The organizer moves the session to now (it started ten minutes ago): the teachers may read the text.
    now = utcnow().replace(second=0, microsecond=0)
    bands = "一等奖 1\n二等奖 1\n三等奖 1\n鼓励奖 1"
    response = w.org.post(f"/contest/items/{chalk.id}/edit", data=item_form(
        chalk, starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=20), bands=bands))
    assert response.status_code == 302, text_of(response)
    page = text_of(t1.get(f"/contest/items/{chalk.id}"))
    assert "望庐山瀑布" in page and "日照香炉生紫烟" in page
    roster = text_of(w.org.get(f"/contest/items/{chalk.id}"))
    assert all(name in roster for name in ("张书法", "李墨", "王砚", "赵纸")) and "未签到" in roster

    # --- the submission: a real PNG goes in; wrong type, renamed file, too big and late do not ------
    phase(w, pen, "submission")
    post = t1.post(f"/contest/items/{pen.id}/submit", data={"file": (io.BytesIO(png_bytes()), "钢笔字-张书法.png")},
                   content_type="multipart/form-data", follow_redirects=True)
    assert "作品已提交" in text_of(post)
    t2 = login_client(w.web, "t2")
    wrong = t2.post(f"/contest/items/{pen.id}/submit", data={"file": (io.BytesIO(b"MZ\x90\x00"), "作品.exe")},
                    content_type="multipart/form-data", follow_redirects=True)
    assert "只接受以下类型的文件：jpeg、jpg、pdf、png；“作品.exe”不是" in text_of(wrong)
    renamed = t2.post(f"/api/v1/contest/items/{pen.id}/submission/file",
                      data={"file": (io.BytesIO(b"not really a pdf"), "作品.pdf")}, content_type="multipart/form-data")
    assert renamed.status_code == 422 and "文件内容与扩展名“.pdf”不符" in renamed.get_json()["message"]
    assert w.org.post(f"/contest/items/{pen.id}/edit", data=item_form(pen, max_mb="1")).status_code == 302
    big = t2.post(f"/api/v1/contest/items/{pen.id}/submission/file",
                  data={"file": (io.BytesIO(b"%PDF" + b"0" * (1024 * 1024 + 10)), "作品.pdf")},
                  content_type="multipart/form-data")
    assert big.status_code == 422 and "文件太大：每个文件最大 1 MB" in big.get_json()["message"]
    link = t2.post(f"/api/v1/contest/items/{pen.id}/submission", json={"url": "https://pan.example.cn/s/abc"})
    assert link.status_code == 422 and "只接受上传文件" in link.get_json()["message"]
    assert t2.post(f"/api/v1/contest/items/{pen.id}/submission/file",
                   data={"file": (io.BytesIO(b"%PDF-1.4 pen"), "李墨.pdf")},
                   content_type="multipart/form-data").status_code == 201
    # The deadline passes: T3 is refused and nothing of his is kept.
    assert w.org.post(f"/contest/items/{pen.id}/edit",
                      data=item_form(pen, ends_at=now - timedelta(minutes=1))).status_code == 302
    late = login_client(w.web, "t3").post(f"/api/v1/contest/items/{pen.id}/submission/file",
                                          data={"file": (io.BytesIO(png_bytes()), "王砚.png")},
                                          content_type="multipart/form-data")
    assert late.status_code == 409 and "已过提交截止时间" in late.get_json()["message"]
    assert Submission.select().where(Submission.item == pen.id).count() == 2
    assert len(list((upload_root_for(w) / str(pen.id)).iterdir())) == 2
    entries = text_of(w.org.get(f"/contest/items/{pen.id}"))
    assert "钢笔字-张书法.png" in entries and "李墨.pdf" in entries and "未提交" in entries

    # --- the panel, judging by blind number -------------------------------------------------------
    for code in ("j1", "j2", "j3"):
        response = w.org.post(f"/contest/items/{chalk.id}/judges", data={"who": code}, follow_redirects=True)
        assert "担任“粉笔字”的评委" in text_of(response)
    assert w.org.post(f"/contest/items/{pen.id}/judges", data={"who": "j1"}).status_code == 302
    phase(w, chalk, "judging")
    numbers = {int(b.entrant[1:]): b.number for b in chalk.blind_numbers}
    assert sorted(numbers.values()) == [1, 2, 3, 4]
    judges = {code: login_client(w.web, code) for code in MARKS}
    sheet = text_of(judges["j1"].get(f"/contest/items/{chalk.id}/judge"))
    assert "1 号" in sheet and "4 号" in sheet and not any(n in sheet for n in ("张书法", "李墨", "王砚", "赵纸"))
    for code, client in judges.items():
        for teacher, mark in MARKS[code].items():
            number = numbers[w.people[teacher].id]
            response = client.post(f"/api/v1/scoring/items/{chalk.id}/marks",
                                   json={"entrant": str(number), "marks": {c: str(mark) for c in CRITERIA}})
            assert response.status_code == 200, response.get_json()
        assert "我与评委组的差异" not in text_of(client.get(f"/contest/items/{chalk.id}/judge"))
        if code == "j1":  # the organizer cannot lock while a judge is still marking
            locked = w.org.post(f"/api/v1/contest/items/{chalk.id}/lock", json={})
            assert locked.status_code == 409 and "还有评委未提交评分" in locked.get_json()["message"]
        assert client.post(f"/scoring/items/{chalk.id}/enter", data={"action": "submit"}).status_code == 302
    outlier = text_of(judges["j3"].get(f"/contest/items/{chalk.id}/judge"))
    assert "我的分数平均偏离评委组 21.50 分" in outlier and "偏离较大" in outlier
    assert "平均偏离评委组 0.75 分" in text_of(judges["j1"].get(f"/contest/items/{chalk.id}/judge"))
    distances = w.org.get(f"/api/v1/contest/items/{chalk.id}/distances").get_json()["judges"]
    assert [(d["name"], d["mean_abs"], d["outlier"]) for d in distances] == [
        ("评委3", "21.50", True), ("评委2", "1.00", False), ("评委1", "0.75", False)]
    # Sealed: no results, no certificates, not even for the organizer.
    assert "结果尚未公布" in text_of(w.org.get(f"/contest/items/{chalk.id}/results"))
    assert "暂无获奖名单" in text_of(w.org.get(f"/contest/events/{w.event.id}/certificates"))
    assert phase_refused(w, chalk, "published")

    # --- lock, reveal, bands, publication ---------------------------------------------------------
    assert w.org.post(f"/contest/items/{chalk.id}/lock", follow_redirects=True).status_code == 200
    assert not scoring.names_sealed(chalk)
    results = w.org.get(f"/api/v1/contest/items/{chalk.id}/results").get_json()["results"]
    assert [(r["name"], r["score"], r["band"]) for r in results] == [
        ("张书法", "88.00", "一等奖"), ("李墨", "86.00", "二等奖"), ("王砚", "80.00", "三等奖"), ("赵纸", "70.00", "鼓励奖")]
    assert t1.get(f"/api/v1/contest/items/{chalk.id}/results").status_code == 409  # not published yet
    phase(w, chalk, "published")
    # each teacher is told his own place and band, once, in his inbox (never in a group robot's text)
    from core.messages.models import Message

    told = {m.member.name: m for m in Message.select().where(Message.kind == "event.result")}
    assert sorted(told) == ["张书法", "李墨", "王砚", "赵纸"]
    assert "“粉笔字”的结果已公布：您获得第 1 名。\n奖项：一等奖" in told["张书法"].body
    assert "第 4 名。\n奖项：鼓励奖" in told["赵纸"].body
    assert all(m.link == "" or m.link.startswith("http") for m in told.values())
    public = text_of(w.web.test_client().get(f"/contest/items/{chalk.id}/results"))
    assert "张书法" in public and "一等奖" in public and "鼓励奖" in public

    prefix = f"{w.event.id:03d}-{chalk.sort}-"
    certificates = w.org.get(f"/contest/events/{w.event.id}/certificates?item={chalk.id}")
    text = text_of(certificates)
    assert "共 3 张" in text
    for n, (name, band) in enumerate((("张书法", "一等奖"), ("李墨", "二等奖"), ("王砚", "三等奖")), start=1):
        assert f"{prefix}{n:03d}" in text and name in text
        assert f"在教师基本功大赛“粉笔字”比赛中荣获{band}" in text
    assert "赵纸" not in text  # 鼓励奖: a prize, no certificate

    sheet = w.org.get(f"/contest/events/{w.event.id}/prizes.xlsx")
    assert sheet.status_code == 200
    rows = read_xlsx(sheet.data)
    assert rows[0] == ("项目", "名次", "编号", "姓名", "部门", "得分", "奖项", "证书编号")
    by_name = {r[3]: r for r in rows[1:]}
    assert by_name["张书法"][0] == "粉笔字" and by_name["张书法"][6] == "一等奖"
    assert by_name["张书法"][7] == f"{prefix}001" and by_name["张书法"][4] == "初一年级组"
    assert by_name["赵纸"][6] == "鼓励奖" and not by_name["赵纸"][7]
    assert float(by_name["王砚"][5]) == 80.0


def phase_refused(w, item, to) -> bool:
    response = w.org.post(f"/api/v1/contest/items/{item.id}/phase", json={"phase": to})
    return response.status_code == 409 and "请先锁定" in response.get_json()["message"]


def upload_root_for(w):
    with w.web.app_context():
        return upload_root()
