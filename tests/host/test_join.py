"""The join page: the address learners type, with a QR code that says the same address."""

from __future__ import annotations

import re

import pytest
import segno

from spotting_host.join import join_page_html, qr_svg

URL = "http://192.168.1.23:8867/"


def test_the_qr_code_is_inline_svg_with_the_address_as_its_text_alternative() -> None:
    svg = qr_svg(URL)
    assert svg.startswith('<svg role="img" aria-label="QR code for http://192.168.1.23:8867/"')
    assert "href" not in svg and "http" not in svg.split('aria-label="', 1)[1].split('"', 1)[1]
    # The drawing is the one segno makes for this address (the code really encodes it).
    expected = segno.make(URL, error="m", micro=False).svg_inline(scale=1, omitsize=True, border=4)
    dark = re.search(r'd="(M4 [^"]+)"', expected)
    assert dark is not None and f'd="{dark[1]}"' in svg


def test_the_page_writes_every_address_out_and_asks_no_server() -> None:
    html = join_page_html([URL, "http://10.0.0.5:8867/"])
    assert html.count("<svg") == 2 and "http://10.0.0.5:8867/</p>" in html and f"{URL}</p>" in html
    assert "more than one network address" in html
    assert not re.search(r"(src|href)=", html)  # nothing fetched: no scripts, images or stylesheets
    assert '<html lang="en-GB">' in html and "<h1>" in html
    with pytest.raises(ValueError, match="network"):
        join_page_html([])
