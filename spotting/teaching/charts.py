"""Teaching charts built only from sourced figures in data/statistics.csv.

Why hand-made HTML rather than a plotting library: every label stays real text (readable by
screen readers, at 200% zoom and 320 px wide, and on paper), nothing depends on colour, and no
figure can appear that is not a row of statistics.csv. Bars and icons are decoration
(``aria-hidden``); the numbers are always written out beside them, with the source underneath.

The cancer-risk chart shows only the two age bands the source gives (dossier Part B §3, [S6]):
the bands in between were not retrieved, and the chart says so instead of drawing a trend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..knowledge import load_knowledge
from ..markup import TOKENS_CSS, asset_text, citation
from ..model import N_, Knowledge, Statistic

Figure = Statistic
"""A figure on a chart is a row of statistics.csv, checked when the knowledge base loads."""


@dataclass(frozen=True)
class Chart:
    """A titled chart: its HTML, a plain-text alternative, and the sources it rests on."""

    id: str
    title: str
    html: str
    text: str
    sources: tuple[str, ...]


CHART_CSS = asset_text("charts.css")

_PERSON = (
    '<svg class="person {kind}" viewBox="0 0 20 32" width="20" height="32" aria-hidden="true" focusable="false">'
    '<circle cx="10" cy="7" r="5.5" style="fill: {fill}; stroke: var(--sp-ink)" stroke-width="2"/>'
    '<path d="M3 30 V21 a7 7 0 0 1 14 0 V30 Z" style="fill: {fill}; stroke: var(--sp-ink)" stroke-width="2"/></svg>'
)


def figures(knowledge: Knowledge, chart: str) -> list[Figure]:
    """The figures of one chart, in file order; an empty chart is an error."""
    items = [statistic for statistic in knowledge.statistics if statistic.chart == chart]
    if not items:
        raise ValueError(f"statistics.csv has no rows for chart {chart!r}")
    return items


def _source_line(ids: Sequence[str], knowledge: Knowledge) -> str:
    cited = "; ".join(f"{citation(i, knowledge)} [{escape(i)}]" for i in dict.fromkeys(ids))
    marked = "" if knowledge.language == "en" else ' lang="en" dir="ltr"'  # titles as published
    source = escape(knowledge.phrase("Source:"))
    return f'<p class="source">{source} <span{marked}>{cited}</span></p>'


def _notes(items: Sequence[Figure]) -> str:
    """The rows' notes once each: a note that another note already says is left out, and when
    several remain each is tied to its row's label, so no note floats free of its figure."""
    notes: dict[str, str] = {}
    for item in items:
        if item.note and item.note not in notes:
            notes[item.note] = item.label.split(":")[0]
    kept = [n for n in notes if not any(n.rstrip(".") in other and n != other for other in notes)]
    if len(kept) == 1:
        return f'<p class="chart-note">{escape(kept[0])}</p>'
    lines = "".join(f"<li>{escape(notes[n])}: {escape(n)}</li>" for n in kept)
    return f'<ul class="chart-note chart-notes">{lines}</ul>' if lines else ""


def _figure_html(chart_id: str, title: str, body: str, text: str, items: Sequence[Figure], knowledge: Knowledge) -> str:
    sources = [s for item in items for s in item.sources]
    in_words = escape(knowledge.phrase(IN_WORDS))
    return (
        f'<figure class="spotting-chart" id="chart-{chart_id}" aria-labelledby="chart-{chart_id}-title">'
        f'<figcaption><h3 id="chart-{chart_id}-title">{escape(title)}</h3></figcaption>'
        f'<div class="chart-body">{body}</div>'
        f'<div class="chart-text"><p class="in-words"><strong>{in_words}</strong> {escape(text)}</p>'
        f"{_notes(items)}{_source_line(sources, knowledge)}</div></figure>"
    )


def _row(label: str, value: str, bar: str) -> str:
    """Label and value on one line, the bar under it: every bar starts at the same place."""
    shown = "" if value in label else f' (<span class="value">{escape(value)}</span>)'
    return f'<div class="row"><span class="label">{escape(label)}</span>{shown}{bar}</div>'


