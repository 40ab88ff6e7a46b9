"""The live session on the pages, without a browser: one facilitator app and three learner apps
share a store, as their kernels do on the serving computer (issue 25)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spotting.teaching.app import TeachingApp
from spotting.teaching.room import FacilitatorRoom, LearnerRoom
from spotting.teaching.store import ClassroomStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def room(tmp_path: Path) -> tuple[TeachingApp, list[TeachingApp], ClassroomStore, Clock]:
    store = ClassroomStore(tmp_path / "live")
    facilitator = TeachingApp(mode="facilitator", store=store)
    learners = [TeachingApp(mode="learner", store=store) for _ in range(3)]
    clock = Clock()
    for learner in learners:
        assert isinstance(learner.room, LearnerRoom)
        learner.room.clock = clock
    return facilitator, learners, store, clock


def controls(app: TeachingApp) -> FacilitatorRoom:
    assert isinstance(app.room, FacilitatorRoom)
    return app.room


def learner_room(app: TeachingApp) -> LearnerRoom:
    assert isinstance(app.room, LearnerRoom)
    return app.room


def press(app: TeachingApp, words: str) -> None:
    room = learner_room(app)
    (button,) = [b for b in room.buttons.children if b.description.endswith(words)]
    button.click()


def poll_all(facilitator: TeachingApp, learners: list[TeachingApp]) -> None:
    controls(facilitator).poll()
    for learner in learners:
        learner_room(learner).poll()


def test_votes_reach_the_facilitator_as_counts_and_the_tally_only_after_the_reveal(room) -> None:  # type: ignore[no-untyped-def]
    facilitator, learners, store, _clock = room
    facilitator.region.value = "GB"
    live = controls(facilitator)
    assert all(learner_room(a).box.layout.display == "none" for a in learners)  # no session: no panel
    live.start_button.click()
    poll_all(facilitator, learners)
    for learner in learners:  # phones take the facilitator's region and session
        assert learner.region.value == "GB" and learner_room(learner).box.layout.display is None
        assert "Waiting for the facilitator" in learner_room(learner).question.value
    live.current.value = "myth:rare_spotting_normal"
    poll_all(facilitator, learners)
    press(learners[0], "True")
    press(learners[1], "Partly true")
    press(learners[2], "True")
    press(learners[2], "Myth")  # changes its mind: still one vote
    poll_all(facilitator, learners)
    assert "3 votes so far." in live.count.value
    assert live.result.value == "" and all(learner_room(a).result.value == "" for a in learners)
    assert "Partly true." not in learners[0].myths.value  # no answer on a phone before the reveal
    live.reveal_button.click()
    poll_all(facilitator, learners)
    for html in [live.result.value] + [learner_room(a).result.value for a in learners]:
        assert "How the room voted (3 votes)" in html
        assert "<strong>True</strong>: 1 (34%)" in html and "<strong>Myth</strong>: 1 (33%)" in html
        assert "<strong>Partly true</strong>: 1 (33%) <strong>\u2714 the answer</strong>" in html
    assert learner_room(learners[0]).buttons.children == ()  # voting closed
    assert "Partly true." in learners[0].myths.value  # the answer is now on the phone's myth card
    assert "Partly true." not in learners[0].myths.value.split("rare_spotting_normal")[0]
    assert store.counts("myth:rare_spotting_normal") == {"true": 1, "partly": 1, "myth": 1}


def test_a_scenario_vote_shows_the_tools_answer_and_teaching_point_after_the_reveal(room) -> None:  # type: ignore[no-untyped-def]
    facilitator, learners, _store, _clock = room
    live = controls(facilitator)
    live.start_button.click()
    live.current.value = "scenario:low_placenta_32_weeks"
    poll_all(facilitator, learners)
    assert "Jo, 31" in learner_room(learners[0]).question.value
    press(learners[0], facilitator.knowledge.levels[max(facilitator.knowledge.levels)].heading)
    live.reveal_button.click()
    poll_all(facilitator, learners)
    assert "What the tool says" in live.result.value and "Teaching point" in live.result.value
    assert "1 (100%) <strong>\u2714 the answer</strong>" in live.result.value


def test_questions_are_listed_only_for_the_facilitator_as_text_until_shown(room) -> None:  # type: ignore[no-untyped-def]
    facilitator, learners, _store, clock = room
    live = controls(facilitator)
    live.start_button.click()
    poll_all(facilitator, learners)
    asker = learner_room(learners[0])
    asker.ask_text.value = "<script>alert(1)</script> is bleeding normal?"
    asker.ask_button.click()
    assert "Sent" in asker.ask_status.value and asker.ask_text.value == ""
    poll_all(facilitator, learners)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is bleeding normal?" in live.asked.value
    assert "<script>" not in live.asked.value
    assert all("bleeding normal" not in learner_room(a).shown.value for a in learners)
    live.pick.value = live.pick.options[1][1]
    live.show_button.click()
    live.bank.value = "is_it_cancer"
    live.bank_button.click()
    poll_all(facilitator, learners)
    for learner in learners:
        shown = learner_room(learner).shown.value
        assert "&lt;script&gt;" in shown and "<script>" not in shown
        assert "Does bleeding after sex mean cancer?" in shown and "[S10]" in shown
    for _ in range(3):  # a flood from one page is slowed
        asker.ask_text.value = "again"
        asker.ask_button.click()
    assert "You can send another in" in asker.ask_status.value
    clock.now += 60
    asker.ask_text.value = "x" * 201
    asker.ask_button.click()
    assert "keep it to 200 characters" in asker.ask_status.value


def test_a_flood_of_votes_is_slowed(room) -> None:  # type: ignore[no-untyped-def]
    facilitator, learners, store, clock = room
    live = controls(facilitator)
    live.start_button.click()
    live.current.value = "myth:thrush_smells"
    poll_all(facilitator, learners)
    for index in range(20):
        press(learners[0], ("True", "Myth")[index % 2])
    assert "Slow down" in learner_room(learners[0]).vote_status.value
    assert sum(store.counts("myth:thrush_smells").values()) == 1
    clock.now += 5
    press(learners[0], "Partly true")
    assert store.counts("myth:thrush_smells")["partly"] == 1


def test_ending_the_session_forgets_everything_and_phones_say_so_politely(room) -> None:  # type: ignore[no-untyped-def]
    facilitator, learners, store, _clock = room
    live = controls(facilitator)
    live.start_button.click()
    live.current.value = "myth:thrush_smells"
    poll_all(facilitator, learners)
    press(learners[0], "Myth")
    live.end_button.click()
    poll_all(facilitator, learners)
    assert not store.root.exists()
    assert "The session has ended" in live.status.value and live.controls.layout.display == "none"
    for learner in learners:
        (ended,) = learner_room(learner).box.children
        assert "This session has ended" in ended.value and "Thank you" in ended.value
    # A new session: the same phones join it, with no vote carried over.
    live.start_button.click()
    poll_all(facilitator, learners)
    assert learner_room(learners[0]).my_votes == {}
    assert "Live session" in learner_room(learners[0]).heading.value


def test_a_reloaded_facilitator_page_takes_up_the_live_session(room) -> None:  # type: ignore[no-untyped-def]
    facilitator, _learners, store, _clock = room
    controls(facilitator).start_button.click()
    controls(facilitator).current.value = "myth:thrush_smells"
    again = TeachingApp(mode="facilitator", store=store)
    assert controls(again).current.value == "myth:thrush_smells"
    assert controls(again).end_button.disabled is False


def test_news_from_the_store_keeps_the_facilitators_choice_and_the_phones_buttons(room) -> None:  # type: ignore[no-untyped-def]
    facilitator, learners, _store, _clock = room
    live = controls(facilitator)
    live.start_button.click()
    live.current.value = "myth:thrush_smells"
    poll_all(facilitator, learners)
    for index, learner in enumerate(learners[:2]):
        learner_room(learner).ask_text.value = f"question {index}"
        learner_room(learner).ask_button.click()
    poll_all(facilitator, learners)
    live.pick.value = 2
    buttons = learner_room(learners[0]).buttons.children
    press(learners[1], "Myth")  # news: a vote and a new question arrive
    learner_room(learners[2]).ask_text.value = "question 2"
    learner_room(learners[2]).ask_button.click()
    poll_all(facilitator, learners)
    assert live.pick.value == 2 and len(live.pick.options) == 4
    assert learner_room(learners[0]).buttons.children == buttons  # the same widgets, not new ones
    press(learners[0], "True")
    assert learner_room(learners[0]).buttons.children[0].description == "\u2714 True"
