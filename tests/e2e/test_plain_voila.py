"""Voila's own way works: ``voila notebooks/explorer.ipynb`` from the repository root, as Voila's
documentation says, with no help from ``spotting serve``.

``voila.json`` names the project's page template, so Voila must find it where templates live
(``<prefix>/share/jupyter/voila/templates``): a wheel installs it there, and ``make setup`` links it
there for the editable install. Before that, this command hung with ``TemplateNotFound``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from spotting import Knowledge

from .conftest import ROOT, VoilaServer, _wait_until_ready, free_port, server_environment, stop_voila
from .drive import choose

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def plain_voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """``voila notebooks/explorer.ipynb`` run from the root, with nothing pointing at the template."""
    sandbox = tmp_path_factory.mktemp("plain-voila")
    env = server_environment(sandbox)
    env.pop("JUPYTER_PATH")  # the other tests point Voila at the repository's copy; a person does not
    port = free_port()
    log = sandbox / "voila.log"
    command = [sys.executable, "-m", "voila", "notebooks/explorer.ipynb", "--no-browser", f"--port={port}"]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = VoilaServer(f"http://127.0.0.1:{port}/", process, log, sandbox)
    try:
        _wait_until_ready(server.url, process, log)
        yield server
    finally:
        stop_voila(server)


def test_plain_voila_serves_the_explorer_with_its_own_template(
    page: Page, plain_voila: VoilaServer, knowledge: Knowledge, artifacts: Path
) -> None:
    page.goto(plain_voila.url)
    expect(page.locator(".sp-results > [data-section=start]")).to_be_visible(timeout=90_000)
    choose(page, knowledge, "dizzy_or_faint", "Yes")
    care = page.locator(".sp-results > [data-section=care]")
    expect(care).to_have_attribute("data-urgency", "emergency", timeout=15_000)
    assert "TemplateNotFound" not in plain_voila.output()
    assert "Getting the page ready" in page.content()  # the project's template, not Voila's own
    page.screenshot(path=str(artifacts / "plain-voila.png"))