def _words(item: Figure, knowledge: Knowledge) -> str:
    """``Statistic.words`` ("40.3 in 100") in the reader's language."""
    total = "100" if item.unit == "percent" else f"{item.denominator:,}"
    return knowledge.phrase("{value} in {total}").format(value=f"{item.value:g}", total=total)


def _bar(fraction: float) -> str:
    width = max(0.0, min(1.0, fraction)) * 100
    return f'<div class="track" aria-hidden="true"><div class="bar" style="width: {width:.1f}%"></div></div>'


ARRAY_PEOPLE = 10_000
ARRAY_SIDE = 100
"""The cancer-risk chart draws each age band as 10,000 people, a 100 x 100 grid of squares."""


def people_with(proportion: float, total: int = ARRAY_PEOPLE) -> int:
    """Whole people out of ``total`` for a chance (1 in 2,400 of 10,000 is 4): the squares filled."""
    return int(proportion * total + 0.5)


def _array(proportion: float, ident: str) -> str:
    """10,000 people as an SVG grid, the ones affected filled and circled so they can be found.

    Why not bars: on a log scale 1 in 2,400 filled half the bar and looked common (UX review,
    problem 10). On this grid, a linear picture, 1 in 2,400 is 4 squares out of 10,000, which is
    how rare it is. The grid is one pattern (not 10,000 elements); only the filled squares are
    drawn, spread evenly so none hides at an edge.
    """
    count = people_with(proportion)
    side = ARRAY_SIDE
    marks = []
    for index in range(count):
        y = (2 * index + 1) * side // (2 * count)
        x = int(((index + 0.5) * 0.618034 % 1) * side)  # spread sideways too (golden-ratio steps)
        marks.append(
            f'<rect class="case" x="{x}" y="{y}" width="1" height="1" style="fill: var(--sp-ink)"/>'
            f'<circle cx="{x + 0.5}" cy="{y + 0.5}" r="3" style="fill: none; stroke: var(--sp-red)" '
            'stroke-width="0.8"/>'
        )
    return (
        f'<svg class="people-grid" viewBox="-2 -2 {side + 4} {side + 4}" aria-hidden="true" focusable="false">'
        f'<defs><pattern id="sp-people-{ident}" width="1" height="1" patternUnits="userSpaceOnUse">'
        '<rect x="0.1" y="0.1" width="0.8" height="0.8" style="fill: var(--sp-grey-hatch)"/></pattern></defs>'
        f'<rect x="0" y="0" width="{side}" height="{side}" fill="url(#sp-people-{ident})"/>{"".join(marks)}</svg>'
    )


IN_WORDS = N_("In words:")


def _in_ten_thousand(item: Figure, knowledge: Knowledge) -> str:
    count = people_with(item.proportion)
    if count == 0:
        return knowledge.phrase("fewer than 1 in every 10,000 people: not even one square")
    return knowledge.phrase("about {count} in every 10,000 people").format(count=count)


AGES_BETWEEN = N_(
    "Ages in between: not shown. The study has figures for these ages, but we could not get them, so we do not guess."
)
GRID_KEY = N_(
    "Each grid is 10,000 people with bleeding after sex. A filled square, circled, is one person whose bleeding "
    "was caused by cervical cancer."
)


def cancer_risk_chart(knowledge: Knowledge | None = None) -> Chart:
    """Chance that bleeding after sex is cervical cancer, at the two age bands the source gives.

    Each band is a grid of 10,000 people with those affected filled in (a linear picture: what
    you see is how rare it is), labelled in words ("1 in 2,400: about 4 in every 10,000"). A
    dashed row between them says the middle ages are missing, so nobody reads a trend into it.
    """
    knowledge = knowledge or load_knowledge()
    say = knowledge.phrase
    items = sorted(figures(knowledge, "cancer_risk_by_age"), key=lambda f: f.proportion)
    rows = []
    gap = escape(say(AGES_BETWEEN))
    for index, item in enumerate(items):
        if index:
            rows.append(f'<p class="gap">{gap}</p>')
        that_is = escape(say("That is {count}.").format(count=_in_ten_thousand(item, knowledge)))
        label = f'<span class="label">{escape(item.label)}</span>. {that_is}'
        rows.append(f'<div class="row">{label}{_array(item.proportion, item.id)}</div>')
    key = f'<p class="chart-note">{escape(say(GRID_KEY))}</p>'
    times = items[-1].proportion / items[0].proportion if len(items) > 1 else 1
    text = say("Bleeding after sex is rarely caused by cervical cancer.") + " " + " ".join(
        f"{item.label}: {_in_ten_thousand(item, knowledge)}." for item in items
    )
    if len(items) > 1:
        higher = say("The chance is about {times} times higher in the older group, but still small.")
        text += " " + higher.format(times=f"{times:.0f}")
    title = say("Bleeding after sex is rarely cervical cancer, but the chance rises with age")
    body = key + "".join(rows)
    return Chart(
        "cancer_risk", title, _figure_html("cancer_risk", title, body, text, items, knowledge), text, _sources(items)
    )


