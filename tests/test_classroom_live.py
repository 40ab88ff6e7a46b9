"""Live votes and the question box: tallies, rate limits, escaping and the shared store (issue 25)."""

from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spotting import Knowledge
from spotting.classroom_dir import ROOT_ENVIRONMENT, classroom_root
from spotting.teaching.classroom import (
    MAX_QUESTION_CHARS,
    MAX_QUESTIONS,
    MYTH_CHOICES,
    LiveQuestion,
    QuestionRejected,
    RateLimit,
    clean_question,
    live_question,
    question_html,
    session_questions,
    tally,
)
from spotting.teaching.plan import load_classroom
from spotting.teaching.store import ClassroomStore, SessionEnded

QUESTION = LiveQuestion("myth:x", "myth", "x", "A claim", MYTH_CHOICES, "partly")


# -- tallies -----------------------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=3, max_size=3))
def test_the_shares_add_up_to_100_and_follow_the_counts(counts: list[int]) -> None:
    bars = tally(dict(zip(("true", "partly", "myth"), counts, strict=True)), QUESTION)
    assert [bar.count for bar in bars] == counts
    total = sum(counts)
    assert sum(bar.percent for bar in bars) == (100 if total else 0)
    for bar in bars:  # each share is its exact value rounded down or up, never further off
        exact = 100 * bar.count / total if total else 0
        assert int(exact) <= bar.percent <= int(exact) + 1
    for one in bars:
        for other in bars:
            if one.count > other.count:
                assert one.percent >= other.percent


def test_a_tally_marks_the_expected_answer_and_ignores_unknown_or_negative_counts() -> None:
    bars = tally({"partly": 2, "myth": -3, "invented": 50}, QUESTION)
    assert [(b.choice, b.count, b.percent, b.expected) for b in bars] == [
        ("true", 0, 0, False),
        ("partly", 2, 100, True),
        ("myth", 0, 0, False),
    ]


def test_each_session_question_has_the_tools_answer_as_expected(knowledge: Knowledge) -> None:
    plan = load_classroom(knowledge).plan
    questions = session_questions(plan.scenario_ids, plan.myth_ids, knowledge)
    assert [q.kind for q in questions] == ["myth"] * 3 + ["scenario"] * 4
    by_id = {q.item_id: q for q in questions}
    assert by_id["thrush_smells"].expected == "myth" and by_id["rare_spotting_normal"].expected == "partly"
    assert by_id["low_placenta_32_weeks"].expected == "emergency"
    assert by_id["first_time_at_17"].expected == "self_care"
    for question in questions:
        assert question.expected in dict(question.choices)
    with pytest.raises(KeyError):
        live_question("scenario:nobody", knowledge)
    with pytest.raises(KeyError):
        live_question("poll:x", knowledge)


# -- questions: cleaned, limited, shown as text ---------------------------------------------------


@given(st.text(max_size=400))
def test_a_question_shown_is_never_markup(text: str) -> None:
    try:
        cleaned = clean_question(text)
    except QuestionRejected:
        return
    shown = question_html(cleaned)
    assert "<" not in shown and ">" not in shown and '"' not in shown
    assert 0 < len(cleaned) <= MAX_QUESTION_CHARS and cleaned == cleaned.strip()
    assert not any(ord(c) < 32 or 0x200B <= ord(c) <= 0x200F or 0x202A <= ord(c) <= 0x202E for c in cleaned)


def test_script_is_kept_as_text_and_shown_escaped() -> None:
    text = clean_question("  <script>alert('hi')</script>\n\u202eevil\u200b  ")
    assert text == "<script>alert('hi')</script> evil"
    assert question_html(text) == "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt; evil"


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "x" * (MAX_QUESTION_CHARS + 1)])
def test_empty_or_too_long_questions_are_refused_with_a_kind_reason(text: str) -> None:
    with pytest.raises(QuestionRejected, match=r"Type a question|keep it to 200"):
        clean_question(text)


# -- rate limits --------------------------------------------------------------------------------


@settings(max_examples=200)
@given(
    st.integers(min_value=1, max_value=10),
    st.floats(min_value=0.1, max_value=60),
    st.lists(st.floats(min_value=0, max_value=1000), max_size=60),
)
def test_a_page_never_gets_more_than_its_bucket_allows(capacity: int, every: float, times: list[float]) -> None:
    limit = RateLimit(capacity, every)
    times = sorted(times)
    allowed = [t for t in times if limit.allow(t)]
    if times:  # within any window, at most capacity + window / every actions go through
        span = times[-1] - times[0]
        assert len(allowed) <= capacity + span / every + 1e-9
    assert len(allowed) >= min(len(times), capacity) or not times


def test_a_flood_is_stopped_and_a_pause_lets_the_page_go_on() -> None:
    limit = RateLimit(capacity=3, every=20)
    assert [limit.allow(0.0) for _ in range(5)] == [True, True, True, False, False]
    assert limit.wait(0.0) == pytest.approx(20)
    assert not limit.allow(10.0) and limit.allow(20.0)
    with pytest.raises(ValueError):
        RateLimit(0, 1)


# -- the store ----------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> ClassroomStore:
    return ClassroomStore(tmp_path / "classroom")


