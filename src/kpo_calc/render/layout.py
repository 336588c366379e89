"""Tables that fit the terminal without cutting anything off.

Rich shrinks columns that do not fit and ends their cells with ``…``: a money
figure then loses digits. Here every column is at least as wide as its longest
word (a number is one word), headers and labels wrap between words, and when
the columns cannot fit side by side the table is split into parts that repeat
its leading columns (the row labels), so each part fits the width.

Every cell is user data as far as rich is concerned: it is shown through
:func:`kpo_calc.textsafe.visible` as a ``Text``, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich import box
from rich.cells import cell_len
from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from kpo_calc.textsafe import visible

#: Below this many columns a wrapped text column is hard to read (records layout).
COMFORT = 14
#: Between two columns: one blank of padding on each side and the divider.
GAP = 3


@dataclass(frozen=True)
class Column:
    """A column header and how its cells line up."""

    header: str
    justify: JustifyMethod = "right"
    style: str = "bold"


@dataclass
class Grid:
    """A table as plain strings, before it is fitted to a width."""

    title: str
    columns: list[Column]
    #: leading columns repeated in every part when the table is split
    keep: int = 1
    caption: str | None = None
    #: when the columns do not fit comfortably, show one block per row (a record:
    #: header and value on each line) instead of splitting the columns into parts
    records: bool = False
    rows: list[tuple[list[str], str]] = field(default_factory=list)

    def add(self, *cells: str, style: str = "") -> None:
        """Append a row (one string per column)."""
        self.rows.append((list(cells), style))


def shown(value: str) -> str:
    """``value`` with each of its lines passed through ``visible``.

    A line break in a cell is the renderer's (a header over two lines): callers
    pass user text through ``visible`` before they join it with one, so that a
    line break in a name shows as ``\\n``.
    """
    return "\n".join(visible(line) for line in value.split("\n"))


def text(value: str, style: str = "") -> Text:
    """User text for rich: controls (line breaks too) shown as escapes, brackets never
    read as markup."""
    return Text(visible(value), style=style)


def _cell(value: str, style: str = "") -> Text:
    # A grid cell or header: its line breaks are the renderer's (see shown()).
    return Text(shown(value), style=style)


def _longest_word(value: str) -> int:
    return max((cell_len(word) for word in shown(value).split()), default=0)


def _longest_line(value: str) -> int:
    return max((cell_len(line) for line in shown(value).split("\n")), default=0)


def fit(grid: Grid, width: int) -> list[RenderableType]:
    """``grid`` as one table, or as several parts when its columns do not fit ``width``."""
    cells = [[c.header, *(row[0][i] for row in grid.rows)] for i, c in enumerate(grid.columns)]
    least = [max(_longest_word(v) for v in column) for column in cells]
    most = [max(_longest_line(v) for v in column) for column in cells]
    if grid.records and _span(range(len(least)), [
            min(m, max(n, COMFORT)) for n, m in zip(least, most, strict=True)]) > width:
        return [_records(grid)]
    keep = list(range(min(grid.keep, len(grid.columns))))
    parts: list[list[int]] = []
    for i in range(len(keep), len(grid.columns)):
        if parts and _span([*keep, *parts[-1], i], least) <= width:
            parts[-1].append(i)
        else:
            parts.append([i])
    parts = parts or [[]]
    tables: list[RenderableType] = []
    for number, part in enumerate(parts, start=1):
        title = grid.title if len(parts) == 1 else f"{grid.title} (part {number} of {len(parts)})"
        columns = [*keep, *part]
        tables.append(_table(grid, title, columns, _widths(columns, least, most, width),
                             caption=grid.caption if number == len(parts) else None))
    return tables


def _span(columns: Iterable[int], widths: Sequence[int]) -> int:
    chosen = list(columns)
    return sum(widths[i] for i in chosen) + GAP * (len(chosen) - 1)


def _widths(columns: list[int], least: list[int], most: list[int],
            width: int) -> list[int] | None:
    """Each column's width: its longest word, then spare room up to its longest line,
    the leading (label) column first. None when even the words do not fit: rich then
    folds them (a word split over lines, never cut off)."""
    widths = {i: least[i] for i in columns}
    spare = width - _span(columns, least)
    if spare < 0:
        return None
    for group in (columns[:1], columns[1:]):
        grown = True
        while spare > 0 and grown:  # one column at a time, so the room is shared
            grown = False
            for i in group:
                if spare > 0 and widths[i] < most[i]:
                    widths[i] += 1
                    spare -= 1
                    grown = True
    return [widths[i] for i in columns]


def _table(grid: Grid, title: str, columns: list[int], widths: list[int] | None,
           caption: str | None) -> Table:
    table = Table(title=text(title, "bold"), title_justify="left",
                  caption=text(caption, "dim") if caption else None, caption_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for n, i in enumerate(columns):
        column = grid.columns[i]
        table.add_column(_cell(column.header), justify=column.justify,
                         header_style=column.style, overflow="fold",
                         width=None if widths is None else widths[n])
    for cells, style in grid.rows:
        table.add_row(*(_cell(cells[i]) for i in columns), style=style)
    return table


def _records(grid: Grid) -> Group:
    """One block per row: its first cell as a heading, then each header and value."""
    blocks: list[RenderableType] = [text(grid.title, "bold")]
    for cells, style in grid.rows:
        table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 2, 0, 0))
        table.add_column(style="dim", no_wrap=True)
        table.add_column(overflow="fold")
        for column, cell in zip(grid.columns[1:], cells[1:], strict=True):
            table.add_row(_cell(column.header), _cell(cell), style=style)
        blocks += [Text(""), _cell(cells[0], f"bold {style}".strip()), table]
    return Group(*blocks)
