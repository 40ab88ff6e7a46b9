"""The "join this session" page: the address learners type, in large type, with a QR code.

Why: learners' phones cannot reach ``127.0.0.1``, and reading ``http://192.168.1.23:8867/`` off a
projector is slow and error-prone (UX review, finding 8). ``spotting serve --network`` writes this
page to a local file that the facilitator opens on the projector; phones scan the code or type
the address. The QR code is made here by segno (pure Python, made for the job) as an inline
SVG, so the page asks no server for anything, and it opens from a file with the wifi off. The
code is an image with a text alternative that states the address, and the address is also
written out in full beside it, so nobody needs a camera.

Only the server's own address is written: nothing anyone enters is in this page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from html import escape
from pathlib import Path

JOIN_CSS = """
body { font-family: system-ui, Arial, sans-serif; color: #212b32; background: #fff; margin: 2vh 3vw; }
h1 { font-size: 2.4rem; margin: 0 0 0.4em; }
.address { display: flex; flex-wrap: wrap; gap: 2rem; align-items: center; margin: 1rem 0; }
.address svg { width: min(60vh, 80vw); height: auto; border: 4px solid #fff; }
.address p { font-size: clamp(1.5rem, 4.5vw, 3.2rem); font-weight: bold; word-break: break-all; margin: 0; }
.small { font-size: 1.2rem; color: #3d4a55; }
"""


JOIN_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
"""The page opens from a file, so it has no headers: its policy is a meta tag. It needs its own
style block and nothing else (the QR code is inline SVG); no script may run and nothing may load."""


def qr_svg(url: str) -> str:
    """An inline SVG QR code for ``url``, labelled with the address for screen readers.

    Error correction "M" (15%) survives a dim projector and a phone held at an angle; the four
    module quiet zone that scanners need is kept. The SVG scales (no width or height in px).
    """
    import segno  # only `spotting serve --network` draws a code; the engine and CLI never need it

    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, omitsize=True, dark="#000", light="#fff", border=4)
    label = escape(f"QR code for {url}", quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def join_page_html(urls: Sequence[str], title: str = "the teaching session") -> str:
    """A standalone page: each address to type, with its QR code."""
    if not urls:
        raise ValueError("no address to show: is this computer on a network?")
    blocks = "".join(f'<div class="address">{qr_svg(url)}<p>{escape(url)}</p></div>' for url in urls)
    several = (
        '<p class="small">This computer has more than one network address. Try the first; if it '
        "does not open, try the next.</p>"
        if len(urls) > 1
        else ""
    )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{JOIN_POLICY}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Join {escape(title)}</title><style>{JOIN_CSS}</style></head><body><main>"
        f"<h1>Join {escape(title)}: scan the code or type the address</h1>{blocks}{several}"
        '<p class="small">Use the same wifi as this computer. There is no login, and nothing you enter '
        "is saved or sent anywhere. For learning, not diagnosis.</p></main></body></html>"
    )


def write_join_page(urls: Sequence[str], port: int, title: str = "the teaching session") -> Path:
    """Write the page to this computer's temporary folder and return its path."""
    path = Path(tempfile.gettempdir()) / f"spotting-join-{port}.html"
    path.write_text(join_page_html(urls, title), encoding="utf-8")
    return path
