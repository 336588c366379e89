"""A hostile reading of the view-based output (issue 15): names that are Markdown at the
start of a line, a comment cut to GitHub's limit, a collapsed table's title, a thin
table's title on a wide terminal.

The Markdown is parsed with markdown-it (CommonMark and GitHub's tables, the parser
rich ships with) so that a test sees what a reader sees: a list, a rule, raw HTML.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conftest import run_cli, tiny_data
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.view_formats import CUT_NOTE
from kpo_calc.render.views import Box, Col, Say, Table, Tone, View

_PARSER = MarkdownIt("commonmark").enable("table")


def tokens(markdown: str) -> list[Token]:
    """Every block and inline token of ``markdown``, flattened."""
    out: list[Token] = []
    for t in _PARSER.parse(markdown):
        out.append(t)
        out += t.children or []
    return out


def kinds(markdown: str) -> set[str]:
    """The token types of ``markdown`` (``bullet_list_open``, ``hr``, ``html_inline``...)."""
    return {t.type for t in tokens(markdown)}


def paragraphs(markdown: str) -> list[str]:
    """The plain text of each paragraph, as a reader sees it."""
    found = _PARSER.parse(markdown)
    return ["".join(c.content for c in found[n + 1].children or [] if c.type == "text")
            for n, t in enumerate(found)
            if t.type == "paragraph_open" and found[n + 1].type == "inline"]


# --- a name that starts a line -----------------------------------------------------------

#: Names that CommonMark reads as a list item when a paragraph starts with them.
LIST_STARTS = ["- Vendor", "+ Vendor", "1. Vendor", "1) Vendor", "123456789. Vendor", "-",
               "---", "- - -"]


@pytest.mark.parametrize("name", LIST_STARTS)
def test_a_sentence_that_starts_with_a_list_marker_stays_a_sentence(name: str) -> None:
    view = View("f.yaml", "Scenario", (Say(f"{name} costs less."), Say(f"{name} wins.", "quiet")))
    out = view_formats.markdown([view])
    assert not kinds(out) & {"bullet_list_open", "ordered_list_open", "hr"}, out
    # The reader sees the sentence as written (the marker is escaped, not dropped).
    assert paragraphs(out)[1:] == [f"{name} costs less.", f"{name} wins."]


def test_the_line_under_the_heading_that_starts_with_a_list_marker() -> None:
    # diff's line is its two file names, with no code span first.
    out = view_formats.markdown([View("", "Scenario", (), about="- old.yaml → 1. new.yaml")])
    assert not kinds(out) & {"bullet_list_open", "ordered_list_open"}, out
    assert paragraphs(out) == ["- old.yaml → 1. new.yaml"]


def test_a_marker_inside_a_sentence_is_left_as_written() -> None:
    out = view_formats.markdown([View("", "", (Say("Vendor - 1. costs less"),))])
    assert out == "Vendor - 1. costs less\n"
    out = view_formats.markdown([View("", "", (Say("1.5 times"), Say("+5%")))])
    assert out == "1.5 times\n\n+5%\n"


def test_a_sentence_that_is_a_rule_stays_a_sentence() -> None:
    # "---" under nothing is a thematic break; as the whole sentence, a name.
    out = view_formats.markdown([View("", "", (Say("---"), Say("-5% a year")))])
    assert out == "\\---\n\n\\-5% a year\n"
    assert paragraphs(out) == ["---", "-5% a year"]


def test_gate_outcomes_stay_one_list() -> None:
    # Only the sentences' own start is escaped: the pass/fail marks are our list.
    box = Box("Verdict", (Say("- a", "pass"), Say("1. b", "fail")))
    out = view_formats.markdown([View("", "", (box,))])
    assert out == "- ✅ - a\n- ❌ 1. b\n"
    assert [t.type for t in tokens(out)].count("list_item_open") == 2


@pytest.mark.parametrize("tone", ["strong", "warn", "quiet", "good", "alert"])
def test_an_empty_sentence_in_a_tone_is_no_rule(tone: Tone) -> None:
    # "****" alone on a line is a thematic break; "__" stray marks.
    out = view_formats.markdown([View("", "", (Say("a"), Say("", tone), Say("b")))])
    assert "hr" not in kinds(out)
    assert "*" not in out
    assert "_" not in out


def test_line_start_names_from_every_command(write_scenario) -> None:
    """End to end: alternatives named like list items, in compare's and breakeven's
    sentences (the recommended one starts the reason, and breakeven's sentences)."""
    data = tiny_data()
    data["options"][0]["name"], data["options"][1]["name"] = "- Team", "1. Vendor"
    path = write_scenario(data)
    for args in (["compare"], ["breakeven", "--input", "discount_rate"]):
        result = run_cli(*args, path, "-f", "markdown")
        assert result.returncode == 0, result.stderr
        assert not kinds(result.stdout) & {"bullet_list_open", "ordered_list_open"}, (
            result.stdout)
        assert any(p.startswith(("1. Vendor", "- Team")) for p in paragraphs(result.stdout))


# --- a collapsed table's title -----------------------------------------------------------

def test_a_collapsed_title_is_text_in_its_html() -> None:
    """``<details><summary>`` starts an HTML block, where backslash escapes are not read:
    a title must be escaped as HTML (``\\<b\\>`` would show a backslash and bold the rest)."""
    title = "</summary><b>x</b> *y* & @org/team"
    t = Table(title, (Col("A"),), (("1",),), collapsed=True)
    out = view_formats.markdown([View("", "", (t,))])
    head = out.splitlines()[0]
    assert head == ("<details><summary>&lt;/summary&gt;&lt;b&gt;x&lt;/b&gt; *y* &amp; "
                    "@&#8203;org/team</summary>")
    assert "\\" not in head


# --- GitHub's limit ----------------------------------------------------------------------

def _file_view(n: int, rows: int = 40) -> View:
    detail = Table(f"Detail {n}", (Col("Line", key=True), Col("Amount", "money")),
                   tuple((f"line {i}", float(i)) for i in range(rows)), fold=1, collapsed=True)
    kept = Table(f"Totals {n}", (Col("Line", key=True), Col("Amount", "money")),
                 tuple((f"line {i}", float(i)) for i in range(rows)))
    return View(f"s{n}.yaml", f"Scenario {n}", (Say(f"Scenario {n} reads."), detail, kept))


def test_views_that_do_not_fit_go_whole_with_a_count() -> None:
    """explain over many files (no batch summary): after every fold, the last files go
    whole, and a line says how many, instead of the text being cut inside a table row."""
    views = [_file_view(n) for n in range(30)]
    one = len(view_formats.markdown(views[:1], limit=None))
    limit = 10 * one
    out = view_formats.markdown(views, ["## head"], limit=limit, note="_Folded._")
    assert len(out) <= limit
    assert out.count("_Folded._") == 1
    shown = [v for v in views if f"### {v.heading}\n" in out]
    assert shown == views[:len(shown)]
    assert 1 <= len(shown) < 30
    assert out.endswith(f"\n\n_… and {30 - len(shown)} more files, left out to fit._\n")
    # Every file that is shown is shown whole (but for the folded detail).
    assert out.count("| line 39 | 39.00 |") == len(shown)
    assert "<details>" not in out


def test_one_file_left_out_is_one_file() -> None:
    # Without their detail (fold 1), one view fits and two do not.
    views = [_file_view(0), _file_view(1)]
    bare = [View(v.file, v.heading, v.blocks[::2]) for v in views]
    size = len(view_formats.markdown(bare[:1], note="")) + 200
    assert len(view_formats.markdown(bare)) > size
    out = view_formats.markdown(views, limit=size, note="_F._")
    assert len(out) <= size
    assert out == (view_formats.markdown(bare[:1], ["_F._"])
                   + "\n_… and 1 more file, left out to fit._\n")


@pytest.mark.parametrize("limit", [300, 1_000, 2_500, 4_000])
def test_a_view_that_cannot_fit_is_cut_at_a_line_with_its_details_closed(limit: int) -> None:
    big = Table("Big", (Col("A"), Col("B", "money")),
                tuple((f"row {i} &amp; @x", float(i)) for i in range(300)), collapsed=True)
    view = View("f.yaml", "Heading", (Say("- Starts a line."), big))
    out = view_formats.markdown([view], ["## head"], limit=limit, note="_Folded._")
    assert len(out) <= limit
    assert out.endswith(f"\n\n{CUT_NOTE}\n")
    assert out.count("<details>") == out.count("</details>")
    lines = out.split("\n")
    # Whole lines only: each table row is complete (its last cell and the closing bar).
    rows = [line for line in lines if line.startswith("| row")]
    assert all(line.endswith(" |") and line.count(" | ") == 1 for line in rows)
    # The note is a paragraph of its own, not a row of the table it follows.
    assert CUT_NOTE.strip("_") in paragraphs(out)[-1]


def test_a_head_longer_than_the_limit_is_cut_at_a_line() -> None:
    head = [f"- ❌ `f{n}.yaml`: broken" for n in range(200)]
    out = view_formats.markdown([_file_view(0)], head, limit=1_000, note="_F._")
    assert len(out) <= 1_000
    assert out.endswith(f"\n\n{CUT_NOTE}\n")
    assert all(line.endswith("broken") for line in out.split("\n") if line.startswith("- ❌"))


def test_explain_over_many_files_leaves_files_out_whole(tmp_path: Path) -> None:
    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "legal-document-review.yaml"
    for n in range(90):
        (tmp_path / f"s{n:02}.yaml").write_text(scenario.read_text(encoding="utf-8"),
                                               encoding="utf-8")
    result = run_cli("explain", tmp_path, "-f", "markdown")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert len(out) <= 65_000
    headings = out.count("\n### How the figures of ")
    assert 0 < headings < 90
    assert out.endswith(f"_… and {90 - headings} more files, left out to fit._\n")
    # The last table is whole: its last row is its Onshore LPO row, complete.
    assert out.rstrip("\n").split("\n")[-3].startswith("| Onshore LPO | option | yes |")


# --- a thin table's title ----------------------------------------------------------------

def test_a_thin_tables_title_and_caption_wrap_at_the_terminal_not_the_table() -> None:
    t = Table("Scorecard (higher is better) (part 2 of 2)", (Col("Rank", "figure"),),
              ((1,), (2,)), caption="Weights: Cost 60%, Control 10%, IP security 10%.")
    out = view_formats.table([View("", "", (t,))], RenderOptions(width=80))
    lines = out.split("\n")
    assert lines[0] == "Scorecard (higher is better) (part 2 of 2)"
    assert "Weights: Cost 60%, Control 10%, IP security 10%." in lines
    # Still within the terminal: at 20 columns the title wraps at 20.
    narrow = view_formats.table([View("", "", (t,))], RenderOptions(width=20)).split("\n")
    assert narrow[:2] == ["Scorecard (higher is", "better) (part 2 of"]
    assert max(len(line) for line in narrow) <= 20
