"""Typed views: what a command shows, as blocks of typed content, before any format.

A command's view builder turns its results into a ``View``: a heading, then
blocks in reading order: sentences (``Say``) with a tone, a boxed verdict
(``Box``), and ``Table``s whose columns say what their cells are (money, hours,
a percentage, text...). Each format renders any view (``view_formats.table``,
``.markdown``, ``.csv``), so a command needs a view builder, not a module per
format, and the formats cannot drift apart: the same blocks are laid out, not
rebuilt. Every string in a view is plain text (user data included); only a
format escapes it, for its medium.

The blocks are named tuples, immutable as frozen dataclasses are: defining a frozen
dataclass costs about half a millisecond, paid by every run at start-up (these seven
took 4 ms of ``compare``'s; as named tuples, 1).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from kpo_calc.formatting import money, number, percent

#: Decimals of a factor (df, fx, growth): a month's cost times its factor recomputes the
#: present value to the cent up to ten billion a month (six decimals lost 154 on 480
#: million dong).
FACTOR_DECIMALS = 12

#: What the cells of a column hold, which fixes how each format writes them. "figure" is
#: a number already written out (``1,234 (5.0%)``): text, lined up on the right; "code"
#: is text a reader types back (a field path): a code span in Markdown.
Kind = Literal["text", "money", "hours", "people", "rate", "factor", "number", "month",
               "figure", "code"]

#: How a sentence, a row or a header reads: each format turns a tone into its own
#: emphasis (a style on a terminal, bold or italics in Markdown); "pass" and "fail"
#: are a gate's outcome (a list item with a mark in Markdown).
Tone = Literal["plain", "strong", "good", "bad", "fail", "pass", "alert", "warn", "quiet"]


class Num(NamedTuple):
    """A number that says what it is, for a column whose rows differ (drivers: people,
    money, rates on one table)."""

    value: float
    kind: Kind


class Lines(NamedTuple):
    """A cell of several lines, each plain text (a format joins them its own way: a line
    break on a terminal, ``<br>`` in a Markdown table, a space in a heading)."""

    lines: tuple[str, ...]


#: A cell: text, a number (shown by its column's kind, or its own), lines, or nothing.
Cell = str | float | int | Num | Lines | None


class Col(NamedTuple):
    """A column: its header, what its cells hold, and whether it names the row."""

    header: str | Lines
    kind: Kind = "text"
    #: True: the cell names the row (a line, a driver); the CSV repeats it on every value
    key: bool = False
    #: how the header reads ("good": the recommended alternative's column)
    tone: Tone = "strong"


class Table(NamedTuple):
    """A titled table of typed cells; ``section`` says whose it is (an alternative, a part),
    the CSV's leading columns."""

    title: str
    columns: tuple[Col, ...]
    rows: tuple[tuple[Cell, ...], ...]
    section: tuple[str, ...] = ()
    caption: str | None = None
    #: what the table is, the same in every section ("Cost lines"): the CSV's table
    #: column, which the section's names would split (default: the title)
    name: str = ""
    #: each row's tone (none: all plain)
    tones: tuple[Tone, ...] = ()
    #: leading columns that name a row, repeated when a table is split (default: the
    #: key columns, or one)
    keep: int = 0
    #: on a narrow terminal, one block per row rather than a table split into parts
    records: bool = False
    #: when Markdown must fold to fit its limit, the tables of fold 1 go first, then those
    #: of fold 2 and 3; fold 0 stays (the moves that decide a verdict)
    fold: int = 0
    #: Markdown shows the table collapsed (``<details>``) under its title
    collapsed: bool = False
    #: the tables that replace this one on a terminal too narrow for it in one piece
    #: (two tables, each with its own title, read better than parts)
    narrow: tuple[Table, ...] = ()

    def tone(self, row: int) -> Tone:
        """Row ``row``'s tone."""
        return self.tones[row] if self.tones else "plain"

    @property
    def kept(self) -> int:
        """Columns repeated in every part of a split table."""
        return self.keep or sum(1 for c in self.columns if c.key) or 1


class Say(NamedTuple):
    """A sentence, in a tone."""

    text: str
    tone: Tone = "plain"


class Box(NamedTuple):
    """Sentences in a titled box (a verdict), its edge in ``tone``."""

    title: str
    lines: tuple[Say, ...]
    tone: Tone = "plain"


#: A block of a view, in reading order.
Block = Say | Box | Table


class View(NamedTuple):
    """One file's view: a heading (its title, then the file and what the view is about),
    then its blocks in reading order."""

    file: str
    heading: str
    blocks: tuple[Block, ...]
    #: the names of ``Table.section``'s entries (CSV headers), e.g. ("alternative", "part")
    section_names: tuple[str, ...] = ()
    #: the currency of the view's money cells: a CSV column when set, as the sentence
    #: that says it is not in the CSV
    currency: str = ""
    #: what follows the file name under the heading ("USD, 36 months")
    about: str = ""
    #: Markdown may cut this view's first table's rows to fit (a batch summary): what its
    #: rows are, in the plural ("scenario files"), for the note that says how many went
    summary: str = ""

    @property
    def tables(self) -> tuple[Table, ...]:
        """The view's tables, in order."""
        return tuple(b for b in self.blocks if isinstance(b, Table))


def shown(value: Cell, kind: Kind) -> str:
    """A cell as people read it: money to the cent with separators, hours and people to
    two decimals, rates as percentages, factors to twelve decimals (a discount factor times
    a month's cost recomputes its present value to the cent), text as it is."""
    if value is None:
        return ""
    if isinstance(value, Lines):
        return "\n".join(value.lines)
    if isinstance(value, Num):
        return shown(value.value, value.kind)
    if isinstance(value, str):
        return value
    if kind == "money":
        return money(value, cents=True)
    if kind == "rate":
        return percent(value, 2)
    if kind == "factor":
        return number(value, FACTOR_DECIMALS)
    if kind == "month":
        return number(value, 0)
    return number(value, 2)


def raw(value: Cell, kind: Kind = "number") -> str | float | int:
    """A cell for machines (CSV): money rounded to cents, factors to twelve decimals, other
    numbers to six, without separators; nothing as an empty string."""
    if isinstance(value, Num):
        return raw(value.value, value.kind)
    if isinstance(value, Lines):
        return " ".join(value.lines)
    if value is None or isinstance(value, str):
        return "" if value is None else value
    rounded = round(float(value), 2 if kind == "money" else
                    FACTOR_DECIMALS if kind == "factor" else 6)
    return 0.0 if rounded == 0 else rounded
