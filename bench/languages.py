"""Languages benchmark: ``python bench/languages.py`` prints what a language costs a kernel.

Numbers, not assertions (issue 23's targets: memory <= 10 MB per language loaded, switching the
explorer's language <= 100 ms, ``explain`` unchanged within noise). Measured in this process:
the memory a language's knowledge base adds (tracemalloc, Python allocations), the time to build
it the first time (reading its catalogs) and once cached, the explorer's switch in the
same kernel (widget state updated, before the browser draws), and explain() in each language.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
import tracemalloc

from engine import random_answers  # type: ignore[import-not-found]  # bench/ is run as a folder of scripts

from spotting.explain import explain
from spotting.knowledge import available_languages, load_knowledge


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=2000, help="random answer sets for explain()")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    english = load_knowledge(region="GB")
    languages = [code for code in available_languages() if code != "en"]
    print(f"offered languages: {', '.join(available_languages())}")

    for code in languages:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        started = time.perf_counter()
        load_knowledge(region="GB", lang=code)
        first = time.perf_counter() - started
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
        started = time.perf_counter()
        load_knowledge(region="GB", lang=code)
        cached = time.perf_counter() - started
        print(f"{code}: first load {ms(first)} (catalogs read, then built), cached {ms(cached)}, "
              f"memory +{grown / 1e6:.1f} MB (one region)")  # fmt: skip

    from spotting.explorer.app import App

    app = App(english)
    app.emergency_form.answers = {"amount": "light", "pregnant": "yes"}
    for code in languages:
        times = []
        for _ in range(5):
            for target in (code, "en"):
                started = time.perf_counter()
                app.set_language(target)
                times.append(time.perf_counter() - started)
        print(f"explorer switch en <-> {code} (kernel side, cached): median {ms(statistics.median(times))}, "
              f"max {ms(max(times))}")  # fmt: skip

    rng = random.Random(23)
    sets = [random_answers(english, rng) for _ in range(args.answers)]
    for code in ["en", *languages]:
        knowledge = load_knowledge(region="GB", lang=code)
        durations = []
        for answers in sets:
            started = time.perf_counter()
            explain(answers, knowledge)
            durations.append(time.perf_counter() - started)
        durations.sort()
        p99 = durations[int(0.99 * len(durations))]
        print(f"explain [{code}]: p50 {ms(statistics.median(durations))}, p99 {ms(p99)}")


if __name__ == "__main__":
    main()
