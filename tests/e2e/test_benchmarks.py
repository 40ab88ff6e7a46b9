"""The dashboard benchmark still runs end to end (a smoke test; its numbers are not asserted).

A benchmark that silently breaks when the page changes measures nothing: this one broke once
when the explorer stopped showing a verdict before the first answer.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def test_the_dashboard_benchmark_runs_and_prints_its_table() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "dashboard.py"), "--loads", "1", "--toggles", "30"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for line in ("first result visible, cold", "toggle -> updated result (p95 ms)", "kernel memory RSS (MB)"):
        assert line in run.stdout
