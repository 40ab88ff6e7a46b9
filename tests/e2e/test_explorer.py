"""The explorer served by Voila, driven in Chromium: what a person sees, hears and can reach.

Labels come from data/ through the knowledge fixture, so a wording change in the questions table
does not break these tests. Every state is checked with axe-core (no serious or critical
violations) and saved as a screenshot in test-artifacts/ to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from spotting import DISCLAIMER, Knowledge

from .drive import NOT_SURE_LABEL, choose, expect_unanswered, question, unfold

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

FIRST_LOAD_MS = 90_000
UPDATE_MS = 15_000
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}


def open_explorer(page: Page, url: str) -> None:
    page.goto(url)
    expect(start_card(page)).to_be_visible(timeout=FIRST_LOAD_MS)


def start_card(page: Page) -> Locator:
    """Before the first answer: no verdict, only the emergency safety net."""
    return page.locator(".sp-results > [data-section=start]")


def care_card(page: Page) -> Locator:
    return page.locator(".sp-results > [data-section=care]")


def expect_urgency(page: Page, urgency: str) -> None:
    expect(care_card(page)).to_have_attribute("data-urgency", urgency, timeout=UPDATE_MS)


def heading_of(knowledge: Knowledge, urgency: str) -> str:
    return next(level.heading for level in knowledge.levels.values() if level.urgency.id == urgency)


def assert_accessible(page: Page, state: str) -> None:
    """axe-core on the whole rendered page: no serious or critical violations."""
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    details = "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:5]}" for v in bad
    )
    assert not bad, f"axe found serious/critical violations in state {state!r}:\n{details}"


def snapshot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"))


def test_first_load_shows_no_verdict_but_the_emergency_safety_net_and_the_disclaimer(
    page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    page.set_viewport_size(WIDE)
    open_explorer(page, explorer_url)
    expect(care_card(page)).to_have_count(0)
    # No region chosen: every emergency number in words, each tappable beside its country, and no
    # single "Call" button (999 would fail in the US).
    expect(start_card(page)).to_contain_text("911 in the US and Canada")
    expect(start_card(page).get_by_role("link")).to_have_count(5)
    expect(start_card(page).get_by_role("link", name="911", exact=True)).to_have_attribute("href", "tel:911")
    expect(start_card(page).locator(".sp-call")).to_have_count(0)
    expect(start_card(page)).to_contain_text("You feel very dizzy or faint, or you faint.")  # a sentence, not a label
    expect(page.get_by_text(DISCLAIMER, exact=True)).to_have_count(1)
    expect(page.get_by_role("status")).to_have_count(1)
    for control in knowledge.questions:  # nothing preselected: unknown is never turned into an answer
        if knowledge.questions[control].show_if is None:
            expect_unanswered(page, knowledge, control)
    snapshot(page, artifacts, "01-first-load")
    assert_accessible(page, "first load")


def test_the_words_show_before_the_widgets_are_drawn(page: Page, explorer_url: str) -> None:
    """The heading and the "learning, not diagnosis" notice arrive with the page's first bytes and
    show at once, not after Voila's JavaScript has drawn every widget (the largest paint on a slow
    phone, bench/lighthouse.py). Here that JavaScript never runs, so only the page template decides."""
    page.route("**/voila/static/voila.js", lambda route: route.abort())
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(explorer_url)
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.get_by_text(DISCLAIMER, exact=True)).to_be_in_viewport()
    loading = page.locator("#loading")  # Voila's "Executing..." line: a bar at the foot, not above the words
    expect(loading).to_be_visible()
    expect(page.locator("#loading_text")).to_have_text("Getting the page ready\u2026")  # not Voila's "Executing 2 of 2"
    heading_box, loading_box = page.get_by_role("heading", level=1).bounding_box(), loading.bounding_box()
    assert heading_box and loading_box and heading_box["y"] + heading_box["height"] <= loading_box["y"]


def test_pregnant_yes_shows_the_urgent_card_above_the_explanations(
    page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    page.set_viewport_size(WIDE)
    open_explorer(page, explorer_url)
    choose(page, knowledge, "pregnant", knowledge.questions["pregnant"].choice_labels["yes"])
    expect_urgency(page, "urgent")
    expect(care_card(page)).to_contain_text(heading_of(knowledge, "urgent"))
    sections = page.locator(".sp-results > section").evaluate_all("nodes => nodes.map(n => n.dataset.section)")
    assert sections[0] == "care" and "causes" in sections
    card_box = care_card(page).bounding_box()
    causes_box = page.locator(".sp-results > [data-section=causes]").bounding_box()
    assert card_box and causes_box and card_box["y"] + card_box["height"] <= causes_box["y"]
    snapshot(page, artifacts, "02-pregnant-urgent")
    assert_accessible(page, "pregnant = yes")
    last = max(knowledge.questions.values(), key=lambda q: q.order)
    question(page, knowledge, last.field).scroll_into_view_if_needed()
    expect(care_card(page)).to_be_in_viewport()  # the advice stays on screen while answering
    snapshot(page, artifacts, "02b-pregnant-urgent-scrolled")


def test_dizzy_or_faint_puts_the_emergency_card_first(
    page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    page.set_viewport_size(WIDE)
    open_explorer(page, explorer_url)
    choose(page, knowledge, "pregnant", knowledge.questions["pregnant"].choice_labels["yes"])
    expect_urgency(page, "urgent")
    choose(page, knowledge, "dizzy_or_faint", "Yes")
    expect_urgency(page, "emergency")
    expect(care_card(page)).to_contain_text(heading_of(knowledge, "emergency"))
    first = page.locator(".sp-results > section").first
    expect(first).to_have_attribute("data-section", "care")
    expect(page.locator("[data-section=red-flags] li").first).to_have_attribute("data-flag", "dizzy_or_faint")
    snapshot(page, artifacts, "03-emergency")
    assert_accessible(page, "pregnant + dizzy or faint")
    choose(page, knowledge, "dizzy_or_faint", NOT_SURE_LABEL)  # unknown, not "no": pregnancy still needs help today
    expect_urgency(page, "urgent")
    expect(question(page, knowledge, "dizzy_or_faint").get_by_role("radio", name=NOT_SURE_LABEL)).to_be_checked()


def test_where_you_are_gives_the_number_that_works_there(
    page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    """Issue 12: a reader in the US is told 911 and the ER, with a number to tap; the advice
    (how soon) stays the same, and the answers already given stay as they were."""
    page.set_viewport_size(WIDE)
    open_explorer(page, explorer_url)
    region = page.get_by_role("combobox", name="Where are you? (for the right phone numbers)")
    expect(region).to_be_visible()
    choose(page, knowledge, "dizzy_or_faint", "Yes")
    expect_urgency(page, "emergency")
    expect(care_card(page)).to_contain_text("Emergency numbers: 999 in the UK, 911 in the US")
    region.select_option(label="United States")
    expect(care_card(page).get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911", timeout=UPDATE_MS)
    expect(care_card(page)).to_contain_text("the emergency room (ER)")
    expect(care_card(page)).not_to_contain_text("999")
    expect_urgency(page, "emergency")
    expect(question(page, knowledge, "dizzy_or_faint").get_by_role("radio", name="Yes")).to_be_checked()
    snapshot(page, artifacts, "03b-emergency-us")
    assert_accessible(page, "region chosen")


def test_pregnancy_questions_appear_and_disappear(
    page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    page.set_viewport_size(WIDE)
    open_explorer(page, explorer_url)
    labels = knowledge.questions["pregnant"].choice_labels
    weeks = question(page, knowledge, "weeks_pregnant")
    fluid = question(page, knowledge, "fluid_leak")
    expect(weeks).to_be_hidden()
    choose(page, knowledge, "pregnant", labels["yes"])
    expect(weeks).to_be_visible(timeout=UPDATE_MS)
    expect(fluid).to_be_visible()
    snapshot(page, artifacts, "04-pregnancy-questions-shown")
    assert_accessible(page, "pregnancy questions shown")
    choose(page, knowledge, "pregnant", labels["unsure"])
    expect(weeks).to_be_hidden(timeout=UPDATE_MS)
    expect(fluid).to_be_visible()
    choose(page, knowledge, "pregnant", labels["no"])
    expect(fluid).to_be_hidden(timeout=UPDATE_MS)
    expect_urgency(page, "routine")


def _focused_name(page: Page) -> str:
    return str(
        page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) return "";
              const legend = el.type === "radio" && el.closest("fieldset")?.querySelector("legend");
              if (legend) return legend.textContent.trim();  // a radio is named by its question
              if (el.labels && el.labels.length) return el.labels[0].textContent.trim();
              return (el.getAttribute("aria-label") || el.textContent || el.tagName).trim();
            }"""
        )
    )


