"""The explorer App without a browser: controls come from data/, every change redraws the
advice, hidden questions drop out, reset works, and bad input gets a kind message (and no leak)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import ipywidgets as widgets
import pytest
from traitlets import TraitError

import spotting.explorer.app
from spotting import DISCLAIMER, Knowledge, Urgency
from spotting.explorer.app import NOT_ANSWERED, NOT_ANSWERED_LABEL, App, options_for, shown_answers

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explorer.ipynb"


@pytest.fixture
def app(knowledge: Knowledge) -> App:
    return App(knowledge)


START = "start"
"""What ``urgency`` reports before the first answer: the start card, not a verdict."""


def urgency(app: App) -> str:
    if app.results.value.startswith('<section class="sp-start" data-section="start"'):
        return START
    match = re.search(r'data-section="care" data-urgency="([a-z_]+)"', app.results.value)
    assert match, app.results.value[:300]
    return match.group(1)


def shown(app: App, field: str) -> bool:
    return app.rows[field].layout.display != "none"


def test_there_is_one_labelled_dropdown_per_question(app: App, knowledge: Knowledge) -> None:
    assert set(app.controls) == set(knowledge.questions)
    for field, control in app.controls.items():
        question = knowledge.questions[field]
        assert isinstance(control, widgets.Dropdown)  # a named <select>; no sliders or ToggleButtons
        assert control.description == question.label
        assert control.style.description_width == "initial"
        assert control.options[0] == (NOT_ANSWERED_LABEL, NOT_ANSWERED)
        assert control.value == NOT_ANSWERED


def test_options_come_from_the_questions_table(knowledge: Knowledge) -> None:
    pregnant = knowledge.questions["pregnant"]
    assert options_for(pregnant)[1:] == [(pregnant.choice_labels[v], v) for v in pregnant.choices]
    fever = options_for(knowledge.questions["fever"])
    assert fever == [(NOT_ANSWERED_LABEL, NOT_ANSWERED), ("Yes", True), ("No", False)]
    age = options_for(knowledge.questions["age"])
    assert age[1] == ("12", 12) and age[-1] == ("100", 100)


def test_questions_are_grouped_in_the_order_of_the_groups_table(app: App, knowledge: Knowledge) -> None:
    questions_column = app.container.children[2].children[0]
    groups = [box for box in questions_column.children if any(c.startswith("sp-group-") for c in box._dom_classes)]
    titles = [box.children[0].value for box in groups]
    assert titles == [f"<h2>{title}</h2>" for title in knowledge.groups.values()]
    for box, group in zip(groups, knowledge.groups, strict=True):
        fields = [field for field, row in app.rows.items() if row in box.children]
        in_order = sorted(knowledge.questions.values(), key=lambda q: q.order)
        assert fields == [q.field for q in in_order if q.group == group]


def test_first_load_shows_no_verdict_but_the_emergency_safety_net(app: App, knowledge: Knowledge) -> None:
    """UX review: a verdict showed before anything was answered. 'Call … if' shows at once, with
    every emergency number while no region is chosen."""
    assert urgency(app) == START
    assert "Call your emergency number now if:" in app.results.value and "911 in the US" in app.results.value
    assert knowledge.questions["dizzy_or_faint"].label in app.results.value
    assert app.banner.value == "" and app.answers() == {}
    app.controls["age"].value = 30  # any first answer gives the advice, cautious as ever
    assert urgency(app) == "routine"


def test_changing_an_answer_redraws_the_advice(app: App) -> None:
    app.controls["pregnant"].value = "yes"
    assert urgency(app) == "urgent"
    app.controls["dizzy_or_faint"].value = True
    assert urgency(app) == "emergency"
    assert app.results.value.startswith('<section class="sp-care sp-care--emergency"')
    assert 'data-urgency="emergency"' in app.banner.value
    app.controls["dizzy_or_faint"].value = NOT_ANSWERED
    assert urgency(app) == "urgent"


def test_pregnancy_questions_appear_and_disappear(app: App, knowledge: Knowledge) -> None:
    pregnancy = [f for f, q in knowledge.questions.items() if q.group == "pregnancy"]
    # Until pregnancy is ruled out, the questions whose red flags could fire stay asked.
    asked = {"fluid_leak", "contractions", "low_lying_placenta", "cervix_weak_or_short"}
    assert {f for f in pregnancy if shown(app, f)} == asked
    app.controls["pregnant"].value = "yes"
    app.controls["weeks_pregnant"].value = 30
    assert all(shown(app, f) for f in pregnancy)
    app.controls["weeks_pregnant"].value = 8
    assert not shown(app, "low_lying_placenta") and not shown(app, "reduced_movements")
    app.controls["pregnant"].value = "unsure"
    assert shown(app, "fluid_leak") and not shown(app, "weeks_pregnant")
    app.controls["pregnant"].value = "no"
    assert not any(shown(app, f) for f in pregnancy)


def test_menopause_question_is_asked_at_every_age(app: App) -> None:
    """Premature or surgical menopause happens under 35 (clinical review F5)."""
    for age in (NOT_ANSWERED, 20, 33, 60):
        app.controls["age"].value = age
        assert shown(app, "menopause")


def test_a_hidden_questions_answer_is_dropped(app: App, knowledge: Knowledge) -> None:
    app.controls["pregnant"].value = "yes"
    app.controls["weeks_pregnant"].value = 30
    assert app.answers()["weeks_pregnant"] == 30
    app.controls["pregnant"].value = "no"
    assert "weeks_pregnant" not in app.answers()
    assert knowledge.questions["weeks_pregnant"].label not in app.results.value
    app.controls["pregnant"].value = "yes"  # shown again: the earlier answer counts again
    assert app.answers()["weeks_pregnant"] == 30


def test_hidden_answers_cascade(knowledge: Knowledge) -> None:
    raw = {"pregnant": "no", "weeks_pregnant": 12, "contraception": "barrier", "contraception_started_recently": True}
    assert shown_answers(raw, knowledge) == {"pregnant": "no", "contraception": "barrier"}


def test_reset_clears_every_answer_and_the_summary(app: App) -> None:
    app.controls["pregnant"].value = "yes"
    app.controls["fever"].value = True
    app.summary_button.click()
    assert app.summary.html
    app.reset_button.click()
    assert all(control.value == NOT_ANSWERED for control in app.controls.values())
    assert urgency(app) == START
    assert app.summary.html == ""
    assert not shown(app, "weeks_pregnant")


def test_the_summary_is_made_on_request_and_kept_up_to_date(app: App, knowledge: Knowledge) -> None:
    assert app.summary.html == ""
    app.controls["age"].value = 45
    app.summary_button.click()
    assert "<td>45</td>" in app.summary.html
    app.controls["pregnant"].value = "yes"
    assert knowledge.levels[next(u for u in knowledge.levels if u.id == "urgent")].heading in app.summary.html
    assert app.summary.filename == "spotting-summary.html"


def test_a_tampered_value_is_rejected_kindly(app: App, knowledge: Knowledge, caplog: pytest.LogCaptureFixture) -> None:
    age = app.controls["age"]
    age.options = [(NOT_ANSWERED_LABEL, NOT_ANSWERED), ("seventy-three", "seventy-three")]  # a forged option
    with caplog.at_level(logging.INFO, logger="spotting"):
        age.value = "seventy-three"
    assert "We could not use your answer to “Your age”" in app.results.value
    assert "Traceback" not in app.results.value
    assert "seventy-three" not in caplog.text and "age" in caplog.text
    app.reset()
    assert urgency(app) == START


def test_a_browser_cannot_pick_an_option_that_does_not_exist(app: App) -> None:
    control = app.controls["pregnant"]
    with pytest.raises(TraitError):
        control.set_state({"index": 999})
    assert control.value == NOT_ANSWERED and urgency(app) == START


def test_a_browser_clearing_a_selection_gets_a_kind_message(app: App) -> None:
    app.controls["pregnant"].set_state({"index": None})
    assert "Please choose it again" in app.results.value
    app.controls["pregnant"].set_state({"index": 0})
    assert urgency(app) == START


def test_an_unexpected_error_shows_a_kind_message_and_logs_no_answers(
    app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(answers: object, knowledge: object) -> None:
        raise RuntimeError(f"boom with {answers}")

    monkeypatch.setattr(spotting.explorer.app, "explain", broken)
    with caplog.at_level(logging.INFO, logger="spotting"):
        app.controls["age"].value = 73
    assert "Something went wrong" in app.results.value
    assert "RuntimeError" in caplog.text
    assert "73" not in caplog.text and "boom" not in caplog.text
    monkeypatch.undo()
    app.controls["pregnant"].value = "yes"  # the app keeps working
    assert urgency(app) == "urgent"


def test_nothing_is_printed(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    app.controls["age"].value = 73
    app.controls["pregnant"].value = "unsure"
    app.summary_button.click()
    app.reset()
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_the_notebook_is_thin_and_carries_the_disclaimer() -> None:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    markdown = "".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    assert DISCLAIMER in markdown
    assert 1 <= len(code) <= 2
    assert sum(len("".join(cell["source"]).splitlines()) for cell in code) <= 10
    assert all(not cell["outputs"] and cell["execution_count"] is None for cell in code)
    assert "".join(code[-1]["source"]).rstrip().endswith("App().container")


def test_screen_readers_hear_one_line_not_the_whole_result(app: App, knowledge: Knowledge) -> None:
    """UX review: 6,000-9,800 characters were announced after each answer."""
    assert app.results.announcement == "Your advice will show here once you answer a question."
    app.controls["age"].value = 40
    assert app.results.announcement == f"Advice: {knowledge.levels[Urgency.SOON].heading}."
    app.controls["pregnant"].value = "yes"
    assert app.results.announcement == "Advice changed: Get medical help today."
    app.controls["age"].value = 30
    assert app.results.announcement == "Advice: Get medical help today."
    assert len(app.results.announcement) < 80 < len(app.results.value)


def test_where_you_are_is_the_first_question_and_changes_the_numbers_not_the_answers(app: App) -> None:
    children = app.container.children[2].children[0].children
    assert children[0] is app.region and "Where are you?" in app.region.description
    app.controls["amount"].value = "heavy"
    app.controls["screening"].value = "not_yet_eligible"
    before = urgency(app)
    app.region.value = "US"
    assert 'href="tel:911"' in app.results.value and "999" not in app.results.value
    assert app.controls["amount"].value == "heavy" and app.controls["screening"].value == "not_yet_eligible"
    assert "21" in app.controls["screening"].label  # the screening start age where the reader is
    assert urgency(app) == before
    app.reset()
    assert app.region.value == "US" and "Call 911 now if:" in app.results.value


def test_a_server_default_region_is_used_and_a_bad_one_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPOTTING_REGION", "nz")
    assert App().region.value == "NZ"
    monkeypatch.setenv("SPOTTING_REGION", "Atlantis")
    assert App().region.value == ""
