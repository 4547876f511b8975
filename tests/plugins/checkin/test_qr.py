"""The personal QR decodes with an independent reader (zxing-cpp) into a code that signs in."""

import io

import zxingcpp
from PIL import Image

from plugins.checkin.models import CheckIn
from tests.plugins.checkin.helpers import scan, setup


def _decode(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1
    return found[0].text


def test_png_qr_decodes_and_signs_in(app, client, factory, login_as):
    s = setup(factory)
    reg = s.registrations[0]
    login_as(factory.account("t1", member=reg.member))
    response = client.get(f"/checkin/registrations/{reg.id}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    text = _decode(response.data)
    assert text.startswith(f"HD.{reg.id}.1.")
    answer = scan(client, s, text).get_json()
    assert answer["ok"] and answer["name"] == reg.member.name
    assert CheckIn.select().count() == 1


def test_participant_sees_his_qr_on_the_event_page_and_not_others(app, client, factory, login_as):
    s = setup(factory)
    mine, other = s.registrations[0], s.registrations[1]
    login_as(factory.account("t1", member=mine.member))
    page = client.get(f"/events/{s.event.id}").get_data(as_text=True)
    assert "我的签到码" in page and "<svg" in page and f"HD.{mine.id}.1." in page
    assert client.get(f"/checkin/registrations/{other.id}/qr.png").status_code == 403
    svg = client.get(f"/checkin/registrations/{mine.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<path" in svg.data


def test_svg_renders_the_same_matrix_as_the_png():
    """Rasterise our SVG path by hand and decode it: the printed sheet's codes read back too."""
    import re

    from core import qr

    svg = str(qr.svg("HD.7.1.ABCDEFGHIJKLMNOP"))
    n = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    scale = 6
    pixels = bytearray([255]) * (n * scale) * (n * scale)
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)", svg):
        x, y, w = int(x), int(y), int(w)
        for row in range(y * scale, (y + 1) * scale):
            start = row * n * scale
            pixels[start + x * scale:start + (x + w) * scale] = bytes(w * scale)
    image = Image.frombytes("L", (n * scale, n * scale), bytes(pixels))
    assert zxingcpp.read_barcodes(image)[0].text == "HD.7.1.ABCDEFGHIJKLMNOP"


def test_an_svg_code_is_named_for_screen_readers_or_hidden_from_them():
    from core import qr

    named = str(qr.svg("HD.7.1.ABCDEFGHIJKLMNOP", title="张三 <签到>"))
    assert 'role="img"' in named and "<title>张三 &lt;签到&gt;</title>" in named
    bare = str(qr.svg("HD.7.1.ABCDEFGHIJKLMNOP"))
    assert 'aria-hidden="true"' in bare and 'role="img"' not in bare and "<title>" not in bare
