"""The clinicians' review: tables, policy in words, review status, coverage, check-data, try panel."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest

from spotting import Knowledge, Urgency, load_knowledge
from spotting.model import Rule
from spotting.review import app as app_module
from spotting.review import styled, tables
from spotting.review.app import ReviewApp, TryAnswersPanel, review_app
from spotting.review.styled import (
    STATUS_STYLE,
    check_data_html,
    style,
    styled_coverage,
    styled_policy,
    styled_review_status,
    try_answers_html,
)
from spotting.review.tables import (
    causes_table,
    check_data_report,
    condition_words,
    coverage_matrix,
    hazards_table,
    policy_table,
    red_flags_table,
    review_status,
    source_links,
    sources_table,
    terms_table,
)

REVIEWED, DUE = date(2026, 11, 21), date(2027, 11, 21)
ROOT = Path(__file__).resolve().parents[1]


def _flag(knowledge: Knowledge, flag_id: str) -> Rule:
    return next(rule for rule in knowledge.red_flags if rule.id == flag_id)


def test_conditions_read_in_the_questions_own_words(knowledge: Knowledge) -> None:
    heavy = condition_words(_flag(knowledge, "heavy_bleeding").condition, knowledge)
    assert heavy.startswith("How much did you bleed: Heavy")
    placenta = condition_words(_flag(knowledge, "low_lying_placenta_bleeding").condition, knowledge)
    assert placenta == (
        "A scan showed my placenta is low (placenta praevia): yes and pregnancy items apply"
        " and not (How many weeks pregnant are you < 20)"
    )
    age = condition_words(_flag(knowledge, "aged_55_menopause_not_answered").condition, knowledge)
    assert "not answered" in age and "Your age >= 55" in age


def test_policy_lists_every_red_flag_most_urgent_first_then_the_baselines(knowledge: Knowledge) -> None:
    table = policy_table(knowledge)
    flags = table[table["kind"] == "red flag"]
    assert list(flags["id"]) == [rule.id for rule in knowledge.red_flags]
    ranks = [int(Urgency.from_id(level)) for level in flags["level"]]
    assert ranks == sorted(ranks, reverse=True)
    assert set(table.loc[table["kind"] != "red flag", "id"]) == {rule.id for rule in knowledge.baselines}
    assert table["applies when"].str.len().min() > 0


def test_tables_have_a_row_per_item(knowledge: Knowledge) -> None:
    assert list(causes_table(knowledge)["id"]) == [cause.id for cause in knowledge.causes]
    assert len(red_flags_table(knowledge)) == len(knowledge.red_flags)
    assert len(terms_table(knowledge)) == len(knowledge.terms)
    sources = sources_table(knowledge)
    assert len(sources) == len(knowledge.sources)
    assert sources.set_index("id").loc["S6", "cited by"] >= 1


@pytest.mark.parametrize(
    ("today", "status", "days"),
    [
        (date(2026, 12, 1), "ok", 355),
        (DUE, "due soon", 0),
        (date(2027, 8, 23), "due soon", 90),
        (date(2027, 8, 22), "ok", 91),
        (date(2027, 11, 22), "overdue", -1),
    ],
)
def test_review_status_depends_only_on_the_given_today(
    knowledge: Knowledge, today: date, status: str, days: int
) -> None:
    table = review_status(knowledge, today)
    # The scenarios reviewed on REVIEWED (issue 21 added two, reviewed later, with their own dates).
    scenario_rows = table[(table["table"] == "scenarios") & (table["next review due"] == DUE.isoformat())]
    assert len(scenario_rows) >= 20
    assert set(scenario_rows["status"]) == {status}
    assert set(scenario_rows["days left"]) == {days}
    assert set(table["table"]) == {"red_flags", "baseline", "advice", "safety_nets", "causes", "myths", "scenarios"}


def test_review_status_highlights_overdue_rows_in_words_and_style(knowledge: Knowledge) -> None:
    html = styled_review_status(knowledge, date(2028, 1, 1)).to_html()
    assert "overdue" in html
    assert STATUS_STYLE["overdue"].split(";")[0] in html
    calm = styled_review_status(knowledge, date(2026, 12, 1)).to_html()
    assert STATUS_STYLE["overdue"].split(";")[0] not in calm


def test_coverage_matrix_marks_which_answers_each_rule_reads(knowledge: Knowledge) -> None:
    matrix = coverage_matrix(knowledge)
    assert list(matrix.index) == sorted(knowledge.questions, key=lambda f: knowledge.questions[f].order)
    heavy = matrix[("red flag", "heavy_bleeding")]
    read = heavy[heavy == "\u2713"].index.tolist()
    assert read[0] == "amount" and {"bleeding_now", "pregnant", "gave_birth_recently"} <= set(read)  # issue 21
    assert matrix.loc["pregnant", ("cause", "ectopic_pregnancy")] == "\u2713"
    assert matrix.loc["amount", ("", "used by")] == (matrix.loc["amount"] == "\u2713").sum()
    assert {rule_id for kind, rule_id in matrix.columns if kind == "cause"} == {c.id for c in knowledge.causes}


def test_styled_tables_escape_data_and_render(knowledge: Knowledge) -> None:
    frame = pd.DataFrame([{"id": "<b>x</b>", "note": "A&E"}])
    html = style(frame, "Caption <i>", "t").to_html()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "A&amp;E" in html and "Caption &lt;i&gt;" in html
    assert "border-left" in styled_policy(knowledge).to_html()
    assert "writing-mode: vertical-rl" in styled_coverage(knowledge).to_html()


def test_check_data_report_is_empty_for_the_shipped_data_and_names_problems_otherwise(data_copy: Path) -> None:
    assert check_data_report().empty
    assert "Knowledge base OK" in check_data_html()
    path = data_copy / "red_flags.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("amount=heavy", "amount=<lots>", 1), encoding="utf-8")
    report = check_data_report(data_copy)
    assert report.loc[0, ["file", "row", "column"]].tolist() == ["red_flags.csv", 2, "condition"]
    html = check_data_html(data_copy)
    assert "1 problem(s) found" in html and "<lots>" not in html


def test_try_answers_explains_valid_json_and_explains_mistakes(knowledge: Knowledge) -> None:
    good = try_answers_html(json.dumps({"age": 30, "pregnant": "yes"}), knowledge)
    assert "Urgency: urgent" in good and "Contract JSON" in good
    assert "Not valid JSON" in try_answers_html("{age", knowledge)
    bad = try_answers_html('{"amount": "<b>lots</b>"}', knowledge)
    assert "do not fit the contract" in bad and "<b>lots</b>" not in bad
    assert "Urgency: routine" in try_answers_html("", knowledge)  # no answers is still an explanation


def test_try_panel_loads_a_scenario_and_runs_explain(knowledge: Knowledge) -> None:
    panel = TryAnswersPanel(knowledge)
    panel.start.value = "low_placenta_32_weeks"
    assert json.loads(panel.answers.value)["low_lying_placenta"] is True
    assert "Urgency: emergency" in panel.output.value
    panel.answers.value = '{"age": 61, "menopause": "postmenopause"}'
    panel.run.click()
    assert "Urgency: soon" in panel.output.value
    assert 'role="status"' in panel.output.value
    assert panel.start.description and panel.answers.description and panel.run.description


def test_review_app_has_every_section_and_the_panel(knowledge: Knowledge) -> None:
    app = review_app(date(2026, 12, 1), knowledge)
    assert isinstance(app, widgets.VBox)
    text = " ".join(child.value for child in app.children if isinstance(child, widgets.HTML))
    for heading in ("Check-data report", "Review status", "Policy", "Causes", "Red flags", "Coverage", "Sources"):
        anchor = heading.lower().replace(" ", "-")
        assert f'<li><a href="#review-{anchor}">{heading}</a></li>' in text  # the contents list
        assert f'<details open id="review-{anchor}"><summary><h2 style="display: inline">{heading}</h2>' in text
    assert "2027-03-01" in text  # today + 90 days, from the given today
    assert isinstance(app.children[-1], widgets.VBox)


def test_review_runs_on_any_valid_knowledge_base() -> None:
    assert not review_status(load_knowledge(), REVIEWED).empty


# --- Made for reviewing (issue 21, section 4) ---------------------------------------------------


def _section(app: ReviewApp, anchor: str) -> str:
    return next(section.value for section in app.sections if f'id="review-{anchor}"' in section.value)


def test_sources_are_links_that_say_what_they_are(knowledge: Knowledge) -> None:
    html = style(red_flags_table(knowledge), "Red flags", "rf", source_links(knowledge)).to_html()
    source = knowledge.sources["S63"]
    assert f'<a href="{source.url}" target="_blank" rel="noopener noreferrer">S63: {source.title}' in html


def test_a_source_title_is_escaped_inside_its_link(knowledge: Knowledge) -> None:
    hostile = replace(knowledge.sources["S63"], title='<script>alert("x")</script>')
    links = source_links(replace(knowledge, sources={**knowledge.sources, "S63": hostile}))
    assert "<script>" not in links("S63") and "&lt;script&gt;" in links("S63")


def test_red_flags_and_causes_show_when_they_were_reviewed_and_are_due(knowledge: Knowledge) -> None:
    for table in (red_flags_table(knowledge), causes_table(knowledge)):
        assert {"last reviewed", "next review due"} <= set(table.columns)


def test_the_filter_narrows_every_table_and_says_so(knowledge: Knowledge) -> None:
    app = ReviewApp(date(2026, 12, 1), knowledge)
    everything = _section(app, "red-flags").count("<tr")
    app.filter.value = "shoulder"
    narrowed = _section(app, "red-flags")
    assert "shoulder_tip_pain_pregnancy" in narrowed and "heavy_bleeding" not in narrowed
    assert narrowed.count("<tr") < everything
    assert "Showing rows that mention \u201cshoulder\u201d" in narrowed
    app.filter.value = ""
    assert _section(app, "red-flags").count("<tr") == everything


def test_table_headings_stay_in_view_while_a_table_scrolls(knowledge: Knowledge) -> None:
    app = ReviewApp(date(2026, 12, 1), knowledge)
    assert "position: sticky" in _section(app, "red-flags")
    assert all(section.layout.max_height and section.layout.overflow == "auto" for section in app.sections)


def test_the_hazard_log_is_reviewed_beside_the_rules(knowledge: Knowledge) -> None:
    app = ReviewApp(date(2026, 12, 1), knowledge)
    html = _section(app, "hazards")
    assert all(hazard.id in html for hazard in knowledge.hazards)
    assert not hazards_table(knowledge).empty


def test_opening_the_review_validates_the_data_once(knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading already validated everything (all or nothing); a second full check cost 0.85 s."""

    def refuse(*_args: object) -> None:
        raise AssertionError("validated a second time")

    monkeypatch.setattr(tables, "check_data", refuse)
    review = ReviewApp(date(2026, 12, 1), knowledge)
    assert "clinical case suites" in _section(review, "check-data-report")


def test_the_review_is_split_as_its_package_says_tables_html_and_widgets() -> None:
    """Tables are pandas only and the HTML needs no widgets (both testable without a kernel); the
    one full validation (check_data) is reachable from the tables' check-data report alone."""
    assert not {"widgets", "Styler"} & set(vars(tables)) and "widgets" not in vars(styled)
    assert "check_data" not in vars(app_module) and "check_data" not in vars(styled)
    code = "import sys, spotting.review.styled; print('ipywidgets' in sys.modules)"
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert ran.stdout.strip() == "False", ran.stderr


def test_the_notebook_names_no_file_that_does_not_exist() -> None:
    notebook = json.loads((ROOT / "notebooks" / "review.ipynb").read_text(encoding="utf-8"))
    text = " ".join("".join(cell["source"]) for cell in notebook["cells"])
    for name in re.findall(r"notebooks/[\w-]+\.ipynb", text):
        assert (ROOT / name).is_file(), name
