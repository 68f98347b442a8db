"""Profiles per second through the CLI's batch path (`check --format json FILE.jsonl`), all five programmes.

Generates 10 000 random profiles, times the CLI end to end, and compares it with a baseline measured
in the same run: interpreter start-up plus json-parsing the same file. Merges its figures into
bench/results.json under "cli_batch" (others write other keys there).
"""

import json
import pathlib
import random
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
COUNT = 10_000
TARGET = 5_000  # profiles/s, all five programmes, one core


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
    """Wall-clock seconds of one subprocess run (must succeed)."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    """Generate, time, print, record."""
    rng = random.Random(2022)
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "profiles.jsonl"
        path.write_text("\n".join(json.dumps(random_profile(rng)) for _ in range(COUNT)) + "\n", encoding="utf-8")
        baseline_cmd = [sys.executable, "-c", "import json,sys\nfor line in open(sys.argv[1]): json.loads(line)", str(path)]
        cli_cmd = [sys.executable, "-m", "checker_py", "check", "--format", "json", str(path)]
        baseline = min(timed(baseline_cmd) for _ in range(3))
        seconds = min(timed(cli_cmd) for _ in range(3))
    rate = COUNT / seconds
    figures = {
        "profiles": COUNT,
        "programmes": 5,
        "seconds": round(seconds, 3),
        "profiles_per_second": round(rate),
        "baseline_seconds": round(baseline, 3),
        "baseline": "python start-up + json.loads of the same .jsonl",
        "ratio_to_baseline": round(seconds / baseline, 1),
        "target_profiles_per_second": TARGET,
        "meets_target": rate >= TARGET,
        "python": sys.version.split()[0],
    }
    print(f"cli batch: {rate:,.0f} profiles/s (5 programmes, {COUNT} profiles, {seconds:.2f} s); "
          f"baseline {baseline:.2f} s; {seconds / baseline:.1f}x baseline; target {TARGET:,}/s")
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results["cli_batch"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
