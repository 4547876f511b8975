"""Pledges are read by members only once published; outcomes only once the year-end list is out."""

import threading

from core.models import AuditLog
from plugins.practical.models import PledgeBoard
from tests.plugins.practical.conftest import this_year, union
from tests.support import login, text_of


def _board(client, people, factory):
    year = this_year()
    district = people["district"]
    client.post(f"/practical/{district.id}/cadres", data={"staff_no": "Q001", "position": "主席"})
    from plugins.practical.models import Cadre

    cadre = Cadre.get(Cadre.member == people["cadre_member"])
    client.post(f"/practical/{district.id}/{year}/pledges",
                data={"cadre": cadre.id, "content": "每月深入基层企业至少三天"})
    return f"/practical/{district.id}/{year}/pledges"


def test_pledges_hidden_before_and_visible_after_publication(app, factory):
    people = union(factory)
    organizer = login(app.test_client(), "org")
    url = _board(organizer, people, factory)
    member = login(app.test_client(), "teacher")
    district = people["district"]
    api = f"/api/v1/practical/{district.id}/{this_year()}/pledges"

    page = text_of(member.get(url))
    assert "每月深入基层企业至少三天" not in page and "承诺清单尚未公示" in page
    assert member.get(api).get_json()["pledges"] == []

    organizer.post(url + "/publish", data={"stage": "pledges"})
    page = text_of(member.get(url))
    assert "蒋亚诚" in page and "每月深入基层企业至少三天" in page and "践诺情况" not in page
    assert "outcome" not in member.get(api).get_json()["pledges"][0]

    # Outcomes cannot be published while a pledge is unassessed.
    response = organizer.post(url + "/publish", data={"stage": "outcomes"}, follow_redirects=True)
    assert "还有 1 条承诺未评定践诺情况，不能公示" in text_of(response)
    pledge_id = organizer.get(api).get_json()["pledges"][0]["id"]
    response = organizer.post(f"/practical/pledges/{pledge_id}/assess", data={"outcome": "kept", "evidence": ""},
                              follow_redirects=True)
    assert "请填写践诺依据" in text_of(response)
    organizer.post(f"/practical/pledges/{pledge_id}/assess",
                   data={"outcome": "kept", "evidence": "全年走访企业 30 余家"})
    assert "全年走访企业 30 余家" not in text_of(member.get(url))

    organizer.post(url + "/publish", data={"stage": "outcomes"})
    page = text_of(member.get(url))
    assert "已践诺" in page and "全年走访企业 30 余家" in page
    assert member.get(api).get_json()["pledges"][0]["outcome"] == "kept"
    # Once published, the outcome is fixed.
    response = organizer.post(f"/practical/pledges/{pledge_id}/assess",
                              data={"outcome": "not_kept", "evidence": "改口"}, follow_redirects=True)
    assert "践诺情况已公示，不能再修改" in text_of(response)
    assert AuditLog.select().where(AuditLog.action == "practical.pledges.publish_outcomes").count() == 1


def test_members_of_other_unions_do_not_see_the_board(app, factory):
    people = union(factory)
    organizer = login(app.test_client(), "org")
    url = _board(organizer, people, factory)
    organizer.post(url + "/publish", data={"stage": "pledges"})
    outsider = factory.member(factory.unit("别的区总工会", None, "district"), name="外人")
    factory.account("outsider", member=outsider)
    assert login(app.test_client(), "outsider").get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302  # anonymous: to the login page


def test_publishing_twice_at_once_publishes_once(app, factory):
    people = union(factory)
    organizer = login(app.test_client(), "org")
    url = _board(organizer, people, factory)
    clients = [login(app.test_client(), "org") for _ in range(6)]
    threads = [threading.Thread(target=c.post, args=(url + "/publish",), kwargs={"data": {"stage": "pledges"}})
               for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert PledgeBoard.select().count() == 1
    assert AuditLog.select().where(AuditLog.action == "practical.pledges.publish_pledges").count() == 1