def colposcopy_chart(knowledge: Knowledge | None = None) -> Chart:
    """What a closer look at the cervix found in people referred with bleeding after sex."""
    knowledge = knowledge or load_knowledge()
    say = knowledge.phrase
    items = figures(knowledge, "colposcopy_findings")
    rows = "".join(_row(item.label, _words(item, knowledge), _bar(item.proportion)) for item in items)
    text = (
        say("Out of every 100 people sent for a closer look at the cervix (colposcopy):")
        + " "
        + "; ".join(f"{item.label}: {item.value:g}" for item in items)
        + ". "
        + say("Abnormal cells (CIN) are precancer, not cancer.")
    )
    title = say("What a clinic found when people with bleeding after sex had a closer look (colposcopy)")
    return Chart(
        "colposcopy", title, _figure_html("colposcopy", title, rows, text, items, knowledge), text, _sources(items)
    )


def _icons(item: Figure) -> str:
    """10 people when the figure is a whole number of tenths, else 100: never rounded."""
    for total in (10, 100):
        filled = item.proportion * total
        if math.isclose(filled, round(filled)):
            break
    else:
        raise ValueError(f"statistic {item.id} cannot be drawn exactly as an icon array")
    count = round(filled)
    people = [_PERSON.format(kind="no-symptoms", fill="var(--sp-ink)")] * count
    people += [_PERSON.format(kind="symptoms", fill="var(--sp-white)")] * (total - count)
    return f'<div class="icons" aria-hidden="true">{"".join(people)}</div>'


def sti_chart(knowledge: Knowledge | None = None) -> Chart:
    """How often infections passed on during sex cause no symptoms, as icon arrays of people."""
    knowledge = knowledge or load_knowledge()
    say = knowledge.phrase
    items = figures(knowledge, "sti_no_symptoms")
    filled = _PERSON.format(kind="no-symptoms", fill="var(--sp-ink)")
    outlined = _PERSON.format(kind="symptoms", fill="var(--sp-white)")
    words = escape(say("Key: a filled-in person {filled} has no symptoms; an outlined person {outlined} has symptoms."))
    key = f'<p class="chart-note">{words.replace("{filled}", filled).replace("{outlined}", outlined)}</p>'
    rows = "".join(
        f'<div class="row"><span class="label">{escape(item.label)}</span>{_icons(item)}</div>' for item in items
    )
    text = " ".join(f"{item.label}." for item in items) + " " + say("A test is the only way to know.")
    title = say("Many infections passed on during sex cause no symptoms")
    return Chart(
        "sti_no_symptoms",
        title,
        _figure_html("sti_no_symptoms", title, key + rows, text, items, knowledge),
        text,
        _sources(items),
    )


def _sources(items: Sequence[Figure]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for item in items for s in item.sources))


def all_charts(knowledge: Knowledge | None = None) -> list[Chart]:
    """The teaching charts, in the order a session uses them."""
    knowledge = knowledge or load_knowledge()
    return [cancer_risk_chart(knowledge), colposcopy_chart(knowledge), sti_chart(knowledge)]


def charts_html(knowledge: Knowledge | None = None) -> str:
    """All charts with their stylesheet, ready for an HTML widget or the handout."""
    return f"<style>{TOKENS_CSS}{CHART_CSS}</style>" + "".join(chart.html for chart in all_charts(knowledge))
