"""``kpo-calc mix`` (issue 9): the search equals a plain-Python brute force.

The brute force below enumerates the plans with ``itertools`` from the rules
of design section 7 as written here (who may serve what, keep, one split item,
max_vendors, max_share), costs each one as a declared plan through
``compare``, and applies the threshold rule written out in this file. The
search must find the same candidates, the same ranking and the same figures.

The small case is test_plans.PLANNED (worked by hand there): Entry (low) may
go to Clerks, BPO or KPO; Analysis and Project (high) to Analysts or KPO; so
3 x 2 x 2 = 12 whole plans. Hours over the 12 months: Entry 4,800, Analysis
2,400, Project 600 (7,800 in all).
"""

from __future__ import annotations

import itertools
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run_cli
from kpo_calc import api
from kpo_calc.engine import search as search_module
from kpo_calc.engine.mixing import mix
from kpo_calc.scenario import Scenario
from test_plans import PLANNED

ALLOWED = {"Entry": ["Clerks", "BPO", "KPO"], "Analysis": ["Analysts", "KPO"],
           "Project": ["Analysts", "KPO"]}
HOURS = {"Entry": 4_800, "Analysis": 2_400, "Project": 600}
OUTSOURCED = {"BPO", "KPO"}
TODAY = {"Entry": {"Clerks": 1.0}, "Analysis": {"Analysts": 1.0}, "Project": {"Analysts": 1.0}}


def data(min_savings: float = 0.1, **mix_keys: Any) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(PLANNED)
    loaded["decision"]["min_savings"] = min_savings
    if mix_keys:
        loaded["mix"] = mix_keys
    return loaded


def plans_by_hand(d: dict[str, Any]) -> list[dict[str, dict[str, float]]]:
    """Every plan the rules allow, in plain Python."""
    m = d.get("mix", {})
    keep = m.get("keep", {})
    allowed = {w: [keep[w]] if w in keep else opts for w, opts in ALLOWED.items()}
    levels = sorted({x for s in m.get("shares", []) for x in (s, round(1 - s, 12))})
    out = [dict(zip(allowed, ({o: 1.0} for o in combo), strict=True))
           for combo in itertools.product(*allowed.values())]
    for w in allowed:
        if w in keep:
            continue
        splits = [{a: s, b: round(1 - s, 12)} for a, b in itertools.combinations(allowed[w], 2)
                  for s in levels]
        others = [[{o: 1.0} for o in allowed[v]] if v != w else splits for v in allowed]
        out += [dict(zip(allowed, combo, strict=True)) for combo in itertools.product(*others)]

    def fits(plan: dict[str, dict[str, float]]) -> bool:
        used = {o for to in plan.values() for o in to} & OUTSOURCED
        if "max_vendors" in m and len(used) > m["max_vendors"]:
            return False
        share = {o: sum(HOURS[w] * to.get(o, 0.0) for w, to in plan.items()) / 7_800
                 for o in used}
        return "max_share" not in m or all(s <= m["max_share"] + 1e-12 for s in share.values())

    return [p for p in out if fits(p)]


def key(plan: dict[str, dict[str, float]]) -> str:
    return json.dumps(plan, sort_keys=True)


