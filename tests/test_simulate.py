"""``simulate``: Monte Carlo through compare's engine, checked against cases worked by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from conftest import SCENARIOS, run_cli, two_vendors
from kpo_calc import api
from kpo_calc.engine import evaluate
from kpo_calc.engine.simulation import DEFAULT_SEED, simulate
from kpo_calc.scenario import Scenario


def test_evpi_of_a_uniform_rate_against_a_fixed_cost() -> None:
    # Challenger = 1,200 × U(32, 52) = U(38,400, 62,400), mean 50,400; incumbent 48,000.
    # min E = 48,000; E[min] = 48,000 − E[max(0, 48,000 − C)], and
    # E[max(0, 48,000 − C)] = ∫ from 38,400 to 48,000 of (48,000 − c) / 24,000 dc
    #                       = 9,600² / 2 / 24,000 = 1,920 = EVPI.
    # sd of max(0, 48,000 − C): E[X²] = 9,600³ / (3 × 24,000) = 12.288e6, var 8.60e6, sd
    # 2,933; at 20,000 trials the standard error is 21: within 100 is ~5 SE.
    data = two_vendors({"uniform": [32, 52]}, unmet_hour_cost={"uniform": [50, 150]})
    r = simulate(Scenario.model_validate(data), trials=20_000)
    assert r.evpi == pytest.approx(1_920, abs=100)
    voi = {v.input: v.evppi for v in r.value_of_information}
    # The only input that moves a cost: its EVPPI is the EVPI (within 2%) ...
    assert voi["options[Challenger].hourly_rate"] == pytest.approx(r.evpi, rel=0.02)
    # ... and the unmet-hour cost moves nothing here (vendors serve every hour): ~0.
    assert voi["unmet_hour_cost"] < 0.01 * r.evpi
    # The incumbent is recommended at the means (50,400 > 48,000); the threshold is no
    # premium, and the challenger is cheaper when 1,200 r < 48,000 (r < 40: 8/20 = 40%),
    # clears when 1,200 r ≤ 43,200 (r ≤ 36: 4/20 = 20%).
    assert r.recommendation.option == "Incumbent"
    assert r.threshold_premium == 0
    challenger = next(a for a in r.alternatives if a.name == "Challenger")
    assert challenger.p_cheapest == pytest.approx(0.40, abs=0.015)
    assert challenger.p_clears == pytest.approx(0.20, abs=0.012)
    assert r.agreement == pytest.approx(0.80, abs=0.012)


def test_degenerate_distributions_give_exactly_the_compare_figures(tmp_path: Path) -> None:
    # Every distribution of the insurer example squeezed to one value (its mode, or the
    # middle of a range; a normal with sd 0): every trial is the point case, so every
    # statistic of every alternative is compare's figure for the same file, to the bit.
    text = (SCENARIOS / "insurer-claims-actuarial-myr.yaml").read_text(encoding="utf-8")

    def squeeze(m: re.Match[str]) -> str:
        kind, numbers = m.group(1), [float(x) for x in m.group(2).split(",")]
        if kind in ("triangular", "pert"):
            numbers = [numbers[1]] * 3
        elif kind == "uniform":
            numbers = [numbers[0]] * 2
        else:
            numbers = [numbers[0], 0.0]
        return f"{{{kind}: [{', '.join(repr(x) for x in numbers)}]}}"

    squeezed, count = re.subn(r"\{(triangular|pert|uniform|normal): \[([^\]]*)\]\}", squeeze,
                              text)
    assert count == 10  # the ten uncertain inputs of the example
    path = tmp_path / "squeezed.yaml"
    path.write_text(squeezed, encoding="utf-8")
    scenario = api.load(path)
    r = simulate(scenario, trials=300)
    point = evaluate(scenario)
    for a in r.alternatives:
        figure = point.option(a.name).metric(point.metric)
        saved = point.option(a.name).savings_vs_baseline
        assert (a.metric.mean, a.metric.p5, a.metric.p50, a.metric.p95, a.metric.es95) == (
            figure, figure, figure, figure, figure), a.name
        assert a.savings.mean == saved, a.name
        assert a.p_recommended == (1.0 if a.name == point.recommendation.option else 0.0)
    assert r.agreement == 1.0
    assert r.evpi == 0.0


def test_a_file_of_fixed_inputs_squeezed_everywhere_is_compare(tmp_path: Path) -> None:
    # Two vendors, the challenger's rate {uniform: [30, 30]}: every trial is compare.
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(two_vendors({"uniform": [30, 30]})), encoding="utf-8")
    r = simulate(api.load(path), trials=500)
    point = evaluate(api.load(path))
    for a in r.alternatives:
        figure = point.option(a.name).metric(point.metric)
        assert (a.metric.mean, a.metric.p5, a.metric.p50, a.metric.p95, a.metric.es95) == (
            figure, figure, figure, figure, figure)
    assert r.agreement == 1.0
    assert r.evpi == 0.0
    assert all(v.evppi == 0.0 for v in r.value_of_information)


def test_a_monotone_input_maps_its_median_through_the_model() -> None:
    # Savings fall as the challenger's rate rises: with an odd number of trials the
    # median saving is the saving at the median rate, which compare gives at that rate.
    data = two_vendors({"triangular": [25, 30, 45]})
    r = simulate(Scenario.model_validate(data), trials=10_001)
    challenger = next(a for a in r.alternatives if a.name == "Challenger")
    # The saving is 48,000 − 1,200 × rate, so the median rate is (48,000 − P50) / 1,200;
    # the triangular's median: 45 − sqrt(0.5 × 20 × 15) = 32.753 (mode below the middle).
    rate = (48_000 - challenger.savings.p50) / 1_200
    assert rate == pytest.approx(45 - np.sqrt(0.5 * 20 * 15), abs=0.15)
    at_median = evaluate(Scenario.model_validate(two_vendors(rate)))
    assert challenger.savings.p50 == pytest.approx(
        at_median.option("Challenger").savings_vs_baseline, rel=1e-12)
    # P10 and P90 of the savings swap ends: the P90 rate gives the P10 saving.
    assert challenger.savings.p10 < challenger.savings.p50 < challenger.savings.p90


def test_two_identical_vendors_share_the_wins() -> None:
    # The same range, drawn independently (a stream per path): each is cheaper in about
    # half the trials (binomial sd at 10,000 trials: 0.005).
    data = two_vendors({"uniform": [20, 30]})
    data["options"].append({"name": "Twin", "model": "bpo", "hourly_rate": {"uniform": [20, 30]}})
    r = simulate(Scenario.model_validate(data), trials=10_000)
    odds = {a.name: a.p_cheapest for a in r.alternatives}
    assert odds["Challenger"] == pytest.approx(0.5, abs=0.03)
    assert odds["Twin"] == pytest.approx(0.5, abs=0.03)
    assert odds["Challenger"] + odds["Twin"] == pytest.approx(1.0)


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    path = SCENARIOS / "insurer-claims-actuarial-myr.yaml"
    first = run_cli("simulate", path, "--trials", "2000", "--format", "json")
    second = run_cli("simulate", path, "--trials", "2000", "--format", "json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    other = run_cli("simulate", path, "--trials", "2000", "--seed", "7", "--format", "json")
    assert other.stdout != first.stdout
    doc = json.loads(first.stdout)["simulations"][0]
    assert doc["seed"] == DEFAULT_SEED
    assert set(doc) >= {"scenario", "trials", "seed", "metric", "alternatives",
                        "recommendation", "agreement", "evpi", "threshold_premium",
                        "value_of_information"}
    alt = doc["alternatives"][0]
    assert set(alt) >= {"name", "metric", "savings", "p_cheapest", "p_clears",
                        "p_recommended"}
    assert set(alt["metric"]) == {"mean", "p5", "p10", "p50", "p90", "p95", "es95"}


def test_the_cli_default_seed_is_the_engine_default() -> None:
    import inspect

    from kpo_calc.cli import simulate as command

    assert inspect.signature(command).parameters["seed"].default == DEFAULT_SEED


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_every_format_names_the_verdict_and_agreement(fmt: str) -> None:
    done = run_cli("simulate", SCENARIOS / "insurer-claims-actuarial-myr.yaml", "--trials",
                   "1000", "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert "Migration to contractors" in done.stdout
    if fmt != "csv":
        assert "of the trials agree" in done.stdout


def test_min_agreement_gate(tmp_path: Path) -> None:
    path = SCENARIOS / "insurer-claims-actuarial-myr.yaml"
    # About 64% of trials agree at the means (see the README): 0.5 passes, 0.8 fails.
    passed = run_cli("simulate", path, "--trials", "1000", "--min-agreement", "0.5")
    assert passed.returncode == 0, passed.stderr
    failed = run_cli("simulate", path, "--trials", "1000", "--min-agreement", "0.8",
                     "--format", "json")
    assert failed.returncode == 1
    gate = json.loads(failed.stdout)["simulations"][0]["gates"][0]
    assert gate["name"] == "min_agreement"
    assert gate["passed"] is False
    assert "gate min_agreement failed" in failed.stderr


def test_a_file_without_uncertain_inputs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(two_vendors(30)), encoding="utf-8")
    done = run_cli("simulate", path)
    assert done.returncode == 2
    assert "no input is uncertain" in done.stderr
    assert "Traceback" not in done.stderr


def test_chunks_change_nothing() -> None:
    # Without Latin hypercube or correlations, a trial's draws do not depend on the chunk
    # it falls in, and the parts no trial changes are reused from chunk to chunk: the
    # same figures whether 5,000 trials come in one chunk or in five.
    scenario = api.load(SCENARIOS / "insurer-claims-actuarial-myr.yaml")
    one = simulate(scenario, trials=5_000, chunk=5_000)
    five = simulate(scenario, trials=5_000, chunk=1_000)
    assert one.alternatives == five.alternatives
    assert (one.agreement, one.evpi) == (five.agreement, five.evpi)


def test_a_batch_skips_the_files_without_uncertain_inputs(tmp_path: Path) -> None:
    # scenarios/ holds one file with distributions (the insurer) and seven without: the
    # seven are skipped with a warning, the insurer simulated, exit 0. mix --trials gives
    # the seven their point plans and the insurer its robust plan too.
    done = run_cli("simulate", SCENARIOS, "--trials", "200", "--format", "json")
    assert done.returncode == 0, done.stderr
    simulated = [s["scenario"] for s in json.loads(done.stdout)["simulations"]]
    assert simulated == ["Insurer claims and actuarial work"]
    assert done.stderr.count("warning: no input is uncertain") == 7
    mixed = run_cli("mix", SCENARIOS, "--trials", "200", "--format", "json")
    assert mixed.returncode == 0, mixed.stderr
    mixes = json.loads(mixed.stdout)["mixes"]
    assert len(mixes) == 8
    assert [m["scenario"] for m in mixes if "robust" in m] == [
        "Insurer claims and actuarial work"]


def test_a_run_beyond_the_trial_budget_is_refused_with_what_fits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two vendors, each alone on the one item: 2 parts a trial, no move comparisons (one
    # item moves), 12 months: 2 × 12 = 24 part-months a trial. With a budget of 24,000,
    # 1,000 trials fit exactly and 1,001 (24,024) are refused, naming the 1,000.
    from kpo_calc.engine import simulation

    monkeypatch.setattr(simulation, "MAX_TRIAL_CELLS", 24_000)
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(two_vendors({"uniform": [30, 50]})), encoding="utf-8")
    assert run_cli("simulate", path, "--trials", "1000", "--format", "json").returncode == 0
    done = run_cli("simulate", path, "--trials", "1001")
    assert done.returncode == 2
    assert ("simulate over 1,001 trials would cost 24,024 part-months (2 parts and "
            "comparison plans of 12 months in each trial), over the limit of 24,000: at "
            "most 1,000 trials fit (--trials)") in done.stderr
    assert "Traceback" not in done.stderr
    for command in (["sensitivity", path], ["breakeven", path, "--input",
                                            "options[Challenger].hourly_rate"]):
        # sensitivity designs 2n + 1 trials for its few dozen inputs, breakeven 129 grid
        # points: both under 1,000, both fit.
        assert run_cli(*command).returncode == 0


def test_a_long_file_is_costed_in_short_chunks() -> None:
    # 2 full parts of 12 months: 4,000,000 / 24 is far above 2,048, so the chunk stays
    # 2,048; parts of 600 months by the thousand get chunks of 4,000,000 / 600,000 = 6,
    # held at the floor of 16.
    from kpo_calc.engine.simulation import TrialCost

    assert TrialCost(2, 0, 12).chunk() == 2048
    assert TrialCost(1000, 0, 600).chunk() == 16
    assert TrialCost(100, 5, 600).chunk() == 66  # 4,000,000 // 60,000


def test_report_names_itself_when_its_simulation_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same budget as above: report --trials 1001 is refused; the message named
    # "simulate", a command the user did not run.
    from kpo_calc.engine import simulation

    monkeypatch.setattr(simulation, "MAX_TRIAL_CELLS", 24_000)
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(two_vendors({"uniform": [30, 50]})), encoding="utf-8")
    done = run_cli("report", path, "--trials", "1001", "-o", tmp_path / "r.html")
    assert done.returncode == 2
    assert "report's simulation over 1,001 trials would cost 24,024 part-months" \
        in done.stderr
    assert "simulate over" not in done.stderr
    assert not (tmp_path / "r.html").exists()
