"""Profiles per second through the CLI's batch path (`check --format json FILE.jsonl`), all five programmes.

Generates 10 000 random profiles, times the CLI end to end, and compares it with a baseline measured
in the same run: interpreter start-up plus json-parsing the same file. Both wall-clock time and the
CPU time of the process (user + system: the work of the one core it runs on) are reported, since
on a shared machine the wall clock also counts the time spent waiting for a core. Merges its
figures into bench/results.json under "cli_batch" (others write other keys there).

    .venv/bin/python bench/cli_batch.py [--count N] [--runs N] [--quick]
"""

import argparse
import json
import os
import pathlib
import random
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _common  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
COUNT = 10_000
TARGET = 1_000  # profiles/s, all five programmes, one core: a floor for the plain evaluator, not a goal


def random_profile(rng):
    """A plausible, mostly complete profile; some values left unknown."""
    maybe = lambda value: None if rng.random() < 0.1 else value  # noqa: E731
    total = rng.choice([100, 900, 3000, 4000, 8000])
    profile = {
        "unit": {"in_karamay": maybe(rng.random() < 0.85), "legal_person": maybe(True),
                 "kind": maybe(rng.choice(["enterprise", "institution", "other"])),
                 "institution_type": maybe(rng.choice(["university", "research_institute", "other"])),
                 "high_tech_enterprise": maybe(rng.random() < 0.6), "rd_capacity": maybe(True),
                 "credit_rating": maybe(rng.choice("ABCD")), "st_credit_rating": maybe(rng.choice("AB")),
                 "research_platform": maybe(rng.random() < 0.3)},
        "leader": {"employed_by_unit": maybe(True),
                   "birth_date": maybe(f"{rng.randint(1955, 1995)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"),
                   "gender": maybe(rng.choice(["female", "male"])),
                   "title": maybe(rng.choice(["none", "junior", "intermediate", "associate_senior", "senior"])),
                   "degree": maybe(rng.choice(["none", "associate", "bachelor", "master", "doctorate"])),
                   "st_credit_rating": maybe(rng.choice("AB")), "has_unaccepted_city_project": maybe(rng.random() < 0.1)},
        "project": {"total_investment": maybe(total), "requested_funding": maybe(round(total * rng.uniform(0.05, 0.3), 2)),
                    "consortium_units": maybe(rng.randint(1, 5)), "local_consortium_enterprises": maybe(rng.randint(0, 3)),
                    "subtopics": maybe(rng.randint(1, 5)), "subtopics_meet_conditions": maybe(True),
                    "achievements": [{"kind": rng.choice(["award", "invention_patent", "utility_model", "plant_variety"]),
                                      "date": f"{rng.randint(2010, 2021)}-06-01",
                                      "award_level": rng.choice(["national", "provincial", "other"]),
                                      "acquired": rng.choice(["self_developed", "transfer_registered", "transfer_unregistered"]),
                                      "stage": rng.choice(["lab", "pilot", "early_application", "industrialised"]),
                                      "clear_ip": True, "evaluation_report": rng.random() < 0.5}
                                     for _ in range(rng.randint(0, 2))]},
        "restrictions": {"same_project_other_category": maybe(False), "similar_to_funded_project": maybe(False),
                         "already_fiscally_funded": maybe(False)},
        "integrity_commitment": maybe(True),
    }
    return profile


def timed(cmd):
    """(wall-clock seconds, CPU seconds) of one subprocess run (must succeed); CPU = user + system."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv=None):
    """Generate, time, print, record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="500 profiles, one run, to prove the script works")
    args = parser.parse_args(argv)
    count, runs = (500, 1) if args.quick else (args.count, args.runs)
    rng = random.Random(2022)
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "profiles.jsonl"
        path.write_text("\n".join(json.dumps(random_profile(rng)) for _ in range(count)) + "\n", encoding="utf-8")
        baseline_cmd = [sys.executable, "-c", "import json,sys\nfor line in open(sys.argv[1]): json.loads(line)", str(path)]
        cli_cmd = [sys.executable, "-m", "checker_py", "check", "--format", "json", str(path)]
        baseline_runs, cli_runs = [], []
        for _ in range(runs):  # alternating, best of each
            baseline_runs.append(timed(baseline_cmd))
            cli_runs.append(timed(cli_cmd))
    baseline = min(w for w, _ in baseline_runs)
    seconds = min(w for w, _ in cli_runs)
    cpu = min(t for _, t in cli_runs)
    rate, cpu_rate = count / seconds, count / cpu
    figures = {
        "profiles": count,
        "programmes": 5,
        "runs": runs,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "profiles_per_second": round(rate),
        "profiles_per_cpu_second": round(cpu_rate),
        "baseline_seconds": round(baseline, 3),
        "baseline": "python start-up + json.loads of the same .jsonl",
        "ratio_to_baseline": round(seconds / baseline, 1),
        "target_profiles_per_second": TARGET,
        "meets_target": rate >= TARGET,
        "meets_target_per_cpu_second": cpu_rate >= TARGET,
        "python": sys.version.split()[0],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    figures["rows"] = [
        _common.row("CLI batch, profiles/s (wall clock, best run)", rate, None, -TARGET, "/s",
                    f"{count:,} profiles × 5 programmes, {seconds:.2f} s"),
        _common.row("CLI batch, profiles per CPU second (one core)", cpu_rate, None, -TARGET, "/s",
                    f"user+sys {cpu:.2f} s"),
        _common.row("CLI batch time vs start-up + json.loads of the file", seconds, baseline, None, "s"),
    ]
    # A negative target in a row means "at least": flip the comparison for these two.
    for r in figures["rows"][:2]:
        r["met"] = r["value"] >= TARGET
    _common.record("cli_batch", figures)
    _common.print_table(f"CLI batch throughput (`check --format json FILE.jsonl`; {runs} runs, best; "
                        f"load average {figures['load_average'][0]})", figures["rows"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
