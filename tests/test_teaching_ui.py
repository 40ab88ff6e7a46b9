"""The teaching dashboard's wiring, driven without a browser (callbacks fail silently in Voila)."""

from __future__ import annotations

import base64

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
    app.mode.value = "learner"
    assert app.notes.value == ""


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
    assert 'download="spotting-handout.html"' in link and "1 scenario(s)" in link
    encoded = link.split("base64,", 1)[1].split('"', 1)[0]
    document = base64.b64decode(encoded).decode("utf-8")
    assert knowledge.scenarios[0].title in document and 'class="spotting-chart"' in document


def test_every_control_has_an_accessible_name(app: TeachingApp) -> None:
    controls = [
        app.mode,
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
