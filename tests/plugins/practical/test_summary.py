"""The year-end summary: the page and the xlsx read back with openpyxl."""

import io
from datetime import date

from openpyxl import load_workbook

from plugins.practical import grassroots, pledges, projects
from tests.plugins.practical.conftest import union
from tests.support import login, text_of


def _year(app, factory, people, year):
    district, admin = people["district"], people["organizer"]
    with app.test_request_context():
        previous = projects.save_project(None, district, {"year": year - 1, "title": "上年度项目"}, admin)
        projects.add_entry(previous, {"on": date(year - 1, 12, 1), "people": 200, "money": "100000"}, admin)
        summer = projects.save_project(None, district, {"year": year, "quarter": 2, "title": "夏送清凉润心田",
                                                        "target_people": 300, "target_money": "400000"}, admin)
        projects.add_entry(summer, {"on": date(year, 7, 10), "people": 250, "money": "375000.00"}, admin)
        wishes = projects.save_project(None, district, {"year": year, "title": "微心愿", "target_wishes": 40}, admin)
        projects.add_entry(wishes, {"on": date(year, 3, 30), "people": 10, "wishes": 10}, admin)
        cadre = grassroots.add_cadre(district, "Q001", "主席", admin)
        kept = pledges.add_pledge(cadre, year, {"content": "每月三个一天", "project": summer.id}, admin)
        pledges.assess(kept, "kept", "十二个月全部完成", admin)
        missed = pledges.add_pledge(cadre, year, {"content": "开学前发放助学金"}, admin)
        pledges.assess(missed, "not_kept", "两户晚于开学", admin)
        for role, day in (("chairman", 6), ("clerk", 13), ("worker", 20)):
            grassroots.log_day(cadre, {"role": role, "on": date(year, 10, day), "place": f"企业{day % 2}",
                                       "discussed": "工会工作", "promised": "办一件事" if day == 6 else "",
                                       "follow_up": "已办" if day == 6 else ""}, admin)


