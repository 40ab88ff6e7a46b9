"""The teaching dashboard's wiring, driven without a browser (callbacks fail silently in Voila)."""

from __future__ import annotations

import base64
from html import escape
from typing import Any

import pytest

from spotting import Knowledge
from spotting.teaching.app import TeachingApp


@pytest.fixture
def app(knowledge: Knowledge) -> TeachingApp:
    return TeachingApp(knowledge)


def test_learner_mode_asks_for_a_level_before_revealing(app: TeachingApp) -> None:
    app.reveal_button.click()
    assert not app.revealed
    assert "Choose a level" in app.status.value
    assert app.reveal.value == ""


def test_reveal_shows_the_explanation_and_feedback(app: TeachingApp, knowledge: Knowledge) -> None:
    first = knowledge.scenarios[0]
    app.level.value = first.expected_urgency.id
    for cause_id in first.likely_causes:
        app.causes[cause_id].value = True
    app.reveal_button.click()
    assert app.revealed
    assert 'data-verdict="match"' in app.status.value
    assert "What the tool says" in app.reveal.value
    assert set(app.attempts[-1].picked) == set(first.likely_causes)


def test_changing_the_choice_after_reveal_updates_the_feedback(app: TeachingApp) -> None:
    app.level.value = "emergency"
    app.reveal_button.click()
    assert 'data-verdict="higher"' in app.status.value
    app.level.value = "self_care"
    assert 'data-verdict="match"' in app.status.value
    assert len(app.attempts) == 1 and app.attempts[0].chosen is not None


def test_next_scenario_resets_the_card_and_wraps_round(app: TeachingApp, knowledge: Knowledge) -> None:
    app.level.value = "urgent"
    app.causes["friction_injury"].value = True
    app.reveal_button.click()
    app.next_button.click()
    assert app.scenario.value == knowledge.scenarios[1].id
    assert not app.revealed and app.selected() == ("", ())
    for _ in range(len(knowledge.scenarios) - 1):
        app.next_button.click()
    assert app.scenario.value == knowledge.scenarios[0].id


def test_facilitator_mode_shows_notes_and_reveals_without_a_choice(knowledge: Knowledge) -> None:
    app = TeachingApp(knowledge, mode="facilitator")
    assert "Facilitator notes" in app.notes.value
    app.reveal_button.click()
    assert app.revealed and 'data-verdict="none"' in app.status.value


def widgets_of(widget: Any) -> list[Any]:
    """Every widget under ``widget``: what a page can show or a person can operate."""
    return [widget, *(w for child in getattr(widget, "children", ()) for w in widgets_of(child))]


def test_the_learner_page_has_no_way_to_see_the_answers_before_revealing(
    app: TeachingApp, knowledge: Knowledge
) -> None:
    """UX review finding 8: learners could switch themselves to facilitator mode. The learner page
    has no mode control at all, no notes, cannot reveal without a choice, and its handout covers
    only what was revealed."""
    every = widgets_of(app.container)
    assert not [w for w in every if getattr(w, "description", "") == "Mode"]
    assert not [w for w in every if "facilitator" in str(getattr(w, "description", "")).lower()]
    first = knowledge.scenarios[0]
    expected = knowledge.levels[first.expected_urgency].heading
    for section, _ in ((name, label) for label, name in app.section.options):
        app.section.value = section
        shown = " ".join(str(getattr(w, "value", "")) for w in every if isinstance(getattr(w, "value", None), str))
        assert "Facilitator notes" not in shown
        assert first.teaching_point not in shown
    app.reveal_button.click()
    assert not app.revealed and first.teaching_point not in app.reveal.value
    app.handout_button.click()
    assert "base64" not in app.handout_link.value and "Reveal a scenario first" in app.handout_link.value
    assert expected not in app.card.value
    with pytest.raises(ValueError, match="learner, facilitator"):
        TeachingApp(knowledge, mode="teacher")


def test_the_facilitator_page_makes_the_worksheet_and_the_answer_sheet(knowledge: Knowledge) -> None:
    app = TeachingApp(knowledge, mode="facilitator")

    def downloaded() -> str:
        encoded = app.handout_link.value.split("base64,", 1)[1].split('"', 1)[0]
        return base64.b64decode(encoded).decode("utf-8")

    app.worksheet_button.click()
    assert 'download="spotting-worksheet.html"' in app.handout_link.value
    assert knowledge.scenarios[0].teaching_point not in downloaded()
    app.answers_button.click()
    assert 'download="spotting-facilitator-handout.html"' in app.handout_link.value
    assert knowledge.scenarios[0].teaching_point in downloaded()


def test_next_scenario_and_reveal_move_focus_to_the_new_content(app: TeachingApp, knowledge: Knowledge) -> None:
    app.next_button.click()
    assert app.focus.target == f"scenario-{knowledge.scenarios[1].id}-title"
    assert f'id="{app.focus.target}" tabindex="-1"' in app.card.value
    before = app.focus.request
    app.reveal_button.click()  # learner page, nothing chosen: only a hint, nothing moves
    assert app.focus.request == before
    app.level.value = "routine"
    app.reveal_button.click()
    assert app.focus.target == "feedback-title" and 'id="feedback-title"' in app.status.value
    app.scenario.value = knowledge.scenarios[3].id  # choosing from the list never moves focus (WCAG 3.2.2)
    assert app.focus.request == before + 1


def test_the_presenter_layout_folds_the_detail(app: TeachingApp) -> None:
    app.level.value = "routine"
    app.reveal_button.click()
    assert "<details>" not in app.reveal.value
    app.projector.value = True
    assert '<details class="answers">' in app.card.value
    assert "<details><summary>Why" in app.reveal.value


