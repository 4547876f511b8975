"""Pages, styles, scripts and JSON go out compressed (brotli or gzip) to a client that asks; calendar feeds,
files and small answers as they are."""

from __future__ import annotations

import gzip

import brotli

from tests.support import login


def _body(response) -> bytes:
    raw = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(raw)
    if encoding == "gzip":
        return gzip.decompress(raw)
    if encoding == "deflate":
        import zlib

        return zlib.decompress(raw)
    assert encoding is None, encoding
    return raw


def test_a_page_goes_out_in_the_encoding_the_browser_asks_for(app, client, factory):
    school = factory.school()
    factory.account("teacher", member=factory.member(school["g1"], name="张三"))
    for n in range(10):
        factory.event(school["school"], title=f"全体教职工大会（第{n}场）")
    login(client, "teacher")
    plain = client.get("/events/")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"] and "Cookie" in plain.headers["Vary"]
    for asked, expected in (("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("br;q=0.5, gzip", "gzip")):
        answer = client.get("/events/", headers={"Accept-Encoding": asked})
        assert answer.headers["Content-Encoding"] == expected
        assert int(answer.headers["Content-Length"]) == len(answer.get_data()) < len(plain.get_data()) / 2
        assert _body(answer).decode().count("全体教职工大会") == plain.get_data(as_text=True).count("全体教职工大会") == 10
    assert client.get("/events/", headers={"Accept-Encoding": "identity"}).headers.get("Content-Encoding") is None


def test_static_files_are_compressed_and_still_answer_304(client):
    first = client.get("/static/huodong.css", headers={"Accept-Encoding": "br, gzip"})
    assert first.headers["Content-Encoding"] == "br"
    css = _body(first).decode()
    assert ".nav-button" in css
    again = client.get("/static/huodong.css", headers={"Accept-Encoding": "br, gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    js = client.get("/static/huodong.js", headers={"Accept-Encoding": "gzip, br"})
    assert "aria-expanded" in _body(js).decode()


def test_json_is_compressed_and_small_answers_are_not(app, client, factory):
    school = factory.school()
    for n in range(12):
        factory.event(school["school"], title=f"活动{n}")
    listing = client.get("/api/v1/events", headers={"Accept-Encoding": "br"})
    assert listing.headers["Content-Encoding"] == "br" and b'"title"' in _body(listing)
    health = client.get("/healthz", headers={"Accept-Encoding": "br"})
    assert health.status_code == 200 and "Content-Encoding" not in health.headers  # under 500 bytes


def test_calendar_feeds_keep_their_own_etag_and_are_not_compressed(client, factory):
    tree = factory.school()
    factory.event(tree["school"], title="全体教职工大会")
    url = f"/units/{tree['g1'].id}/calendar.ics"
    feed = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert feed.status_code == 200 and "Content-Encoding" not in feed.headers
    assert b"BEGIN:VCALENDAR" in feed.get_data()
    assert client.get(url, headers={"Accept-Encoding": "br, gzip", "If-None-Match": feed.headers["ETag"]}).status_code == 304


def test_compression_can_be_left_to_a_proxy(make_app, factory):
    client = make_app(COMPRESS=False).test_client()
    answer = client.get("/login", headers={"Accept-Encoding": "br, gzip"})
    assert answer.status_code == 200 and "Content-Encoding" not in answer.headers
    assert "Accept-Encoding" not in answer.headers.get("Vary", "")
