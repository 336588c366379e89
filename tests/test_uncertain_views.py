"""``simulate``, ``sensitivity`` and ``breakeven`` as views: each builds its blocks once,
the table and Markdown formats lay out the same ones (same sentences, same figures, in
the same order), figures checked by hand, user text escaped per medium."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import assert_name_is_data, two_vendors
from kpo_calc import api
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.breakeven_view import view as breakeven_view
from kpo_calc.render.sensitivity_view import view as sensitivity_view
from kpo_calc.render.sim_view import view as sim_view
from kpo_calc.render.sim_words import gate_line
from kpo_calc.render.views import Say, Table, View
from kpo_calc.textsafe import md_code, md_text, visible

#: Wide enough that no sentence or table wraps: each string is found whole.
WIDE = RenderOptions(width=2000)


def _vendors(tmp_path: Any, challenger: Any = 30.0, **extra: Any) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(two_vendors(challenger, **extra)), encoding="utf-8")
    return str(path)


def _pieces(v: View) -> list[tuple[str, str]]:
    """Every sentence, table title, header and cell of ``v`` as (terminal, Markdown)."""
    out: list[tuple[str, str]] = []
    for block in v.blocks:
        if isinstance(block, Say):
            out.append((visible(block.text), md_text(block.text)))
            continue
        assert isinstance(block, Table)
        out.append((visible(block.title), md_text(block.title)))
        if block.caption:
            out.append((visible(block.caption), md_text(block.caption)))
        for c in block.columns:
            assert isinstance(c.header, str)
            if c.header:
                out.append((visible(c.header), md_text(c.header)))
        for row in block.rows:
            for cell, c in zip(row, block.columns, strict=True):
                assert isinstance(cell, str)
                if cell:
                    out.append((visible(cell), md_code(cell, table=True) if c.kind == "code"
                                else md_text(cell)))
    return out


def _same_in_both(v: View) -> tuple[str, str]:
    """``v`` as terminal text and as Markdown; assert each shows every piece of it, the
    sentences and table titles in the view's order."""
    term = view_formats.table([v], WIDE)
    md = view_formats.markdown([v])
    # A caption wraps to its table's width: compare the terminal's words, not its lines.
    words = " ".join(term.split())
    for shown, marked in _pieces(v):
        assert " ".join(shown.split()) in words, shown
        assert marked in md, marked
    for text, mark in ((words, visible), (md, md_text)):
        at = [text.index(mark(b.text if isinstance(b, Say) else b.title)) for b in v.blocks]
        assert at == sorted(at)
    return term, md


def test_sensitivity_by_hand_in_both_formats(tmp_path: Any) -> None:
    # tests/test_breakeven.py::test_tornado_by_hand: the challenger at 30 saves 12,000 of
    # 48,000. Its rate ±20%: 24 -> 48,000 − 1,200 × 24 = 19,200; 36 -> 4,800, which still
    # clears (10% of 48,000 = 4,800, and the threshold is ≥): no switch, "—". The widest
    # swing is the incumbent's productivity (24,000 − 4,000 = 20,000), so this row's bar
    # is 8 × 14,400 / 20,000 = 5.76 -> 6 blocks; "±": a point input, moved by ±20%.
    o = api.sensitivity_file(_vendors(tmp_path))
    assert o.result is not None
    v = sensitivity_view(o.file, o.result)
    tornado = v.tables[0]
    assert [c.header for c in tornado.columns] == [
        "Input", "Range", "Savings at low", "Savings at high", "Effect", "Switches at"]
    rows = {row[0]: row for row in tornado.rows}
    assert rows["options[Challenger].hourly_rate ±"] == (
        "options[Challenger].hourly_rate ±", "24 … 36", "19,200", "4,800", "█" * 6, "—")
    # The incumbent's productivity: 0.8 -> 1,500 h × 40 = 60,000, savings 24,000; 1.2 ->
    # 1,000 h = 40,000, savings 4,000 (10% of 40,000: clears, just): the widest, 8 blocks.
    assert rows["options[Incumbent].productivity ±"] == (
        "options[Incumbent].productivity ±", "0.8 … 1.2", "24,000", "4,000", "█" * 8, "—")
    assert tornado.title == ("Top 6 of 6 inputs by their effect on the savings (USD; ± a "
                             "point input)")
    # The savings at the means: 48,000 − 36,000 = 12,000.
    assert v.about.startswith("savings of Challenger against Incumbent (total cost, USD) at "
                              "the means: 12,000; ")
    term, md = _same_in_both(v)
    assert "| `options[Challenger].hourly_rate ±` | 24 … 36 | 19,200 | 4,800 | ██████ | — |" \
        in md
    assert "options[Incumbent].hourly_rate at 33.33334 (then Incumbent)" in term


