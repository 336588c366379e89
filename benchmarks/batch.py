"""Batch speed: one run over 1,000 scenario files against a one-file run (issues 4, 13).

Target: the 1,000-file run takes at most 10x the wall time of a one-file run
with the same format, i.e. the per-file cost stays near a millisecond or two.
The files are the examples with their salaries and rates varied
deterministically, written to a temporary folder. Medians of ``--runs``
alternating runs. A batch this large is shared with a worker per core (see
``kpo_calc.api.run_files``), so its wall time depends on idle cores: the CPU
time (user + system, workers included) is reported too, and moves far less
when other processes share the machine.

``--stages`` also times, in this process, the CPU each file costs in each stage of
``compare --format json`` (read, validate, evaluate, the JSON document and its text):
the best of ``--runs`` passes over the files, steadier than wall time on a shared machine.

Run: ``python benchmarks/batch.py [--files 1000] [--runs 5] [--formats json table] [--stages]``
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
VARY = ("annual_salary: ", "hourly_rate: ", "fte_monthly_rate: ")


def make_files(folder: Path, count: int) -> list[Path]:
    """``count`` scenario files: the examples, each number after VARY scaled a little."""
    examples = sorted((ROOT / "scenarios").glob("*.yaml"))
    paths = []
    for i in range(count):
        source = examples[i % len(examples)]
        factor = 0.8 + 0.4 * ((i * 7919) % 1000) / 1000
        lines = []
        for line in source.read_text().splitlines():
            for key in VARY:
                head, sep, tail = line.partition(key)
                value, _, comment = tail.partition("#")
                if sep and value.strip().replace(".", "", 1).isdigit():  # not a distribution
                    line = f"{head}{key}{round(float(value) * factor, 2)}  #{comment}"
            if line.startswith("  expect:"):
                continue  # varied inputs may change the decision; no gate here
            lines.append(line)
        path = folder / f"s{i:04d}-{source.name}"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    return paths


# As on a user's second run: bytecode caches present (an editable install gets them only
# if Python may write them, so runs must not inherit PYTHONDONTWRITEBYTECODE, set on some
# CI machines: every run would compile kpo_calc from source; benchmarks/startup.py).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run (the CPU of the process and the workers it waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])} failed: {err.decode()[-500:]}")
    return elapsed, usage.ru_utime + usage.ru_stime


def stages(files: list[Path], runs: int) -> None:
    """Print the CPU milliseconds a file costs in each stage (best pass of ``runs``)."""
    import gc

    from kpo_calc.api import RunGates
    from kpo_calc.engine import evaluate
    from kpo_calc.loader import read_document
    from kpo_calc.outcome import FileOutcome
    from kpo_calc.render.json_format import document
    from kpo_calc.textsafe import json_text
    from kpo_calc.validation import check_document

    clock = time.process_time
    names = ("read", "validate", "evaluate", "JSON document", "JSON text")
    # As in a batch (kpo_calc.parallel.in_order): the collector paused, else its passes
    # over the outcomes kept so far are charged to whichever stage allocates.
    gc.disable()
    best = dict.fromkeys(names, float("inf"))
    for _ in range(max(runs, 1)):
        spent = dict.fromkeys(names, 0.0)
        outcomes = []
        for path in files:
            t0 = clock()
            doc = read_document(path)
            t1 = clock()
            scenario, diagnostics = check_document(doc)
            t2 = clock()
            assert scenario is not None, diagnostics
            result = evaluate(scenario, None, RunGates().for_file(str(path), scenario))
            t3 = clock()
            spent["read"] += t1 - t0
            spent["validate"] += t2 - t1
            spent["evaluate"] += t3 - t2
            outcomes.append(FileOutcome(str(path), result, tuple(diagnostics)))
        t4 = clock()
        data = document(outcomes)
        t5 = clock()
        json_text(data)
        spent["JSON document"] += t5 - t4
        spent["JSON text"] += clock() - t5
        best = {k: min(best[k], spent[k]) for k in names}
    gc.enable()
    print(f"CPU per file in-process, best of {max(runs, 1)} passes over {len(files)} files "
          "(collector paused, as in a batch):")
    for name in names:
        print(f"  {name:14} {best[name] / len(files) * 1000:7.3f} ms")
    print(f"  {'total':14} {sum(best.values()) / len(files) * 1000:7.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--formats", nargs="+", default=["json", "csv", "markdown", "table"])
    parser.add_argument("--stages", action="store_true",
                        help="also time each stage of compare in this process (CPU per file)")
    args = parser.parse_args()
    exe = shutil.which("kpo-calc") or str(Path(sys.executable).with_name("kpo-calc"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "batch"
        folder.mkdir()
        files = make_files(folder, args.files)
        one = str(files[0])
        if args.stages:
            stages(files, args.runs)
        print(f"{args.files} files in {folder}; medians of {args.runs} runs")
        print(f"{'format':10} {'one file ms':>12} {'batch ms':>10} {'ratio':>7} "
              f"{'ms per extra file':>18}   CPU: {'one':>6} {'batch':>8} {'ratio':>7} "
              f"{'per file':>9}")
        for fmt in args.formats:
            single, batch = [], []
            for _ in range(args.runs):
                single.append(timed([exe, "compare", "--format", fmt, one]))
                batch.append(timed([exe, "compare", "--format", fmt, str(folder)]))
            s, b = (statistics.median(t[0] for t in single),
                    statistics.median(t[0] for t in batch))
            cs, cb = (statistics.median(t[1] for t in single),
                      statistics.median(t[1] for t in batch))
            per_file = (b - s) / (args.files - 1) * 1000
            cpu_per_file = (cb - cs) / (args.files - 1) * 1000
            print(f"{fmt:10} {s * 1000:12.1f} {b * 1000:10.1f} {b / s:7.2f} {per_file:18.2f}"
                  f"   CPU: {cs * 1000:6.0f} {cb * 1000:8.0f} {cb / cs:7.2f} "
                  f"{cpu_per_file:9.2f}")


if __name__ == "__main__":
    main()
