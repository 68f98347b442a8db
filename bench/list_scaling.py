"""How the engine's time grows with the number of achievements: evaluate and next_questions for 10 and
for 50 items (the list's limit, `max_items`), all five programmes, in this process.

Linear work takes five times as long for five times the items; the engine once took twenty-five
times (it tried each item's answers on the whole list again). The baseline of each row is five times
the 10-item time, so the ratio is ≤ 1 for linear work (a fixed cost per profile makes it less) and
about 5 for quadratic. CPU time of this process, best of several runs. Merges its figures into
bench/results.json under "list_scaling".

    .venv/bin/python bench/list_scaling.py [--runs N] [--quick]
"""

import argparse
import json
import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _common  # noqa: E402

sys.path.insert(0, str(_common.ROOT))
import checker_py  # noqa: E402

SIZES = (10, 50)
TARGET = 1.3  # × five times the 10-item time: linear, with room for a noisy machine


def profile(n):
    """An enterprise's profile with n achievements of the four kinds in turn, their other answers
    unknown: no item decides a rule, so every item is read and every item's answers are tried."""
    kinds = ["award", "invention_patent", "utility_model", "plant_variety"]
    return {"unit": {"in_karamay": True, "kind": "enterprise"},
            "project": {"total_investment": 4000, "achievements": [{"kind": kinds[i % 4]} for i in range(n)]}}


def best_cpu(compute, runs):
    """The least CPU time of `runs` calls of compute()."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        compute()
        times.append(time.process_time() - start)
    return min(times)


def main(argv=None):
    """Time, print, record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="two runs, to prove the script works")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else args.runs
    rules = json.loads((_common.ROOT / "checker_py" / "_data" / "rules.json").read_text(encoding="utf-8"))
    limit = next(f for f in rules["fields"] if f["path"] == "project.achievements")["max_items"]
    assert SIZES[-1] == limit, f"the list's limit is {limit}: measure up to it"
    seconds = {}
    for name, call in (("evaluate", checker_py.evaluate), ("next_questions", checker_py.next_questions)):
        for n in SIZES:
            case = profile(n)
            seconds[name, n] = best_cpu(lambda: call(case), runs)
    figures = {
        "sizes": list(SIZES), "runs": runs, "python": sys.version.split()[0],
        "cpu_seconds": {f"{name}.{n}": round(s, 5) for (name, n), s in seconds.items()},
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    small, large = SIZES
    scale = large / small
    figures["rows"] = [
        _common.row(f"{name}, {large} achievements (vs {scale:g} × the time for {small})", seconds[name, large] * 1000,
                    seconds[name, small] * scale * 1000, TARGET, "ms", f"all five programmes, CPU, best of {runs}")
        for name in ("evaluate", "next_questions")
    ]
    _common.record("list_scaling", figures)
    _common.print_table(f"Engine time vs the number of achievements (load average {figures['load_average'][0]})",
                        figures["rows"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
