"""Every view in every text format: table (rich), Markdown and CSV (tidy long form).

A format lays out a ``views.View``'s blocks; it never rebuilds them, so a
command with a view builder gets all three formats, and they agree by
construction. Every string is user data: shown through ``visible`` (table),
``md_text`` (Markdown) or ``safe`` (CSV), never parsed as markup.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence

from rich.console import Console, RenderableType
from rich.text import Text

from kpo_calc.render import RenderOptions
from kpo_calc.render.layout import Column, Grid, fit, panel, text
from kpo_calc.render.views import Box, Cell, Col, Kind, Lines, Say, Table, Tone, View, raw, shown
from kpo_calc.textsafe import BREAK, md_code, md_text, no_commands, visible

#: How a tone looks on a terminal.
STYLES: dict[Tone, str] = {
    "plain": "", "strong": "bold", "good": "bold green", "bad": "red", "fail": "bold red",
    "pass": "green", "alert": "bold yellow", "warn": "yellow", "quiet": "dim",
}

# --- table -------------------------------------------------------------------------------

#: Columns when the width is not known (output to a file or a pipe).
DEFAULT_WIDTH = 100


def console_for(buffer: io.StringIO, options: RenderOptions) -> Console:
    """A console that renders into ``buffer`` with the run's colour and width.

    Markup is off: a ``[`` in a name is text (every string goes to rich as ``Text``).
    """
    return Console(file=buffer, width=options.width or DEFAULT_WIDTH,
                   force_terminal=options.color, no_color=not options.color,
                   color_system="standard" if options.color else None,
                   highlight=False, emoji=False, soft_wrap=False, markup=False)


def table(views: Sequence[View], options: RenderOptions) -> str:
    """Views as terminal text: each view's heading, then its blocks; tables fitted to the
    width (split into parts that repeat the row names when their columns do not fit),
    a blank line between blocks except between two sentences, and after each view."""
    buffer = io.StringIO()
    console = console_for(buffer, options)
    width = console.width
    for view in views:
        # (piece, whether it is a sentence): sentences run on; a blank line sets every
        # table (each part of one), box and heading-to-table step apart.
        pieces: list[tuple[RenderableType, bool]] = []
        if view.heading:
            head = text(view.heading, "bold")
            if view.file or view.about:
                under = f"{view.file}: {view.about}" if view.file and view.about else (
                    view.file or view.about)
                head = Text.assemble(head, "\n", text(under, "dim"))
            pieces.append((head, True))
        for block in view.blocks:
            if isinstance(block, Table):
                pieces += [(part, False) for part in table_parts(block, width)]
            elif isinstance(block, Box):
                pieces.append((panel(block.title, [text(s.text, STYLES[s.tone])
                                                   for s in block.lines],
                                     width, console, STYLES[block.tone]), False))
            else:
                pieces.append((text(block.text, STYLES[block.tone]), True))
        for n, (piece, sentence) in enumerate(pieces):
            if n and not (sentence and pieces[n - 1][1]):
                console.print()
            console.print(piece)
        console.print()
    return no_commands(buffer.getvalue())


def table_parts(t: Table, width: int) -> list[RenderableType]:
    """``t`` fitted to ``width``: one table, or its parts; a table with ``narrow``
    replacements that would split is replaced by them."""
    parts = fit(grid(t), width)
    if len(parts) > 1 and t.narrow:
        return [p for n in t.narrow for p in fit(grid(n), width)]
    return parts


def _term(value: Cell | str | Lines, kind: Kind = "text") -> str:
    # A Lines cell's breaks are the format's; a break inside user text shows as \n.
    if isinstance(value, Lines):
        return "\n".join(visible(line) for line in value.lines)
    return visible(shown(value, kind))


def grid(t: Table) -> Grid:
    """``t`` as a layout grid: every string through ``visible``."""
    g = Grid(visible(t.title), [Column(_term(c.header),
                                       "left" if c.kind in ("text", "code") else "right",
                                       STYLES[c.tone])
                                for c in t.columns], keep=t.kept, records=t.records,
             caption=None if t.caption is None else visible(t.caption))
    for n, row in enumerate(t.rows):
        g.add(*(_term(cell, c.kind) for cell, c in zip(row, t.columns, strict=True)),
              style=STYLES[t.tone(n)])
    return g


# --- Markdown ----------------------------------------------------------------------------

#: Markdown's emphasis of a tone: (before, after).
_EMPHASIS: dict[Tone, tuple[str, str]] = {
    "strong": ("**", "**"), "good": ("**", "**"), "alert": ("**", "**"),
    "fail": ("- ❌ ", ""), "pass": ("- ✅ ", ""), "warn": ("_", "_"), "quiet": ("_", "_"),
    "bad": (":x: ", ""), "plain": ("", ""),
}


def markdown(views: Sequence[View], head: Sequence[str] = (), *, limit: int | None = None,
             note: str = "") -> str:
    """Views as GitHub Markdown after ``head`` (our Markdown: a title, broken files'
    errors). Over ``limit`` characters, the tables fold: fold 1 first, then 2, then 3
    (``note``, our Markdown, then says so); then the summary view's rows, or else the
    last views (a note says how many went); then whole lines are cut."""
    out = _markdown(views, head, "")
    if limit is None or len(out) <= limit:
        return out
    for level in (1, 2, 3):
        folded = [v._replace(blocks=tuple(b for b in v.blocks if not isinstance(b, Table)
                                          or not 0 < b.fold <= level)) for v in views]
        out = _markdown(folded, head, note)
        if len(out) <= limit:
            return out
    summaries = [v for v in views if v.summary and v.tables]
    if summaries:
        out = _cut_summary(summaries[0], head, note, limit)
    else:
        out = _cut_views(folded, head, note, limit)
    return out if len(out) <= limit else _cut_lines(out, limit)


def _most(fits: Callable[[int], bool], high: int) -> int:
    """The largest n in 0..high for which ``fits(n)`` holds (it holds for every smaller n)."""
    low = 0
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return low


def _cut_views(views: Sequence[View], head: Sequence[str], note: str, limit: int) -> str:
    """The most leading ``views`` that fit ``limit``, then a line that says how many went
    (a view cut at any line would leave a table without its rows or a sentence half said)."""

    def cut(kept: int) -> str:
        left = len(views) - kept
        return _markdown(views[:kept], head, note) + (
            f"\n_… and {left} more {'file' if left == 1 else 'files'}, left out to fit._\n"
            if left else "")

    # At least one view, even over the limit: its whole lines are cut then (_cut_lines).
    return cut(max(_most(lambda n: len(cut(n)) <= limit, len(views)), min(len(views), 1)))


#: What is said where Markdown had to be cut at a line (its own paragraph, after any
#: table and ``<details>`` the cut left open).
CUT_NOTE = "_… the rest was left out to fit._"


def _cut_lines(text: str, limit: int) -> str:
    """``text``'s leading whole lines within ``limit``, any ``<details>`` they open closed,
    then :data:`CUT_NOTE` (never a line, an entity or an escape cut in two)."""
    kept: list[str] = []
    size, opened = 0, 0
    end = len(f"\n\n{CUT_NOTE}\n")
    close = len("\n\n</details>")
    for line in text.split("\n"):
        now = opened + line.startswith("<details>") - (line == "</details>")
        if size + len(line) + 1 + close * now + end > limit:
            break
        kept.append(line)
        size, opened = size + len(line) + 1, now
    while kept and kept[-1] == "":
        kept.pop()
    return "\n".join([*kept, *(["", "</details>"] * opened), "", CUT_NOTE]) + "\n"


def _cut_summary(view: View, head: Sequence[str], note: str, limit: int) -> str:
    """``view`` alone, its first table cut to the most rows that fit ``limit``."""
    first = view.tables[0]

    def cut(rows: int) -> str:
        left = len(first.rows) - rows
        t = first._replace(rows=first.rows[:rows], tones=first.tones[:rows],
                    caption=(f"… and {left} more {view.summary}, left out to fit." if left else
                             first.caption))
        return _markdown([view._replace(blocks=(t,))], head, note)

    return cut(_most(lambda n: len(cut(n)) <= limit, len(first.rows)))


def _markdown(views: Sequence[View], head: Sequence[str], note: str) -> str:
    lines = list(head)
    if lines and lines[-1]:
        lines.append("")
    if note:
        lines += [note, ""]
    for view in views:
        if view.heading:
            lines += [f"### {md_text(view.heading)}"]
        if view.file or view.about:
            about = md_text(view.about)
            lines.append(f"{md_code(view.file)}: {about}" if view.file and view.about else
                         md_code(view.file) if view.file else _md_line(about))
        if view.heading or view.file or view.about:
            lines.append("")
        for block in view.blocks:
            if isinstance(block, Table):
                lines += _md_block(block)
            elif isinstance(block, Box):
                lines += _md_says(block.lines)
            else:
                lines += _md_says((block,))
    while lines and lines[-1] == "":
        lines.pop()
    return no_commands("\n".join(lines) + "\n")


def _md_says(says: Sequence[Say]) -> list[str]:
    """Sentences as paragraphs; a run of gate outcomes as one list."""
    out: list[str] = []
    listed = False
    for s in says:
        before, after = _EMPHASIS[s.tone]
        item = s.tone in ("pass", "fail")
        if out and not (item and listed):
            out.append("")
        listed = item
        text = md_text(s.text)
        # Emphasis around nothing would be a rule (****) or stray marks.
        out.append(f"{before}{text}{after}" if text and before else _md_line(text))
    return [*out, ""] if out else out


#: What makes a paragraph something else when it starts a line: a list item (``- x``,
#: ``+ x``, ``1. x``, ``1) x``) or a rule (``---``, ``- - -``); the other line-start
#: syntax (``#``, ``>``, ``*``, ``_``, fences, ``<``) is escaped by ``md_text`` wherever
#: it is.
_LIST_START = re.compile(r"^(?:-|[+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")


def _md_line(text: str) -> str:
    """Inline Markdown ``text`` (from ``md_text``) that starts a line: a list marker's
    last character is escaped, so ``- Vendor costs less`` stays a sentence."""
    return _LIST_START.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], text)


def _html_text(text: str) -> str:
    """User text inside our HTML (a ``<summary>``), where Markdown's backslash escapes
    are not read: entities instead, a mention broken as ``md_text`` breaks it."""
    # html.escape(quote=False), without importing html (and its entity table) on every run
    shown = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return shown.replace("@", "@" + BREAK)


def _md_block(t: Table) -> list[str]:
    body = [*_md_table(t), ""]
    if t.caption:
        body += [f"_{md_text(t.caption)}_", ""]
    if t.collapsed:
        return [f"<details><summary>{_html_text(t.title)}</summary>", "", *body,
                "</details>", ""]
    return [f"**{md_text(t.title)}**", "", *body]


def _md_cell(value: Cell, kind: Kind, tone: Tone) -> str:
    if isinstance(value, Lines):
        cell = "<br>".join(md_text(line) for line in value.lines)
    elif kind == "code" and isinstance(value, str) and value:
        cell = md_code(value, table=True)
    else:
        cell = md_text(shown(value, kind))
    return f"**{cell}**" if tone == "strong" and cell else cell


def _md_head(c: Col) -> str:
    if isinstance(c.header, Lines):
        return " ".join(md_text(line) for line in c.header.lines) or " "
    return md_text(c.header) or " "


def _md_table(t: Table) -> list[str]:
    rule = ["---" if c.kind in ("text", "code") else "--:" for c in t.columns]
    out = [f"| {' | '.join(_md_head(c) for c in t.columns)} |", f"|{'|'.join(rule)}|"]
    for n, row in enumerate(t.rows):
        cells = [_md_cell(cell, c.kind, t.tone(n))
                 for cell, c in zip(row, t.columns, strict=True)]
        out.append(f"| {' | '.join(cells)} |")
    return out


# --- CSV ---------------------------------------------------------------------------------


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
    from kpo_calc.render.csv_format import csv_text, safe  # only this format writes CSV

    return csv_text(header, _csv_rows(views, len(names), max(keys, 1), currency, safe))


def _csv_rows(views: Sequence[View], sections: int, keys: int, currency: bool,
              safe: Callable[[str], str]) -> Iterator[list[object]]:
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
                    head = raw(c.header) if isinstance(c.header, Lines) else c.header
                    yield [*lead, *section, safe(t.name or t.title), *named,
                           safe(str(head)), safe(value) if isinstance(value, str) else value]
