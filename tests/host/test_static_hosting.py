"""Hosting the static site: what can be checked without GitHub or a browser.

The GitHub Pages workflow cannot run here, so its file is read: valid YAML, the same ``make
static`` people run, ``dist`` uploaded, the least permissions, every action pinned by commit.
The nginx site file is served in Chromium by tests/e2e/host/test_static_hosting.py; here, the docs
must show it exactly as it is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from spotting_host import static_site

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
DOCS = ROOT / "docs" / "static-site.md"
NGINX = ROOT / "deploy" / "nginx-static.conf"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def steps(job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow()["jobs"][job]["steps"]
    return found


def uses(job: str, action: str) -> dict[str, Any]:
    matching = [step for step in steps(job) if step.get("uses", "").startswith(action + "@")]
    assert len(matching) == 1, f"{job} should use {action} once"
    return matching[0]


def test_the_pages_workflow_builds_with_make_static_and_publishes_dist_from_main() -> None:
    flow = workflow()
    on = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert on["push"]["branches"] == ["main"]
    runs = [step["run"] for step in steps("build") if "run" in step]
    assert runs == ["make static"], runs
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    build = "\t$(BIN)/python -m spotting_host.static_site build\n"
    assert build in makefile.split("\nstatic:", 1)[1], "make static builds"
    assert static_site.DIST == ROOT / "dist", "make static writes dist/, which the workflow uploads"
    assert uses("build", "actions/upload-pages-artifact")["with"] == {"path": "dist"}
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    uses("deploy", "actions/deploy-pages")
    assert uses("build", "actions/setup-python")["with"]["python-version"] == "3.11"


def test_the_pages_workflow_has_the_least_permissions() -> None:
    flow = workflow()
    assert flow["permissions"] == {"contents": "read"}
    assert "permissions" not in flow["jobs"]["build"], "the build job needs nothing beyond reading the code"
    assert flow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert uses("build", "actions/checkout")["with"]["persist-credentials"] is False
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "secrets." not in text and "pull_request_target" not in text


def test_every_action_is_pinned_by_full_commit_with_its_release_named() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    lines = [line.split("uses:", 1)[1].strip() for line in text.splitlines() if "uses:" in line]
    assert len(lines) == 4, lines
    unpinned = [line for line in lines if not PINNED.match(line)]
    assert not unpinned, f"pin by commit, with the release as a comment: {unpinned}"


def test_the_docs_show_the_nginx_file_exactly_as_it_is() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    section = docs.split("\n### nginx\n", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```nginx\n(.*?)```", section, flags=re.DOTALL)
    assert blocks == [NGINX.read_text(encoding="utf-8")], "copy deploy/nginx-static.conf into docs/static-site.md"
