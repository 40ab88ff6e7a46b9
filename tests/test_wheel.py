"""The package installs like a library: ``python -m build`` makes a wheel and an sdist, and the
wheel alone, in a clean virtual environment with no extras, explains answers and checks its data.

data/ ships inside the wheel (``spotting/data/``, read with importlib.resources) and the page
template where Voila templates live; serving is an extra (``.[serve]``), so the engine and the
command line never import a web server, Voila, widgets or the QR-code library.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def wheel(built: Path) -> Path:
    [path] = built.glob("spotting-*.whl")
    return path


@pytest.fixture(scope="module")
def clean_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Iterator[Path]:
    """A new virtual environment with the wheel alone installed (the locked versions, no extras)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-c", str(ROOT / "constraints.txt")]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True)
    yield venv


def run(venv: Path, *command: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / command[0]), *command[1:]],
        input=stdin, capture_output=True, text=True, check=False, cwd=cwd,
    )  # fmt: skip


def test_build_makes_a_wheel_and_an_sdist(built: Path) -> None:
    assert len(list(built.glob("spotting-*.whl"))) == 1 and len(list(built.glob("spotting-*.tar.gz"))) == 1


def test_the_wheel_carries_the_data_the_template_and_metadata_a_registry_accepts(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [metadata_name] = [name for name in names if name.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    tables = {path.name for path in (ROOT / "data").glob("*.csv")}
    assert {f"spotting/data/{name}" for name in tables} <= names
    assets = {f"spotting/assets/{path.name}" for path in (ROOT / "spotting" / "assets").iterdir()}
    assert assets and assets <= names  # the widgets' JavaScript and CSS, read by path
    template = ROOT / "share" / "jupyter" / "voila" / "templates" / "spotting"
    for page_file in template.iterdir():  # every file the template includes, not only its entry
        wanted = f"share/jupyter/voila/templates/spotting/{page_file.name}"
        assert any(name.endswith(wanted) for name in names), page_file
    assert metadata["License-Expression"] == "MIT" and any(name.endswith("/LICENSE") for name in names)
    assert metadata["Description-Content-Type"] == "text/markdown" and metadata.get_payload()
    assert "Topic :: Education" in metadata.get_all("Classifier")
    requires = " ".join(metadata.get_all("Requires-Dist"))
    assert "voila" in requires and "extra == \"serve\"" in requires  # serving is an extra


def test_the_wheel_alone_explains_and_checks_its_data(clean_venv: Path, tmp_path: Path) -> None:
    explained = run(clean_venv, "spotting", "explain", "-", stdin='{"amount": "heavy"}', cwd=tmp_path)
    assert explained.returncode == 0, explained.stderr
    assert json.loads(explained.stdout)["urgency"] == "emergency"
    checked = run(clean_venv, "spotting", "check-data", cwd=tmp_path)
    assert checked.returncode == 0 and "knowledge base OK" in checked.stdout, checked.stderr


def test_the_engine_and_cli_load_no_server_widget_or_qr_module(clean_venv: Path, tmp_path: Path) -> None:
    probe = (
        "import sys, spotting, spotting.cli\n"
        "loaded = [m for m in ('voila', 'jupyter_server', 'tornado', 'ipywidgets', 'anywidget', 'segno') "
        "if m in sys.modules]\n"
        "print(loaded)"
    )
    result = run(clean_venv, "python", "-c", probe, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stderr
    assert run(clean_venv, "python", "-c", "import voila", cwd=tmp_path).returncode != 0  # only with .[serve]


def test_without_the_serve_extra_spotting_serve_says_how_to_get_it(clean_venv: Path, tmp_path: Path) -> None:
    """The door to spotting_host opens, and names the missing extra in one line instead of a traceback."""
    served = run(clean_venv, "spotting", "serve", cwd=tmp_path)
    assert served.returncode == 1 and served.stdout == "", served.stderr
    assert served.stderr.startswith("spotting: serving needs the [serve] extra (voila is missing)"), served.stderr
