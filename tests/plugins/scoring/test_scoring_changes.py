"""The results change log (成绩更正记录): a correction after publishing — unlock with its reason, the
corrected value — is shown to organizers on the item page, answered by the API and exported to xlsx;
the public sees none of it."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.plugins.scoring.test_scoring_sports_day_e2e import _post, run_sports_day, sports_day  # noqa: F401
from tests.support import text_of


def test_a_correction_is_in_the_change_log_on_the_page_the_api_and_the_sheet(sports_day, app):  # noqa: F811
    sd = sports_day
    run_sports_day(sd)
    shoot = sd.items["shoot"].id
    _post(sd.client, f"/api/v1/scoring/items/{shoot}/publish", {})
    _post(sd.client, f"/api/v1/scoring/items/{shoot}/unlock", {"reason": "胡军实为9个，记分员抄错"})
    _post(sd.client, f"/api/v1/scoring/items/{shoot}/results",
          {"entrant": f"m{sd.people['C5'].id}", "value": "9", "reached_at": 9, "version": 1})

    rows = sd.client.get(f"/api/v1/scoring/items/{shoot}/changes").get_json()["changes"]
    assert [r["action_label"] for r in rows] == ["更正成绩", "解锁已发布的成绩", "发布成绩"]
    corrected = rows[0]
    assert (corrected["entrant"], corrected["before"], corrected["after"]) == ("胡军", "6，第9次投中", "9，第9次投中")
    assert rows[1]["reason"] == "胡军实为9个，记分员抄错" and rows[0]["by"] == "org"
    assert len(sd.client.get(f"/api/v1/scoring/events/{sd.event.id}/changes").get_json()["changes"]) == 3

    page = text_of(sd.client.get(f"/scoring/items/{shoot}"))
    assert "更正记录" in page and "胡军实为9个，记分员抄错" in page
    public = text_of(app.test_client().get(f"/scoring/items/{shoot}"))
    assert "更正记录" not in public and "记分员抄错" not in public

    book = load_workbook(io.BytesIO(sd.client.get(f"/events/{sd.event.id}/export/scoring_changes.xlsx").data))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["时间", "项目", "操作", "参赛者", "更正前", "更正后", "原因", "办理人"]
    assert [c.value for c in sheet[2]][1:6] == ["定点投篮", "更正成绩", "胡军", "6，第9次投中", "9，第9次投中"]
