"""The demo holds the three seed outings with their figures: the 河源 two-day trip at 290 yuan, the
野狸岛 walk with members free and family members at 25 yuan, the 神龙寨 day with four departures and
dispatchers; people seated and roomed, gathering stops ready for the roll call."""

from __future__ import annotations

from decimal import Decimal

from core.timeutil import to_local


def test_demo_holds_the_three_seed_outings(make_app, tmp_path):
    from core.db import db
    from core.demo import build
    from core.migrate import migrate
    from core.models import Event, Registration
    from plugins.checkin import public as checkin
    from plugins.outing import costs, people, transport
    from plugins.outing.models import Bed, Seat, Stop

    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    with app.app_context(), app.test_request_context():
        migrate(app.extensions["huodong_pm"])
        with db.connection_context():
            build(app.extensions["huodong_pm"])
            outings = {e.title: e for e in Event.select().where(Event.activity_type == "outing")}
            assert set(outings) == {"河源两日游", "珠海野狸岛春季踏青", "神龙寨观光园户外休闲拓展"}

            heyuan = outings["河源两日游"]
            assert heyuan.fee == Decimal("290.00") and costs.per_person_total(heyuan) == Decimal("290.00")
            going = people.participants(heyuan)
            assert going and all(p.kind == "member" for p in going)
            assert not any(r.member.job in ("司机", "值班") for r in Registration.select().where(
                Registration.event == heyuan))
            assert Bed.select().where(Bed.event == heyuan).count() == len(going)  # everyone roomed

            walk = outings["珠海野狸岛春季踏青"]
            walkers = people.participants(walk)
            assert {p.kind for p in walkers} == {"member", "family", "child"}
            assert {(p.kind, p.own) for p in walkers} == {("member", Decimal("0.00")), ("family", Decimal("25.00")),
                                                          ("child", Decimal("25.00"))}
            total = costs.totals(walk)
            assert total.own == Decimal("25.00") * sum(p.kind != "member" for p in walkers)
            assert total.own + total.union == total.cost == Decimal("50.00") * len(walkers)

            day = outings["神龙寨观光园户外休闲拓展"]
            buses = transport.vehicles(day)
            assert [to_local(v.departs_at, day.timezone).strftime("%H:%M") for v in buses] == [
                "09:30", "10:30", "11:30", "12:30"]
            assert {v.dispatcher for v in buses} == {"龙秋花、吴如喜"}
            for event in outings.values():
                seated = Seat.select().where(Seat.event == event).count()
                assert seated == len(people.participants(event)) > 0
                assert all(len(transport.passengers(v)) <= v.seats for v in transport.vehicles(event))
                keys = dict(checkin.checkpoint_keys(event))
                stops = Stop.select().where(Stop.event == event, Stop.gathering == True)  # noqa: E712
                assert all(s.key in keys for s in stops) and stops.count() >= 2