def tab_to(page: Page, name: str, limit: int = 250) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused_name(page) == name:
            return
    pytest.fail(f"Tab never reached {name!r}")


def test_keyboard_only_reaches_every_control_and_changes_answers(
    page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    page.set_viewport_size(WIDE)
    open_explorer(page, explorer_url)
    shown = {q.label for q in knowledge.questions.values() if q.show_if is None or q.show_if.test({})}
    hidden = {q.label for q in knowledge.questions.values()} - shown
    wanted = shown | {"Start again", "Take this to your appointment"}
    reached: set[str] = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        reached.add(_focused_name(page))
        if wanted <= reached:
            break
    assert wanted <= reached, f"Tab never reached: {sorted(wanted - reached)}"
    assert not hidden & reached, f"hidden questions took focus: {sorted(hidden & reached)}"

    page.locator("body").click(position={"x": 5, "y": 5})
    tab_to(page, knowledge.questions["pregnant"].label)  # the first radio, not yet chosen
    expect_unanswered(page, knowledge, "pregnant")
    for _ in range(list(knowledge.questions["pregnant"].choices).index("yes")):
        page.keyboard.press("ArrowDown")  # arrows move and choose, as in any radio group
    expect_urgency(page, "urgent")
    tab_to(page, knowledge.questions["dizzy_or_faint"].label)
    page.keyboard.press("Space")  # the first radio, "Yes"
    expect_urgency(page, "emergency")
    snapshot(page, artifacts, "05-keyboard-emergency")
    assert_accessible(page, "after keyboard changes")
    tab_to(page, "Start again")
    page.keyboard.press("Space")
    expect(start_card(page)).to_be_visible(timeout=UPDATE_MS)
    expect_unanswered(page, knowledge, "pregnant")


def test_start_again_resets_every_answer(page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path) -> None:
    page.set_viewport_size(WIDE)
    open_explorer(page, explorer_url)
    choose(page, knowledge, "pregnant", knowledge.questions["pregnant"].choice_labels["yes"])
    choose(page, knowledge, "weeks_pregnant", "30")
    choose(page, knowledge, "fever", "Yes")
    expect_urgency(page, "urgent")
    page.get_by_role("button", name="Start again").click()
    expect(start_card(page)).to_be_visible(timeout=UPDATE_MS)
    expect_unanswered(page, knowledge, "pregnant")
    expect_unanswered(page, knowledge, "fever")
    expect(question(page, knowledge, "weeks_pregnant")).to_be_hidden()
    snapshot(page, artifacts, "06-after-reset")
    assert_accessible(page, "after reset")


def test_results_region_is_stable_between_updates(page: Page, explorer_url: str, knowledge: Knowledge) -> None:
    open_explorer(page, explorer_url)
    status = page.get_by_role("status")
    expect(status).to_have_attribute("aria-live", "polite")
    status.evaluate("node => { node.dataset.marker = 'same-node'; }")
    choose(page, knowledge, "pregnant", knowledge.questions["pregnant"].choice_labels["yes"])
    expect_urgency(page, "urgent")
    expect(page.get_by_role("status")).to_have_attribute("data-marker", "same-node")


def test_on_a_phone_the_advice_comes_right_after_the_emergency_check(
    page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    """UX review: the advice was 4.8 screens down a phone, after 25-32 dropdowns. Now the page reads
    the emergency check, then the advice, then the other questions (folded)."""
    page.set_viewport_size({"width": 390, "height": 844})
    open_explorer(page, explorer_url)
    choose(page, knowledge, "pregnant", knowledge.questions["pregnant"].choice_labels["unsure"])
    expect_urgency(page, "urgent")
    last_emergency = question(page, knowledge, "pregnancy_test").bounding_box()
    card = care_card(page).bounding_box()
    later = page.locator("details.sp-group").first.bounding_box()
    assert last_emergency and card and later
    assert last_emergency["y"] < card["y"] < later["y"]
    # Counted from below the advice bar: the bar is advice too (the level and its first sentence),
    # so a longer headline there must not count as questions standing before the care card.
    top = page.evaluate(
        "() => { const bar = document.querySelector('.sp-app .sp-banner').getBoundingClientRect();"
        " return document.querySelector('.sp-app').getBoundingClientRect().top + bar.height; }"
    )
    assert (card["y"] - top) / 844 < 2.5, "the care card is more than 2.5 phone screens down"
    snapshot(page, artifacts, "07c-phone-advice-after-emergency-check")


def test_works_at_320_pixels_wide(page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path) -> None:
    page.set_viewport_size(NARROW)
    open_explorer(page, explorer_url)
    choose(page, knowledge, "pregnant", knowledge.questions["pregnant"].choice_labels["yes"])
    expect_urgency(page, "urgent")
    banner = page.locator(".sp-banner [data-urgency]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(heading_of(knowledge, "urgent"))
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('.sp-app *')].filter(n => n.getBoundingClientRect().right > 321)"
        ".map(n => n.className || n.tagName).slice(0, 5)"
    )
    assert overflow == [], f"wider than 320 px: {overflow}"
    snapshot(page, artifacts, "07-narrow-320px")
    assert_accessible(page, "320 px wide")
    last = max(knowledge.questions.values(), key=lambda q: q.order).field
    unfold(page, last)
    question(page, knowledge, last).scroll_into_view_if_needed()
    expect(banner).to_be_in_viewport()  # the advice stays on screen while answering
    snapshot(page, artifacts, "07b-narrow-320px-scrolled")


def test_summary_is_made_in_the_browser_for_download(
    page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    open_explorer(page, explorer_url)
    choose(page, knowledge, "pregnant", knowledge.questions["pregnant"].choice_labels["yes"])
    expect_urgency(page, "urgent")
    page.get_by_role("button", name="Take this to your appointment").click()
    link = page.get_by_role("link", name=re.compile("Save the summary"))
    expect(link).to_be_visible(timeout=UPDATE_MS)
    expect(page.locator("iframe[title='Your summary']")).to_be_visible()  # on screen first
    expect(link).to_have_attribute("href", re.compile(r"^blob:"))
    expect(page.get_by_role("button", name="Print the summary")).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "spotting-summary.html"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert knowledge.questions["pregnant"].label in text
    assert heading_of(knowledge, "urgent") in text
    snapshot(page, artifacts, "08-summary-offered")
    assert_accessible(page, "summary offered")


def test_a_number_that_cannot_be_used_is_never_sent_and_says_why(
    page: Page, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    """Age is typed on a number keypad; a value outside 12-100 gets a plain message tied to the box
    (aria-invalid, aria-describedby) and the advice never stands for a number not on screen.
    A forged value sent past the page is rejected by the kernel (tests/test_ui.py)."""
    page.set_viewport_size({"width": 390, "height": 844})
    open_explorer(page, explorer_url)
    unfold(page, "age")  # "About you" starts folded on a phone
    age = question(page, knowledge, "age")
    expect(age).to_have_attribute("inputmode", "numeric")
    choose(page, knowledge, "age", "50")
    expect_urgency(page, "soon")  # from 45, bleeding after sex is checked within about 2 weeks
    choose(page, knowledge, "age", "9")
    error = page.locator(".sp-error:visible")
    expect(error).to_contain_text("aged 12 and over")
    expect(error).to_contain_text("adult you trust")
    expect(age).to_have_attribute("aria-invalid", "true")
    described = age.get_attribute("aria-describedby") or ""
    assert (error.get_attribute("id") or "?") in described.split()
    expect(start_card(page)).to_be_visible(timeout=UPDATE_MS)  # 50 no longer counts: it is not on screen
    snapshot(page, artifacts, "09-age-too-young")
    assert_accessible(page, "age below the range")
    choose(page, knowledge, "age", "forty")
    expect(error).to_contain_text("whole number")
    choose(page, knowledge, "age", "30")
    expect(error).to_have_count(0)
    expect(age).not_to_have_attribute("aria-invalid", "true")
    expect_urgency(page, "routine")


def test_the_first_visitor_after_a_quiet_spell_gets_a_working_page(
    page: Page, knowledge: Knowledge, tmp_path_factory: pytest.TempPathFactory, serve_factory: Any
) -> None:
    """``spotting serve`` (preheated pool on) with culling sped up: a kernel is not culled as it is handed out.

    Voila 0.5.13 hands out a pooled kernel whose idle clock started when the pool was filled;
    after a quiet spell longer than cull_idle_timeout the culler shut it down before the page
    connected, and the visitor got a dead page. spotting_host.voila_ext restarts the clock at hand-out.
    """
    quiet_seconds = 8
    culling = {
        "MappingKernelManager.cull_interval": "1",
        "MappingKernelManager.cull_idle_timeout": str(quiet_seconds // 2),
    }
    server = serve_factory(tmp_path_factory.mktemp("quiet-sandbox"), options=culling)
    try:
        page.wait_for_timeout(quiet_seconds * 1000)
        open_explorer(page, server.url)
        choose(page, knowledge, "pregnant", knowledge.questions["pregnant"].choice_labels["yes"])
        expect_urgency(page, "urgent")
        assert "Using pre-heated kernel" in server.output()  # the page really came from the pool
    finally:
        server.stop()


# -- privacy ------------------------------------------------------------------------------------

PRIVATE_PATTERNS = [
    rb"age\W{0,8}73\b",
    rb"menopause\W{0,8}postmenopause",
    rb"contraception\W{0,8}copper_iud",
    rb"how_often\W{0,8}every_time",
    rb"Copper coil \(IUD\)",
    rb"It happens every time",
    rb"no period for 12 months or more",
]
SKIP_DIRS = {"test-artifacts", ".pytest_cache", ".ruff_cache", ".hypothesis", ".venv"}


def _scan(root: Path) -> dict[Path, tuple[float, frozenset[str]]]:
    """Every file under ``root``: its mtime and which private patterns it already contains."""
    found = {}
    for path in root.rglob("*"):
        if any(part in SKIP_DIRS for part in path.relative_to(root).parts):
            continue
        try:
            if path.is_file():
                found[path] = (path.stat().st_mtime, frozenset(_leaks(path.read_bytes())))
        except OSError:
            continue  # removed while we looked (e.g. a kernel's connection file)
    return found


def _new_leaks(before: dict[Path, tuple[float, frozenset[str]]], after: dict[Path, tuple[float, frozenset[str]]]):
    """Patterns that appeared in files created or changed during the run.

    The repository is shared with people editing data/ and code at the same time, so a file
    that already held a pattern (e.g. data/red_flags.csv names ``menopause=postmenopause``) only
    counts if the run added a new one.
    """
    leaks = {}
    for path, (mtime, patterns) in after.items():
        old_mtime, old_patterns = before.get(path, (None, frozenset()))
        if mtime != old_mtime and patterns - old_patterns:
            leaks[str(path)] = sorted(patterns - old_patterns)
    return leaks


def _leaks(data: bytes) -> list[str]:
    return [pattern.decode() for pattern in PRIVATE_PATTERNS if re.search(pattern, data, re.IGNORECASE)]


def test_nothing_entered_is_logged_or_written(
    page: Page, knowledge: Knowledge, tmp_path_factory: pytest.TempPathFactory, voila_factory: Any
) -> None:
    sandbox = tmp_path_factory.mktemp("privacy-sandbox")
    repo_before = _scan(ROOT)
    server = voila_factory(sandbox)
    try:
        open_explorer(page, server.url)
        menopause = knowledge.questions["menopause"].choice_labels["postmenopause"]
        choose(page, knowledge, "age", "73")
        choose(page, knowledge, "menopause", menopause)
        choose(page, knowledge, "contraception", knowledge.questions["contraception"].choice_labels["copper_iud"])
        choose(page, knowledge, "how_often", knowledge.questions["how_often"].choice_labels["every_time"])
        for _ in range(3):  # toggle a few times, as a person would
            choose(page, knowledge, "how_often", knowledge.questions["how_often"].choice_labels["once"])
            choose(page, knowledge, "how_often", knowledge.questions["how_often"].choice_labels["every_time"])
        page.get_by_role("button", name="Take this to your appointment").click()
        link = page.get_by_role("link", name=re.compile("Save the summary"))
        expect(link).to_be_visible(timeout=UPDATE_MS)
        with page.expect_download() as download_info:
            link.click()
        # Positive control: the values really reached the kernel (they are in the summary it made).
        summary = Path(download_info.value.path()).read_bytes()
        assert _leaks(summary), "the test answers never reached the explorer"
        page.close()
    finally:
        server.stop()
    output = server.log.read_bytes()
    assert server.log.stat().st_size > 0
    assert not _leaks(output), f"the server output contains answers: {_leaks(output)}"
    written = {path: (0.0, frozenset(_leaks(path.read_bytes()))) for path in sandbox.rglob("*") if path.is_file()}
    assert any(path.name == "history.sqlite" for path in written), "the kernels did not use the sandbox"
    leaking = _new_leaks({}, written) | _new_leaks(repo_before, _scan(ROOT))
    assert not leaking, f"files written during the run contain answers: {leaking}"


def test_the_page_asks_no_host_but_its_own(page: Page, explorer_url: str, knowledge: Knowledge) -> None:
    """Privacy and offline classrooms: every request of a whole visit goes to the serving host."""
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(request.url.split("/")[2] if "://" in request.url else ""))
    page.set_viewport_size(WIDE)
    open_explorer(page, explorer_url)
    choose(page, knowledge, "pregnant", "Not sure (period late or could be pregnant)")
    expect_urgency(page, "urgent")
    served_by = explorer_url.split("/")[2]
    elsewhere = sorted({host for host in hosts if host and host != served_by})
    assert not elsewhere, f"requests to other hosts: {elsewhere}"
    assert served_by in hosts  # the listener saw the page's own requests


def test_the_live_region_announces_one_short_line(page: Page, explorer_url: str, knowledge: Knowledge) -> None:
    page.set_viewport_size(WIDE)
    open_explorer(page, explorer_url)
    status = page.get_by_role("status")
    choose(page, knowledge, "age", "30")
    expect(status).to_have_text(f"Advice: {heading_of(knowledge, 'routine')}.", timeout=UPDATE_MS)
    choose(page, knowledge, "pregnant", "Yes")
    expect(status).to_have_text("Advice changed: Get medical help today.", timeout=UPDATE_MS)
    assert len(status.inner_text()) < 80


def test_a_dead_kernel_never_leaves_stale_advice_on_screen(
    page: Page, knowledge: Knowledge, tmp_path_factory: pytest.TempPathFactory, voila_factory: Any, artifacts: Path
) -> None:
    """Killed as an out-of-memory kill would: the stale card goes and an alert says what to do."""
    import psutil

    server = voila_factory(tmp_path_factory.mktemp("dead-kernel-sandbox"))
    try:
        open_explorer(page, server.url)
        choose(page, knowledge, "age", "30")
        expect_urgency(page, "routine")
        children = psutil.Process(server.process.pid).children(recursive=True)
        kernels = [child for child in children if "ipykernel" in " ".join(child.cmdline())]
        assert kernels, "no kernel process found"
        for kernel in kernels:
            kernel.kill()
        choose(page, knowledge, "pregnant", knowledge.questions["pregnant"].choice_labels["unsure"])
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("This page lost its connection", timeout=5_000)
        expect(care_card(page)).to_be_hidden()  # the stale "Arrange a check" is not left showing
        expect(alert.get_by_role("button", name="Reload the page")).to_be_visible()
        expect(page.locator(".sp-banner [data-urgency]")).to_have_count(0)  # no stale verdict in the banner
        snapshot(page, artifacts, "10-dead-kernel")
        assert_accessible(page, "dead kernel")
    finally:
        server.stop()
