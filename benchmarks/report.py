"""Speed of ``kpo-calc report`` against ``compare`` on the largest example, as processes.

Target (issue 15): ``report FILE -o x.html`` within 3x ``compare FILE`` on the same
file. The report does more than compare (a simulation of ``--trials`` trials and a
tornado when inputs are uncertain, four charts drawn by matplotlib), so the ratio is
what is held. Each command runs ``--runs`` times, alternating so that machine noise
hits both alike; medians are reported. Run it on a quiet machine.

Run: ``python benchmarks/report.py [--runs 15] [--file scenarios/x.yaml]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LARGEST = ROOT / "scenarios" / "insurer-claims-actuarial-myr.yaml"
LIMIT = 3.0
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "COLUMNS": "120"}


def time_once(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False, env=ENV)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--file", type=Path, default=LARGEST)
    args = parser.parse_args()
    exe = shutil.which("kpo-calc") or sys.exit("kpo-calc is not installed")
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "report.html")
        commands = {"compare": [exe, "compare", str(args.file)],
                    "report": [exe, "report", str(args.file), "-o", out]}
        for cmd in commands.values():  # warm-up: bytecode and matplotlib's font cache
            time_once(cmd)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(time_once(cmd))
        size = Path(out).stat().st_size
    medians = {name: statistics.median(t) for name, t in times.items()}
    ratio = medians["report"] / medians["compare"]
    print(f"file: {args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file}"
          f", {args.runs} runs each, medians")
    for name, median in medians.items():
        print(f"  {name:8} {median:6.3f} s  (min {min(times[name]):.3f} s)")
    print(f"  report / compare: {ratio:.2f}x (target <= {LIMIT:g}x); report size "
          f"{size:,} bytes")
    sys.exit(0 if ratio <= LIMIT else 1)


if __name__ == "__main__":
    main()
