"""A project's progress rolls up its own entries and the figures of the events linked to it."""

import sys
from decimal import Decimal

from core import hookimpl
from core.models import Registration
from tests.plugins.practical.conftest import beijing, this_year, union
from tests.support import Factory, login, text_of


@hookimpl
def huodong_event_figures(event):
    """This test module is itself a plugin: events tagged ``figures`` report the seed's 送温暖 visit."""
    if event.setting("figures"):
        return {"people": 250, "money": Decimal("375000.00"), "wishes": 3, "households": 204}
    return None


FIGURES = ("figures", sys.modules[__name__])


def _setup(app):
    factory = Factory(app)
    people = union(factory)
    from plugins.practical import projects

    with app.test_request_context():
        project = projects.save_project(None, people["district"], {
            "year": this_year(), "quarter": 4, "theme": "冬送温暖", "title": "冬送温暖暖人心", "owner": "权益保障部",
            "target_people": 400, "target_money": "600000", "target_wishes": 10}, people["organizer"])
    return factory, people, project


def test_hook_event_figures(app_with):
    """Events linked to a project count toward it; the hook's answers merge by the largest value."""
    app = app_with(FIGURES)
    factory, people, project = _setup(app)
    from core.models import Event

    campaign = factory.event(people["district"], title="环卫工人冬送温暖", starts_at=beijing(this_year(), 1, 20))
    Event.update(settings={"figures": True}).where(Event.id == campaign.id).execute()
    plain = factory.event(people["district"], title="困难职工座谈会", starts_at=beijing(this_year(), 1, 22))
    for _ in range(3):
        Registration.create(event=plain, member=factory.member(people["g1"]), status="active")
    Registration.create(event=plain, member=factory.member(people["g1"]), status="withdrawn")

    client = login(app.test_client(), "org")
    for event in (campaign, plain):
        response = client.post(f"/practical/projects/{project.id}/events", data={"event": event.id})
        assert response.status_code == 302
    client.post(f"/practical/projects/{project.id}/entries",
                data={"on": f"{this_year()}-02-01", "people": "10", "money": "5000", "wishes": "1", "note": "走访"})

    body = client.get(f"/api/v1/practical/projects/{project.id}").get_json()
    # 250 from the campaign (its own figure beats the core's 0 registrations), 3 active registrations, 10 by hand.
    assert body["progress"] == {"people": 263, "money": "380000.00", "wishes": 4, "households": "204"}
    assert {e["title"]: e["figures"]["people"] for e in body["events"]} == {"环卫工人冬送温暖": "250", "困难职工座谈会": "3"}
    page = text_of(client.get(f"/practical/projects/{project.id}"))
    assert "环卫工人冬送温暖" in page and "¥380,000.00" in page
    # The event's own page points back to the project.
    assert "冬送温暖暖人心" in text_of(client.get(f"/events/{campaign.id}"))


def test_an_event_counts_toward_one_project_only(app_with):
    app = app_with(FIGURES)
    factory, people, project = _setup(app)
    from plugins.practical import projects

    with app.test_request_context():
        other = projects.save_project(None, people["district"], {"year": this_year(), "title": "微心愿"})
    event = factory.event(people["district"], title="慰问", starts_at=beijing(this_year(), 1, 20))
    client = login(app.test_client(), "org")
    client.post(f"/practical/projects/{project.id}/events", data={"event": event.id})
    response = client.post(f"/practical/projects/{other.id}/events", data={"event": event.id})
    assert response.status_code == 409
    assert "该活动已计入项目：冬送温暖暖人心" in text_of(response)
    last_year = factory.event(people["district"], title="去年的活动", starts_at=beijing(this_year() - 1, 6, 1))
    response = client.post(f"/practical/projects/{project.id}/events", data={"event": last_year.id})
    assert response.status_code == 422 and f"活动不在项目年度 {this_year()} 年内" in text_of(response)


def test_linking_concurrently_counts_an_event_once(app_with):
    import threading

    app = app_with()
    factory, people, project = _setup(app)
    from plugins.practical import projects
    from plugins.practical.models import ProjectEvent

    with app.test_request_context():
        others = [projects.save_project(None, people["district"], {"year": this_year(), "title": f"项目{i}"})
                  for i in range(6)]
    event = factory.event(people["district"], title="慰问", starts_at=beijing(this_year(), 1, 20))
    clients = [login(app.test_client(), "org") for _ in others]
    codes = []

    def link(client, target):
        codes.append(client.post(f"/practical/projects/{target.id}/events", data={"event": event.id}).status_code)

    threads = [threading.Thread(target=link, args=pair) for pair in zip(clients, others, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes).count(302) == 1 and len(codes) == 6
    assert ProjectEvent.select().where(ProjectEvent.event == event).count() == 1


def test_progress_entry_through_the_api(app_with):
    from core.services.accounts import issue_token

    app = app_with()
    _factory, people, project = _setup(app)
    token = issue_token(people["organizer"])
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post(f"/api/v1/practical/projects/{project.id}/entries", headers=headers,
                           json={"on": f"{this_year()}-12-20", "people": 250, "money": "375000.00"})
    assert response.status_code == 201
    assert response.get_json()["progress"]["money"] == "375000.00"
    bad = client.post(f"/api/v1/practical/projects/{project.id}/entries", headers=headers,
                      json={"on": f"{this_year()}-12-20", "money": "三十万"})
    assert bad.status_code == 422 and "money" in bad.get_json()["message"]
    empty = client.post(f"/api/v1/practical/projects/{project.id}/entries", headers=headers,
                        json={"on": f"{this_year()}-12-20"})
    assert empty.status_code == 422
    assert empty.get_json()["message"] == "请至少填写人数、金额或心愿数中的一项"
    wrong_year = client.post(f"/api/v1/practical/projects/{project.id}/entries", headers=headers,
                             json={"on": "2001-01-01", "people": 3})
    assert wrong_year.status_code == 422 and "年度" in wrong_year.get_json()["message"]
    assert "/api/v1/practical/projects/{project_id}/entries" in client.get("/api/v1/openapi.json").get_json()["paths"]


def test_project_page_in_english(app_with):
    """The completion column's English heading once carried a lone ``%`` that the template's ``_()``
    tried to format: the page was a 500 in English only."""
    app = app_with()
    _factory, _people, project = _setup(app)
    client = login(app.test_client(), "org")
    client.get("/lang/en")
    page = client.get(f"/practical/projects/{project.id}")
    assert page.status_code == 200
    assert "Achievement rate" in text_of(page)
