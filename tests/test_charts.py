"""Teaching charts: sourced figures only, titled in plain words, readable without the picture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spotting import Knowledge, load_knowledge
from spotting.teaching.charts import (
    Chart,
    Figure,
    _icons,
    all_charts,
    cancer_risk_chart,
    charts_html,
    colposcopy_chart,
    figures,
    people_with,
    sti_chart,
)

DASH = "\u2013"  # the en dash the data uses in age bands


def test_cancer_risk_shows_only_the_two_age_bands_the_source_gives(knowledge: Knowledge) -> None:
    chart = cancer_risk_chart(knowledge)
    assert "1 in 44,000" in chart.html and "1 in 2,400" in chart.html
    assert f"20{DASH}24" in chart.html and f"45{DASH}54" in chart.html
    for low, high in ((25, 34), (35, 44), (30, 34), (40, 44), (25, 29), (55, 64)):
        for dash in (DASH, "-", " to "):
            invented = f"{low}{dash}{high}"
            assert invented not in chart.html
        assert invented not in chart.html
    assert "we do not guess" in chart.html  # the gap is said, not drawn
    assert chart.sources == ("S6",)
    assert "about 18 times higher" in chart.text


def test_cancer_risk_is_drawn_to_a_linear_scale_of_10000_people(knowledge: Knowledge) -> None:
    """1 in 2,400 must look rare at a glance (UX review, problem 10): 4 filled squares of 10,000,
    not half a bar; 1 in 44,000 fills none, and the words say so."""
    html = cancer_risk_chart(knowledge).html
    grids = html.split('class="people-grid"')[1:]
    assert [grid.count('class="case"') for grid in grids] == [0, 4]
    assert "about 4 in every 10,000 people" in html and "not even one square" in html
    assert "log scale" not in html and 'class="bar"' not in html
    assert people_with(1 / 2400) == 4 and people_with(1 / 44000) == 0 and people_with(0.5) == 5000


@pytest.mark.parametrize("denominator", [1, 2, 3, 7, 100, 2400, 9999, 10000, 44000])
def test_the_grid_fills_exactly_the_rounded_count_of_people(knowledge: Knowledge, denominator: int) -> None:
    from spotting.teaching.charts import _array

    svg = _array(1 / denominator, "x")
    assert svg.count('class="case"') == people_with(1 / denominator) == round(10000 / denominator + 1e-9)


def test_colposcopy_chart_shows_every_finding_in_data_order(knowledge: Knowledge) -> None:
    chart = colposcopy_chart(knowledge)
    rows = figures(knowledge, "colposcopy_findings")
    positions = [chart.html.index(row.label) for row in rows]
    assert positions == sorted(positions)
    for value in ("40.3 in 100", "50.7 in 100", "6.6 in 100", "1.7 in 100", "0.6 in 100"):
        assert value in chart.html
    assert "precancer" in chart.text
    assert chart.sources == ("S10",)


def test_sti_chart_draws_exact_icon_arrays_with_a_key(knowledge: Knowledge) -> None:
    chart = sti_chart(knowledge)
    arrays = re.findall(r'<div class="icons" aria-hidden="true">(.*?)</div>', chart.html)
    counts = [(a.count("no-symptoms"), a.count('class="person symptoms"')) for a in arrays]
    assert counts == [(7, 3), (5, 5), (5, 5)]
    assert "Key:" in chart.html and "filled-in person" in chart.html
    assert set(chart.sources) == {"S40", "S41", "S42"}


def test_an_icon_array_is_never_rounded() -> None:
    figure = Figure("x", "test", "A third", 33.3, 100, "percent", "", ("S6",))
    with pytest.raises(ValueError, match="exactly"):
        _icons(figure)
    exact = Figure("y", "test", "A quarter", 25, 100, "percent", "", ("S6",))
    assert _icons(exact).count("<svg") == 100


@pytest.mark.parametrize("chart", all_charts(load_knowledge()), ids=lambda c: c.id)
def test_every_chart_has_a_plain_title_a_text_alternative_and_its_source(chart: Chart, knowledge: Knowledge) -> None:
    assert chart.html.startswith('<figure class="spotting-chart"')
    assert f'aria-labelledby="chart-{chart.id}-title"' in chart.html
    assert f'<h3 id="chart-{chart.id}-title">{chart.title}</h3>' in chart.html
    assert len(chart.title.split()) <= 20
    assert "<strong>In words:</strong>" in chart.html and chart.text
    assert "Source:" in chart.html
    for source_id in chart.sources:
        assert knowledge.sources[source_id].title.split(":")[0] in chart.html
    # Pictures are decoration; the numbers are written out as text.
    assert (
        any(f'class="{kind}" aria-hidden="true"' in chart.html for kind in ("track", "icons"))
        or 'class="people-grid" viewBox="-2 -2 104 104" aria-hidden="true"' in chart.html
    )


def test_every_number_shown_comes_from_statistics_csv(knowledge: Knowledge) -> None:
    table = knowledge.table("statistics")
    for chart_name, chart in (
        ("cancer_risk_by_age", cancer_risk_chart(knowledge)),
        ("colposcopy_findings", colposcopy_chart(knowledge)),
        ("sti_no_symptoms", sti_chart(knowledge)),
    ):
        for row in table[table["chart"] == chart_name].to_dict("records"):
            assert row["label"] in chart.html.replace("&#x27;", "'")


def test_figure_words_and_proportion_follow_the_unit() -> None:
    ratio = Figure("r", "test", "", 1, 2400, "ratio", "", ())
    percent = Figure("p", "test", "", 40.3, 100, "percent", "", ())
    count = Figure("c", "test", "", 12, 2648, "count", "", ())
    assert (ratio.words, ratio.proportion) == ("1 in 2,400", pytest.approx(1 / 2400))
    assert (percent.words, percent.proportion) == ("40.3 in 100", pytest.approx(0.403))
    assert count.words == "12 in 2,648"
    with pytest.raises(ValueError, match="denominator"):
        _ = Figure("z", "test", "", 1, None, "ratio", "", ()).proportion


def test_a_chart_with_no_rows_is_an_error(knowledge: Knowledge) -> None:
    with pytest.raises(ValueError, match="no rows for chart 'nope'"):
        figures(knowledge, "nope")


def test_chart_labels_from_data_are_escaped(data_copy: Path) -> None:
    path = data_copy / "statistics.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("No cause found,40.3", "No <i>cause</i> found,40.3", 1), encoding="utf-8")
    html = colposcopy_chart(load_knowledge(data_copy)).html
    assert "<i>cause</i>" not in html and "&lt;i&gt;cause&lt;/i&gt;" in html


def test_charts_html_carries_its_stylesheet(knowledge: Knowledge) -> None:
    html = charts_html(knowledge)
    assert html.startswith("<style>") and html.count('<figure class="spotting-chart"') == 3
    assert "print-color-adjust: exact" in html  # bars survive printing the handout


def test_notes_are_shown_once_and_tied_to_their_row_when_they_differ(knowledge: Knowledge) -> None:
    assert cancer_risk_chart(knowledge).html.count("Modelled, not measured") == 1
    sti = sti_chart(knowledge).html
    assert "<li>Chlamydia: At least 70%.</li>" in sti