def test_summary_page_and_workbook_report_the_year(app, factory):
    people = union(factory)
    year = 2025
    _year(app, factory, people, year)
    client = login(app.test_client(), "org")
    district = people["district"]

    page = text_of(client.get(f"/practical/{district.id}/{year}/summary"))
    assert "服务职工人数 260 同比 +30%" in page
    assert "发放金额 ¥375,000.00 同比 +275%" in page
    assert "已践诺 1 · 部分践诺 0 · 未践诺 1" in page
    assert "登记 3 天，走访基层单位 2 个" in page

    response = client.get(f"/practical/{district.id}/{year}/summary.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["汇总", "项目", "承诺践诺", "干部", "志愿服务"]
    totals = {row[0]: row[1:] for row in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    assert totals["服务职工人数"] == (260, 200, 30)
    assert totals["发放金额（元）"] == (375000, 100000, 275)
    assert totals["兑现心愿数"][0] == 10 and totals["已践诺"][0] == 1 and totals["未践诺"][0] == 1
    rows = list(wb["项目"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == ["夏送清凉润心田", "微心愿"]
    assert rows[0][4:8] == (300, 250, 400000, 375000)
    pledge_rows = list(wb["承诺践诺"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3], r[4]) for r in pledge_rows] == [
        ("蒋亚诚", "每月三个一天", "夏送清凉润心田", "已践诺"), ("蒋亚诚", "开学前发放助学金", None, "未践诺")]
    cadre_rows = list(wb["干部"].iter_rows(min_row=2, values_only=True))
    assert cadre_rows == [("蒋亚诚", "主席", 2, 1, 0, 1, 3, 1, 1, 1)]


def test_participants_can_read_but_not_change_the_programme(app, factory):
    people = union(factory)
    _year(app, factory, people, 2025)
    district = people["district"]
    from plugins.practical.models import Check, Pledge, Project

    member = login(app.test_client(), "teacher")
    project = Project.get(Project.title == "夏送清凉润心田")
    assert member.get(f"/practical/{district.id}/2025/").status_code == 200
    assert "夏送清凉润心田" in text_of(member.get(f"/practical/projects/{project.id}"))
    attempts = [
        (f"/practical/{district.id}/2025/projects", {"title": "我的项目"}),
        (f"/practical/projects/{project.id}/edit", {"title": "改名", "year": "2025"}),
        (f"/practical/projects/{project.id}/entries", {"on": "2025-05-01", "people": "9999"}),
        (f"/practical/projects/{project.id}/checks", {"checked_on": "2025-05-01", "checkers": "我"}),
        (f"/practical/{district.id}/2025/pledges/publish", {"stage": "outcomes"}),
        (f"/practical/pledges/{Pledge.get().id}/assess", {"outcome": "kept", "evidence": "我说的"}),
        (f"/practical/{district.id}/cadres", {"staff_no": "T001"}),
        (f"/practical/{district.id}/volunteers", {"name": "我的队"}),
    ]
    for url, data in attempts:
        assert member.post(url, data=data).status_code == 403, url
    assert member.get(f"/practical/{district.id}/2025/summary").status_code == 403
    assert member.get(f"/practical/{district.id}/2025/summary.xlsx").status_code == 403
    api = member.post(f"/api/v1/practical/projects/{project.id}/entries", json={"on": "2025-05-01", "people": 1})
    assert api.status_code == 403 and api.get_json()["error"] == "forbidden"
    assert Project.get_by_id(project.id).title == "夏送清凉润心田"
    assert Project.select().count() == 3 and Check.select().count() == 0
    assert "检查" not in text_of(member.get(f"/practical/projects/{project.id}"))  # no supervision block for members


def test_project_form_explains_bad_input(app, factory):
    people = union(factory)
    client = login(app.test_client(), "org")
    url = f"/practical/{people['district'].id}/2025/projects"
    cases = [
        ({"title": ""}, "请填写项目名称"),
        ({"title": "夏送清凉", "quarter": "5"}, "季度应为 1 到 4，全年项目请留空"),
        ({"title": "夏送清凉", "target_people": "两千"}, "目标人数应为整数"),
        ({"title": "夏送清凉", "target_people": "-5"}, "目标人数不能为负数"),
        ({"title": "夏送清凉", "target_money": "20万"}, "目标金额应为金额（元），如 375000.00"),
        ({"title": "夏送清凉", "year": "1999"}, "年份应在 2000 到 2100 之间"),
    ]
    for data, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 422, data
        assert message in text_of(response), data
    assert client.post(url, data={"title": "夏送清凉"}).status_code == 302
    again = client.post(url, data={"title": "夏送清凉"})
    assert again.status_code == 422 and "2025 年已有同名项目：夏送清凉" in text_of(again)
    english = client.post(url + "?lang=en", data={"title": ""})
    assert "Please fill in" in text_of(english)


def test_a_year_out_of_range_in_the_address_is_a_clear_422(app, factory):
    """Years past 9998 overflowed the calendar arithmetic (a 500); every year a page reads is now
    checked like the forms' (2000 to 2100)."""
    people = union(factory)
    district = people["district"]
    with app.test_request_context():
        from plugins.practical import volunteers

        team = volunteers.create_team(district, "青年志愿服务队")
    client = login(app.test_client(), "org")
    for url in (f"/practical/{district.id}/days/9999/12", f"/practical/{district.id}/days/10000/5",
                f"/practical/{district.id}/99999/summary", f"/practical/{district.id}/99999/summary.xlsx",
                f"/api/v1/practical/{district.id}/99999/summary", f"/practical/teams/{team.id}?year=99999"):
        answer = client.get(url)
        assert answer.status_code == 422, url
        message = answer.get_json()["message"] if answer.is_json else text_of(answer)
        assert "年份应在 2000 到 2100 之间" in message, url


def test_an_event_id_larger_than_any_id_is_refused_with_a_message(app, factory):
    people = union(factory)
    with app.test_request_context():
        project = projects.save_project(None, people["district"], {"year": 2026, "title": "职工子女暑期托管班"})
    client = login(app.test_client(), "org")
    answer = client.post(f"/practical/projects/{project.id}/events", data={"event": str(2**64)})
    assert answer.status_code == 400 and "请选择本单位的活动" in text_of(answer)
    for url, data in ((f"/practical/{people['district'].id}/2026/pledges", {"cadre": str(2**64), "content": "x"}),
                      (f"/practical/{people['district'].id}/days", {"cadre": str(2**64)})):
        assert client.post(url, data=data).status_code in (302, 404), url
