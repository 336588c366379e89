"""``mix --trials``: the robust plan, checked against a plain brute force (design 9)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import SCENARIOS, run_cli
from kpo_calc.engine.mixing import mix
from kpo_calc.engine.robust import robust
from kpo_calc.engine.simulation import decide_chunks, draw
from kpo_calc.scenario import Scenario

SEED = 11


def three_items() -> dict[str, Any]:
    """Three items of 100 hours a month for 12 months (1,200 hours each), total cost.

    Incumbent (the baseline) 40 an hour: 48,000 an item. Risky: U(20, 44), mean 32:
    38,400 an item in expectation. Steady: 35.5 fixed, 42,600 an item.
    A move to Risky pays its way (saves 10% of the 48,000 it avoids) when
    1,200 r ≤ 43,200, r ≤ 36: P = 16/24 = 2/3. A move to Steady saves 5,400 ≥ 4,800:
    always. So any plan holding Risky clears in 2/3 of the trials, Steady-only always.
    By expected metric: RRR 115,200 < RRS (×3) 119,400 < RSS (×3) 123,600 < RRI (×3)
    124,800 < SSS 127,800: the point optimum (r = 32 at the means) is RRR, and the
    robust one at confidence 0.8 is SSS, the 11th plan by expected metric.
    """
    return {"version": 1, "name": "Three items", "currency": "USD", "horizon_months": 12,
            "work": [{"name": n, "kind": "recurring", "hours_per_month": 100,
                      "specialization": "low"} for n in ("X", "Y", "Z")],
            "options": [{"name": "Incumbent", "model": "bpo", "hourly_rate": 40},
                        {"name": "Risky", "model": "bpo", "hourly_rate": {"uniform": [20, 44]}},
                        {"name": "Steady", "model": "bpo", "hourly_rate": 35.5}],
            "decision": {"metric": "total", "min_savings": 0.1}}


def brute_force(data: dict[str, Any], trials: int, confidence: float) -> tuple[
        str, dict[tuple[str, ...], tuple[float, float]]]:
    """Every plan declared and simulated with the same draws: the robust pick by hand."""
    work = [w["name"] for w in data["work"]]
    # Each item to any option that serves it (``serves`` lists what an option may do).
    allowed = [[o["name"] for o in data["options"] if w in o.get("serves", work)]
               for w in work]
    plans = {combo: f"P{i}" for i, combo in enumerate(itertools.product(*allowed))}
    sums: dict[str, float] = {}
    clears: dict[str, int] = {}
    listed = list(plans.items())
    for lo in range(0, len(listed), 40):  # a file holds at most 50 plans
        full = {**data, "plans": [{"name": name, "assign": dict(zip(work, combo, strict=True))}
                                  for combo, name in listed[lo:lo + 40]]}
        scenario = Scenario.model_validate(full)
        # The same draws in every batch: they depend on the seed and each input's path.
        for _, decided in decide_chunks(scenario, draw(scenario, trials, SEED, chunk=2048)):
            for i, name in enumerate(decided.names):
                sums[name] = sums.get(name, 0.0) + float(decided.metric[i].sum())
                clears[name] = clears.get(name, 0) + int(decided.clears[i].sum())
    figures = {combo: (sums[name] / trials, clears[name] / trials)
               for combo, name in plans.items()}
    ok = [(m, combo) for combo, (m, p) in figures.items()
          if p >= confidence and set(combo) != {"Incumbent"}]
    best = min(ok)[1] if ok else ("Incumbent",) * len(work)
    return "+".join(best), figures


def test_robust_plan_equals_the_brute_force() -> None:
    data = three_items()
    scenario = Scenario.model_validate(data)
    point = mix(scenario, 1)
    result = robust(scenario, point, trials=3_000, seed=SEED, confidence=0.8, top=1)
    picked, figures = brute_force(data, 3_000, 0.8)
    assert picked == "Steady+Steady+Steady"
    best = result.plan(result.best)
    assert best is not None
    assert {w: next(iter(to)) for w, to in best.assign.items()} == {
        "X": "Steady", "Y": "Steady", "Z": "Steady"}
    # Its figures are the brute force's, trial for trial: 3 × 42,600 and always clearing.
    assert best.metric.mean == pytest.approx(figures[("Steady",) * 3][0], rel=1e-12)
    assert best.metric.mean == pytest.approx(127_800)
    assert best.p_clears == 1.0
    # The point optimum (RRR at the means) is shown beside it, clearing in about 2/3.
    assert point.recommendation.option != result.best
    rrr = result.plan(result.point)
    assert rrr is not None
    assert {next(iter(to)) for to in rrr.assign.values()} == {"Risky"}
    assert rrr.p_clears == pytest.approx(figures[("Risky",) * 3][1])
    assert rrr.p_clears == pytest.approx(2 / 3, abs=0.03)
    # The head had to grow past the top plan (and the ten after it) to find SSS.
    assert result.candidates == 27


@pytest.mark.parametrize("confidence", [0.5, 0.99])
def test_the_confidence_moves_the_pick(confidence: float) -> None:
    # At 0.5, RRR (2/3 of the trials) is good enough and has the lowest expected cost;
    # at 0.99 only Steady-only plans clear: SSS again.
    data = three_items()
    scenario = Scenario.model_validate(data)
    result = robust(scenario, mix(scenario, 1), trials=2_000, seed=SEED,
                    confidence=confidence, top=2)
    picked, _ = brute_force(data, 2_000, confidence)
    best = result.plan(result.best)
    assert best is not None
    assert "+".join(best.assign[w] and next(iter(best.assign[w])) for w in "XYZ") == picked


def test_regret_and_cheapest_by_hand() -> None:
    # Regret of a plan = its cost − the cheapest judged plan's, per trial. SSS costs
    # 127,800 in every trial; the cheapest judged plan is RRR when 3,600 r < 127,800
    # (r < 35.5: 15.5/24 = 64.6% of trials) and SSS otherwise (r ≥ 35.5: any plan with R
    # costs more than the same plan with S). So SSS's regret is E[max(0, 127,800 −
    # 3,600 r)] = ∫ 20..35.5 (127,800 − 3,600 r)/24 dr = 3,600 × 15.5² / 2 / 24 = 18,018.75.
    data = three_items()
    scenario = Scenario.model_validate(data)
    result = robust(scenario, mix(scenario, 1), trials=20_000, seed=SEED, top=30)
    sss = next(p for p in result.plans
               if {next(iter(to)) for to in p.assign.values()} == {"Steady"})
    assert sss.regret_mean == pytest.approx(18_018.75, rel=0.03)
    rrr = next(p for p in result.plans
               if {next(iter(to)) for to in p.assign.values()} == {"Risky"})
    assert rrr.p_cheapest == pytest.approx(15.5 / 24, abs=0.01)
    assert sum(p.p_cheapest for p in result.plans) == pytest.approx(1.0)


def test_mix_trials_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(three_items()), encoding="utf-8")
    done = run_cli("mix", path, "--trials", "1000", "--seed", str(SEED), "--format", "json")
    assert done.returncode == 0, done.stderr
    entry = json.loads(done.stdout)["mixes"][0]["robust"]
    assert set(entry) >= {"trials", "seed", "confidence", "best", "plans"}
    assert entry["confidence"] == 0.8
    plan = entry["plans"][0]
    assert set(plan) >= {"name", "assign", "metric", "p_clears", "p_cheapest", "regret"}
    assert set(plan["metric"]) == {"mean", "p10", "p50", "p90"}
    assert set(plan["regret"]) == {"mean", "p90"}
    # --expect checks the robust pick; --emit-plan names it (SSS is the option Steady
    # doing all the work: declared already, nothing to paste).
    robust_name = entry["best"]
    assert robust_name == "Steady"
    emitted = run_cli("mix", path, "--trials", "1000", "--seed", str(SEED), "--emit-plan")
    assert emitted.returncode == 0
    assert emitted.stdout == ("# the robust plan is Steady, which the file declares already: "
                              "nothing to add\n")
    passed = run_cli("mix", path, "--trials", "1000", "--seed", str(SEED), "--expect",
                     "Steady")
    assert passed.returncode == 0, passed.stderr
    failed = run_cli("mix", path, "--trials", "1000", "--seed", str(SEED), "--expect",
                     "Incumbent")
    assert failed.returncode == 1
    assert "robust plan" in failed.stderr
    for fmt in ("table", "markdown", "csv"):
        shown = run_cli("mix", path, "--trials", "1000", "--seed", str(SEED), "--format", fmt)
        assert shown.returncode == 0, shown.stderr
        assert robust_name in shown.stdout


def test_mix_trials_needs_an_uncertain_input(tmp_path: Path) -> None:
    data = three_items()
    data["options"][1]["hourly_rate"] = 32
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = run_cli("mix", path, "--trials", "1000")
    assert done.returncode == 2
    assert "no input is uncertain" in done.stderr


def test_the_insurer_point_and_robust_picks_differ() -> None:
    # The README's example: at the means the contractors' migration clears, but only in
    # about 70% of the trials; no plan clears in 80%, so the baseline stays.
    from kpo_calc import api

    scenario = api.load(SCENARIOS / "insurer-claims-actuarial-myr.yaml")
    result = robust(scenario, mix(scenario, 3), trials=2_000, seed=20261129, top=3)
    assert result.point == "Migration to contractors"
    assert result.best == "Today"
    point = result.plan(result.point)
    assert point is not None
    assert 0.6 < point.p_clears < 0.8
    assert np.isfinite(point.regret_p90)


def test_the_top_plan_fails_the_confidence_and_the_next_clears() -> None:
    # One item: Risky alone expects 38,400 but clears in 2/3 of the trials; Steady alone
    # (42,600) clears always and is next by expected metric: it is the robust plan,
    # Risky the point one (r = 32 at the means clears).
    data = three_items()
    data["work"] = data["work"][:1]
    scenario = Scenario.model_validate(data)
    point = mix(scenario, 1)
    result = robust(scenario, point, trials=3_000, seed=SEED, confidence=0.8, top=1)
    assert [p.name for p in result.plans[:2]] == ["Risky", "Steady"]
    assert result.plans[0].p_clears == pytest.approx(2 / 3, abs=0.03)
    assert (result.point, result.best) == ("Risky", "Steady")
    assert brute_force(data, 3_000, 0.8)[0] == "Steady"


def test_a_declared_plan_beyond_the_head_is_not_taken_unproven() -> None:
    # Found in review: with Cheap (30 an hour, X only) the best clearing plan is X to
    # Cheap and the rest to Steady: 36,000 + 3 × 42,600 = 163,800 in every trial,
    # clearing always (Cheap saves 12,000 ≥ 4,800 on X). The option Steady alone
    # (170,400, declared) also clears, but plans cheaper in expectation lie between the
    # head and it: it may be taken only once nothing cheaper can qualify.
    data = three_items()
    data["work"].append({"name": "W", "kind": "recurring", "hours_per_month": 100,
                         "specialization": "low"})
    data["options"].append({"name": "Cheap", "model": "bpo", "hourly_rate": 30,
                            "serves": ["X"]})
    scenario = Scenario.model_validate(data)
    result = robust(scenario, mix(scenario, 5), trials=2_000, seed=SEED, confidence=0.8,
                    top=5)
    best = result.plan(result.best)
    assert best is not None
    assert {w: next(iter(to)) for w, to in best.assign.items()} == {
        "X": "Cheap", "Y": "Steady", "Z": "Steady", "W": "Steady"}
    assert best.metric.mean == pytest.approx(163_800)
    assert brute_force(data, 2_000, 0.8)[0] == "Cheap+Steady+Steady+Steady"


def test_an_infeasible_baseline_gives_way_to_the_cheapest_feasible_plan() -> None:
    # Found in review: the baseline Cheapo cannot do X (high), so compare's rule takes
    # the cheapest feasible alternative whether it clears or not; in expectation that
    # is X and Y to Risky (2 × 1,200 × 32 = 76,800)... or to Cheapo for Y: 1,200 × 32 +
    # 1,200 × 20 = 62,400, the cheapest. Never the infeasible baseline.
    data = {"version": 1, "name": "Infeasible baseline", "currency": "USD",
            "horizon_months": 12,
            "work": [{"name": "X", "kind": "recurring", "hours_per_month": 100,
                      "specialization": "high"},
                     {"name": "Y", "kind": "recurring", "hours_per_month": 100,
                      "specialization": "low"}],
            "options": [{"name": "Cheapo", "model": "bpo", "hourly_rate": 20,
                         "max_specialization": "low"},
                        {"name": "Risky", "model": "kpo", "hourly_rate": {"uniform": [20, 44]}},
                        {"name": "Steady", "model": "kpo", "hourly_rate": 35.5}],
            "decision": {"metric": "total", "min_savings": 0.1, "baseline": "Cheapo"}}
    scenario = Scenario.model_validate(data)
    result = robust(scenario, mix(scenario, 3), trials=2_000, seed=1, top=3)
    assert result.best != "Cheapo"
    assert result.baseline_feasible is False
    best = result.plan(result.best)
    assert best is not None
    assert {w: next(iter(to)) for w, to in best.assign.items()} == {"X": "Risky", "Y": "Cheapo"}
    assert best.metric.mean == pytest.approx(62_400, rel=0.01)