def test_votes_count_only_for_the_live_question_until_it_is_revealed(store: ClassroomStore) -> None:
    code = store.start("GB", ["first_time_at_17"], ["thrush_smells"])
    assert len(code) == 4 and code.isdigit()
    assert not store.vote(code, "myth:thrush_smells", "myth")  # not live yet
    store.set_current("myth:thrush_smells")
    assert store.vote(code, "myth:thrush_smells", "myth")
    assert store.vote(code, "myth:thrush_smells", "true")
    assert store.vote(code, "myth:thrush_smells", "partly", previous="true")  # a change of mind
    assert not store.vote("0000", "myth:thrush_smells", "true")  # another session's page
    assert store.counts("myth:thrush_smells") == {"myth": 1, "true": 0, "partly": 1}
    assert store.state().votes == 2
    store.reveal("myth:thrush_smells")
    assert not store.vote(code, "myth:thrush_smells", "true", previous="partly")  # closed at the reveal
    state = store.state()
    assert state.revealed == {"myth:thrush_smells"} and state.region == "GB" and state.code == code
    assert state.scenario_ids == ("first_time_at_17",) and state.myth_ids == ("thrush_smells",)


def test_questions_are_kept_as_text_and_only_a_shown_one_reaches_every_page(store: ClassroomStore) -> None:
    code = store.start("unset", [], [])
    assert store.ask(code, "<b>is it   normal?</b>")
    assert not store.ask("9999", "from another session")
    with pytest.raises(QuestionRejected):
        store.ask(code, " ")
    ((first, text),) = store.questions()
    assert text == "<b>is it normal?</b>" and store.state().shown_question == ""
    store.show_question(first)
    store.show_answer("is_it_cancer")
    assert store.state().shown_question == text and store.state().shown_answer == "is_it_cancer"


def test_a_session_takes_a_bounded_number_of_questions(store: ClassroomStore) -> None:
    code = store.start("unset", [], [])
    assert all(store.ask(code, f"question {n}") for n in range(MAX_QUESTIONS))
    assert not store.ask(code, "one too many")


def test_ending_the_session_deletes_every_file_and_pages_say_it_ended(store: ClassroomStore) -> None:
    code = store.start("GB", [], ["thrush_smells"])
    store.set_current("myth:thrush_smells")
    store.vote(code, "myth:thrush_smells", "myth")
    store.ask(code, "a private question")
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert {p.name for p in store.root.iterdir()} >= {"live.sqlite"}
    store.end()
    assert not store.root.exists()
    for call in (store.state, store.version, store.questions):
        with pytest.raises(SessionEnded):
            call()
    assert not store.root.exists()  # a page that looked again made no new file


def test_a_page_of_an_ended_session_cannot_vote_or_ask(store: ClassroomStore) -> None:
    code = store.start("GB", [], [])
    store.end()
    with pytest.raises(SessionEnded):
        store.vote(code, "myth:thrush_smells", "myth")
    with pytest.raises(SessionEnded):
        store.ask(code, "hello")
    assert not store.root.exists()


def test_the_root_is_shared_by_every_process_of_the_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ROOT_ENVIRONMENT, str(tmp_path / "here"))
    assert classroom_root() == tmp_path / "here"
    monkeypatch.delenv(ROOT_ENVIRONMENT)
    assert classroom_root().name == f"spotting-classroom-{os.getuid()}"


def _vote_from_a_process(args: tuple[str, str, int]) -> int:
    root, code, votes = args
    store = ClassroomStore(Path(root))
    counted = 0
    previous = None
    for index in range(votes):
        choice = MYTH_CHOICES[index % 3][0]
        counted += store.vote(code, "myth:thrush_smells", choice, previous)
        previous = choice
    return counted


def test_thirty_processes_voting_at_once_lose_no_vote(store: ClassroomStore) -> None:
    """Pages live in separate kernels (and workers): the count must be shared, not per process."""
    code = store.start("GB", [], ["thrush_smells"])
    store.set_current("myth:thrush_smells")
    context = multiprocessing.get_context("spawn")
    with context.Pool(6) as pool:
        counted = pool.map(_vote_from_a_process, [(str(store.root), code, 3)] * 30)
    assert counted == [3] * 30
    counts = store.counts("myth:thrush_smells")
    assert sum(counts.values()) == 30  # each page's last vote, once
    assert counts == {"myth": 30, "partly": 0, "true": 0}


def test_without_sqlite_the_page_still_loads_and_no_session_runs(
    monkeypatch: pytest.MonkeyPatch, store: ClassroomStore
) -> None:
    """The static site runs the teaching page in the browser, where sqlite3 is an empty stub."""
    from spotting.teaching import store as store_module
    from spotting.teaching.app import TeachingApp

    monkeypatch.setattr(store_module, "_sqlite", lambda: None)
    assert not store.available()
    with pytest.raises(SessionEnded):
        store.start("GB", [], [])
    with pytest.raises(SessionEnded):
        store.version()
    for mode in ("learner", "facilitator"):
        app = TeachingApp(mode=mode, store=store)
        assert app.room.task is None
    assert not store.root.exists()


def test_the_root_needs_no_user_id_where_python_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """The static site's browser Python (Pyodide) may have no os.getuid: the page must still load."""
    monkeypatch.delenv(ROOT_ENVIRONMENT, raising=False)
    monkeypatch.delattr(os, "getuid", raising=False)
    assert classroom_root().name == "spotting-classroom-0"