def brute_force(d: dict[str, Any], write_scenario) -> list[tuple[dict[str, Any], float, bool]]:
    """Each candidate costed by compare: (assignment, its metric, clears), by the rule of
    methodology 3 written out here: the plan saves more than 0, at least
    min_savings_amount, and at least min_savings of the cost it avoids,
    Σ_o max(0, M_Today(o) - M_A(o)) over its parts, and when it moves two or more items,
    each moved item i saves, against the plan with i as today (A-i), more than 0 and at
    least min_savings of Σ_o max(0, M_A-i(o) - M_A(o))."""
    plans = plans_by_hand(d)
    # The declared alternatives are candidates too (design 11.4): Today, the file's
    # plan, and every option that may do all the work alone (only KPO here).
    declared = [{w: ({to: 1.0} if isinstance(to, str) else dict(to)) for w, to in
                 p["assign"].items()} for p in d["plans"]]
    declared.append({w: {"KPO": 1.0} for w in ALLOWED})
    candidates = plans + [p for p in declared if p not in plans]
    needed = list(candidates)
    for p in candidates:
        for w in p:
            without = {**p, w: TODAY[w]}
            if without not in needed:
                needed.append(without)
    results = {}
    for start in range(0, len(needed), 40):  # at most 50 declared plans a file
        batch = needed[start:start + 40]
        doc = {**d, "plans": [*d["plans"], *({"name": f"P{start + i}", "assign": p}
                                             for i, p in enumerate(batch))]}
        result = api.compare(write_scenario(doc))
        for i, plan in enumerate(batch):
            results[key(plan)] = result.option(f"P{start + i}")
    metric = d["decision"].get("metric", "npv")
    personnel = d["decision"].get("threshold_base") == "personnel"
    assert not personnel or metric == "total"  # by_option lines are undiscounted

    def value(o) -> float:
        return o.total_cost if metric == "total" else o.npv

    def amounts(o) -> dict[str, float]:
        return {name: (part.lines.get("salaries", 0) + part.lines.get("benefits", 0))
                if personnel else (part.total_cost if metric == "total" else part.npv)
                for name, part in o.by_option.items()}

    def avoided(a, b) -> float:
        mine, theirs = amounts(a), amounts(b)
        return sum(max(0.0, theirs.get(n, 0.0) - mine.get(n, 0.0))
                   for n in set(mine) | set(theirs))

    today = results[key(TODAY)]
    ms = d["decision"]["min_savings"]
    out = []
    for plan in candidates:
        o = results[key(plan)]
        saved = value(today) - value(o)
        ok = (saved > 1e-6 and saved >= ms * avoided(o, today) - 1e-6
              and saved >= d["decision"].get("min_savings_amount", 0) - 1e-6)
        moved = [w for w in plan if plan[w] != TODAY[w]]
        if len(moved) >= 2:
            for w in moved:
                without = results[key({**plan, w: TODAY[w]})]
                inc = value(without) - value(o)
                ok = ok and inc > 1e-6 and inc >= ms * avoided(o, without) - 1e-6
        out.append((plan, value(o), ok))
    return out


def ranking(costed: list[tuple[dict[str, Any], float, bool]]) -> list[tuple[bool, float]]:
    """Clearing plans cheapest first, then the others cheapest first."""
    return sorted(((not ok, cost) for _, cost, ok in costed))


CASES = {
    "whole items": {},
    "cheapest fails, second clears": {"min_savings": 0.5},
    "one split item, shares 0.5": {"min_savings": 0.5, "shares": [0.5]},
    "shares 0.3 (and 0.7), one vendor": {"shares": [0.3], "max_vendors": 1},
    "keep and max_share": {"keep": {"Analysis": "Analysts"}, "max_share": 0.7,
                           "shares": [0.5]},
    "personnel base, total cost": {"min_savings": 0.3, "threshold_base": "personnel",
                                   "shares": [0.25]},
    "a move fails inside a bundle": {"min_savings": 0.34, "threshold_base": "personnel"},
    "binding min_savings_amount": {"min_savings": 0.1, "min_savings_amount": 200_000,
                                   "shares": [0.5]},
    "discounted NPV, three-way split declared": {"min_savings": 0.1, "discount_rate": 0.12,
                                                  "shares": [0.5], "three_way": True},
}
#: keys of a case that are not mix: constraints
NOT_MIX = ("min_savings", "threshold_base", "discount_rate", "min_savings_amount", "three_way")


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_search_equals_brute_force(case: str, write_scenario) -> None:
    keys = CASES[case]
    d = data(keys.get("min_savings", 0.1), **{k: v for k, v in keys.items() if k not in NOT_MIX})
    if "threshold_base" in keys:  # personnel cost: salaries and benefits, undiscounted
        d["decision"].update(threshold_base=keys["threshold_base"], metric="total")
    if "discount_rate" in keys:
        d["decision"]["metric"] = "npv"
        d["discount_rate"] = keys["discount_rate"]
    if "min_savings_amount" in keys:
        d["decision"]["min_savings_amount"] = keys["min_savings_amount"]
    if keys.get("three_way"):  # a declared plan the search cannot enumerate (design 11.4)
        d["plans"].append({"name": "Three ways", "assign": {
            "Entry": {"Clerks": 0.2, "BPO": 0.5, "KPO": 0.3}, "Analysis": "Analysts",
            "Project": "KPO"}})
    costed = brute_force(d, write_scenario)
    scenario = api.load(write_scenario(d))
    result = mix(scenario, top=len(costed))
    assert result.candidates == len(costed)
    # The whole ranking, figure by figure, to the cent.
    got = [(not p.clears, round(p.result.metric(result.metric), 2)) for p in result.top]
    assert got == [(flag, round(cost, 2)) for flag, cost in ranking(costed)]
    clearing = [(cost, plan) for plan, cost, ok in costed if ok]
    if clearing:
        cost, plan = min(clearing, key=lambda c: c[0])
        assert result.best is not None
        assert result.best.result.metric(result.metric) == pytest.approx(cost, abs=0.005)
        assert {w: dict(to) for w, to in result.best.result.assign.items()} == plan
        assert result.recommendation.option == result.best.result.name
    else:
        assert result.best is None
        assert result.recommendation.option == "Today"