def test_sections_show_one_at_a_time(app: TeachingApp) -> None:
    boxes = {
        "scenarios": app.scenarios_box,
        "myths": app.myths_box,
        "charts": app.charts_box,
        "handout": app.handout_box,
    }
    for _label, name in app.section.options:
        app.section.value = name
        assert [key for key, box in boxes.items() if box.layout.display != "none"] == [name]


def test_projector_mode_adds_a_class_for_larger_type(app: TeachingApp) -> None:
    app.projector.value = True
    assert "projector" in app.container._dom_classes
    app.projector.value = False
    assert "projector" not in app.container._dom_classes
    assert "spotting-teaching" in app.container._dom_classes


def test_handout_link_downloads_the_session(app: TeachingApp, knowledge: Knowledge) -> None:
    app.level.value = "self_care"
    app.reveal_button.click()
    app.handout_button.click()
    link = app.handout_link.value
    assert 'download="spotting-handout.html"' in link and "(HTML, 1 scenario)" in link
    encoded = link.split("base64,", 1)[1].split('"', 1)[0]
    document = base64.b64decode(encoded).decode("utf-8")
    assert knowledge.scenarios[0].title in document and 'class="spotting-chart"' in document


def test_every_control_has_an_accessible_name(app: TeachingApp) -> None:
    controls = [
        app.projector,
        app.section,
        app.scenario,
        app.level,
        app.reveal_button,
        app.next_button,
        app.handout_button,
        *app.causes.values(),
    ]
    assert all(control.description for control in controls)
    assert app.level.description == "What would you advise?"


def test_the_teaching_pages_read_lang_from_their_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """?lang= as the explorer reads it: from QUERY_STRING when Voila starts the kernel for the
    page, and from the browser (PageWords.address) for a preheated one. An unknown code is English."""
    from spotting import load_knowledge
    from spotting.localise import languages

    monkeypatch.setenv("QUERY_STRING", "lang=ar")
    arabic = TeachingApp()
    assert arabic.knowledge.language == "ar" and arabic.language.value == "ar"
    assert arabic.page_words.dir == "rtl" and "sp-dir-rtl" in arabic.container._dom_classes
    reveal = load_knowledge(lang="ar").phrase("Reveal the answer")
    assert arabic.reveal_button.description == reveal != "Reveal the answer"
    monkeypatch.setenv("QUERY_STRING", "lang=zz")
    learner = TeachingApp()
    assert learner.knowledge.language == "en" and learner.notice_box.layout.display == "none"
    learner.page_words.address = "cy"  # what page-words.js sends from a preheated kernel's page
    assert learner.knowledge.language == "cy" and learner.page_words.lang == "cy"
    assert learner.section.options[0][0] == load_knowledge(lang="cy").phrase("Scenarios")
    assert "ar" in languages()


def test_the_facilitator_page_in_welsh_has_its_notes_script_bank_and_answer_sheet_in_welsh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The projector shows the facilitator page: its controls, the live votes, the tally, the
    notes, the safeguarding script and the answer bank follow the language; the answer sheet
    prints in the chosen print language, like the worksheet."""
    from spotting import load_knowledge

    monkeypatch.setenv("QUERY_STRING", "lang=cy")
    app = TeachingApp(mode="facilitator")
    welsh = load_knowledge(lang="cy").phrase
    assert app.knowledge.language == "cy" and app.worksheet_button.description == welsh("Make the learner worksheet")
    assert app.room.start_button.description == welsh("Start a live session") != "Start a live session"
    notes = welsh("Facilitator notes (expected answer)")
    assert notes != "Facilitator notes (expected answer)" and f"<details><summary>{escape(notes)}" in app.notes.value
    assert 'lang="en"' not in app.notes.value
    script = app.safeguarding.value
    assert escape(welsh("Ground rules and safeguarding")) in script
    assert "Nobody asks anyone a personal question" not in script
    assert [q for q, _ in app.room.bank.options[1:]] == [a.question for a in app.classroom.answers]
    assert "Can an infection cause bleeding after sex?" not in [q for q, _ in app.room.bank.options]

    def answer_sheet() -> str:
        app.answers_button.click()
        encoded = app.handout_link.value.split("base64,", 1)[1].split('"', 1)[0]
        return base64.b64decode(encoded).decode("utf-8")

    assert answer_sheet().startswith('<!DOCTYPE html><html lang="en-GB">')  # the print language: English
    app.print_language.value = "cy"
    sheet = answer_sheet()
    assert sheet.startswith('<!DOCTYPE html><html lang="cy" dir="ltr">')
    assert escape(welsh("This sheet has the answers.")) in sheet
    app.set_language("en")
    assert app.room.start_button.description == "Start a live session" and app.notes.value.startswith("<details>")
    assert "Nobody asks anyone a personal question" in app.safeguarding.value
    assert "Can an infection cause bleeding after sex?" in [q for q, _ in app.room.bank.options]


def test_the_teaching_notebook_opens_with_the_english_of_its_translated_opening() -> None:
    """The notebook's Markdown shows before any kernel; PageWords puts the same words in the
    reader's language in its place, so the two must agree word for word."""
    import json
    from pathlib import Path

    from spotting.teaching.intro import intro_html

    for name, facilitator in (("teaching", False), ("facilitator", True)):
        path = Path(__file__).parents[1] / "notebooks" / f"{name}.ipynb"
        notebook = json.loads(path.read_text(encoding="utf-8"))
        english = intro_html(str, facilitator=facilitator)
        assert "".join(notebook["cells"][0]["source"]).endswith(english), f"re-write {name}'s cell from intro_html"
