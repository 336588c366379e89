"""The report's charts: static SVG drawn by matplotlib, to be inlined in the page.

Only ``kpo-calc report`` imports this module (matplotlib takes longer to load than
a whole ``compare``). Text stays text (``svg.fonttype: none``), so names print
crisply and can be found; the SVG's ids are salted with a constant and the date is
left out, so the same input draws byte-identical charts. Names are drawn as
written: matplotlib escapes them for XML, and mathtext is off (a ``$`` in a name
is a dollar sign, not a formula).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from kpo_calc.engine.lines import LINES
from kpo_calc.engine.results import ScenarioResult
from kpo_calc.engine.sensitivity import TOP, SensitivityResult
from kpo_calc.engine.simulation import SimulationResult
from kpo_calc.textsafe import visible

#: (typed loosely: matplotlib's stubs list every rc key as a literal)
_STYLE: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "kpo-calc",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "axes.axisbelow": True,
}
#: Colour-blind-safe (Okabe–Ito, then Tol's muted colours): one colour per alternative or line.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#332288", "#882255", "#44AA99", "#999933", "#AA4499", "#888888", "#117733",
           "#DDCC77", "#661100", "#7570B3", "#A6761D", "#1B9E77", "#E7298A", "#66A61E")
#: Charts are drawn this wide (inches) and scaled to the page by CSS.
WIDTH = 7.5
#: A chart label longer than this is cut (tables show the whole name).
LABEL_CHARS = 40
#: The most alternatives whose legend fits inside the cumulative chart.
LEGEND_INSIDE = 6

def short_amount(x: float, _pos: object = None) -> str:
    """An axis tick: ``12.5M``, ``250k``, ``800`` (the axis label names the currency);
    billions and trillions as ``B`` and ``T``, so a tick stays short enough for its margin."""
    size = abs(x)
    if size >= 1e12:
        text = f"{x / 1e12:,.1f}".removesuffix(".0") + "T"
    elif size >= 1e9:
        text = f"{x / 1e9:,.1f}".removesuffix(".0") + "B"
    elif size >= 1e6:
        text = f"{x / 1e6:,.1f}".removesuffix(".0") + "M"
    elif size >= 1e3:
        text = f"{x / 1e3:,.0f}k"
    else:
        text = f"{x:,.0f}"
    return "0" if text in ("-0", "0k", "-0k", "0M", "-0M", "0B", "-0B", "0T", "-0T") else text


_AMOUNT = FuncFormatter(short_amount)


def label(name: str) -> str:
    """A name as a chart shows it: controls as escapes, a long name cut in its middle (two
    names, or an input's paths, that differ only at their ends stay apart)."""
    shown = visible(name)
    if len(shown) <= LABEL_CHARS:
        return shown
    tail = LABEL_CHARS // 3
    return shown[:LABEL_CHARS - 1 - tail] + "…" + shown[-tail:]


def colour(i: int) -> str:
    """The ``i``-th colour of the palette (it repeats past its end)."""
    return PALETTE[i % len(PALETTE)]


def _axes(height: float, left: float = 0.9, bottom: float = 0.5) -> tuple[Figure, Axes]:
    """A figure ``WIDTH`` by ``height`` inches with one axes placed by margins in inches.

    Fixed margins instead of ``tight_layout``, which draws every chart twice to measure
    it (a third of the report's time); a bar chart's left margin comes from its longest
    label (:func:`_label_room`).
    """
    fig = Figure(figsize=(WIDTH, height))
    ax = fig.add_axes((left / WIDTH, bottom / height, 1 - (left + 0.25) / WIDTH,
                       1 - (bottom + 0.15) / height))
    ax.xaxis.set_major_locator(MaxNLocator(7))
    ax.yaxis.set_major_locator(MaxNLocator(6))
    return fig, ax


def _label_room(labels: Sequence[str]) -> float:
    """Inches for a bar chart's row labels (about 0.072 inch a character at 9 points)."""
    return min(max(0.6, 0.25 + 0.072 * max((len(t) for t in labels), default=0)), 3.2)


def cumulative(r: ScenarioResult, shown: Sequence[str], key: str) -> str:
    """Cumulative cost per alternative over the months; each alternative's breakeven
    month (cumulative savings stay positive from it) marked on its line."""
    # More names than the empty upper left corner holds go under the axes, two a row.
    below = -(-len(shown) // 2) if len(shown) > LEGEND_INSIDE else 0
    bottom = 0.5 + (0.3 + 0.16 * below if below else 0)
    with matplotlib.rc_context(_STYLE):
        fig, ax = _axes(3.1 + bottom, left=0.75, bottom=bottom)
        months = range(1, r.horizon_months + 1)
        # A line needs two months: over one, each alternative is a dot.
        dot = "o" if r.horizon_months == 1 else None
        marked: tuple[int, float] | None = None
        for i, name in enumerate(shown):
            o = r.option(name)
            running = list(accumulate(o.monthly))
            chosen = name == r.recommendation.option
            ax.plot(months, running, color=colour(i), linewidth=2.4 if chosen else 1.3,
                    marker=dot, label=label(name) + (" (recommended)" if chosen else ""))
            month = o.breakeven_month
            if name != r.baseline and month is not None:
                ax.plot([month], [running[month - 1]], marker="o", color=colour(i),
                        markersize=6)
                if chosen:
                    marked = (month, running[month - 1])
        if marked is not None:
            _breakeven_label(ax, *marked, r.horizon_months)
        ax.set_xlabel("Month")
        ax.set_ylabel(f"Cumulative cost ({r.currency})")
        ax.yaxis.set_major_formatter(_AMOUNT)
        if dot:
            ax.set_xlim(0.5, 1.5)
            ax.set_xticks([1])
        else:
            ax.xaxis.set_major_locator(MaxNLocator(7, integer=True))  # months, not 1.5
            ax.set_xlim(1, r.horizon_months)
        if below:
            fig.legend(*ax.get_legend_handles_labels(), loc="lower left", ncol=2,
                       fontsize=7.5, frameon=False, bbox_to_anchor=(0.02, 0.01),
                       borderaxespad=0)
        else:
            ax.legend(loc="upper left", fontsize=8, frameon=False)
        return svg(fig, key)



def _breakeven_label(ax: Axes, month: int, value: float, horizon: int) -> None:
    """"breakeven: month M" beside its point: just below and right of it (left, late in
    the horizon, where it would run off the edge), unless the point is low in the chart
    (an early breakeven, when every line is near zero), where that would sit on the axis:
    then lower right, under the rising lines, with a leader."""
    low, high = ax.get_ylim()
    text = f"breakeven: month {month}"
    line = {"arrowstyle": "-", "color": "#555555"}
    if high > low and (value - low) / (high - low) < 0.15 and horizon > 1:
        ax.annotate(text, (month, value), xytext=(min(month / horizon + 0.15, 0.7), 0.03),
                    textcoords="axes fraction", fontsize=8, va="bottom", arrowprops=line)
    else:  # left of a late point, which would run off the right edge
        late = horizon > 1 and month / horizon > 0.65
        ax.annotate(text, (month, value), xytext=(-10 if late else 10, -16),
                    textcoords="offset points", ha="right" if late else "left", fontsize=8,
                    arrowprops=line)


def stacked_lines(r: ScenarioResult, shown: Sequence[str], key: str) -> str:
    """Cost by line as stacked horizontal bars, one bar per alternative."""
    options = [r.option(n) for n in shown]
    used = [line for line in LINES if any(o.lines.get(line.name, 0) > 0 for o in options)]
    names = [label(n) for n in shown]
    legend_rows = -(-len(used) // 4)
    bottom = 0.55 + 0.18 * legend_rows
    with matplotlib.rc_context(_STYLE):
        fig, ax = _axes(0.25 + 0.34 * len(shown) + bottom, _label_room(names), bottom)
        rows = list(range(len(shown)))[::-1]  # the first alternative on top
        left = [0.0] * len(shown)
        for i, line in enumerate(used):
            # One collection a line (not a patch a bar): a fifth of the drawing time.
            boxes = []
            for j, (y, o) in enumerate(zip(rows, options, strict=True)):
                width = max(o.lines.get(line.name, 0.0), 0.0)
                x = left[j]
                boxes.append([(x, y - 0.3), (x + width, y - 0.3), (x + width, y + 0.3),
                              (x, y + 0.3)])
                left[j] = x + width
            ax.add_collection(PolyCollection(boxes, facecolors=colour(i), linewidths=0,
                                             label=line.label), autolim=False)
        ax.set_xlim(0, max(max(left), 1.0) * 1.02)
        ax.set_ylim(-0.6, len(shown) - 0.4)
        ax.set_yticks(rows, names)
        ax.xaxis.set_major_formatter(_AMOUNT)
        ax.set_xlabel(f"Total cost over {r.horizon_months} months ({r.currency})")
        ax.grid(axis="y", visible=False)
        fig.legend(*ax.get_legend_handles_labels(), loc="lower left", ncol=4, fontsize=7.5,
                   frameon=False, bbox_to_anchor=(0.02, 0.01), borderaxespad=0)
        return svg(fig, key)


def histogram(sim: SimulationResult, key: str) -> str:
    """The distribution of the savings of the alternative the simulation bins."""
    h = sim.histogram
    assert h is not None
    with matplotlib.rc_context(_STYLE):
        fig, ax = _axes(2.8, left=0.75)
        ax.stairs(h.counts, h.edges, fill=True, color=colour(0))
        ax.set_ylim(0, max(max(h.counts), 1) * 1.08)
        ax.axvline(0, color="#333333", linewidth=1, linestyle="--")
        ax.xaxis.set_major_formatter(_AMOUNT)
        ax.set_xlabel(f"Savings against {label(sim.baseline)} ({sim.currency})")
        ax.set_ylabel("Trials")
        return svg(fig, key)


def tornado(sens: SensitivityResult, key: str) -> str:
    """The top inputs as bars from the savings at their low end to those at their high
    end, around the savings at the means."""
    rows = sens.rows[:TOP]
    names = [label(row.input) + ("" if row.uncertain else " ±") for row in rows]
    with matplotlib.rc_context(_STYLE):
        fig, ax = _axes(0.75 + 0.3 * max(len(rows), 1), _label_room(names))
        ys = list(range(len(rows)))[::-1]
        for ends, tint in (([row.savings_low for row in rows], colour(0)),
                           ([row.savings_high for row in rows], colour(1))):
            ax.barh(ys, [end - sens.savings for end in ends], left=sens.savings, color=tint,
                    height=0.6)
        ax.axvline(sens.savings, color="#333333", linewidth=1)
        ax.set_yticks(ys, names)
        ax.xaxis.set_major_formatter(_AMOUNT)
        ax.set_xlabel(f"Savings against {label(sens.against)} ({sens.currency})")
        ax.grid(axis="y", visible=False)
        return svg(fig, key)


#: What an inline SVG in HTML does without: the XML prologue, the doctype (it names a
#: URL), the RDF metadata (URLs and the tool's name), the namespace declarations.
_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
#: Each chart's own style sheet (line joins and caps), which would apply to the whole page:
#: the page's style sheet holds it once, for its SVG only (``report.html.STYLE``).
_SHEET = re.compile(r"\s*<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>")
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
#: A tag of the SVG: the text between tags is escaped, so ``<`` only opens a tag, and a
#: name that reads ``id="x"`` is never taken for an id.
_TAG = re.compile(r"<[^<>]+>")
_IDS = re.compile(r'(\sid="|href="#|url\(#)')


def svg(fig: Figure, key: str) -> str:
    """``fig`` as an SVG element for an HTML page; its ids start with ``key`` (two charts
    can share an id, such as a marker's, and an id must be unique in a page)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = _METADATA.sub("", _PROLOGUE.sub("", buffer.getvalue()), count=1)
    text = _SHEET.sub("", text, count=1)
    head, sep, rest = text.partition(">")
    text = _NAMESPACES.sub("", head) + sep + rest
    return _TAG.sub(lambda tag: _IDS.sub(lambda m: m.group(1) + key + "-", tag.group()),
                    text).strip() + "\n"
