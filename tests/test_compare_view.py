"""``compare``'s table and Markdown formats lay out one view: the same sentences, titles
and cells in both, in the same order (they drifted apart when each format built its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpo_calc import api
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.compare_view import fit, views
from kpo_calc.render.views import Box, Lines, Say, Table, shown
from kpo_calc.textsafe import md_text

EXAMPLES = sorted(str(p) for p in Path("scenarios").glob("*.yaml"))


def _sentences(blocks: object) -> list[Say]:
    out: list[Say] = []
    for b in blocks:  # type: ignore[attr-defined]
        out += list(b.lines) if isinstance(b, Box) else [b] if isinstance(b, Say) else []
    return out


def _cell_texts(t: Table) -> list[str]:
    out = []
    for row in t.rows:
        for cell, col in zip(row, t.columns, strict=True):
            if isinstance(cell, Lines):
                out += list(cell.lines)
            elif cell not in (None, ""):
                out.append(shown(cell, col.kind))
    return out


@pytest.mark.parametrize("example", EXAMPLES)
def test_table_and_markdown_show_the_same_view(example: str) -> None:
    outcomes = api.compare_files([example])
    [view] = views(outcomes, RenderOptions(details=True))
    wide = RenderOptions(width=2000)
    table = view_formats.table([view], wide)
    markdown = fit(outcomes, 10**9)
    flat = " ".join(table.split())
    for say in _sentences(view.blocks):
        assert " ".join(say.text.split()) in flat
        assert md_text(say.text) in markdown
    at = -1
    for t in view.tables:  # in the same order in both
        assert t.title in table
        assert md_text(t.title) in markdown
        assert markdown.index(md_text(t.title)) > at
        at = markdown.index(md_text(t.title))
        for text in _cell_texts(t):
            assert text in table, (t.title, text)
            assert md_text(text) in markdown, (t.title, text)


def test_the_verdict_box_has_every_line_in_both_formats() -> None:
    # The Markdown verdict used to lack the breakeven month the table showed.
    outcomes = api.compare_files(["scenarios/medical-coding-bpo.yaml"])
    markdown = fit(outcomes, 10**9)
    table = view_formats.table(views(outcomes, RenderOptions()), RenderOptions(width=2000))
    line = "Cumulative savings stay positive from month 2."
    assert line in markdown
    assert line in table


def test_markdown_folds_detail_first_then_the_summary_tables() -> None:
    outcomes = api.compare_files(["scenarios/analytics-project-myr.yaml"])
    full = fit(outcomes, 10**9)
    assert "<details><summary>Flexibility</summary>" in full
    # Just under the full length: the collapsed detail (fold 1) goes, the summary stays.
    folded = fit(outcomes, len(full) - 1)
    assert "<details>" not in folded
    assert "**Cost over 12 months (MYR)**" in folded
    assert "Detail was folded" in folded
    # Tighter: the summary tables (fold 2) go; the verdict and the moves stay.
    brief = fit(outcomes, len(folded) - 1)
    assert "**Cost over" not in brief
    assert "**Scorecard" not in brief
    assert "**Moves of KPO India (MYR;" in brief
    assert "**Recommendation: KPO India**" in brief
