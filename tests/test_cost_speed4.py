"""Per-file speed-ups of compare in the cost models (issue 13, item 22): each keeps
every figure and message as it was."""

from __future__ import annotations

from typing import Any

import pytest

import kpo_calc.scenario as scenario_module
from conftest import two_vendors
from kpo_calc.scenario import Scenario, uncertain_entries

# --- the uncertain inputs are walked once per scenario -------------------------------------


def _count_walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    walk = scenario_module._find_uncertain

    def counted(*args: Any) -> None:
        if args[1] == "":  # the walk's start (it recurses into every model)
            calls[0] += 1
        walk(*args)

    monkeypatch.setattr(scenario_module, "_find_uncertain", counted)
    return calls


def test_validation_walks_once_and_compare_counts_from_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The challenger's rate and an fx rate are uncertain: validation's walk finds both,
    # and asking again (compare's count, simulate's inputs) walks no more.
    calls = _count_walks(monkeypatch)
    data = two_vendors(challenger="40 to 60", fx={"EUR": "0.9 to 1.1"})
    scenario = Scenario.model_validate(data)
    assert calls[0] == 1
    assert list(scenario.uncertain_inputs()) == ["options[Challenger].hourly_rate", "fx.EUR"]
    assert len(scenario.uncertain_inputs()) == 2
    assert calls[0] == 1


def test_a_copy_with_other_values_is_walked_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    # model_copy keeps the private attributes: the walk kept for the original must not
    # answer for a copy whose options differ (here the incumbent's rate is uncertain too).
    calls = _count_walks(monkeypatch)
    scenario = Scenario.model_validate(two_vendors(challenger="40 to 60"))
    other = Scenario.model_validate(two_vendors(challenger=50.0))
    incumbent = other.options[0].model_copy(
        update={"hourly_rate": scenario.options[1].hourly_rate})
    copy = scenario.model_copy(update={"options": [incumbent, scenario.options[1]]})
    assert calls[0] == 2
    assert [p for p, _, _ in uncertain_entries(copy)] == [
        "options[Incumbent].hourly_rate", "options[Challenger].hourly_rate"]
    assert calls[0] == 3
    # ... while a copy with the same values reads the walk kept.
    same = scenario.model_copy(update={"name": "Renamed"})
    assert [p for p, _, _ in uncertain_entries(same)] == ["options[Challenger].hourly_rate"]
    assert calls[0] == 4  # the name is a field value too: walked anew, the same entries
    assert [p for p, _, _ in uncertain_entries(scenario)] == [
        "options[Challenger].hourly_rate"]
    assert calls[0] == 4


def test_the_entries_returned_are_the_callers_own() -> None:
    # Each call returns a new list: a caller that changes it leaves the walk kept alone.
    scenario = Scenario.model_validate(two_vendors(challenger="40 to 60"))
    uncertain_entries(scenario).clear()
    assert len(uncertain_entries(scenario)) == 1
