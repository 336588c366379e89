"""Every view in every text format: table (rich), Markdown and CSV (tidy long form).

A format lays out a ``views.View``'s typed cells; it never rebuilds them, so a
command with a view builder gets all three formats, and they agree by
construction. Every string is user data: shown through ``visible`` (table),
``md_text`` (Markdown) or ``safe`` (CSV), never parsed as markup.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from kpo_calc.outcome import Outcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.csv_format import csv_text, safe
from kpo_calc.render.layout import Column, Grid, fit, text
from kpo_calc.render.markdown import code, error_lines, esc
from kpo_calc.render.table import console_for
from kpo_calc.render.views import Table, View, raw, shown
from kpo_calc.textsafe import md_text, no_commands, visible


def table(views: Sequence[View], options: RenderOptions) -> str:
    """Views as terminal tables: a heading, its sentences, then each table fitted to the
    width (split into parts that repeat the row names when its columns do not fit)."""
    buffer = io.StringIO()
    console = console_for(buffer, options)
    for view in views:
        console.print(text(view.heading, "bold"))
        console.print(text(view.file, "dim"))
        for line in view.lines:
            console.print(text(line))
        for t in view.tables:
            console.print()
            for block in fit(_grid(t), console.width):
                console.print(block)
        console.print()
    return no_commands(buffer.getvalue())


def _grid(t: Table) -> Grid:
    keys = sum(1 for c in t.columns if c.key) or 1
    # A title names an alternative or a part: user text, shown like the cells.
    grid = Grid(visible(t.title), [Column(visible(c.header),
                                          "left" if c.kind == "text" else "right")
                                   for c in t.columns], keep=keys,
                caption=None if t.caption is None else visible(t.caption))
    for row in t.rows:
        grid.add(*(visible(shown(cell, c.kind)) for cell, c in zip(row, t.columns, strict=True)))
    return grid


def markdown(views: Sequence[View], outcomes: Sequence[Outcome[Any]],
             note: str | None = None) -> str:
    """Views as GitHub Markdown: a section per file, a table per view table; ``note`` (our
    Markdown, not user text) after the broken files' errors."""
    lines = error_lines(outcomes)
    if lines:
        lines.append("")
    if note:
        lines += [note, ""]
    for view in views:
        lines += [f"### {esc(view.heading)}", code(view.file), ""]
        for line in view.lines:  # a paragraph each
            lines += [esc(line), ""]
        for t in view.tables:
            lines += [f"**{esc(t.title)}**", "", *_md_table(t), ""]
            if t.caption:
                lines += [f"_{md_text(t.caption)}_", ""]
    return no_commands("\n".join(lines).rstrip("\n") + "\n")


def _md_table(t: Table) -> list[str]:
    heads = [esc(c.header) or " " for c in t.columns]
    rule = ["---" if c.kind == "text" else "--:" for c in t.columns]
    out = [f"| {' | '.join(heads)} |", f"|{'|'.join(rule)}|"]
    for row in t.rows:
        cells = [esc(shown(cell, c.kind)) for cell, c in zip(row, t.columns, strict=True)]
        out.append(f"| {' | '.join(cells)} |")
    return out


def csv(views: Sequence[View]) -> str:
    """Views as one tidy long table: each value on its own row, named by the file (and
    its currency), the table's section, the table, the row's key cells and the column
    (pivot-ready)."""
    names = max((v.section_names for v in views), key=len, default=())
    keys = max((sum(1 for c in t.columns if c.key) for v in views for t in v.tables),
               default=1)
    currency = any(v.currency for v in views)
    header = ["file", *(["currency"] if currency else []), *names, "table",
              *(["item"] if keys <= 1 else [f"item_{i + 1}" for i in range(keys)]),
              "column", "value"]
    return csv_text(header, _csv_rows(views, len(names), max(keys, 1), currency))


def _csv_rows(views: Sequence[View], sections: int, keys: int,
              currency: bool) -> Iterator[list[object]]:
    for view in views:
        lead = [safe(view.file), *([safe(view.currency)] if currency else [])]
        for t in view.tables:
            section = [safe(s) for s in t.section] + [""] * (sections - len(t.section))
            key_at = [i for i, c in enumerate(t.columns) if c.key]
            for row in t.rows:
                named = [safe(str(raw(row[i]))) for i in key_at]
                named += [""] * (keys - len(named))
                for i, c in enumerate(t.columns):
                    if c.key or row[i] is None:
                        continue
                    value = raw(row[i], c.kind)
                    yield [*lead, *section, safe(t.name or t.title), *named,
                           safe(c.header), safe(value) if isinstance(value, str) else value]

