"""``mix`` and ``diff`` as views (issue 15): one builder per command, laid out by every
text format, so the terminal and Markdown say the same sentences and figures.

The figures are the hand-worked ones of test_mix (test_plans.PLANNED at min_savings 50%)
and test_batch (the tiny scenario at half the vendor's rate).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import assert_name_is_data, tiny_data
from kpo_calc import api
from kpo_calc.diffing import InputChange, ScenarioDiff
from kpo_calc.outcome import MixOutcome
from kpo_calc.render import RenderOptions, diff_view, mix_view, view_formats
from kpo_calc.render.markdown import LIMIT
from kpo_calc.render.views import Box, Say, Table, View
from kpo_calc.textsafe import md_code, md_text, visible
from test_mix import data

WIDE = RenderOptions(width=200)


def flat(text: str) -> str:
    """The words of a terminal output, box borders and line breaks left out."""
    return " ".join(text.replace("│", " ").split())


def pieces(v: View) -> list[tuple[str, str]]:
    """Every sentence (boxed ones too), table title, caption, header and cell of ``v``, as
    (terminal, Markdown)."""
    out: list[tuple[str, str]] = []
    for b in v.blocks:
        if isinstance(b, Say | Box):
            out += [(visible(s.text), md_text(s.text))
                    for s in (b.lines if isinstance(b, Box) else (b,))]
            continue
        out.append((visible(b.title), md_text(b.title)))
        if b.caption:
            out.append((visible(b.caption), md_text(b.caption)))
        for c in b.columns:
            assert isinstance(c.header, str)
            out.append((visible(c.header), md_text(c.header)))
        for row in b.rows:
            for cell, c in zip(row, b.columns, strict=True):
                assert isinstance(cell, str)
                out.append((visible(cell), md_code(cell, table=True) if c.kind == "code"
                            else md_text(cell)))
    return out


def assert_both_formats_say_it(v: View) -> None:
    """Each piece of ``v`` is in the terminal text (wide enough for no cell to wrap) and,
    escaped, in the Markdown; the blocks in the view's order in both."""
    term = flat(view_formats.table([v], WIDE))
    md = view_formats.markdown([v])
    for shown, marked in pieces(v):
        assert flat(shown) in term, shown
        assert marked in md, marked
    for text, mark in ((term, lambda s: flat(visible(s))), (md, md_text)):
        at = [text.index(mark(b.text if isinstance(b, Say) else b.lines[0].text
                              if isinstance(b, Box) else b.title)) for b in v.blocks]
        assert at == sorted(at)


@pytest.fixture
def searched(tmp_path: Path) -> MixOutcome:
    path = tmp_path / "planned.yaml"
    path.write_text(yaml.safe_dump(data(0.5)), encoding="utf-8")
    return api.mix_file(path, top=3, expect="Today")


def test_mix_view_reads_verdict_best_plan_ranking_notes_gate_search(searched) -> None:
    assert searched.result is not None
    v = mix_view.view(searched, searched.result)
    kinds = [type(b).__name__ for b in v.blocks]
    assert kinds == ["Say", "Table", "Table", "Say", "Say", "Say", "Say"]
    verdict, best, top, cheapest, single, gate, search = v.blocks
    assert isinstance(verdict, Say)
    assert verdict.tone == "good"
    assert isinstance(best, Table)
    assert best.title == "Best plan: Mix #1"
    assert best.rows == (("Entry", "Clerks"), ("Analysis", "Analysts"), ("Project", "KPO"))
    # test_mix: Mix #1 keeps Entry and Analysis and sends Project to the KPO: clerks
    # 180,000 + analysts 360,000 + KPO 51,000 = 591,000, 109,000 under Today's 700,000
    # (15.6%), clearing 50% of the 160,000 it avoids. Mix #2, all out: 99,000 + 243,000
    # + 24,000 + 60,000 = 426,000, saving 274,000 (39.1%) but short of 50% of 616,000.
    # Mix #3, Entry kept: 180,000 + 243,000 + 60,000 = 483,000, saving 217,000 (31.0%).
    assert isinstance(top, Table)
    assert top.title == "Top 3 plans (cheapest that clear first)"
    assert [c.header for c in top.columns] == ["#", "Plan", "Entry", "Analysis", "Project",
                                               "total cost", "Savings"]
    assert top.kept == 2  # rank and plan name repeat when the table splits
    assert top.rows == (
        ("1", "Mix #1", "Clerks", "Analysts", "KPO", "591,000", "109,000 (15.6%) clears"),
        ("2", "Mix #2", "BPO", "KPO", "KPO", "426,000", "274,000 (39.1%) short"),
        ("3", "Mix #3", "Clerks", "KPO", "KPO", "483,000", "217,000 (31.0%) short"))
    assert isinstance(cheapest, Say)
    assert cheapest.text.startswith("The cheapest plan overall, Mix #2, costs USD 426,000")
    assert isinstance(single, Say)
    assert single.text == ("Best single option: KPO, USD 711,000 by total cost, "
                           "USD 11,000 more than Today.")
    assert gate == Say("Gate expect failed: the best plan (Mix #1) does not have the "
                       "assignment of Today", "fail")
    assert search == Say("Searched 13 candidate plans (exact: every plan the constraints "
                         "allow was costed).", "quiet")
    assert v.heading == data(0.5)["name"]
    assert v.about == "best sourcing plan against Today (total cost, USD)"


