"""Issue 13, item 19: a budget on an option holds its spend in the recommended alternative;
on a plan, the plan's total.

Figures from test_plans (worked by hand there): "Entry to BPO" is recommended, 590,000
in all: BPO 99,000 (400 h x 20 x 12 + 1,000 + 2,000), KPO 27,000 (100 h x 80 x 3 +
3,000), Analysts 440,000 and the Clerks' wind-down 24,000. BPO alone cannot do the high
work, so its all-work alternative is infeasible; before this rule, ``--budget BPO=...``
checked that alternative instead of BPO's part of the plan.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from test_plans import PLANNED


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    path = tmp_path / "planned.yaml"
    path.write_text(PLANNED, encoding="utf-8")
    return path


def gates(path: Path, *budgets: str) -> list[dict[str, object]]:
    args = [a for b in budgets for a in ("--budget", b)]
    proc = run_cli("compare", "--format", "json", *args, path)
    doc = json.loads(proc.stdout)
    assert doc["scenarios"][0]["recommendation"]["option"] == "Entry to BPO"
    result: list[dict[str, object]] = doc["scenarios"][0]["gates"]
    return result


@pytest.mark.parametrize(("budget", "passed", "message"), [
    ("BPO=99000", True, "BPO costs USD 99,000 in the recommended alternative (Entry to BPO), "
                        "within its budget of USD 99,000"),
    ("BPO=98999", False, "BPO costs USD 99,000 in the recommended alternative (Entry to BPO), "
                         "over its budget of USD 98,999 by USD 1"),
    ("KPO=27000", True, "KPO costs USD 27,000 in the recommended alternative (Entry to BPO), "
                        "within its budget of USD 27,000"),
    ("Clerks=23999", False, "Clerks costs USD 24,000 in the recommended alternative (Entry to "
                            "BPO), over its budget of USD 23,999 by USD 1"),
    ("Entry to BPO=590000", True, "Entry to BPO costs USD 590,000 in total, within its budget "
                                  "of USD 590,000"),
    ("Entry to BPO=589999", False, "Entry to BPO costs USD 590,000 in total, over its budget "
                                   "of USD 589,999 by USD 1"),
    # A plan that is not recommended is still held to its own total (Today: 700,000).
    ("Today=699999", False, "Today costs USD 700,000 in total, over its budget of USD 699,999 "
                            "by USD 1"),
])
def test_budget_by_hand(planned: Path, budget: str, passed: bool, message: str) -> None:
    (gate,) = gates(planned, budget)
    assert (gate["name"], gate["passed"], gate["message"]) == ("budget", passed, message)


def test_an_option_with_no_part_spends_nothing(planned: Path) -> None:
    d = yaml.safe_load(PLANNED)
    d["plans"][1]["assign"]["Project"] = "Analysts"  # the KPO no longer takes part
    planned.write_text(yaml.safe_dump(d), encoding="utf-8")
    (gate,) = gates(planned, "KPO=0")
    assert gate["passed"] is True
    assert gate["message"] == ("KPO costs USD 0 in the recommended alternative (Entry to BPO), "
                               "within its budget of USD 0")


def test_the_exit_code_and_the_scenarios_own_gates_follow_the_same_rule(planned: Path) -> None:
    assert run_cli("compare", "--budget", "BPO=99000", planned).returncode == 0
    failed = run_cli("compare", "--budget", "BPO=98999", planned)
    assert failed.returncode == 1
    assert "gate budget failed: BPO costs USD 99,000 in the recommended alternative" in (
        failed.stderr)
    d = yaml.safe_load(PLANNED)
    d["decision"]["gates"] = [{"option": "BPO", "max_total_cost": 98_999}]
    planned.write_text(yaml.safe_dump(d), encoding="utf-8")
    assert run_cli("compare", planned).returncode == 1
