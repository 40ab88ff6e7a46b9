"""The body diagram: where bleeding after sex can come from, with the places of the possible
causes marked. Shared by the explorer's result and the teaching reveal.

Why a picture: the UX review's personas wanted to *see* "the cervix" and "the womb" rather than
read about them, and a place is easier to remember than a list of names. The places and their
words are data (data/sites.csv, each cause's ``sites`` column); this module only draws them.

Accessible by construction:
* the SVG is one image (``role="img"``) whose name says, in words, which places are marked and
  how many possible causes each holds, so a screen reader gets the whole picture in one line;
* a marked place differs by a hatched fill, a thick outline and its label in bold with a count,
  never by colour alone (WCAG 1.4.1), and the same facts are listed as text under the picture;
* it scales with the text (``em`` units and a ``viewBox``) and never scrolls sideways.

Pure string building, no widgets: tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from .markup import asset_text
from .model import Cause, Knowledge

# The shape of each place, drawn in a 360 x 300 box: a simple front view, not to scale.
_SHAPES: Mapping[str, str] = {
    "tubes_ovaries": (
        '<path class="sp-tube" d="M132,58 C112,40 90,44 78,70" />'
        '<path class="sp-tube" d="M228,58 C248,40 270,44 282,70" />'
        '<ellipse cx="70" cy="84" rx="15" ry="11" /><ellipse cx="290" cy="84" rx="15" ry="11" />'
    ),
    "womb": '<path d="M128,50 Q180,22 232,50 L216,128 Q180,156 144,128 Z" />',
    "cervix": '<path d="M158,140 L202,140 L198,176 L162,176 Z" />',
    "vulva_vagina": '<path d="M162,176 L198,176 L204,236 L156,236 Z" /><ellipse cx="180" cy="250" rx="40" ry="13" />',
    "outside": '<rect x="4" y="150" width="142" height="74" rx="8" stroke-dasharray="6 4" />',
}
"""One SVG fragment per site id in data/sites.csv; a test fails if a site has no shape."""

_LABELS: Mapping[str, tuple[tuple[int, int, str], tuple[int, int, int, int] | None]] = {
    "tubes_ovaries": ((180, 16, "middle"), (232, 22, 250, 46)),
    "womb": ((246, 106, "start"), (244, 102, 222, 98)),
    "cervix": ((222, 162, "start"), (220, 158, 202, 158)),
    "vulva_vagina": ((180, 292, "middle"), None),
    "outside": ((75, 180, "middle"), None),
}
"""Each label's (x, y, anchor), and its leader line (x1, y1, x2, y2) if it sits away from the shape.
A name with a comma is set on two lines ("Nearby," / "not the genital tract")."""


def places(causes: Iterable[Cause], knowledge: Knowledge) -> dict[str, list[Cause]]:
    """The possible causes by the place they come from, in the diagram's order. A cause with
    two places (an injury can be in the vagina or on the cervix) counts in both."""
    found: dict[str, list[Cause]] = {site: [] for site in knowledge.sites}
    for cause in causes:
        for site in cause.sites:
            found[site].append(cause)
    return {site: listed for site, listed in found.items() if listed}


def _count(number: int, knowledge: Knowledge) -> str:
    return knowledge.nphrase("{count} possible cause", "{count} possible causes", number).format(count=number)


def describe(marked: Mapping[str, list[Cause]], knowledge: Knowledge) -> str:
    """The picture in one sentence, for its accessible name."""
    say = knowledge.phrase
    if not marked:
        return say("A body diagram of where bleeding after sex can come from. No place is marked yet.")
    parts = [
        f"{knowledge.sites[site].name.lower()} ({_count(len(causes), knowledge)})" for site, causes in marked.items()
    ]
    both = say("{list} and {last}")
    listed = parts[0] if len(parts) == 1 else both.format(list=", ".join(parts[:-1]), last=parts[-1])
    return say("A body diagram of where bleeding after sex can come from. Marked: {places}.").format(places=listed)


def _label(text: str, x: int, y: int, anchor: str) -> str:
    first, _, rest = text.partition(", ")
    if not rest:
        return f'<text x="{x}" y="{y}" text-anchor="{anchor}">{escape(text)}</text>'
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}"><tspan x="{x}">{escape(first)},</tspan>'
        f'<tspan x="{x}" dy="1.3em">{escape(rest)}</tspan></text>'
    )


def diagram_svg(marked: Mapping[str, list[Cause]], knowledge: Knowledge) -> str:
    """The SVG: every place drawn, the marked ones hatched, outlined and labelled in bold."""
    parts = []
    for site_id, site in knowledge.sites.items():
        on = site_id in marked
        (x, y, anchor), leader = _LABELS[site_id]
        name = site.name
        if on:
            first, comma, rest = name.partition(", ")
            name = f"{first} ({len(marked[site_id])}){comma}{rest}"
        line = ""
        if leader is not None:
            x1, y1, x2, y2 = leader
            line = f'<line class="sp-site__leader" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" />'
        parts.append(
            f'<g class="sp-site{" sp-site--on" if on else ""}" data-site="{escape(site_id, quote=True)}">'
            f'<g class="sp-site__shape">{_SHAPES[site_id]}</g>{line}{_label(name, x, y, anchor)}</g>'
        )
    return (
        '<svg class="sp-diagram__svg" viewBox="0 0 360 300" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'aria-label="{escape(describe(marked, knowledge))}" focusable="false">'
        '<defs><pattern id="sp-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="8" height="8" class="sp-hatch__ground" />'
        '<line x1="0" y1="0" x2="0" y2="8" class="sp-hatch__line" />'
        f"</pattern></defs>{''.join(parts)}</svg>"
    )


def diagram_html(causes: Iterable[Cause], knowledge: Knowledge, heading: str = "h2", heading_id: str = "") -> str:
    """The picture with its heading and the same facts as a short list (for everyone, not only
    screen readers: a list is easier to read back than a picture)."""
    marked = places(causes, knowledge)
    say = knowledge.phrase
    title = escape(say("Where the possible causes could come from"))
    hint = escape(say("Marked places are hatched, with a thick outline and a number in bold."))
    items = "".join(
        f"<li><strong>{escape(knowledge.sites[site].name)}</strong> ({escape(_count(len(listed), knowledge))}): "
        f"{escape(knowledge.sites[site].where)}</li>"
        for site, listed in marked.items()
    )
    listing = f'<ul class="sp-diagram__list">{items}</ul>' if items else ""
    named = f' id="{escape(heading_id, quote=True)}"' if heading_id else ""
    return (
        f'<figure class="sp-diagram">{diagram_svg(marked, knowledge)}'
        f'<figcaption><{heading} class="sp-diagram__heading"{named}>'
        f"{title}</{heading}>"
        f"<p>{hint}</p>{listing}</figcaption></figure>"
    )


DIAGRAM_CSS = asset_text("diagram.css")
"""The diagram's styles, for any page that shows it."""
