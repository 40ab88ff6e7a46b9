"""environment.yml, pyproject.toml and constraints.txt stay in step."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].lower() for requirement in requirements}


def test_environment_yml_pins_the_locked_version_of_every_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = names(project["dependencies"] + extras["serve"] + extras["test"])
    locked = dict(
        line.lower().split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    pinned = dict(item.lower().split("==") for item in pip if "==" in item)
    assert set(pinned) == wanted
    for name, version in pinned.items():
        assert locked.get(name) == version, f"{name}: environment.yml {version} vs constraints.txt {locked.get(name)}"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make dashboard" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
