"""An archived payout sheet is a version: when results are corrected after it was stored, its page says
so (what the live sheet would pay instead, and whose money moved) until a new version is stored."""

from __future__ import annotations

from tests.plugins.scoring.test_scoring_sports_day_e2e import _post, run_sports_day, sports_day  # noqa: F401
from tests.support import text_of


def test_a_correction_after_archiving_is_shown_on_the_stored_sheet(sports_day):  # noqa: F811
    sd = sports_day
    run_sports_day(sd)
    page_url = f"/scoring/events/{sd.event.id}/payout"
    sd.client.post(page_url)
    page = text_of(sd.client.get(page_url))
    assert "存档第 1 版" in page and "存档后成绩有更正" not in page

    # 胡军 (C5) is found to have scored 9 baskets: the podium moves.
    _post(sd.client, f"/api/v1/scoring/items/{sd.items['shoot'].id}/results",
          {"entrant": f"m{sd.people['C5'].id}", "value": "9", "reached_at": 9, "version": 1})
    page = text_of(sd.client.get(page_url))
    assert "存档第 1 版" in page and "存档后成绩有更正" in page
    assert "4 人的金额与存档第 1 版不同" in page and "胡军" in page and "徐明" in page
    assert "合计 ¥1,650.00（存档 ¥1,650.00）" in page  # the podium moved; the total did not

    sd.client.post(page_url)
    page = text_of(sd.client.get(page_url))
    assert "存档第 2 版" in page and "存档后成绩有更正" not in page


def test_the_printed_sheet_carries_no_button(sports_day):  # noqa: F811
    """A <form> cannot sit inside a <p>: the browser ends the paragraph first, and the 生成并存档 button
    escaped the no-print block and was printed (parsed here as a browser parses it)."""
    import lxml.html

    sd = sports_day
    run_sports_day(sd)
    page = lxml.html.fromstring(sd.client.get(f"/scoring/events/{sd.event.id}/payout").data)
    [button] = page.xpath("//button[normalize-space()='生成并存档']")
    assert any("no-print" in (parent.get("class") or "") for parent in button.iterancestors())