def test_cheapest_plan_fails_its_threshold_and_the_second_clears(write_scenario) -> None:
    # min_savings 50%. Everything outsourced: BPO 400 h x 20 x 12 + 3,000 = 99,000; KPO
    # (200 x 12 + 600) h x 80 + 3,000 = 243,000; both teams released: clerks 4 x 2 x 3,000
    # = 24,000, analysts 2 x 3 x 10,000 = 60,000. 426,000 saves 274,000 of the 616,000 it
    # avoids (clerks 180,000 - 24,000, analysts 520,000 - 60,000): 44%, short of 50%.
    # Entry to BPO, Project to KPO, Analysis kept: 99,000 + 24,000 + (600 x 80 + 3,000)
    # + two analysts all year (12 x 2 x 10,000 x 1.5 = 360,000) = 534,000, saving 166,000,
    # clears as a whole (50% of 156,000 + 160,000 = 158,000), but its Entry move does not
    # pay its way: without it (Entry kept by the clerks) the plan costs 591,000, so Entry
    # adds 57,000 against 50% of the clerks' 156,000 = 78,000.
    # The best is that plan without the Entry move: Project alone to the KPO, 591,000
    # (clerks 180,000 + analysts 360,000 + KPO 51,000): it saves 109,000 of the analysts'
    # 520,000 - 360,000 = 160,000 it avoids, more than 50% (80,000).
    result = mix(api.load(write_scenario(data(0.5))), top=10)
    assert result.cheapest is not None
    assert result.best is not None
    assert result.cheapest.result.total_cost == pytest.approx(99_000 + 243_000 + 24_000
                                                              + 60_000)
    assert not result.cheapest.clears
    assert result.cheapest.result.moved_base == pytest.approx(616_000)
    best = result.best.result
    assert best.total_cost == pytest.approx(180_000 + 360_000 + 51_000)
    assert best.moved_base == pytest.approx(520_000 - 360_000)
    assert result.best.required_savings == pytest.approx(0.5 * 160_000)
    assert {w: dict(to) for w, to in best.assign.items()} == {
        "Entry": {"Clerks": 1.0}, "Analysis": {"Analysts": 1.0}, "Project": {"KPO": 1.0}}
    bundle = next(p for p in result.top if p.result.total_cost == pytest.approx(534_000))
    assert not bundle.clears
    entry = next(m for m in bundle.result.moves if m.work == "Entry")
    assert (entry.incremental_savings, entry.incremental_required, entry.clears) == (
        pytest.approx(591_000 - 534_000), pytest.approx(0.5 * 156_000), False)
    proc = run_cli("mix", write_scenario(data(0.5)))
    assert proc.returncode == 0, proc.stderr
    assert "The cheapest plan overall" in proc.stdout
    assert "does not clear" in proc.stdout


def test_emitted_plan_pasted_under_plans_gives_the_same_figures(write_scenario) -> None:
    d = data(0.1, shares=[0.5])
    path = write_scenario(d)
    emitted = run_cli("mix", "--emit-plan", path)
    report = run_cli("mix", "--format", "json", path)
    assert emitted.returncode == report.returncode == 0
    best = json.loads(report.stdout)["mixes"][0]["best"]
    pasted = {**d, "plans": [*d["plans"], *yaml.safe_load(emitted.stdout)["plans"]]}
    compared = json.loads(run_cli("compare", "--format", "json",
                                  write_scenario(pasted, "pasted.yaml")).stdout)
    again = next(o for o in compared["scenarios"][0]["options"] if o["name"] == best["name"])
    for key in ("total_cost", "npv", "risk_adjusted_npv", "savings_vs_baseline", "moved_base",
                "lines", "monthly", "by_option", "assign"):
        assert again[key] == best[key], key
    assert compared["scenarios"][0]["recommendation"]["option"] == best["name"]


HOSTILE = ["BPO #1: \"Manila\"", "- KPO 'Pune'", "@In-house\tclerks", "Team [a]{b}"]


def test_emitted_names_round_trip_whatever_they_hold(write_scenario) -> None:
    d = data(0.1)
    rename = dict(zip(["Clerks", "Analysts", "BPO", "KPO"], HOSTILE, strict=True))
    for o in d["options"]:
        o["name"] = rename[o["name"]]
    d["plans"] = [{"name": "Today", "assign": {w: rename[to] for w, to in
                                               d["plans"][0]["assign"].items()}}]
    emitted = run_cli("mix", "--emit-plan", write_scenario(d))
    assert emitted.returncode == 0, emitted.stderr
    entry = yaml.safe_load(emitted.stdout)["plans"][0]
    assert set(entry["assign"].values()) <= set(HOSTILE)
    pasted = {**d, "plans": [*d["plans"], entry]}
    result = api.compare(write_scenario(pasted, "pasted.yaml"))
    assert result.option(entry["name"]).kind == "plan"


