"""Monthly checks: an overdue follow-up is flagged on the organizer's dashboard until it is closed."""

from datetime import timedelta

from plugins.practical import projects
from plugins.practical.supervision import today
from tests.plugins.practical.conftest import union
from tests.support import login, text_of


def _project(app, people):
    with app.test_request_context():
        return projects.save_project(None, people["district"], {"year": today().year, "quarter": 2,
                                                                "title": "夏送清凉润心田"})


def test_overdue_follow_up_is_flagged_on_the_dashboard(app, factory):
    people = union(factory)
    project = _project(app, people)
    organizer = login(app.test_client(), "org")
    checked = today() - timedelta(days=10)
    response = organizer.post(f"/practical/projects/{project.id}/checks", data={
        "checked_on": checked.isoformat(), "checkers": "督查组 吴志伟", "problems": "送清凉名单未公示",
        "advice": "张榜公示", "follow_up_due": (today() - timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    organizer.post(f"/practical/projects/{project.id}/checks", data={
        "checked_on": checked.isoformat(), "checkers": "督查组", "problems": "台账不全",
        "follow_up_due": (today() + timedelta(days=5)).isoformat()})

    dashboard = text_of(organizer.get("/"))
    assert "督查整改逾期（1）" in dashboard and "送清凉名单未公示" in dashboard and "台账不全" not in dashboard
    # Department heads of other units and participants see no such widget.
    assert "督查整改逾期" not in text_of(login(app.test_client(), "teacher").get("/"))
    assert "逾期未整改" in text_of(organizer.get(f"/practical/projects/{project.id}"))

    from plugins.practical.models import Check

    late = Check.get(Check.problems == "送清凉名单未公示")
    response = organizer.post(f"/practical/checks/{late.id}/close", data={"follow_up_note": ""})
    assert response.status_code == 422 and "请填写整改落实情况" in text_of(response)
    organizer.post(f"/practical/checks/{late.id}/close", data={"follow_up_note": "已公示七天"})
    assert "督查整改逾期" not in text_of(organizer.get("/"))


def test_check_form_rejects_bad_dates_with_messages(app, factory):
    people = union(factory)
    project = _project(app, people)
    organizer = login(app.test_client(), "org")
    url = f"/practical/projects/{project.id}/checks"
    cases = [
        ({"checked_on": "2024-13-40", "checkers": "甲"}, "督查日期应为日期，如 2024-05-26"),
        ({"checked_on": today().isoformat(), "checkers": ""}, "请填写督查人"),
        ({"checked_on": (today() + timedelta(days=3)).isoformat(), "checkers": "甲"}, "督查日期不能晚于今天"),
        ({"checked_on": today().isoformat(), "checkers": "甲", "problems": "问题"}, "发现问题时请填写整改期限"),
        ({"checked_on": today().isoformat(), "checkers": "甲", "problems": "问题",
          "follow_up_due": (today() - timedelta(days=1)).isoformat()}, "整改期限不能早于督查日期"),
    ]
    for data, message in cases:
        response = organizer.post(url, data=data)
        assert response.status_code == 422, data
        assert message in text_of(response)
    assert project.checks.count() == 0
