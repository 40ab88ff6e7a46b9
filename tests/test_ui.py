"""The explorer App without a browser: the form comes from data/, every change redraws the
advice, hidden questions drop out, reset works, and bad input gets a kind message (and no leak)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import ipywidgets as widgets
import pytest

import spotting.explorer.app
from spotting import DISCLAIMER, Knowledge, Urgency
from spotting.explorer.app import App, shown_answers
from spotting.explorer.form import form_spec
from spotting.explorer.results import start_page

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
    return all(field in form.shown for form in app.forms)


def answer(app: App, field: str, value: object) -> None:
    """Answer as the page does: the browser sends the whole answers object (None = "I'm not sure",
    a missing key = nothing chosen)."""
    form = app.form_for(field) if field in app.knowledge.questions else app.more_form
    answers = dict(form.answers)
    if value is NOTHING:
        answers.pop(field, None)
    else:
        answers[field] = value
    form.set_state({"answers": answers})


NOTHING = object()


def test_the_questions_are_one_form_and_where_you_are_a_labelled_dropdown(app: App, knowledge: Knowledge) -> None:
    """One widget model for every question (issue 9 item 10); the region is a named <select>."""
    spec = form_spec(knowledge)
    assert app.emergency_form.spec == spec[:1] and app.more_form.spec == spec[1:]
    assert not app.emergency_form.folds and app.more_form.folds  # only the later groups fold on a phone
    assert all(form.answers == {} and form.generation == 0 for form in app.forms)
    assert isinstance(app.region, widgets.Dropdown) and app.region.description.startswith("Where are you?")
    asked = {f for f, q in knowledge.questions.items() if q.show_if is None or q.show_if.test({})}
    assert set(app.more_form.shown) == asked


def test_the_page_is_a_few_widget_models_not_hundreds(app: App) -> None:
    """Every model is built by the browser before anything shows (Lighthouse: LCP 6.5x bare)."""
    models: set[str] = set()

    def walk(widget: widgets.Widget) -> None:
        if widget.model_id in models:
            return
        models.add(widget.model_id)
        for name in widget.keys:
            value = getattr(widget, name)
            for child in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(child, widgets.Widget):
                    walk(child)

    walk(app.container)
    # 33 now: widgets whose layout never changes share one Layout and one style per kind (57 before,
    # 24 of them Layouts; 41 before languages); 160 with a Dropdown each.
    assert len(models) <= 33, len(models)


def test_a_layout_the_app_changes_is_its_own(app: App) -> None:
    """Shared layouts (fewer models) must never carry one widget's change to another: hiding the
    translation notice hides only its box."""
    everything: list[widgets.Widget] = []

    def walk(widget: widgets.Widget) -> None:
        everything.append(widget)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(app.container)
    for changed in (app.notice_box, app.language):
        assert [w for w in everything if getattr(w, "layout", None) is changed.layout] == [changed]
    app.notice_box.layout.display = "none"
    assert app.banner.layout.display != "none" and app.results.layout.display != "none"


def test_first_load_shows_no_verdict_but_the_emergency_safety_net(app: App, knowledge: Knowledge) -> None:
    """UX review: a verdict showed before anything was answered. 'Call … if' shows at once, with
    every emergency number while no region is chosen."""
    assert urgency(app) == START
    words = re.sub(r"<[^>]+>", "", app.results.value)  # every number is a tel: link; the words stay
    assert "Call your emergency number now if:" in words and "911 in the US" in words
    assert "You feel very dizzy or faint, or you faint." in app.results.value  # a sentence, not a label
    assert app.banner.value == "" and app.answers() == {}
    answer(app, "age", 30)  # any first answer gives the advice, cautious as ever
    assert urgency(app) == "routine"


def test_changing_an_answer_redraws_the_advice(app: App) -> None:
    answer(app, "pregnant", "yes")
    assert urgency(app) == "urgent"
    answer(app, "dizzy_or_faint", True)
    assert urgency(app) == "emergency"
    assert app.results.value.startswith('<section class="sp-care sp-care--emergency"')
    assert 'data-urgency="emergency"' in app.banner.value
    answer(app, "dizzy_or_faint", None)  # "I'm not sure" is never "no"...
    assert urgency(app) == "urgent"
    answer(app, "dizzy_or_faint", NOTHING)
    assert urgency(app) == "urgent"


def test_pregnancy_questions_appear_and_disappear(app: App, knowledge: Knowledge) -> None:
    pregnancy = [f for f, q in knowledge.questions.items() if q.group == "pregnancy"]
    # Until pregnancy is ruled out, the questions whose red flags could fire stay asked.
    asked = {"fluid_leak", "contractions", "low_lying_placenta", "cervix_weak_or_short"}
    assert {f for f in pregnancy if shown(app, f)} == asked
    answer(app, "pregnant", "yes")
    answer(app, "weeks_pregnant", 30)
    assert all(shown(app, f) for f in pregnancy)
    answer(app, "weeks_pregnant", 8)
    assert not shown(app, "low_lying_placenta") and not shown(app, "reduced_movements")
    answer(app, "pregnant", "unsure")
    assert shown(app, "fluid_leak") and not shown(app, "weeks_pregnant")
    answer(app, "pregnant", "no")
    assert not any(shown(app, f) for f in pregnancy)


def test_menopause_question_is_asked_at_every_age(app: App) -> None:
    """Premature or surgical menopause happens under 35 (clinical review F5)."""
    for age in (NOTHING, 20, 33, 60):
        answer(app, "age", age)
        assert shown(app, "menopause")


def test_a_hidden_questions_answer_is_dropped(app: App, knowledge: Knowledge) -> None:
    answer(app, "pregnant", "yes")
    answer(app, "weeks_pregnant", 30)
    assert app.answers()["weeks_pregnant"] == 30
    answer(app, "pregnant", "no")
    assert "weeks_pregnant" not in app.answers()
    assert knowledge.questions["weeks_pregnant"].label not in app.results.value
    answer(app, "pregnant", "yes")  # shown again: the earlier answer counts again
    assert app.answers()["weeks_pregnant"] == 30


def test_hidden_answers_cascade(knowledge: Knowledge) -> None:
    raw = {"pregnant": "no", "weeks_pregnant": 12, "contraception": "barrier", "contraception_started_recently": True}
    assert shown_answers(raw, knowledge) == {"pregnant": "no", "contraception": "barrier"}


def test_reset_clears_every_answer_and_the_summary(app: App) -> None:
    answer(app, "pregnant", "yes")
    answer(app, "fever", True)
    app.summary_button.click()
    assert app.summary.html
    app.reset_button.click()
    assert all(form.answers == {} and form.generation == 1 for form in app.forms)  # and what it never sent
    assert urgency(app) == START
    assert app.summary.html == ""
    assert not shown(app, "weeks_pregnant")


def test_the_summary_is_made_on_request_and_kept_up_to_date(app: App, knowledge: Knowledge) -> None:
    assert app.summary.html == ""
    answer(app, "age", 45)
    app.summary_button.click()
    assert "<td>45</td>" in app.summary.html
    answer(app, "pregnant", "yes")
    assert knowledge.levels[next(u for u in knowledge.levels if u.id == "urgent")].heading in app.summary.html
    assert app.summary.filename == "spotting-summary.html"


def test_a_tampered_value_is_rejected_kindly(app: App, knowledge: Knowledge, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="spotting"):
        answer(app, "age", "seventy-three")  # the page never sends this; a forged message could
    assert "We could not use your answer to “Your age”" in app.results.value
    assert "Traceback" not in app.results.value
    assert "seventy-three" not in caplog.text and "rejected" in caplog.text  # the kind, never the field
    app.reset()
    assert urgency(app) == START


@pytest.mark.parametrize(
    ("field", "value"),
    [("pregnant", "maybe"), ("fever", "yes"), ("age", 11), ("age", 101), ("age", 30.5), ("weeks_pregnant", True)],
)
def test_a_value_outside_the_allowed_ones_is_never_used(app: App, field: str, value: object) -> None:
    answer(app, "amount", "heavy")
    answer(app, field, value)
    assert "We could not use your answer" in app.results.value and 'data-section="care"' not in app.results.value
    answer(app, field, NOTHING)
    assert urgency(app) == "emergency"


def test_an_unknown_question_gets_a_kind_message(app: App) -> None:
    answer(app, "favourite_colour", "blue")
    assert "We could not use your answer to “one of the questions”" in app.results.value


def test_i_am_not_sure_counts_as_a_first_answer_and_never_as_no(app: App) -> None:
    answer(app, "pregnant", "no")
    answer(app, "dizzy_or_faint", None)
    assert urgency(app) != START and app.answers() == {"pregnant": "no"}
    before = urgency(app)
    answer(app, "dizzy_or_faint", False)
    assert Urgency[urgency(app).upper()] <= Urgency[before.upper()]


def test_an_unexpected_error_shows_a_kind_message_and_logs_no_answers(
    app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(answers: object, knowledge: object) -> None:
        raise RuntimeError(f"boom with {answers}")

    monkeypatch.setattr(spotting.explorer.app, "explain", broken)
    with caplog.at_level(logging.INFO, logger="spotting"):
        answer(app, "age", 73)
    assert "Something went wrong" in app.results.value
    assert "RuntimeError" in caplog.text
    assert "73" not in caplog.text and "boom" not in caplog.text
    monkeypatch.undo()
    answer(app, "pregnant", "yes")  # the app keeps working
    assert urgency(app) == "urgent"


def test_nothing_is_printed(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    answer(app, "age", 73)
    answer(app, "pregnant", "unsure")
    app.summary_button.click()
    app.reset()
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_the_notebook_is_thin_and_carries_the_disclaimer() -> None:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    markdown = "".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    assert DISCLAIMER in markdown
    # The opening is the package's, word for word (it is shown in the reader's language from there).
    from spotting.explorer.intro import intro_html

    assert "".join(notebook["cells"][0]["source"]) == intro_html(str), "re-write the cell from intro_html(str)"
    assert 1 <= len(code) <= 2
    assert sum(len("".join(cell["source"]).splitlines()) for cell in code) <= 10
    assert all(not cell["outputs"] and cell["execution_count"] is None for cell in code)
    assert "".join(code[-1]["source"]).rstrip().endswith("App().container")


def test_screen_readers_hear_one_line_not_the_whole_result(app: App, knowledge: Knowledge) -> None:
    """UX review: 6,000-9,800 characters were announced after each answer."""
    assert app.results.announcement == "Your advice will show here once you answer a question."
    answer(app, "age", 40)
    assert app.results.announcement == f"Advice: {knowledge.levels[Urgency.SOON].heading}."
    answer(app, "pregnant", "yes")
    assert app.results.announcement == "Advice changed: Get medical help today."
    answer(app, "age", 30)
    assert app.results.announcement == "Advice: Get medical help today."
    assert len(app.results.announcement) < 80 < len(app.results.value)


def test_the_emergency_announcement_says_the_number_to_call(app: App, knowledge: Knowledge) -> None:
    """Issue 19, item 8: with no region chosen, every number in words; with one, its own number."""
    answer(app, "dizzy_or_faint", True)
    assert "999 in the UK" in app.results.announcement and "911" in app.results.announcement
    app.region.value = "US"
    assert "911" in app.results.announcement and "999" not in app.results.announcement
    assert app.results.handled == 1  # one change worked through: the page speaks once it has caught up


def test_the_first_choice_comes_from_data_and_leads_to_questions_asked_from_the_start(
    app: App, knowledge: Knowledge
) -> None:
    """Issue 19, item 3: someone assaulted, or a child, reaches their question in one tap."""
    routes = {route["id"]: route for route in app.routes.routes}
    assert [route.label for route in knowledge.routes] == [route["label"] for route in app.routes.routes]
    assert routes["unwanted"]["field"] == "not_consensual" and routes["unwanted"]["also"] == ["age"]
    about = next(group for group in app.more_form.spec if any(q["field"] == "age" for q in group["questions"]))
    assert about["questions"][0]["field"] == "age", "age is the first question after the emergency check"


def test_where_you_are_is_the_first_question_and_changes_the_numbers_not_the_answers(app: App) -> None:
    children = app.container.children[3].children[0].children
    assert children[0] is app.routes  # the first choice (where to start) is not a question
    assert children[1] is app.region and "Where are you?" in app.region.description
    answer(app, "amount", "heavy")
    answer(app, "screening", "not_yet_eligible")
    before = urgency(app)
    app.region.value = "US"
    assert 'href="tel:911"' in app.results.value and "999" not in app.results.value
    assert app.raw_answers() == {"amount": "heavy", "screening": "not_yet_eligible"}
    screening = next(q for g in app.more_form.spec for q in g["questions"] if q["field"] == "screening")
    assert any("21" in option["label"] for option in screening["options"])  # the start age where the reader is
    assert urgency(app) == before
    app.reset()
    assert app.region.value == "US" and "Call 911 now if:" in re.sub(r"<[^>]+>", "", app.results.value)


def test_a_server_default_region_is_used_and_a_bad_one_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPOTTING_REGION", "nz")
    assert App().region.value == "NZ"
    monkeypatch.setenv("SPOTTING_REGION", "Atlantis")
    assert App().region.value == ""


def test_prepare_works_out_the_first_page_without_a_widget_so_app_only_builds_widgets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The static site's snapshot calls ``prepare`` (spotting_host.static_snapshot.WARM_UP): it must
    make no widget (a snapshot cannot hold one), and an ``App()`` after it must find the languages
    on offer and the rules' index already worked out, or the snapshot saves a visitor nothing."""
    from ipywidgets.widgets.widget import _instances  # every open widget (Widget.widgets is deprecated)

    from spotting import knowledge as knowledge_module
    from spotting import what_if

    before = dict(_instances)
    prepared = spotting.explorer.app.prepare()
    assert _instances == before
    languages_missed = knowledge_module._available_languages.cache_info().misses
    index_missed = what_if._index.cache_info().misses
    explained: list[object] = []
    real_explain = spotting.explorer.app.explain
    monkeypatch.setattr(spotting.explorer.app, "explain", lambda *a: explained.append(a) or real_explain(*a))
    app = App()
    assert app.knowledge is prepared
    assert knowledge_module._available_languages.cache_info().misses == languages_missed
    assert what_if._index.cache_info().misses == index_missed
    assert urgency(app) == START
    assert app.results.value == start_page(prepared)  # the start page, worked out by prepare, not again
    app.reset_button.click()
    assert explained == []  # nor on "Start again" with nothing answered
    answer(app, "age", 30)
    assert len(explained) == 1 and urgency(app) == "routine"  # the first answer is explained, once


