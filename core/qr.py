"""QR images: SVG for pages and print (crisp at any size), PNG for downloads and sharing."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from markupsafe import Markup, escape
from qrcode.image.pure import PyPNGImage

BORDER = 4  # the quiet zone the standard asks for, in modules


def _qr(data: str, image_factory=None) -> qrcode.QRCode:
    # A fixed mask skips trying all eight (most of the time spent otherwise); any mask decodes the same.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=BORDER, box_size=8,
                         mask_pattern=2, image_factory=image_factory)
    code.add_data(data)
    code.make(fit=True)
    return code


@lru_cache(maxsize=2048)
def svg(data: str, size: str = "12em", title: str = "") -> Markup:
    """An inline ``<svg>`` of ``data``'s QR, one path of dark runs, scaled to ``size``."""
    matrix = _qr(data).get_matrix()
    n = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    # Named by its title for screen readers; without one it is left out of what they read.
    role, label = ('role="img"', f"<title>{escape(title)}</title>") if title else ('aria-hidden="true"', "")
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="{size}" height="{size}" '
                  f'shape-rendering="crispEdges" {role} class="qr">{label}<rect width="{n}" height="{n}" fill="#fff"/>'
                  f'<path fill="#000" d="{"".join(runs)}"/></svg>')


def png(data: str, box_size: int = 8) -> bytes:
    """A PNG of ``data``'s QR, ``box_size`` pixels per module."""
    code = _qr(data, PyPNGImage)
    code.box_size = box_size
    buf = io.BytesIO()
    code.make_image().save(buf)
    return buf.getvalue()