def test_mix_table_and_markdown_say_the_same(searched) -> None:
    assert searched.result is not None
    v = mix_view.view(searched, searched.result)
    assert_both_formats_say_it(v)
    md = mix_view.markdown([searched], WIDE)
    assert md == view_formats.markdown([v])
    assert "- ❌ Gate expect failed: the best plan (Mix \\#&#8203;1)" in md
    assert ("| 1 | Mix \\#&#8203;1 | Clerks | Analysts | KPO | 591,000 | 109,000 (15.6%) "
            "clears |") in md


def test_mix_gate_that_passes_is_a_pass(tmp_path: Path) -> None:
    # A declared plan with Mix #1's assignment (test_mix.test_gates_expect_and_exit_codes).
    d = data(0.5)
    d["plans"].append({"name": "Wanted", "assign": {"Entry": "Clerks", "Analysis": "Analysts",
                                                    "Project": "KPO"}})
    path = tmp_path / "planned.yaml"
    path.write_text(yaml.safe_dump(d), encoding="utf-8")
    passed = api.mix_file(path, top=3, expect="Wanted")
    assert passed.result is not None
    assert passed.expect_passed
    gates = [b for b in mix_view.view(passed, passed.result).blocks
             if isinstance(b, Say) and b.tone in ("pass", "fail")]
    assert gates == [Say("Gate expect passed: the best plan (Wanted) has the assignment of "
                         "Wanted", "pass")]
    assert "- ✅ Gate expect passed: the best plan (Wanted)" in mix_view.markdown([passed],
                                                                                 WIDE)


@pytest.fixture
def changed(write_scenario) -> ScenarioDiff:
    old = write_scenario(name="old.yaml")
    d = tiny_data()
    d["options"][1]["hourly_rate"] = 10
    new = write_scenario(d, name="new.yaml")
    return api.diff_files(str(old), str(new))


def test_diff_view_reads_decision_results_inputs(changed) -> None:
    v = diff_view.view(changed, show_all=False)
    box, results, inputs = v.blocks
    assert isinstance(box, Box)
    assert box.title == "Decision"
    assert box.lines[0] == Say("The recommendation is unchanged: Vendor.", "good")
    assert box.lines[1].text.startswith("Before: Vendor costs ")
    assert box.lines[2].text.startswith("After: Vendor costs ")
    # test_batch: half the rate takes 114,570 off Vendor's 300,140; Team is unchanged.
    assert isinstance(results, Table)
    vendor = next(n for n, row in enumerate(results.rows) if row[0] == "Vendor")
    assert results.rows[vendor][:3] == ("Vendor", "changed", "300,140 → 185,570 (-114,570)")
    assert results.tone(vendor) == "strong"
    team = next(n for n, row in enumerate(results.rows) if row[0] == "Team")
    assert results.rows[team][1] == "unchanged"
    assert results.tone(team) == "plain"
    assert isinstance(inputs, Table)
    assert inputs.title == "Inputs changed (1)"
    assert inputs.rows == (("options[Vendor].hourly_rate", "20", "10"),)
    assert (inputs.collapsed, inputs.fold, inputs.records) == (True, 1, True)
    assert v.about.endswith("new.yaml (USD)")
    assert_both_formats_say_it(v)


def test_diff_without_input_changes_says_so(write_scenario) -> None:
    old = write_scenario(name="old.yaml")
    same = write_scenario(name="same.yaml")
    v = diff_view.view(api.diff_files(str(old), str(same)), show_all=False)
    assert v.blocks[-1] == Say("No input changed.")
    assert "No input changed." in diff_view.markdown(api.diff_files(str(old), str(same)),
                                                     RenderOptions())


def test_diff_markdown_folds_the_inputs_to_githubs_limit(changed) -> None:
    # 2,000 changed inputs of 60 characters each: past 65,000 characters, so the inputs
    # fold and the note says where to see them; the decision and the results stay.
    many = tuple(InputChange(f"options[Vendor].other_costs[{i}].{'x' * 30}", i, i + 1,
                             "changed") for i in range(2_000))
    big = replace(changed, inputs=many)
    md = diff_view.markdown(big, RenderOptions())
    assert len(md) <= LIMIT
    assert "Inputs changed" not in md
    assert "The inputs that changed were left out" in md
    assert "300,140 → 185,570 (-114,570)" in md
    assert "The recommendation is unchanged: Vendor." in md
    small = diff_view.markdown(changed, RenderOptions())
    assert "left out" not in small
    assert "<details><summary>Inputs changed (1)</summary>" in small


HOSTILE = "[bold]K|PO`<b> @team ##[warning]x *y*"


def _renamed(value: Any, old: str, new: str) -> Any:
    """``value`` with every string equal to ``old`` (a name, where it is used) now ``new``."""
    if isinstance(value, dict):
        return {_renamed(k, old, new): _renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, old, new) for v in value]
    return new if value == old else value


@pytest.mark.parametrize("command", ["mix", "diff"])
def test_user_text_is_data_in_both_formats(tmp_path: Path, command: str) -> None:
    # An option named with markup, a table's pipe, a code span's backtick, HTML, a mention
    # and a workflow command: shown as typed on a terminal, escaped in Markdown.
    if command == "mix":
        path = tmp_path / "s.yaml"
        path.write_text(yaml.safe_dump(_renamed(data(0.5), "KPO", HOSTILE)), encoding="utf-8")
        args = [str(path)]
    else:
        old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
        before = _renamed(tiny_data(), "Vendor", HOSTILE)
        old.write_text(yaml.safe_dump(before), encoding="utf-8")
        before["options"][1]["hourly_rate"] = 10
        new.write_text(yaml.safe_dump(before), encoding="utf-8")
        args = [str(old), str(new)]
    assert_name_is_data(command, args, HOSTILE, "K|PO")