def test_json_has_the_shape_of_design_section_7(write_scenario) -> None:
    proc = run_cli("mix", "--format", "json", "--top", "3", write_scenario(data(0.5)))
    doc = json.loads(proc.stdout)
    assert doc["schema_version"] == 1
    [m] = doc["mixes"]  # a list for one file too, as compare's "scenarios"
    assert {"scenario", "baseline", "best", "top", "best_single_option", "search"} <= set(m)
    assert m["search"]["exact"] is True
    # 12 enumerated plans and the declared 'Entry to BPO' (a split mix does not try here)
    assert m["search"]["candidates"] == 13
    assert len(m["top"]) == 3
    assert m["top"][0] == m["best"]
    assert m["baseline"]["name"] == "Today"
    # Each plan in the shape of a compare alternative.
    compared = json.loads(run_cli("compare", "--format", "json",
                                  write_scenario(data(0.5))).stdout)
    assert set(compared["scenarios"][0]["options"][0]) <= set(m["best"])
    # The best single option: the only one that may do all the work, KPO: 7,800 h x 80
    # + 3,000, and both teams released (24,000 + 60,000).
    assert m["best_single_option"]["name"] == "KPO"
    assert m["best_single_option"]["total_cost"] == 7_800 * 80 + 3_000 + 84_000


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_other_formats(fmt: str, write_scenario) -> None:
    proc = run_cli("mix", "--format", fmt, write_scenario(data(0.5)))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    if fmt == "csv":
        assert proc.stdout.splitlines()[0].startswith("file,scenario,currency,rank,plan")
        assert ",search,,candidates,,,13" in proc.stdout
    else:
        # In Markdown, no link to issue 1 either.
        assert ("Mix #1" if fmt == "table" else "Mix \\#&#8203;1") in proc.stdout
        assert "Searched 13 candidate plans" in proc.stdout


def test_gates_expect_and_exit_codes(write_scenario) -> None:
    d = data(0.5)
    d["plans"].append({"name": "Wanted", "assign": {"Entry": "Clerks", "Analysis": "Analysts",
                                                    "Project": "KPO"}})
    path = write_scenario(d)
    assert run_cli("mix", "--expect", "Wanted", path).returncode == 0
    failed = run_cli("mix", "--expect", "KPO", path)
    assert failed.returncode == 1
    assert "gate expect failed" in failed.stderr
    unknown = run_cli("mix", "--expect", "Nobody", path)
    assert unknown.returncode == 2
    assert "Nobody" in unknown.stderr
    # A KPO at 500 an hour: only Entry to the BPO saves (180,000 - 99,000 - 24,000 =
    # 57,000, 37% of the 156,000 it avoids), short of 50%: the baseline stays, and
    # --expect of the baseline passes.
    d = data(0.5)
    d["options"][3]["hourly_rate"] = 500
    stay = write_scenario(d, "stay.yaml")
    assert "Today stays" in run_cli("mix", stay).stdout
    assert run_cli("mix", "--expect", "Today", stay).returncode == 0


