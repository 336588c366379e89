"""Speed and memory of the Monte Carlo sampler (``engine.sampling``) and EVPPI.

* 100,000 trials x 60 inputs (the five kinds in turn, a fifth of them PERT, whose
  beta inverse is the costly one): wall time of drawing every chunk.
* 1,000,000 trials x 10 inputs through ``Sampler.chunks()`` with two correlations:
  peak traced memory (tracemalloc) while consuming the chunks and streaming them into
  an ``EvppiAccumulator``. Target: a few MB (one chunk of draws), not the 80 MB that
  holding every draw would take.

Run: ``python benchmarks/sampling.py [--runs 3]``
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np

from kpo_calc.distributions import Distribution, interval, parse
from kpo_calc.engine.sampling import Sampler
from kpo_calc.engine.voi import EvppiAccumulator

KINDS = [interval(80_000, 120_000), interval(-0.05, 0.1), parse({"triangular": [1, 2, 5]}),
         parse({"pert": [10, 12, 30]}), parse({"uniform": [0.8, 1.2]})]


def inputs(n: int) -> dict[str, Distribution]:
    return {f"options[Option {i}].input_{i}": KINDS[i % len(KINDS)] for i in range(n)}


def draw_speed(runs: int) -> float:
    many = inputs(60)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _chunk in Sampler(many, trials=100_000, seed=1).chunks():
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def million_peak() -> tuple[float, float]:
    ten = inputs(10)
    paths = list(ten)
    pairs = [(paths[0], paths[1], -0.5), (paths[1], paths[2], 0.7)]
    tracemalloc.start()
    start = time.perf_counter()
    sampler = Sampler(ten, trials=1_000_000, seed=1, correlations=pairs)
    acc = EvppiAccumulator(ten, 2)
    for _, chunk in sampler.chunks():
        metrics = np.stack([chunk[paths[0]] / 1000, 100 * chunk[paths[3]] * chunk[paths[4]]])
        acc.add(chunk, metrics)
    acc.result()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"100,000 trials x 60 inputs: {draw_speed(args.runs):.2f} s (median of {args.runs})")
    peak, elapsed = million_peak()
    print(f"1,000,000 trials x 10 inputs, 2 correlations, with EVPPI: peak traced memory "
          f"{peak:.1f} MiB, {elapsed:.1f} s (all draws held would be "
          f"{1_000_000 * 10 * 8 / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
