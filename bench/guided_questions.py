"""Questions the guided mode asks vs the questions the one-page form shows, for every engine case.

Guided mode follows checker_py.next_questions from an empty profile, answering from the case's full
profile ("I don't know" where it has no value), exactly as tests/engine/test_next_questions.py does.
A list answered whole counts each item field it fills. The one-page form shows, for the case's
programme, every question of that programme whose follow-up condition holds, and each listed
item's fields. Target: on average at most 0.6 x the form, and never more than the form.

    .venv/bin/python bench/guided_questions.py
"""

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests" / "engine"), str(ROOT / "tests"), str(ROOT)]
import _common as c  # noqa: E402
from support import value_at  # noqa: E402
from test_cases import CASES, profile_of  # noqa: E402
from test_next_questions import follow  # noqa: E402


def form_fields():
    """The field schema the page's form is built from (the compiled rules)."""
    return json.loads((ROOT / "checker_py" / "_data" / "rules.json").read_text(encoding="utf-8"))["fields"]


def form_count(fields, profile, programme):
    """How many questions the one-page form shows for a programme, given the answers."""
    count = 0
    for field in fields:
        if field.get("programmes") and programme not in field["programmes"]:
            continue
        ask = field.get("ask_when")
        if ask and value_at(profile, ask["field"]) not in ask["in"]:
            continue
        count += 1
        if field["type"] == "list":
            count += len(field.get("item_fields", [])) * len(value_at(profile, field["path"]) or [])
    return count


def guided_count(fields, full, programme):
    """How many questions guided mode asks (a list answered whole counts the item fields it fills)."""
    reached, asked = follow(full, programme)
    lists = {f["path"] for f in fields if f["type"] == "list"}
    count = len(asked)
    for path in lists & set(asked):
        count += sum(len(item) for item in value_at(reached, path) or [])
    return count


def main():
    fields = form_fields()
    per_programme, over = {}, []
    for _, case in CASES:
        full = profile_of(case)
        counts = guided_count(fields, full, case["programme"]), form_count(fields, full, case["programme"])
        per_programme.setdefault(case["programme"], []).append(counts)
        if counts[0] > counts[1]:
            over.append(case["name"])
    pairs = [pair for values in per_programme.values() for pair in values]
    rows = [c.row(f"{pid}: questions asked, mean of {len(v)} cases (vs the one-page form's)",
                  statistics.mean(a for a, _ in v), statistics.mean(s for _, s in v), target=0.6)
            for pid, v in per_programme.items()]
    rows.append(c.row(f"all {len(pairs)} cases: questions asked, mean (vs the form's)",
                      statistics.mean(a for a, _ in pairs), statistics.mean(s for _, s in pairs), target=0.6))
    worst = max(pairs, key=lambda pair: pair[0] / pair[1])
    rows.append(c.row("the case with the largest ratio: questions asked (vs the form's)", worst[0], worst[1], target=1.0))
    c.record("guided_questions", {"rows": rows, "over": over})
    c.print_table("5. Guided mode: questions asked vs the one-page form", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
