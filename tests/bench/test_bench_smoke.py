"""The benchmarks still run: every bench script in its tiny mode writes its keys (no timing is judged).

The figures go to a temporary results file (BENCH_RESULTS), so bench/results.json keeps the last
real run. The benchmarks themselves are `make bench`, not part of `make test`.
"""

import json
import os
import subprocess
import sys

from support import ROOT


def test_every_bench_script_runs_in_quick_mode_and_writes_its_keys(site_dir, tmp_path):
    results = tmp_path / "results.json"
    env = {**os.environ, "BENCH_RESULTS": str(results), "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run([sys.executable, "bench/run.py", "--quick"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    data = json.loads(results.read_text(encoding="utf-8"))
    for key in ("startup", "latency", "cli_batch", "sheets", "weight", "build", "lighthouse"):
        assert data[key]["rows"], key
        for row in data[key]["rows"]:
            assert isinstance(row["value"], (int, float)) and row["value"] >= 0, (key, row)
    assert data["startup"]["medians_ms"]["checker_cold.ready"] > 0
    assert data["latency"]["change_to_result_ms"]["median"] > 0
    assert data["cli_batch"]["profiles_per_second"] > 0
    assert data["weight"]["pyodide_runtime_bytes"] > 0 and len(data["weight"]["checker_largest"]) == 5
    assert data["build"]["build_py_s"] and data["build"]["bare_mkdocs_s"]
    assert data["build"]["one_edition_s"] and data["build"]["two_editions_s"]
    assert data["lighthouse"]["plain"]["scores"]["performance"] > 0 and data["lighthouse"]["pages"]
    assert "| measurement | value | baseline | ratio | target | met |" in out.stdout
