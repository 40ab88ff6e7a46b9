"""A live session in Chromium: the facilitator's page and three learners' phones, served as a
teacher serves them (``spotting serve facilitator`` and ``spotting serve teaching``), sharing one
store (issue 25).

One test walks the whole session, because each step needs the one before: the phones join with
the facilitator's region, vote, one asks a question with a script in it; the votes stay hidden
until the reveal, then the counts are right on every screen; the question is only on the
facilitator's private list, as text; ending the session deletes the store and the phones say so;
and nothing anyone sent is left on disk or in the servers' output (the privacy test's scan).
Screenshots of the projector's tally and the facilitator's question list go to test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import start_serve
from .test_explorer import SKIP_DIRS
from .test_teaching import assert_accessible

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FIRST_LOAD_MS = 120_000
UPDATE_MS = 15_000
MARKER = "zebra" + str(7741 * 3)
"""In the question a learner sends: found nowhere after the session, or the test fails (made at
run time, so this file does not contain it)."""
QUESTION = f"<script>window.pwned = 1</script> {MARKER} is a little blood normal?"
MYTH = "A small amount of spotting is probably normal if it happens only rarely."


def open_page(page: Page, url: str, width: int = 1280) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    expect(page.get_by_role("combobox", name="Show")).to_be_visible(timeout=FIRST_LOAD_MS)


def files_with(root: Path, marker: bytes) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if any(part in SKIP_DIRS for part in path.relative_to(root).parts):
            continue
        try:
            if path.is_file() and marker in path.read_bytes():
                found.append(str(path))
        except OSError:
            continue
    return found


def test_a_live_session_votes_asks_reveals_and_forgets(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, artifacts: Path
) -> None:
    sandbox = tmp_path_factory.mktemp("classroom-sandbox")
    store_dir = sandbox / "live"
    monkeypatch.setenv("SPOTTING_CLASSROOM_DIR", str(store_dir))  # both servers and every kernel
    for name in ("facilitator", "learners"):
        (sandbox / name).mkdir()
    facilitator_server = start_serve(sandbox / "facilitator", "facilitator")
    learner_server = start_serve(sandbox / "learners", "teaching", "--learners", "4")
    try:
        facilitator = browser.new_page()
        open_page(facilitator, facilitator_server.url)
        facilitator.get_by_role("combobox", name="Services for").select_option(label="United Kingdom")
        facilitator.get_by_role("combobox", name="Show").select_option(label="Live votes")
        facilitator.get_by_role("button", name="Start a live session").click()
        expect(facilitator.get_by_role("status").filter(has_text="is live")).to_be_visible(timeout=UPDATE_MS)
        code = re.search(r"Session (\d{4}) is live", facilitator.content())
        assert code, "no session code on the facilitator's page"

        phones = []
        for _ in range(3):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            phone = context.new_page()
            phone.goto(learner_server.url)
            phones.append(phone)
        for phone in phones:
            expect(phone.get_by_role("heading", name=f"Live session {code.group(1)}")).to_be_visible(
                timeout=FIRST_LOAD_MS
            )
            # The phone took the facilitator's region.
            expect(phone.get_by_role("combobox", name="Services for")).to_have_value("United Kingdom")

        facilitator.get_by_role("combobox", name="Live vote").select_option(label=f"Myth: {MYTH}")
        for phone, vote in zip(phones, ("True", "Partly true", "Partly true"), strict=True):
            expect(phone.get_by_text(MYTH).first).to_be_visible(timeout=UPDATE_MS)
            phone.get_by_role("button", name=vote, exact=True).click()
            expect(phone.get_by_role("status").filter(has_text=f"Your vote: {vote}.")).to_be_visible(timeout=UPDATE_MS)
        phones[0].get_by_role("button", name="Myth", exact=True).click()  # a change of mind, before the reveal
        expect(phones[0].get_by_role("status").filter(has_text="Your vote: Myth.")).to_be_visible(timeout=UPDATE_MS)
        expect(facilitator.locator(".sp-vote-count")).to_contain_text("3 votes so far", timeout=UPDATE_MS)
        for page in (facilitator, *phones):  # no tally anywhere, and no answer on a phone, before the reveal
            expect(page.get_by_text("How the room voted")).to_have_count(0)
            assert page is facilitator or "UK health advice is a check" not in page.content()

        phones[1].get_by_role("textbox", name="Ask a question anonymously").fill(QUESTION)
        phones[1].get_by_role("button", name="Send my question").click()
        expect(phones[1].get_by_role("status").filter(has_text="Sent.")).to_be_visible(timeout=UPDATE_MS)

        facilitator.get_by_role("combobox", name="Show").select_option(label="Questions from the room (private)")
        asked = facilitator.locator(".sp-questions li")
        expect(asked).to_have_text(QUESTION, timeout=UPDATE_MS)  # the script is text, not markup
        assert facilitator.evaluate("typeof window.pwned") == "undefined"
        assert facilitator.locator(".sp-questions script").count() == 0
        facilitator.locator(".sp-private").screenshot(path=str(artifacts / "classroom-question-list.png"))
        for phone in phones:
            assert MARKER not in phone.content()  # only the facilitator's page lists it

        facilitator.get_by_role("combobox", name="Show").select_option(label="Live votes")
        facilitator.get_by_role("button", name="Show the votes and the answer").click()
        tally = facilitator.locator(".sp-tally")
        expect(tally).to_contain_text("Partly true: 2 (67%)", timeout=UPDATE_MS)
        expect(tally).to_contain_text("Myth: 1 (33%)")
        expect(tally).to_contain_text("True: 0 (0%)")
        expect(facilitator.get_by_text("How the room voted (3 votes)")).to_be_visible()
        facilitator.locator(".sp-live-controls").screenshot(path=str(artifacts / "classroom-projector-tally.png"))
        phones[0].locator(".sp-live").screenshot(path=str(artifacts / "classroom-phone-after-reveal.png"))
        for phone in phones:
            expect(phone.locator(".sp-tally")).to_contain_text("Partly true: 2 (67%)", timeout=UPDATE_MS)
            expect(phone.get_by_role("button", name="True", exact=True)).to_have_count(0)  # voting closed
        assert_accessible(facilitator, "the facilitator's tally")
        assert_accessible(phones[0], "a phone after the reveal")
        phones[2].get_by_role("combobox", name="Show").select_option(label="Myths and facts")
        expect(phones[2].get_by_text("UK health advice is a check").first).to_be_visible()  # the answer, now

        facilitator.get_by_role("button", name="End the session and delete its votes and questions").click()
        expect(facilitator.get_by_role("status").filter(has_text="has ended")).to_be_visible(timeout=UPDATE_MS)
        for phone in phones:
            expect(phone.get_by_role("heading", name="This session has ended")).to_be_visible(timeout=UPDATE_MS)
            assert MARKER not in phone.content()
        assert not store_dir.exists(), "the session's store outlived the session"
        for page in (facilitator, *phones):
            page.close()
    finally:
        facilitator_server.stop()
        learner_server.stop()
    output = facilitator_server.output() + learner_server.output()
    assert MARKER not in output and "pwned" not in output, "a learner's question reached the servers' output"
    assert not files_with(sandbox, MARKER.encode()), "a learner's question was left on disk"
    assert not files_with(ROOT, MARKER.encode())
    assert not store_dir.exists()
