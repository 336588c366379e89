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

from rich.cells import cell_len
from rich.console import Console, JustifyMethod, RenderableType
from rich.text import Text

from kpo_calc.textsafe import guard, visible

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
    """``value`` with each of its lines passed through ``guard``.

    A line break in a cell is the renderer's (a header over two lines): callers
    pass user text through ``visible`` before they join it with one, so that a
    line break in a name shows as ``\\n``; here only the safety net applies (a
    second ``visible`` would double the backslashes of its escapes).
    """
    return "\n".join(guard(line) for line in value.split("\n"))


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
        return [_records(grid, width)]
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
        widths = _widths(columns, least, most, width) or _squeezed(columns, least, width)
        tables.append(_table(grid, title, columns, widths,
                             caption=grid.caption if number == len(parts) else None,
                             room=width))
    return tables


def _span(columns: Iterable[int], widths: Sequence[int]) -> int:
    chosen = list(columns)
    return sum(widths[i] for i in chosen) + GAP * (len(chosen) - 1)


def _widths(columns: list[int], least: list[int], most: list[int],
            width: int) -> list[int] | None:
    """Each column's width: its longest word, then spare room up to its longest line,
    the leading (label) column first. None when even the words do not fit (see
    :func:`_squeezed`)."""
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


def _squeezed(columns: list[int], least: list[int], width: int) -> list[int]:
    """Widths when even the longest words do not fit side by side: the widest column gives
    up a cell at a time, and its long words are folded over lines (never cut off)."""
    widths = [least[i] for i in columns]
    while sum(widths) + GAP * (len(widths) - 1) > width and max(widths) > 1:
        widths[widths.index(max(widths))] -= 1
    return widths


# The tables are laid out here, not by rich's Table: the widths are known already, and
# drawing the lines directly costs a fraction of rich's general layout (which measured
# and wrapped every cell again). Rich still prints them: styles, colour, NO_COLOR.

def _fold(word: str, width: int) -> list[str]:
    """A word longer than ``width`` cells, in pieces of at most ``width`` cells."""
    pieces, piece = [], ""
    for char in word:
        if piece and cell_len(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def wrap(value: str, width: int) -> list[str]:
    """``value``'s lines (its own line breaks kept), each wrapped at spaces to ``width``
    cells; a longer word is folded."""
    out: list[str] = []
    for line in value.split("\n"):
        current = ""
        for word in line.split(" "):
            candidate = word if not current else f"{current} {word}"
            if cell_len(candidate) <= width:
                current = candidate
                continue
            if current:
                out.append(current)
            pieces = _fold(word, width) if cell_len(word) > width else [word]
            out += pieces[:-1]
            current = pieces[-1]
        out.append(current)
    return out


def _pad(value: str, width: int, justify: JustifyMethod) -> str:
    room = max(width - cell_len(value), 0)
    return " " * room + value if justify == "right" else value + " " * room


def _table(grid: Grid, title: str, columns: list[int], widths: list[int],
           caption: str | None, room: int = 0) -> Text:
    """A title, the headers (bottom-aligned), a rule, the rows (top-aligned), a caption;
    every line as wide as the table. The title and caption wrap at ``room`` (the
    terminal's width) when the table is narrower: not a word a line under a thin table."""
    total = sum(widths) + GAP * (len(widths) - 1)
    prose = max(total, room)
    out = Text()

    def line(value: str, style: str = "") -> None:
        out.append(_pad(value, total, "left"), style)
        out.append("\n")

    def row(cells: list[str], styles: list[str], bottom: bool) -> None:
        wrapped = [wrap(shown(cells[n]), widths[n]) for n in range(len(columns))]
        height = max(len(lines) for lines in wrapped)
        for k in range(height):
            for n, (i, lines) in enumerate(zip(columns, wrapped, strict=True)):
                at = k - (height - len(lines)) if bottom else k
                cell = lines[at] if 0 <= at < len(lines) else ""
                if n:  # a header's gap is plain; a row's takes the row's style, as rich did
                    out.append(" " * GAP, "" if bottom else styles[n])
                out.append(_pad(cell, widths[n], grid.columns[i].justify), styles[n])
            out.append("\n")

    for piece in wrap(shown(title), prose):
        line(piece, "bold")
    row([grid.columns[i].header for i in columns], [grid.columns[i].style for i in columns],
        bottom=True)
    line("─" * total)
    for cells, style in grid.rows:
        row([cells[i] for i in columns], [style] * len(columns), bottom=False)
    if caption:
        for piece in wrap(shown(caption), prose):
            line(piece, "dim")
    out.rstrip()
    return out


def _records(grid: Grid, width: int) -> Text:
    """One block per row: its first cell as a heading, then each header and value."""
    headers = [shown(c.header) for c in grid.columns[1:]]
    room = max((cell_len(h) for h in headers), default=0) + 2
    out = Text()
    for piece in wrap(shown(grid.title), width):
        out.append(piece + "\n", "bold")
    for cells, style in grid.rows:
        out.append("\n")
        for piece in wrap(shown(cells[0]), width):
            out.append(piece + "\n", f"bold {style}".strip())
        for header, cell in zip(headers, cells[1:], strict=True):
            for k, piece in enumerate(wrap(shown(cell), max(width - room, 1))):
                out.append(_pad(header if k == 0 else "", room, "left"), f"dim {style}".strip())
                out.append(piece + "\n", style)
    out.rstrip()
    return out


def panel(title: str, lines: Sequence[Text], width: int, console: Console,
          border_style: str = "") -> Text:
    """Lines in a rounded box as wide as ``width``, the title in its top edge; each line
    wrapped (rich's word wrap, on these few lines) to the inside."""
    inner = max(width - 4, 1)
    out = Text()
    top = f"╭─ {title} "
    out.append(top + "─" * max(width - cell_len(top) - 1, 0) + "╮\n", border_style)
    for line in lines:
        for piece in line.wrap(console, inner, overflow="fold"):
            out.append("│ ", border_style)
            out.append_text(piece)
            out.append(" " * max(inner - piece.cell_len, 0) + " ")
            out.append("│\n", border_style)
    out.append("╰" + "─" * max(width - 2, 0) + "╯", border_style)
    return out
