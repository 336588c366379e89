"""A batch pauses the cyclic garbage collector (issue 13, item 22): it makes no cycles,
so the collector's passes over the outcomes it keeps are pure cost."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest

from conftest import SCENARIOS
from kpo_calc import api, parallel

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="workers are forked on Linux only")

FILES = sorted(SCENARIOS.glob("*.yaml"))


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector's state restored after the test, whatever it did."""
    was = gc.isenabled()
    try:
        yield
    finally:
        gc.enable() if was else gc.disable()


def test_a_batch_runs_with_the_collector_paused_and_restores_it(collector: None) -> None:
    gc.enable()
    items = list(range(parallel.PARALLEL_FROM))
    seen = parallel.in_order(items, lambda _: gc.isenabled())
    assert seen == [False] * len(items)  # paused here (and in the children, forked then)
    assert gc.isenabled()
    # a small run is left as it is
    assert parallel.in_order([1, 2], lambda _: gc.isenabled()) == [True, True]


def test_a_caller_that_paused_the_collector_finds_it_paused(collector: None) -> None:
    gc.disable()
    parallel.in_order(list(range(parallel.PARALLEL_FROM)), lambda x: x)
    assert not gc.isenabled()


def test_the_collector_comes_back_after_a_bug(collector: None) -> None:
    gc.enable()

    def bug(x: int) -> int:
        raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError):
        parallel.in_order(list(range(parallel.PARALLEL_FROM)), bug)
    assert gc.isenabled()


def test_objects_frozen_by_a_caller_stay_frozen(collector: None) -> None:
    gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        parallel.in_order(list(range(parallel.PARALLEL_FROM)), lambda x: [x])
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_comparing_files_makes_no_reference_cycles(collector: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # The premise of the pause: with the collector off, nothing a batch made is left
    # for it to find (valid files and broken ones, every command's JSON entry written).
    from kpo_calc.render import json_format

    monkeypatch.setattr(parallel, "_workers", lambda _files: 1)
    broken = sorted((SCENARIOS.parent / "tests/corpus").glob("*.yaml"))[:12]
    files = [*FILES, *broken]
    api.compare_files(files, then=json_format.written)  # what is imported on first use
    gc.collect()
    gc.disable()
    outcomes = api.compare_files(files, then=json_format.written)
    assert sum(o.ok for o in outcomes) == len(FILES)
    assert sum(not o.ok for o in outcomes) >= 6
    assert gc.collect() == 0


def test_the_finite_check_sees_every_float_of_its_short_paths() -> None:
    # (engine/sanity: mappings of floats and dataclass fields are summed in C)
    import re
    from dataclasses import dataclass
    from types import MappingProxyType

    from kpo_calc.engine.sanity import NonFiniteResult, check_finite

    @dataclass(frozen=True)
    class One:
        value: float

    @dataclass(frozen=True)
    class Empty:
        pass

    nan, inf = float("nan"), float("inf")
    good = {"lines": {"a": 1.0, "b": 2.0}, "proxy": MappingProxyType({"c": 3.0}),
            "one": One(4.0), "empty": Empty(), "mixed": {"x": 1.0, "y": None, "z": "t"}}
    assert check_finite(good) is good
    for bad, where in (({"lines": {"a": 1.0, "b": nan}}, "['lines']['b']"),
                       (MappingProxyType({"c": 1.0, "d": -inf}), "['d']"),
                       ([One(inf)], "[0].value"),
                       ({"x": 1.0, "y": None, "z": (2.0, nan)}, "['z'][1]"),
                       ({"x": 1.0, "y": {"z": inf}}, "['y']['z']")):
        with pytest.raises(NonFiniteResult, match=re.escape(where)):
            check_finite(bad)
