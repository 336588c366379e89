"""Typed views: what a command shows, as tables of typed cells, before any format.

A command's view builder turns its results into a ``View``: sentences and
``Table``s whose columns say what their cells are (money, hours, a percentage,
text...). Each format renders any view (``view_table``, ``view_markdown``,
``view_csv``), so a new command needs a view builder, not a module per format,
and the formats cannot drift apart: the same cells are laid out, not rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kpo_calc.formatting import money, number, percent

#: Decimals of a factor (df, fx, growth): a month's cost times its factor recomputes the
#: present value to the cent up to ten billion a month (six decimals lost 154 on 480
#: million dong).
FACTOR_DECIMALS = 12

#: What the cells of a column hold, which fixes how each format writes them.
Kind = Literal["text", "money", "hours", "people", "rate", "factor", "number", "month"]


@dataclass(frozen=True)
class Num:
    """A number that says what it is, for a column whose rows differ (drivers: people,
    money, rates on one table)."""

    value: float
    kind: Kind


#: A cell: text, a number (shown by its column's kind, or its own), or nothing.
Cell = str | float | int | Num | None


@dataclass(frozen=True)
class Col:
    """A column: its header, what its cells hold, and whether it names the row."""

    header: str
    kind: Kind = "text"
    #: True: the cell names the row (a line, a driver); the CSV repeats it on every value
    key: bool = False


@dataclass(frozen=True)
class Table:
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


@dataclass(frozen=True)
class View:
    """One file's view: a heading, sentences, then tables."""

    file: str
    heading: str
    lines: tuple[str, ...]
    tables: tuple[Table, ...]
    #: the names of ``Table.section``'s entries (CSV headers), e.g. ("alternative", "part")
    section_names: tuple[str, ...] = ()
    #: the currency of the view's money cells: a CSV column when set, as the sentence
    #: that says it is not in the CSV
    currency: str = ""


def shown(value: Cell, kind: Kind) -> str:
    """A cell as people read it: money to the cent with separators, hours and people to
    two decimals, rates as percentages, factors to twelve decimals (a discount factor times
    a month's cost recomputes its present value to the cent), text as it is."""
    if value is None:
        return ""
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
    if value is None or isinstance(value, str):
        return "" if value is None else value
    rounded = round(float(value), 2 if kind == "money" else
                    FACTOR_DECIMALS if kind == "factor" else 6)
    return 0.0 if rounded == 0 else rounded
