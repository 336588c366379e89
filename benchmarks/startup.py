"""Start-up and single-file speed of ``kpo-calc`` against the bare-import baseline.

Baseline: ``python -c "import typer, rich, pydantic, yaml, numpy"`` on the same
machine. Targets: ``compare`` on the largest example <= 1.5x the baseline (the
design goal, kept as the model grows), ``--version`` <= 0.5x. Each command runs
``--runs`` times, alternating so that machine noise hits every command alike;
medians are reported, of the wall time and of the CPU time (user + system),
which other processes on the machine inflate far less. Run it on a quiet
machine: other processes on the two cores inflate every figure, the ratios less so.

Run: ``python benchmarks/startup.py [--runs 30]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


TYPER_FLOOR = """
import sys
from pathlib import Path
import typer, rich, pydantic, yaml, numpy
app = typer.Typer(add_completion=False)
@app.command()
def main(files: list[Path]) -> None:
    pass
sys.argv[0] = "floor"
app()
"""


def largest_example() -> Path:
    """The example with the most options, work items and stress tests (then the longest)."""
    return max(sorted(SCENARIOS.glob("*.yaml")), key=lambda p: len(p.read_text()))


# As on a user's second run: bytecode caches present. The libraries' caches were written
# when pip installed them; an editable install of this package gets its caches only if
# Python may write them, so the warm-up runs must not inherit PYTHONDONTWRITEBYTECODE
# (set on some CI machines), or every run would compile kpo_calc from source.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "COLUMNS": "120"}


def time_once(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped by wait4
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--scenario", type=Path, default=None,
                        help="the scenario to compare (default: the largest example)")
    args = parser.parse_args()
    exe = shutil.which("kpo-calc") or str(Path(sys.executable).with_name("kpo-calc"))
    example = args.scenario or largest_example()
    commands = {
        "baseline (import typer, rich, pydantic, yaml, numpy)":
            [sys.executable, "-c", "import typer, rich, pydantic, yaml, numpy"],
        "python -c pass": [sys.executable, "-c", "pass"],
        # The floor for any Typer CLI: the five imports plus Typer parsing one
        # list-of-paths argument (Typer 0.29 builds pydantic adapters to do it).
        "floor: a Typer app parsing one path argument": [
            sys.executable, "-c", TYPER_FLOOR, str(example)],
        f"kpo-calc compare {example.name}": [exe, "compare", str(example)],
        f"kpo-calc compare --format json {example.name}":
            [exe, "compare", "--format", "json", str(example)],
        "kpo-calc --version": [exe, "--version"],
        "kpo-calc --help": [exe, "--help"],
    }
    for cmd in commands.values():  # warm the OS file cache and .pyc files
        time_once(cmd)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            samples[name].append(time_once(cmd))
    walls = {name: statistics.median(t[0] for t in times) for name, times in samples.items()}
    cpus = {name: statistics.median(t[1] for t in times) for name, times in samples.items()}
    base = next(iter(commands))
    floor = next(name for name in commands if name.startswith("floor"))
    print(f"{'command':58} {'median ms':>10} {'x baseline':>11} {'x floor':>8} "
          f"{'CPU ms':>7} {'x floor':>8}")
    for name in commands:
        print(f"{name:58} {walls[name] * 1000:10.1f} {walls[name] / walls[base]:11.2f} "
              f"{walls[name] / walls[floor]:8.2f} {cpus[name] * 1000:7.1f} "
              f"{cpus[name] / cpus[floor]:8.2f}")


if __name__ == "__main__":
    main()
