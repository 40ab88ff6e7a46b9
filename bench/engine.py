"""Engine benchmark: ``python bench/engine.py`` prints load time and explain() latency.

Numbers, not assertions: timing belongs in a report, not in a test that flakes on a busy
machine. Targets on the 2-core reference machine: load <= 300 ms, explain p99 <= 1 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from spotting.explain import explain
from spotting.knowledge import DEFAULT_DATA_DIR, Knowledge, _build, load_knowledge


def random_answers(knowledge: Knowledge, rng: random.Random) -> dict[str, Any]:
    """A random valid set of answers; each question answered with probability one half."""
    answers: dict[str, Any] = {}
    for name, question in knowledge.questions.items():
        if rng.random() < 0.5:
            continue
        if question.kind == "boolean":
            answers[name] = rng.random() < 0.5
        elif question.kind == "integer":
            assert question.minimum is not None and question.maximum is not None
            answers[name] = rng.randint(question.minimum, question.maximum)
        else:
            answers[name] = rng.choice(question.choices)
    return answers


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    full, trusted = [], []
    for _ in range(5):
        start = time.perf_counter()
        _build(DEFAULT_DATA_DIR, trust_fingerprint=False)  # read + every check + build
        full.append(time.perf_counter() - start)
        start = time.perf_counter()
        _build(DEFAULT_DATA_DIR)  # the same bytes again: column checks skipped, cross-checks run
        trusted.append(time.perf_counter() - start)
    knowledge = load_knowledge()

    rng = random.Random(args.seed)
    samples = [random_answers(knowledge, rng) for _ in range(args.samples)]
    for answers in samples[:200]:  # warm-up
        explain(answers, knowledge)
    timings, cpu = [], []
    begin = time.perf_counter()
    for answers in samples:
        start, start_cpu = time.perf_counter(), time.thread_time()
        explain(answers, knowledge)
        cpu.append(time.thread_time() - start_cpu)
        timings.append(time.perf_counter() - start)
    total = time.perf_counter() - begin
    timings.sort()
    cpu.sort()
    print(f"knowledge load, full validation (median of 5):       {statistics.median(full) * 1000:.1f} ms")
    print(f"knowledge load, fingerprint trusted (median of 5):   {statistics.median(trusted) * 1000:.1f} ms")
    print(f"explain() over {len(samples)} random valid answer sets:")
    # CPU time per call is what the code costs; wall time also counts other processes on the machine.
    for name, values in (("wall", timings), ("cpu ", cpu)):
        print(
            f"  {name}: p50 {percentile(values, 0.50) * 1e3:.3f} ms, p99 {percentile(values, 0.99) * 1e3:.3f} ms,"
            f" max {values[-1] * 1e3:.3f} ms"
        )
    print(f"  {len(samples) / total:,.0f} explanations per second")


if __name__ == "__main__":
    main()
