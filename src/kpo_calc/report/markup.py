"""HTML pieces of the report: escaping, cells that carry their exact figure, tables.

Every text from a scenario or a path goes through :func:`esc` (controls shown as
escapes, then HTML-escaped with quotes, so it is also safe inside a quoted
attribute). A figure's cell shows it rounded for reading and keeps the JSON value
in ``data-value``, so a reader, or a test, can match it to ``compare --format json``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kpo_calc.formatting import money, percent
from kpo_calc.render.json_format import cents, fraction
from kpo_calc.textsafe import visible


def esc(text: str) -> str:
    """User text as HTML text or a quoted attribute's value."""
    return html.escape(visible(text), quote=True)


#: A run of this many characters without a space (an HTML entity counts as one) gets a
#: break opportunity every ``_PIECE``: a table is as wide as its widest unbreakable word,
#: and one long name would push the figures beside it off the page.
_RUN = re.compile(r"(?:&#?\w+;|\S){24,}")
_PIECE = re.compile(r"(?:&#?\w+;|\S){1,16}")


def breakable(text: str) -> str:
    """User text as HTML text (:func:`esc`) that can wrap inside a long word."""
    return _RUN.sub(lambda m: "<wbr>".join(_PIECE.findall(m.group())), esc(text))


@dataclass(frozen=True)
class Cell:
    """One table cell: its text (plain; escaped when written), whether it is a figure
    (right-aligned), the exact value behind it and the JSON key it is."""

    text: str
    numeric: bool = False
    value: float | int | None = None
    field: str | None = None

    def html(self, tag: str = "td") -> str:
        """The cell as a ``td`` (or ``th``)."""
        attrs = ' class="num"' if self.numeric else ""
        if self.field is not None:
            attrs += f' data-field="{esc(self.field)}"'
        if self.value is not None:
            attrs += f' data-value="{self.value!r}"'
        return f"<{tag}{attrs}>{breakable(self.text)}</{tag}>"


def amount(x: float, field: str | None = None) -> Cell:
    """Money, rounded to whole units to read, in cents behind."""
    return Cell(money(x), True, cents(x), field)


def share(x: float, field: str | None = None, digits: int = 1) -> Cell:
    """A fraction as a percentage."""
    return Cell(percent(x, digits), True, fraction(x), field)


def figure(text: str, field: str | None = None) -> Cell:
    """A right-aligned figure given as text (a month, a count)."""
    return Cell(text, True, None, field)


Row = Sequence[Cell | str]


def table(key: str, caption: str, heads: Sequence[Cell | str], rows: Sequence[Row], *,
          chosen: str | None = None, note: str | None = None) -> str:
    """A table with an id (``key``), a caption and a header row; a row whose first cell
    reads ``chosen`` is highlighted (the recommendation)."""
    out = [f'<table id="{esc(key)}">', f"<caption>{breakable(caption)}</caption>",
           "<thead><tr>" + "".join(_cell(h).html("th") for h in heads) + "</tr></thead>",
           "<tbody>"]
    for row in rows:
        cells = [_cell(c) for c in row]
        mark = ' class="chosen"' if chosen is not None and cells and cells[0].text == chosen \
            else ""
        out.append(f"<tr{mark}>" + "".join(c.html() for c in cells) + "</tr>")
    out.append("</tbody></table>")
    if note:
        out.append(f'<p class="note">{esc(note)}</p>')
    return "\n".join(out)


def _cell(c: Cell | str) -> Cell:
    return c if isinstance(c, Cell) else Cell(c)


def paragraph(text: str, cls: str | None = None) -> str:
    """A paragraph of plain text."""
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{esc(text)}</p>"


def chart(svg: str, caption: str) -> str:
    """An inline SVG chart with its caption (the SVG comes from :mod:`.charts`: its text
    is escaped there)."""
    return f'<figure>\n{svg}<figcaption>{esc(caption)}</figcaption>\n</figure>'
