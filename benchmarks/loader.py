"""Loader speed with YAML merge keys (issue 7, item 10).

Many options sharing one ``<<: *defaults`` anchor used to make the loader
quadratic (3,000 options: 33 s for a 100 KB file). The loader must stay
linear: doubling the options should about double the time. The file is parsed
in-process (``parse_document``), so only the loader is timed; the scenario is
over the options limit, which validation reports later.

Run: ``python benchmarks/loader.py [--options 750 1500 3000] [--runs 3]``
"""

from __future__ import annotations

import argparse
import statistics
import time

from kpo_calc.loader import parse_document


def make_yaml(options: int) -> bytes:
    """A scenario whose ``options`` all merge one anchored mapping of defaults."""
    head = ("version: 1\nname: merge keys\ncurrency: USD\nhorizon_months: 12\n"
            "work:\n  - {name: w, kind: recurring, hours_per_month: 100, "
            "specialization: low}\n"
            "defaults: &d\n  model: kpo\n  hourly_rate: 30\n  productivity: 0.9\n"
            "  rework_rate: 0.05\n  governance_rate: 0.04\n  transition: {cost: 1000, "
            "months: 2}\noptions:\n")
    body = "".join(f"  - <<: *d\n    name: vendor {i}\n" for i in range(options))
    return (head + body).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--options", type=int, nargs="+", default=[750, 1500, 3000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for count in args.options:
        raw = make_yaml(count)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            parse_document(raw, "bench.yaml")
            times.append(time.perf_counter() - start)
        print(f"{count:>6} options, {len(raw) / 1000:6.1f} KB: "
              f"median {statistics.median(times):7.3f} s")


if __name__ == "__main__":
    main()
