"""Speed and memory of ``kpo-calc simulate`` (issue 14) against B, the bare import of the
five libraries (typer, pydantic, rich, yaml, numpy), measured in the same run.

Cases, on the largest example (the insurer):

- ``all``: every sampleable input uncertain, uniform within ±20% of its value (held
  inside the field's range), 100,000 trials. Target: at most 4× B.
- ``one``: one uncertain input (BPO Manila's hourly rate ±20%), the others fixed,
  100,000 trials. Target: at most 2× B (parts no uncertain input touches are
  costed once and broadcast).
- ``million``: the ``all`` file at 1,000,000 trials: peak memory under 512 MiB.

Medians of ``--runs`` runs, each a fresh process (output to /dev/null); peak RSS from
the operating system. ``--in-process`` adds, per case, the process time of ``simulate``
alone (the scenario loaded and the engine warmed first): what the engine costs without
start-up, the figure to watch on a busy machine (wall time there includes waiting for
a core).

Run: ``python benchmarks/simulate.py [--runs 3] [--skip-million] [--in-process]``
"""

from __future__ import annotations

import argparse
import math
import os
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
EXAMPLE = ROOT / "scenarios" / "insurer-claims-actuarial-myr.yaml"


def plain_data() -> tuple[dict[str, Any], Any]:
    """The example as data with every distribution replaced by its mean, and the scenario."""
    from kpo_calc import api
    from kpo_calc.paths import located_numbers

    scenario = api.load(EXAMPLE)
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for _, at, _, _, value in located_numbers(scenario):
        if getattr(value, "distribution", None) is not None:
            _put(data, at, float(value))
    return data, scenario


def _put(data: Any, at: tuple[Any, ...], value: Any) -> None:
    node = data
    for key in at[:-1]:
        node = node[key]
    if isinstance(node, dict) and at[-1] == "rate" and not isinstance(node.get("rate"), dict):
        node["rate"] = value
    else:
        node[at[-1]] = value


def uncertain_file(which: str, folder: Path) -> Path:
    """The benchmark's scenario: ``all`` inputs ±20%, or ``one`` (BPO Manila's rate)."""
    from kpo_calc.engine.simulation import field_bounds
    from kpo_calc.paths import located_numbers
    from kpo_calc.scenario import is_sampleable

    data, scenario = plain_data()
    count = 0
    for path, at, owner, field, value in located_numbers(scenario):
        if not is_sampleable(type(owner), field) or not float(value):
            continue
        if which == "one" and path != "options[BPO Manila].hourly_rate":
            continue
        low, high, low_open, high_open = field_bounds(owner, field)
        a, b = sorted((0.8 * float(value), 1.2 * float(value)))
        a = max(a, math.nextafter(low, math.inf) if low_open else low)
        b = min(b, math.nextafter(high, -math.inf) if high_open else high)
        if a < b and at[-1] != "name":
            _put(data, at, {"uniform": [a, b]})
            count += 1
    out = folder / f"insurer-{which}.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    print(f"{which}: {count} uncertain inputs", file=sys.stderr)
    return out


# As on a user's second run: bytecode caches present (an editable install gets them only
# if Python may write them, so runs must not inherit PYTHONDONTWRITEBYTECODE, set on some
# CI machines: every run would compile kpo_calc from source; benchmarks/startup.py).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def peak_mib() -> float:
    """The largest resident set of any child process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def in_process(path: Path, trials: int, runs: int) -> float:
    """The median process time of ``simulate`` on ``path`` in this process (warmed)."""
    from kpo_calc import api
    from kpo_calc.engine.simulation import simulate

    scenario = api.load(path)
    simulate(scenario, trials=min(trials, 4096))
    times = []
    for _ in range(runs):
        start = time.process_time()
        simulate(scenario, trials=trials)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--skip-million", action="store_true")
    parser.add_argument("--in-process", action="store_true",
                        help="also the process time of simulate alone, per case")
    args = parser.parse_args()
    exe = [sys.executable, "-m", "kpo_calc"]
    bare = [sys.executable, "-c", "import typer, pydantic, rich, yaml, numpy"]
    with tempfile.TemporaryDirectory() as tmp:
        files = {w: uncertain_file(w, Path(tmp)) for w in ("all", "one")}
        b = statistics.median(timed(bare) for _ in range(args.runs))
        print(f"B (bare import of the five libraries): {b:.3f} s")
        for which, target in (("all", 4), ("one", 2)):
            run = [*exe, "simulate", str(files[which]), "--trials", str(args.trials),
                   "--format", "json"]
            t = statistics.median(timed(run) for _ in range(args.runs))
            print(f"{which}: {args.trials:,} trials {t:.3f} s = {t / b:.1f}× B "
                  f"(target ≤ {target}× B)")
            if args.in_process:
                print(f"  {which}, in process: simulate alone "
                      f"{in_process(files[which], args.trials, args.runs):.3f} s of "
                      "process time")
        if not args.skip_million:
            before = peak_mib()
            run = [*exe, "simulate", str(files["all"]), "--trials", "1000000", "--format",
                   "json"]
            t = timed(run)
            print(f"million: 1,000,000 trials {t:.1f} s, peak RSS {peak_mib():.0f} MiB "
                  f"(children so far; before: {before:.0f} MiB; target < 512 MiB)")


if __name__ == "__main__":
    main()
