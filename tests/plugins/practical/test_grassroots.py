"""三个一天: cadres log their three days a month; the month view shows who has not."""

import threading

from plugins.practical.models import Cadre, GrassrootsDay
from tests.plugins.practical.conftest import union
from tests.support import login, text_of

DAY = {"place": "五洋纺织机械有限公司工会工作办公室", "with_whom": "企业工会专职干部向保年",
       "discussed": "开展工会活动时间受限、经费不足", "promised": "送一套工会台账范本", "follow_up": ""}


def _roster(app, factory, people):
    organizer = login(app.test_client(), "org")
    district = people["district"]
    factory.member(district, name="吴志伟", staff_no="Q002")
    for staff_no, position in (("Q001", "主席"), ("Q002", "副主席")):
        organizer.post(f"/practical/{district.id}/cadres", data={"staff_no": staff_no, "position": position})
    return organizer, {c.member.staff_no: c for c in Cadre.select()}


def test_month_view_shows_who_has_not_logged_his_three_days(app, factory):
    people = union(factory)
    organizer, cadres = _roster(app, factory, people)
    district = people["district"]
    me = login(app.test_client(), "cadre")  # 蒋亚诚 logs his own days
    for role, day in (("chairman", 6), ("clerk", 13), ("worker", 20)):
        response = me.post(f"/practical/{district.id}/days", data={**DAY, "cadre": cadres["Q001"].id, "role": role,
                                                                    "on": f"2025-10-{day:02d}"})
        assert response.status_code == 302
    organizer.post(f"/practical/{district.id}/days", data={**DAY, "cadre": cadres["Q002"].id, "role": "chairman",
                                                           "on": "2025-10-08"})

    body = organizer.get(f"/api/v1/practical/{district.id}/days/2025/10").get_json()
    missing = {row["name"]: row["missing"] for row in body["cadres"]}
    assert missing == {"蒋亚诚": [], "吴志伟": ["clerk", "worker"]}
    page = text_of(organizer.get(f"/practical/{district.id}/days/2025/10"))
    assert "本月共缺 2 天" in page and "五洋纺织机械有限公司工会工作办公室" in page
    # The next month nobody has logged anything yet.
    assert "本月共缺 6 天" in text_of(organizer.get(f"/practical/{district.id}/days/2025/11"))
    # A cadre sees only his own row; he may not log for somebody else.
    own = text_of(me.get(f"/practical/{district.id}/days/2025/10"))
    assert "吴志伟" not in own
    response = me.post(f"/practical/{district.id}/days", data={**DAY, "cadre": cadres["Q002"].id, "role": "clerk",
                                                                "on": "2025-10-09"})
    assert response.status_code == 403
    # A member who is no cadre cannot see the view at all.
    assert login(app.test_client(), "teacher").get(f"/practical/{district.id}/days/2025/10").status_code == 403


def test_a_day_is_logged_once_a_month_and_bad_input_is_explained(app, factory):
    people = union(factory)
    organizer, cadres = _roster(app, factory, people)
    url = f"/practical/{people['district'].id}/days"
    data = {**DAY, "cadre": cadres["Q001"].id, "role": "clerk", "on": "2025-10-13"}
    organizer.post(url, data=data)
    again = organizer.post(url, data={**data, "on": "2025-10-27"}, follow_redirects=True)
    assert "蒋亚诚 2025年10月的“学当一天企业工会办公室专职干部”已经登记过了" in text_of(again)
    for bad, message in (({"role": "boss"}, "请选择是哪一个“一天”"), ({"on": "10/13"}, "日期应为日期"),
                         ({"place": " "}, "请填写地点（基层工会或企业）"), ({"discussed": ""}, "请填写交流内容")):
        response = organizer.post(url, data={**data, "role": "worker", **bad}, follow_redirects=True)
        assert message in text_of(response), bad
    assert GrassrootsDay.select().count() == 1


def test_logging_the_same_day_concurrently_keeps_one(app, factory):
    people = union(factory)
    _organizer, cadres = _roster(app, factory, people)
    clients = [login(app.test_client(), "org") for _ in range(6)]
    url = f"/practical/{people['district'].id}/days"
    data = {**DAY, "cadre": cadres["Q001"].id, "role": "worker", "on": "2025-10-20"}
    threads = [threading.Thread(target=c.post, args=(url,), kwargs={"data": data}) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert GrassrootsDay.select().count() == 1
