"""The review queue, the archive and the home-page widget at scale: paged with totals, in a stable
order, the archive searchable, and the number of queries a page costs the same for 30 files as
for 300 (the files' units come with them, not one query each)."""

from __future__ import annotations

import pytest

from core import privacy
from plugins.warmth.models import Household
from tests.plugins.warmth.conftest import REGION, YEAR, id_number
from tests.support import count_queries, login, text_of


def add_files(world, count: int, *, stage: str = "submitted", start: int = 1000) -> list[int]:
    """``count`` files straight into the database, alternating between the two units of 东湖街道."""
    rows = []
    for n in range(start, start + count):
        number = id_number(n % 1000, birth=f"19{60 + n // 1000:02d}0101")
        rows.append({"unit": world.units["bus" if n % 2 else "school"], "worker_name": f"职工{n}号",
                     "id_number": number, "id_hash": privacy.keyed_hash(number), "region_code": REGION,
                     "year": YEAR, "stage": stage})
    Household.insert_many(rows).execute()
    return [h.id for h in Household.select(Household.id).where(Household.worker_name.in_(
        [r["worker_name"] for r in rows])).order_by(Household.id)]


def queries_of(client, url: str) -> int:
    client.get(url)  # the first request of a client loads what is cached per process
    with count_queries() as log:
        assert client.get(url).status_code == 200
    return log.count


@pytest.mark.parametrize("url, who", [("/warmth/reviews", "township"), ("/", "township"),
                                      ("/warmth/", "officer"), ("/warmth/?q=职工", "officer")])
def test_queries_do_not_grow_with_the_files(app, client, world, url, who):
    login(client, who)
    add_files(world, 30)
    few = queries_of(client, url)
    add_files(world, 270, start=2000)
    assert queries_of(client, url) == few, "a query per file"


def test_the_review_queue_is_paged_oldest_first_with_its_total(app, client, world):
    ids = add_files(world, 120)
    login(client, "township")
    first = client.get("/warmth/reviews")
    page = text_of(first)
    assert "第 1 / 3 页，共 120 条" in page and "职工1000号" in page and "职工1050号" not in page
    assert 'href="/warmth/reviews?level=township&amp;page=2"' in first.get_data(as_text=True)
    third = text_of(client.get("/warmth/reviews?level=township&page=3"))
    assert "第 3 / 3 页，共 120 条" in third and "职工1119号" in third and "职工1099号" not in third
    assert "第 3 / 3 页" in text_of(client.get("/warmth/reviews?level=township&page=99"))
    shown = [int(h) for h in _household_links(client.get("/warmth/reviews?level=township&page=2"))]
    assert shown == ids[50:100], "ties of the same time are ordered by id"


def _household_links(response) -> list[str]:
    import re

    return re.findall(r'href="/warmth/households/(\d+)"', response.get_data(as_text=True))


def test_the_widget_names_the_first_five_and_counts_them_all(app, client, world):
    add_files(world, 12)
    login(client, "township")
    page = text_of(client.get("/"))
    assert "12 户待处理" in page
    assert len(_household_links(client.get("/"))) == 5


def test_the_archive_is_paged_and_found_by_name_staff_number_and_id_number(app, client, world, factory):
    add_files(world, 75)
    member = factory.member(world.units["bus"], name="赵志强", staff_no="B0042")
    number = id_number(999, birth="19700101")
    Household.insert(unit=world.units["bus"], member=member, worker_name="赵志强", id_number=number,
                     id_hash=privacy.keyed_hash(number), region_code=REGION, year=YEAR).execute()
    login(client, "officer")
    first = text_of(client.get("/warmth/"))
    assert "第 1 / 2 页，共 76 条" in first
    assert "Page 1 of 2, 76 in all" in text_of(client.get("/warmth/?lang=en"))
    second = client.get("/warmth/?page=2")
    assert len(_household_links(second)) == 26
    for q in ("赵志", "B0042", number):
        found = client.get("/warmth/", query_string={"q": q})
        assert len(_household_links(found)) == 1 and "共" not in text_of(found), q
    assert len(_household_links(client.get("/warmth/?q=职工107"))) == 5  # 职工1070号 … 职工1074号
    assert "没有档案" in text_of(client.get("/warmth/?q=B0043"))
