"""Speed of ``kpo-calc mix`` (issue 9) against ``compare`` on the same file.

Targets: 10 work items x 3 options (3^10 = 59,049 plans) in at most 3x the
wall time of ``compare`` on the same file; 12 items x 4 options (4^12 =
16,777,216 plans) searched with bounded memory (peak RSS printed) or refused
with a clear message. The files are generated: recurring items of varied
hours and specializations, an in-house team employed today, a KPO and a BPO
(and a second KPO for the 4-option case). Medians of ``--runs`` runs.

Robust plans (issue 16, ``mix --trials``): the ten-item file with its vendors' rates
and productivity uncertain (uniform ±20%), ``--trials 1000``, within 10x the point
``mix`` on the same file; the insurer example with ``--trials 10000`` within 3x
``simulate`` on the same file; peak memory under 1 GiB.

Run: ``python benchmarks/mix.py [--runs 5] [--skip-large] [--skip-robust]``
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def scenario(items: int, options: int) -> dict[str, Any]:
    """``items`` work items every one of ``options`` options may serve."""
    work = [{"name": f"Stream {i + 1}", "kind": "recurring",
             "hours_per_month": 200 + 37 * i, "specialization": "medium",
             "growth": 0.02 * (i % 3)} for i in range(items)]
    opts: list[dict[str, Any]] = [
        {"name": "In-house", "model": "in_house", "annual_salary": 90_000,
         "benefits_rate": 0.3, "existing_fte": items, "severance_months": 3,
         "time_to_hire_months": 2, "recruiting_cost_per_hire": 8_000},
        {"name": "KPO India", "model": "kpo", "hourly_rate": 32, "productivity": 0.9,
         "vendor_selection_cost": 40_000, "transition": {"cost": 60_000, "months": 3},
         "min_monthly_hours": 300},
        {"name": "BPO Manila", "model": "bpo", "hourly_rate": 18, "productivity": 0.85,
         "max_specialization": "medium", "vendor_selection_cost": 20_000,
         "governance_rate": 0.05},
        {"name": "KPO Krakow", "model": "kpo", "hourly_rate": 45, "productivity": 0.95,
         "vendor_selection_cost": 30_000, "min_monthly_hours": 100},
    ][:options]
    return {"version": 1, "name": f"{items} items x {options} options", "currency": "USD",
            "horizon_months": 36, "discount_rate": 0.08, "unmet_hour_cost": 120,
            "work": work, "options": opts,
            "stress": [{"name": "Downturn", "from_month": 13, "demand_change": -0.3}],
            "decision": {"baseline": "In-house", "min_savings": 0.1}}


def run(args: list[str]) -> tuple[float, int, str]:
    """Wall seconds, exit code and stderr of ``kpo-calc ARGS`` in a fresh interpreter."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kpo_calc", *args], capture_output=True,
                          text=True, check=False)
    return time.perf_counter() - start, proc.returncode, proc.stderr


def peak_rss_mb(args: list[str]) -> tuple[float, int, str]:
    """Peak resident memory (MB) of one run, from the children's rusage."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds, code, err = run(args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(after, before) / 1024, code, f"{seconds:.2f} s; {err.strip()[:300]}"


def uncertain(data: dict[str, Any]) -> dict[str, Any]:
    """The vendors' hourly rates and productivity as uniform ±20% ranges."""
    for option in data["options"]:
        for key in ("hourly_rate", "productivity"):
            if key in option:
                x = option[key]
                option[key] = {"uniform": [0.8 * x, min(1.2 * x, 2.0) if key ==
                                           "productivity" else 1.2 * x]}
    return data


def robust(tmp: Path, runs: int) -> None:
    """``mix --trials`` against the point ``mix`` and against ``simulate``."""
    path = tmp / "ten-by-three-uncertain.yaml"
    path.write_text(yaml.safe_dump(uncertain(scenario(10, 3)), sort_keys=False))
    point = statistics.median(run(["mix", str(path)])[0] for _ in range(runs))
    rss_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    timed = [run(["mix", "--trials", "1000", str(path)]) for _ in range(max(1, runs // 2))]
    if any(code != 0 for _, code, _ in timed):
        raise SystemExit(f"mix --trials failed: {timed[0][2]}")
    robust_s = statistics.median(t for t, _, _ in timed)
    rss = max(rss_before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(f"10 x 3 uncertain, --trials 1000: mix {point:.2f} s, mix --trials {robust_s:.2f} s, "
          f"ratio {robust_s / point:.1f} (target <= 10); peak RSS so far {rss:.0f} MB")
    insurer = ROOT / "scenarios" / "insurer-claims-actuarial-myr.yaml"
    sim = statistics.median(run(["simulate", "--trials", "10000", str(insurer)])[0]
                            for _ in range(runs))
    mixed = statistics.median(run(["mix", "--trials", "10000", str(insurer)])[0]
                              for _ in range(runs))
    print(f"insurer, --trials 10000: simulate {sim:.2f} s, mix --trials {mixed:.2f} s, "
          f"ratio {mixed / sim:.1f} (target <= 3)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--skip-robust", action="store_true")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ten-by-three.yaml"
        path.write_text(yaml.safe_dump(scenario(10, 3), sort_keys=False))
        compare = statistics.median(run(["compare", str(path)])[0] for _ in range(opts.runs))
        timings = [run(["mix", str(path)]) for _ in range(opts.runs)]
        if any(code != 0 for _, code, _ in timings):
            raise SystemExit(f"mix failed: {timings[0][2]}")
        mixed = statistics.median(t for t, _, _ in timings)
        print(f"10 items x 3 options (59,049 plans): compare {compare:.2f} s, mix {mixed:.2f} s, "
              f"ratio {mixed / compare:.2f} (target <= 3)")
        if not opts.skip_robust:
            robust(Path(tmp), opts.runs)
        if not opts.skip_large:
            large = Path(tmp) / "twelve-by-four.yaml"
            large.write_text(yaml.safe_dump(scenario(12, 4), sort_keys=False))
            rss, code, note = peak_rss_mb(["mix", "--format", "json", str(large)])
            print(f"12 items x 4 options (16,777,216 plans): exit {code}, peak RSS "
                  f"{rss:.0f} MB, {note}")


if __name__ == "__main__":
    main()
