"""Byte-for-byte parity of the CLI's output between this checkout and an earlier commit.

The batch path of checker_py is optimised with caches; this proves it prints exactly what the
engine printed before. It extracts `checker_py/` of REF (default: the commit before the batch
optimisation; now HEAD) with `git archive`, gives it this checkout's compiled rules, and runs both CLIs on
the same 10 000 generated profiles (bench/cli_batch.py's generator) plus a few hundred invalid or
unusual ones, in both languages, all programmes and one programme, JSON and text output.

    .venv/bin/python bench/cli_parity.py [--ref COMMIT] [--count N]
"""

import argparse
import hashlib
import io
import json
import pathlib
import random
import subprocess
import sys
import tarfile
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from cli_batch import random_profile  # noqa: E402

# The committed engine: an optimisation in the working tree must print exactly what HEAD prints.
# (The batch-path optimisation was proved against 376d249; since then two intentional changes alter
# output: priority-only answers are no longer listed as "missing", and parse errors are in Chinese.)
DEFAULT_REF = "HEAD"


def unusual(rng, profile):
    """A copy with something odd: wrong types, unknown keys, floats for ints, bad dates, nulls."""
    p = json.loads(json.dumps(profile))
    choice = rng.randrange(9)
    if choice == 0:
        p["unit"]["kind"] = rng.choice(["company", 3, None, True])
    elif choice == 1:
        p["project"]["consortium_units"] = rng.choice([2.0, 2.5, -1, "2"])
    elif choice == 2:
        p["leader"]["birth_date"] = rng.choice(["1970-02-30", "1970-2-3", "19700203", 1970, "１９７０-01-01"])
    elif choice == 3:
        p["surprise"] = 1
    elif choice == 4:
        p["project"]["total_investment"] = rng.choice([3000.0, 0, 0.0, -0.0, 1e16, 4000.004, 1.5e-7])
        p["project"]["requested_funding"] = rng.choice([0.0, 100.0, 99.999, 300, None])
    elif choice == 5:
        p["project"]["achievements"] = rng.choice([[], [{}], [{"kind": "award", "date": "2019-06-01"}], "none", [1],
                                                   [{"kind": "award", "date": "2019-02-30"}], [{"kind": "prize"}],
                                                   [{"date": "2019-06-01", "clear_ip": 1}], [{"surprise": True}]])
    elif choice == 6:
        p["project"]["self_funding"] = rng.choice([0, 3200, 3200.0, 10.5])
    elif choice == 7:
        p["unit"] = rng.choice([[], "x", {}, None])
    else:
        return rng.choice(["[]", "null", "{", '"text"', "{}"])
    return json.dumps(p, ensure_ascii=False)


def extract(ref, dest):
    """checker_py/ of `ref`, with this checkout's compiled rules."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref, "checker_py"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest)
    data = pathlib.Path(dest) / "checker_py" / "_data"
    data.mkdir(exist_ok=True)
    (data / "rules.json").write_bytes((ROOT / "checker_py" / "_data" / "rules.json").read_bytes())


def run(cwd, args, path):
    out = subprocess.run([sys.executable, "-m", "checker_py", "check", *args, str(path)], cwd=cwd,
                         capture_output=True, check=False)
    return out.returncode, out.stdout, out.stderr


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default=DEFAULT_REF)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args(argv)
    rng = random.Random(2022)
    lines = [json.dumps(random_profile(rng)) for _ in range(args.count)]
    odd = random.Random(7)
    lines += [unusual(odd, random_profile(odd)) for _ in range(max(30, args.count // 30))]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        extract(args.ref, tmp)
        path = pathlib.Path(tmp) / "profiles.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        small = pathlib.Path(tmp) / "small.jsonl"
        small.write_text("\n".join(lines[:300] + lines[args.count:]) + "\n", encoding="utf-8")
        cases = [(["--format", "json", "--lang", "zh"], path), (["--format", "json", "--lang", "en"], path),
                 (["--format", "json", "--lang", "en", "--programme", "talent"], path),
                 (["--format", "json", "--programme", "major"], path),
                 (["--format", "text", "--lang", "zh"], small), (["--format", "text", "--lang", "en"], small)]
        for case, source in cases:
            before, after = run(tmp, case, source), run(ROOT, case, source)
            same = before == after
            failures += not same
            digest = hashlib.sha256(after[1]).hexdigest()[:16]
            print(f"{'same' if same else 'DIFFERENT':9s} {' '.join(case):45s} {source.name:15s} "
                  f"{len(after[1]):>11,} bytes sha256 {digest} exit {after[0]}")
    print(f"{len(lines)} profiles ({len(lines) - args.count} unusual) vs {args.ref}: "
          f"{'byte-identical' if not failures else f'{failures} case(s) differ'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
