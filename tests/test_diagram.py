"""The body diagram (spotting.diagram): every place drawn, the places of the possible causes
marked in ways that are not colour alone, the picture named in words, and its places checked as
data (file, row and column)."""

from __future__ import annotations

import re
from pathlib import Path

from spotting import Knowledge, explain
from spotting.diagram import _LABELS, _SHAPES, describe, diagram_html, diagram_svg, places
from spotting.explorer.results import render_results
from spotting.knowledge import check_data
from spotting.teaching.pages import reveal_html


def marked_sites(svg: str) -> list[str]:
    return re.findall(r'<g class="sp-site sp-site--on" data-site="([a-z_]+)"', svg)


def test_every_place_has_a_shape_and_a_label(knowledge: Knowledge) -> None:
    assert set(knowledge.sites) == set(_SHAPES) == set(_LABELS)
    svg = diagram_svg({}, knowledge)
    for site in knowledge.sites.values():
        assert f'data-site="{site.id}"' in svg
        assert site.name.split(", ")[0] in svg


def test_every_cause_but_no_cause_found_has_a_place(knowledge: Knowledge) -> None:
    placeless = {cause.id for cause in knowledge.causes if not cause.sites}
    assert placeless == {"no_cause_found"}


def test_the_places_of_the_possible_causes_are_marked_and_named_in_words(knowledge: Knowledge) -> None:
    explanation = explain({"pregnant": "unsure", "how_often": "sometimes"}, knowledge)
    causes = [result.fit.cause for result in explanation.causes]
    marked = places(causes, knowledge)
    expected = [site for site in knowledge.sites if any(site in cause.sites for cause in causes)]
    assert list(marked) == expected and "cervix" in marked
    svg = diagram_svg(marked, knowledge)
    assert marked_sites(svg) == expected
    name = re.search(r'aria-label="([^"]+)"', svg)
    assert name and 'role="img"' in svg
    for site in expected:  # the accessible name says every marked place and its count
        assert f"{knowledge.sites[site].name.lower()} ({len(marked[site])} possible cause" in name.group(1)
    html = diagram_html(causes, knowledge)
    assert html.count("<li>") == len(expected)  # and so does the visible list
    assert "hatched, with a thick outline" in html  # the key says how a mark looks, not only its colour


def test_nothing_is_marked_when_there_are_no_causes(knowledge: Knowledge) -> None:
    assert marked_sites(diagram_svg({}, knowledge)) == []
    assert describe({}, knowledge).endswith("No place is marked yet.")


def test_the_explorer_shows_it_after_the_causes_and_the_teaching_reveal_shows_it(knowledge: Knowledge) -> None:
    explanation = explain({"pregnant": "yes", "weeks_pregnant": 8}, knowledge)
    html = render_results(explanation, knowledge)
    order = re.findall(r'data-section="([a-z-]+)"', html)
    assert order.index("diagram") == order.index("causes") + 1
    assert 'aria-labelledby="sp-diagram-heading"' in html and 'id="sp-diagram-heading"' in html
    assert "nhs.uk/tests-and-treatments/cervical-screening" in html  # its source is listed with the others
    scenario = knowledge.scenarios[0]
    assert 'class="sp-diagram"' in reveal_html(scenario, knowledge)


def test_an_unknown_place_is_named_by_file_row_and_column(data_copy: Path) -> None:
    causes = data_copy / "causes.csv"
    text = causes.read_text(encoding="utf-8")
    causes.write_text(text.replace(",benign,cervix,", ",benign,cervics,", 1), encoding="utf-8")
    problems = [str(problem) for problem in check_data(data_copy)]
    assert any(p.startswith("causes.csv, row 2, column sites") and "cervics" in p for p in problems), problems