def test_batch_over_a_folder_and_a_broken_file(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(data(0.5)), encoding="utf-8")
    (folder / "b.yaml").write_text(yaml.safe_dump(data(0.1)), encoding="utf-8")
    proc = run_cli("mix", "--format", "json", folder)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["mixes"]) == 2
    broken = data(0.1, keep={"Entry": "Analysts"})  # the analysts do not serve Entry
    (folder / "c.yaml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    proc = run_cli("mix", "--format", "json", folder)
    assert proc.returncode == 2
    assert "mix.keep.Entry: Analysts may not keep 'Entry'" in proc.stderr
    assert len(json.loads(proc.stdout)["mixes"]) == 2
    out = tmp_path / "report.json"
    assert run_cli("mix", "-o", out, folder).returncode == 2
    assert not out.exists()  # nothing half-written
    assert run_cli("mix", "-f", "json", "-o", out, folder / "a.yaml").returncode == 0
    assert json.loads(out.read_text())["mixes"][0]["best"]["name"] == "Mix #1"


def test_too_large_a_space_is_refused_with_the_way_out(write_scenario) -> None:
    # 13 items that 4 options may each serve: 4^13 = 67,108,864 plans.
    d = data(0.1)
    d["work"] = [{"name": f"W{i}", "kind": "recurring", "hours_per_month": 100,
                  "specialization": "low"} for i in range(13)]
    for o in d["options"]:
        o.pop("serves", None)
    d["plans"] = []
    d["decision"] = {"min_savings": 0.1}
    d["mix"] = {"max_vendors": 2}
    started = time.perf_counter()
    proc = run_cli("mix", write_scenario(d))
    assert time.perf_counter() - started < 10
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "67,108,864 candidate plans" in proc.stderr
    assert "mix.keep" in proc.stderr
    assert "never falls back to a heuristic" in proc.stderr
    assert re.search(r"^\S+\.yaml:\d+:1: mix: 67,108,864", proc.stderr, re.M)  # mix key
    # Keeping two items shrinks it 16-fold: 4,194,304 plans, under the limit.
    d["mix"]["keep"] = {"W0": "Clerks", "W1": "Clerks"}
    assert search_module.space_size(Scenario.model_validate(d)) == 4 ** 11


def test_memory_and_time_are_bounded_for_12_items_and_4_options() -> None:
    # 16.8M candidates are within the limit: the search runs in chunks; here only the
    # size is checked (the benchmark times it).
    d = data(0.1)
    d["work"] = [{"name": f"W{i}", "kind": "recurring", "hours_per_month": 100,
                  "specialization": "low"} for i in range(12)]
    for o in d["options"]:
        o.pop("serves", None)
    d["plans"] = []
    d["decision"] = {"min_savings": 0.1}
    assert search_module.space_size(Scenario.model_validate(d)) == 4 ** 12
    assert search_module.MAX_CANDIDATES >= 4 ** 12


def test_mix_keeps_are_checked(write_scenario) -> None:
    _, diagnostics = api.check_file(write_scenario(data(0.1, keep={"Entri": "Clerks",
                                                                   "Entry": "Clerkz"})))
    texts = [d.text() for d in diagnostics]
    assert any("mix.keep.Entri: no work item is named 'Entri' (did you mean 'Entry'?)" in t
               for t in texts), texts
    assert any("mix.keep.Entry: no option is named 'Clerkz'" in t for t in texts), texts
    _, diagnostics = api.check_file(write_scenario(data(0.1, shares=[1.0])))
    assert any("mix.shares[0]" in d.text() for d in diagnostics)


UNSAFE = {"Clerks": "[red]Clerks[/red]", "Analysts": "::warning::Analysts",
          "BPO": "=HYPERLINK(\"x\")", "KPO": "K\x1b[31mPO *@team* `x`|y"}


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_names_are_shown_never_run(fmt: str, write_scenario) -> None:
    d = data(0.5)
    for o in d["options"]:
        o["name"] = UNSAFE[o["name"]]
    d["plans"] = [{"name": "Today", "assign": {w: UNSAFE[to] for w, to in
                                               d["plans"][0]["assign"].items()}}]
    proc = run_cli("mix", "--format", fmt, write_scenario(d))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "\x1b" not in out
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    if fmt == "table":
        assert "[red]Clerks[/red]" in out  # shown as written, not read as markup
        assert "K\\x1b[31mPO" in out
    if fmt == "markdown":
        assert "@&#8203;team" in out
        assert "\\*" in out
    if fmt == "csv":
        assert "'=HYPERLINK" in out
        assert ",=HYPERLINK" not in out
    if fmt == "json":
        best = json.loads(out)["mixes"][0]["best"]
        assert set(best["assign"]["Entry"]) <= set(UNSAFE.values())


def test_too_many_share_vectors_to_cost_is_refused_too(write_scenario) -> None:
    # 20 items that 2 options may each serve: 2^20 = 1,048,576 plans, but each option
    # then has 2^20 share vectors to cost (2,097,152 in all, over the 1,000,000 bound).
    d = data(0.1)
    d["work"] = [{"name": f"W{i}", "kind": "recurring", "hours_per_month": 100,
                  "specialization": "low"} for i in range(20)]
    d["options"] = [o for o in d["options"] if o["name"] in ("Clerks", "BPO")]
    d["options"][0].pop("serves")
    d["plans"] = []
    d["decision"] = {"min_savings": 0.1}
    proc = run_cli("mix", write_scenario(d))
    assert proc.returncode == 2
    assert "the 1,048,576 candidate plans need more than 1,000,000 share vectors" in proc.stderr
    assert "W0, W1, W2, W3, W4, W5, ..." in proc.stderr


def test_emit_plan_over_several_files_gives_one_document_each(tmp_path: Path) -> None:
    for name, share in (("a.yaml", 0.5), ("b.yaml", 0.1)):
        (tmp_path / name).write_text(yaml.safe_dump(data(share)), encoding="utf-8")
    proc = run_cli("mix", "--emit-plan", tmp_path)
    assert proc.returncode == 0, proc.stderr
    docs = list(yaml.safe_load_all(proc.stdout))
    assert [len(d["plans"]) for d in docs] == [1, 1]


def test_json_of_one_broken_file(write_scenario) -> None:
    proc = run_cli("mix", "-f", "json", write_scenario(data(0.1, keep={"Entry": "Analysts"})))
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert doc["mixes"] == []
    assert doc["errors"][0]["path"] == "mix.keep.Entry"


def test_ties_are_broken_by_enumeration_order_whatever_the_chunk(write_scenario,
                                                                   monkeypatch) -> None:
    # Two identical vendors: every plan that swaps one for the other costs the same.
    d = data(0.1)
    twin = dict(d["options"][2], name="BPO twin")
    d["options"].append(twin)
    scenario = api.load(write_scenario(d))
    whole = mix(scenario, top=10)
    monkeypatch.setattr(search_module, "CHUNK", 3)  # many chunks, ties across them
    chunked = mix(scenario, top=10)
    assert [(p.result.metric(whole.metric), dict(p.result.assign)) for p in whole.top] == [
        (p.result.metric(chunked.metric), dict(p.result.assign)) for p in chunked.top]
    costs = [p.result.metric(whole.metric) for p in whole.top]
    assert len(set(costs)) < len(costs)  # the case does have ties


def wide(items: int, **mix_keys: Any) -> dict[str, Any]:
    """PLANNED's four options (two in-house, two vendors), each free to serve ``items``
    low-specialization items of 100 to 100 + 30 x (items - 1) hours a month."""
    d = data(0.1)
    d["work"] = [{"name": f"W{i}", "kind": "recurring", "hours_per_month": 100 + 30 * i,
                  "specialization": "low"} for i in range(items)]
    for o in d["options"]:
        o.pop("serves", None)
    d["plans"] = []
    d["decision"] = {"min_savings": 0.1}
    if mix_keys:
        d["mix"] = mix_keys
    return d


def test_max_vendors_shrinks_the_space_and_finds_the_same_plans(monkeypatch) -> None:
    # 13 items, 4 options: 4^13 = 67,108,864 plans, refused. With one vendor at most:
    # no vendor (2^13 plans) or BPO or KPO with the two teams (3^13 each).
    big = Scenario.model_validate(wide(13, max_vendors=1))
    assert search_module.space_size(big) == 2 ** 13 + 2 * 3 ** 13
    # Each plan once: the sets of vendors give the same candidates as filtering all plans.
    small = Scenario.model_validate(wide(3, max_vendors=1, shares=[0.5]))
    by_sets = mix(small, top=10_000)
    monkeypatch.setattr(search_module, "MAX_VENDOR_SETS", 0)
    assert search_module.space_size(small) > by_sets.candidates
    filtered = mix(small, top=10_000)
    assert by_sets.candidates == filtered.candidates
    # No vendor: 2^3 whole plans, and 3 items x 1 pair (the teams) x 2^2 = 12 with a split.
    # One vendor V (of 2): 3^3 - 2^3 = 19 whole plans use V; of the 3 x 3 pairs x 3^2 = 81
    # with a split, all but the 3 x 1 x 2^2 = 12 without V. So 20 + 2 x (19 + 69) = 196.
    assert by_sets.candidates == 196
    assert len(by_sets.top) == 196
    assert sorted(round(p.result.total_cost, 2) for p in by_sets.top) == sorted(
        round(p.result.total_cost, 2) for p in filtered.top)
    assert by_sets.best is not None
    assert filtered.best is not None
    assert by_sets.best.result.total_cost == filtered.best.result.total_cost


EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_candidate_of_the_examples_costs_what_compare_says(path: Path,
                                                                  write_scenario) -> None:
    # Real scenarios (currencies, drift, taxes, risks, plans as baselines), with splits:
    # each candidate's figure from the vectorised search, against compare's for the same
    # plan pasted under plans:, to the cent.
    d = yaml.safe_load(path.read_text(encoding="utf-8"))
    d["mix"] = {"shares": [0.5]}
    d.get("decision", {}).pop("expect", None)
    scenario = api.load(write_scenario(d))
    found = search_module.search(scenario, top=10_000)
    assert len(found.ranked) == found.candidates == search_module.space_size(scenario)
    for start in range(0, len(found.ranked), 40):
        batch = found.ranked[start:start + 40]
        pasted = {**d, "plans": [*d.get("plans", []), *(
            {"name": f"Z{start + i}", "assign": c.assign} for i, c in enumerate(batch))]}
        compared = api.compare(write_scenario(pasted, "pasted.yaml"))
        for i, c in enumerate(batch):
            assert round(compared.option(f"Z{start + i}").metric(compared.metric), 2) == round(
                c.metric, 2)


def test_an_infeasible_baseline_gets_compares_rule(write_scenario) -> None:
    # Baseline BPO cannot do the high work: compare hands over to the cheapest feasible
    # alternative whatever it saves (here its cheapest declared plan, Entry to BPO), and
    # mix applies the same rule to the plans it searches (it used to crash): everything
    # outsourced, 426,000 (test_cheapest_plan_...).
    d = data(0.5)
    d["decision"]["baseline"] = "BPO"
    path = write_scenario(d)
    compared = api.compare(path).recommendation
    assert (compared.kind, compared.option) == ("baseline_infeasible", "Entry to BPO")
    result = mix(api.load(path))
    assert result.recommendation.kind == "baseline_infeasible"
    assert result.best is not None
    assert result.best.result.total_cost == pytest.approx(426_000)


@pytest.mark.parametrize("nudge", [-2, -1, 0, 1, 2])
def test_min_savings_exactly_on_a_boundary_never_crashes(nudge: int, write_scenario) -> None:
    # Entry to BPO saves 110,000 of the 236,000 it avoids: min_savings at that ratio, and a
    # few ulps either side. mix and compare agree on whether it clears, whatever the
    # last bit (the search calls the same test, on sums in the same order).
    import math

    ratio = 110_000 / 236_000
    for _ in range(abs(nudge)):
        ratio = math.nextafter(ratio, math.inf if nudge > 0 else -math.inf)
    d = data(ratio, shares=[0.5])
    path = write_scenario(d)
    compared = api.compare(path).option("Entry to BPO")
    found = mix(api.load(path), top=40)
    ranked = next(p for p in found.top if p.result.name == "Entry to BPO")
    assert ranked.clears == compared.clears


def test_json_has_one_shape_for_any_number_of_files_and_no_timing(tmp_path: Path) -> None:
    # Issue 13, item 18: "mixes" for one file as for several; no seconds, so two runs
    # print the same bytes (the timing goes to stderr under --timing).
    one = tmp_path / "one.yaml"
    one.write_text(yaml.safe_dump(data(0.5)), encoding="utf-8")
    first = run_cli("mix", "--format", "json", one)
    doc = json.loads(first.stdout)
    assert list(doc) == ["schema_version", "tool", "mixes", "errors"]
    assert [m["file"] for m in doc["mixes"]] == [str(one)]
    # 12 enumerated plans and the declared 'Entry to BPO' (design 11.4)
    assert doc["mixes"][0]["search"] == {"candidates": 13, "exact": True}
    assert "seconds" not in first.stdout
    again = run_cli("mix", "--format", "json", "--timing", one)
    assert again.stdout == first.stdout
    assert first.stderr == ""
    assert re.fullmatch(rf"kpo-calc: {re.escape(str(one))}: searched 13 candidate plans in "
                        r"\d+\.\d{3} s\n", again.stderr)
    for fmt in ("table", "markdown", "csv"):
        assert " s (exact" not in run_cli("mix", "--format", fmt, one).stdout


def test_top_plans_at_80_columns_are_a_matrix_of_plans_and_work_items(write_scenario) -> None:
    # Issue 13, item 18: a column per work item, the option in each cell, so a plan
    # takes a few lines at 80 columns instead of one line per word of its assignment.
    proc = run_cli("mix", "--top", "5", write_scenario(data(0.5)), env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Top 5 plans"))
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("#"))
    assert lines[header].split() == ["#", "Plan", "Entry", "Analysis", "Project", "total",
                                     "cost", "Savings"]
    end = next(i for i in range(header, len(lines)) if lines[i].startswith("clears:"))
    rows = lines[header + 2:end]
    assert max(len(line) for line in lines[start:end]) <= 80
    # One line a plan here; each cell holds the option of its column (Mix #1: Entry kept
    # by the clerks, Analysis by the analysts, Project to the KPO: 591,000, saving 109,000
    # of 700,000; see test_cheapest_plan_fails_its_threshold_and_the_second_clears).
    assert [row.split()[:6] for row in rows[:1]] == [["1", "Mix", "#1", "Clerks", "Analysts",
                                                      "KPO"]]
    assert len(rows) == 5
    assert rows[0].endswith("109,000 (15.6%) clears")
    assert "Entry:" not in proc.stdout


def test_markdown_top_plans_are_a_matrix_too(write_scenario) -> None:
    proc = run_cli("mix", "--format", "markdown", write_scenario(data(0.5)))
    head = next(line for line in proc.stdout.splitlines() if line.startswith("| \\# |"))
    assert head.startswith("| \\# | Plan | Entry | Analysis | Project | ")


def test_a_long_horizon_bounds_the_work_and_is_refused_at_once(write_scenario) -> None:
    # Issue 13, item 10: the work of costing is share vectors x months. 17 items that the
    # team or the KPO may each do give 2 x 2^17 = 262,144 share vectors; over 600
    # months that is past the 60,000,000 vector-months mix costs in seconds, so it
    # refuses at once, naming the horizon; over 36 months it is within bounds.
    d = data(0.1)
    d["options"] = [d["options"][1], d["options"][3]]  # Analysts and KPO
    d["options"][0]["serves"] = None
    del d["options"][0]["serves"]
    d["work"] = [{"name": f"Item {i}", "kind": "recurring", "hours_per_month": 100 + i,
                  "specialization": "high"} for i in range(17)]
    d["plans"] = []
    d["decision"]["baseline"] = "Analysts"
    d["horizon_months"] = 600
    started = time.perf_counter()
    proc = run_cli("mix", write_scenario(d))
    assert proc.returncode == 2
    assert "share vectors costed over 600 months" in proc.stderr
    assert "shorten horizon_months" in proc.stderr
    assert time.perf_counter() - started < 30  # a refusal, not a search (about 1 s)


def test_a_generated_plan_never_takes_a_declared_name(write_scenario) -> None:
    # Issue 13, item 12: a declared plan called "mix #1" (any case or spacing) and the
    # search's first plan: the generated name steps aside instead of colliding.
    d = data(0.1)
    d["plans"].append({"name": "mix  #1", "assign": {"Entry": "KPO", "Analysis": "KPO",
                                                      "Project": "Analysts"}})
    result = mix(api.load(write_scenario(d)), top=3)
    names = [p.result.name for p in result.top]
    assert "Mix #1" not in names
    assert "Mix #1'" in names


def test_mix_says_why_a_plan_does_not_clear(write_scenario) -> None:
    # Review of methodology 3: the cheapest plan (everything outsourced, 426,000) fails
    # at 36.6% because two moves do not pay their way, not because of its threshold
    # (274,000 >= 0.366 x 616,000): the note and the table say so.
    d = data(0.366)
    result = mix(api.load(write_scenario(d)), top=5)
    assert result.cheapest is not None
    from kpo_calc.render.mix_words import cheapest_note, clears_word

    note = cheapest_note(result)
    assert note is not None
    assert "Entry → BPO saves USD 57,000 more than keeping it, needs 57,096" in note
    assert "short of" not in note
    assert clears_word(result, result.cheapest) == "move"
    # With a minimum saving of 300,000 the same plan is below it.
    d = data(0.1)
    d["decision"]["min_savings_amount"] = 300_000
    result = mix(api.load(write_scenario(d, "amount.yaml")), top=5)
    assert result.cheapest is not None
    note = cheapest_note(result)
    assert note is not None
    assert "less than the minimum saving of USD 300,000" in note
    assert clears_word(result, result.cheapest) == "amount"


def test_emit_plan_of_a_declared_best_has_nothing_to_add(write_scenario) -> None:
    # The best plan here is the file's own (test_mix_..._boundary: Project to KPO is
    # declared): pasting it again would clash with the declared name.
    d = data(0.5)
    d["plans"].append({"name": "Project to KPO", "assign": {
        "Entry": "Clerks", "Analysis": "Analysts", "Project": "KPO"}})
    proc = run_cli("mix", "--emit-plan", write_scenario(d))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ("# the best plan is Project to KPO, a plan the file declares "
                           "already: nothing to add\n")


def test_infeasible_alternatives_never_clear(write_scenario) -> None:
    doc = json.loads(run_cli("compare", "--format", "json", write_scenario(data(0.1))).stdout)
    for o in doc["scenarios"][0]["options"]:
        if not o["feasible"]:
            assert o["clears_threshold"] is False, o["name"]


def test_an_astronomical_space_is_refused_with_its_order_of_magnitude() -> None:
    # 4 options and 200 items a mix may give to any: 4^200, 121 digits; the refusal says
    # "about 2.58e+120" rather than printing every digit (a float of it would overflow
    # past 10^308, so the digits are used).
    from kpo_calc.engine.search import too_large

    d = data(0.1)
    d["work"] = [{"name": f"W{i}", "kind": "recurring", "hours_per_month": 10,
                  "specialization": "low"} for i in range(3)]
    for o in d["options"]:
        o.pop("serves", None)
    d["plans"] = []
    d["decision"]["baseline"] = "Clerks"
    scenario = Scenario.model_validate(d)
    whole = [[((0, 1.0),), ((1, 1.0),)]] * 3
    message = too_large(scenario, 4 ** 200, whole)
    assert message.startswith(f"about {str(4 ** 200)[0]}.{str(4 ** 200)[1:3]}e+120 candidate")
    assert too_large(scenario, 50 ** 200, whole).startswith("about 6.22e+339 candidate")