def test_breakeven_by_hand_in_both_formats(tmp_path: Any) -> None:
    # tests/test_breakeven.py::test_breakeven_of_a_rate_by_hand: the same cost at
    # 1,200 × r = 48,000, r = 40; clearing at 48,000 − 1,200 r = 4,800, r = 36; searched
    # from 0.05 (0.1% of 50 above the open end 0) to 50 + 10 × 50 = 550.
    o = api.breakeven_file(_vendors(tmp_path, 50.0), "options[Challenger].hourly_rate")
    assert o.result is not None
    v = breakeven_view(o.file, o.result)
    assert v.tables[0].rows == (("now", "50"), ("costs the same", "40"),
                                ("clearing changes", "36"), ("searched", "0.05 … 550"))
    assert v.about == "options[Challenger].hourly_rate, Challenger against Incumbent"
    term, md = _same_in_both(v)
    # Markdown now has the switching values the terminal always had.
    assert "| costs the same | 40 |" in md
    assert ("Challenger and Incumbent cost the same (total cost) when "
            "options[Challenger].hourly_rate is 40" in term)


def test_simulate_by_hand_in_both_formats(tmp_path: Any) -> None:
    # The challenger's rate drawn from triangular(20, 30, 35): even at 35 it costs
    # 1,200 × 35 = 42,000 and saves 6,000 ≥ 4,800 (10% of 48,000), so every trial picks
    # it: 100% agree, cheapest, clear and picked; the incumbent (the baseline, a point
    # rate) costs 1,200 × 40 = 48,000 in every trial, its savings 0 at every percentile;
    # the choice never changes, so perfect information is worth nothing (EVPI 0) and
    # there is no value-of-information table.
    path = _vendors(tmp_path, {"triangular": [20, 30, 35]})
    o = api.simulate_file(path, trials=500, seed=7, min_agreement=0.9)
    assert o.result is not None
    v = sim_view(o, o.result)
    alternatives = v.tables[0]
    rows = {row[0]: row for row in alternatives.rows}
    assert rows["Incumbent"] == ("Incumbent", "48,000", "0", "0", "0", "0%", "0%", "0%")
    assert rows["Challenger"][5:] == ("100%", "100%", "100%")
    assert [t.title for t in v.tables] == [
        "Alternatives over 500 trials (total cost; savings against Incumbent)",
        "Savings of Challenger against Incumbent (USD)"]
    says = [b for b in v.blocks if isinstance(b, Say)]
    assert says[0].tone == "strong"
    assert says[0].text.endswith(
        "At the inputs' means; 100% of the trials agree (each trial decided by the same "
        "rule).")
    assert says[-2].text.endswith("(EVPI 0).")
    # The gate passes (100% ≥ 90%): a gate's outcome in both formats.
    assert says[-1] == Say("gate min_agreement passed: 100.0% of the trials agree with the "
                           "recommendation; at least 90.0% required", "pass")
    _, md = _same_in_both(v)
    assert "- ✅ gate min\\_agreement passed" in md
    # Each trial's count of the histogram adds up to the trials, in both formats.
    hist = v.tables[1]
    assert sum(int(str(row[2]).replace(",", "")) for row in hist.rows) == 500
    assert "| Savings |   | Trials |" in md


def test_simulate_names_a_failed_gate_in_both_formats(tmp_path: Any) -> None:
    # triangular(20, 30, 40): above 36 the challenger saves less than 48,000 − 1,200 × 36
    # = 4,800 and no longer clears, in (40 − 36)² / ((40 − 20) × (40 − 30)) = 8% of the
    # draws, so about 92% of the trials agree with the point pick: short of 99%.
    path = _vendors(tmp_path, {"triangular": [20, 30, 40]})
    o = api.simulate_file(path, trials=500, seed=7, min_agreement=0.99)
    assert o.result is not None
    assert o.result.agreement == pytest.approx(0.92, abs=0.03)
    assert not o.gate_passed
    v = sim_view(o, o.result)
    assert v.blocks[-1] == Say(gate_line(o) or "", "fail")
    term, md = _same_in_both(v)
    assert "- ❌ gate min\\_agreement failed: " in md
    assert "gate min_agreement failed: " in term


HOSTILE = "[bold]Chal|lenger`<b> @team ##[warning]x *y*"


@pytest.mark.parametrize("command", ["simulate", "sensitivity", "breakeven"])
def test_user_text_is_data_in_both_formats(tmp_path: Any, command: str) -> None:
    # An alternative named with markup, a table's pipe, a code span's backtick, HTML, a
    # mention and a workflow command: shown as typed on a terminal, escaped in Markdown.
    data = two_vendors({"triangular": [20, 30, 35]})
    data["options"][1]["name"] = HOSTILE
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    args = {"simulate": ["--trials", "200"], "sensitivity": [],
            "breakeven": ["--input", "options[Incumbent].hourly_rate"]}[command]
    assert_name_is_data(command, [str(path), *args], HOSTILE, "Chal|lenger")