def test_available_languages_is_one_answer_however_the_folder_is_named() -> None:
    from spotting.knowledge import DEFAULT_DATA_DIR, _available_languages, available_languages

    first = available_languages()
    missed = _available_languages.cache_info().misses
    assert available_languages(DEFAULT_DATA_DIR) == first
    assert available_languages(str(DEFAULT_DATA_DIR)) == first
    assert _available_languages.cache_info().misses == missed


def test_the_other_languages_are_built_while_the_kernel_is_idle(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a kernel (a running event loop) the explorer builds the other offered languages in the
    background, so a reader's first switch builds nothing; outside one (tests, the CLI) it does not."""
    import asyncio
    import threading
    from collections.abc import Callable

    import spotting.knowledge
    from spotting.knowledge import available_languages, load_knowledge

    builds: list[str] = []
    real_build = spotting.knowledge._build

    def counted(directory: Path, region: str = "unset", language: str = "en", **options: object) -> Knowledge:
        if Path(directory) == data_copy.resolve():  # not the shipped data/ the page's setup may read
            builds.append(language)
        return real_build(directory, region, language, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(spotting.knowledge, "_build", counted)
    monkeypatch.setattr(spotting.explorer.app, "PRELOAD_AFTER", 0.01)
    knowledge = load_knowledge(data_copy)
    others = [code for code in available_languages(data_copy) if code != "en"]
    assert others, "the copy offers no other language: nothing to preload"

    def on_its_own_thread(make: Callable[[], App]) -> App:
        """Each case on a fresh thread: the test run's own thread may hold another event loop
        (the browser tests' driver), where ``asyncio.run`` cannot start and callbacks never run."""
        made: list[App] = []
        worker = threading.Thread(target=lambda: made.append(make()))
        worker.start()
        worker.join(timeout=30)
        assert made, "the explorer could not be built"
        return made[0]

    async def in_a_kernel() -> App:
        app = App(knowledge)
        await asyncio.sleep(0.5 + 0.1 * len(others))
        return app

    builds.clear()
    on_its_own_thread(lambda: App(knowledge))  # no running loop: nothing is built ahead
    assert builds == [], builds

    app = on_its_own_thread(lambda: asyncio.run(in_a_kernel()))
    assert sorted(builds) == sorted(others)
    builds.clear()
    for code in others:
        app.set_language(code)
        assert app.knowledge.language == code
    assert builds == [], f"a first switch still built {builds}"
