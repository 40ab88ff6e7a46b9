"""The dashboard, classroom and Lighthouse benchmarks still run end to end (smoke tests; numbers not asserted).

A benchmark that silently breaks when the page changes measures nothing: this one broke once
when the explorer stopped showing a verdict before the first answer.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]


def test_the_dashboard_benchmark_runs_and_prints_its_table() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "dashboard.py"), "--loads", "1", "--toggles", "30"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for line in ("first result visible, cold", "toggle -> updated result (p95 ms)", "kernel memory RSS (MB)"):
        assert line in run.stdout


@pytest.mark.parametrize(("client", "workers"), [("browser", 1), ("protocol", 1), ("protocol", 2)])
def test_the_classroom_benchmark_runs_and_prints_its_table(client: str, workers: int) -> None:
    """Three learners, two answers each: enough to exercise serve, arrival, toggles and leaving
    (with two workers: through nginx)."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "classroom.py"), "--client", client,
         "--learners", "3", "--answers", "2", "--arrival", "2", "--workers", str(workers)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for line in ("first result p95 (ms)", "toggle p95 (ms)", "errors", "peak memory", "kernels after all left"):
        assert line in run.stdout
    assert re.search(r"^errors\s+0$", run.stdout, re.MULTILINE), run.stdout  # a learner who failed is a bug
    if workers > 1:
        assert re.search(r"^peak kernels per worker\s+\d+ / \d+$", run.stdout, re.MULTILINE), run.stdout


def test_the_phone_tasks_benchmark_runs_and_prints_its_table() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "phone_tasks.py")], capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    rows = [line for line in run.stdout.splitlines() if line.startswith("| ") and "task (" not in line]
    assert len(rows) == 3, run.stdout
    assert all(line.rstrip().endswith("| 0 |") for line in rows), run.stdout  # axe: no serious violations


def test_the_lighthouse_benchmark_runs_and_prints_its_table() -> None:
    """One mobile run each of the explorer and the bare notebook, cold kernels (no pool to wait for).

    The pinned Lighthouse comes from `npm ci --prefix bench`, which `make test` runs first: without
    it the benchmark exits non-zero and this test fails rather than skipping.
    """
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "lighthouse.py"), "--runs", "1", "--form-factor", "mobile",
         "--kernel", "cold"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for line in ("mobile, cold kernel", "LCP (s)", "TBT (ms)", "accessibility score", "explorer: mobile LCP"):
        assert line in run.stdout
