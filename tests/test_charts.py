"""The report's charts, measured where they are drawn (matplotlib's own layout)."""

from __future__ import annotations

import pytest

from kpo_calc.report import charts


@pytest.mark.parametrize(("month", "value"), [(2, 5.0), (1, 0.0), (30, 80.0), (12, 14.0)])
def test_the_breakeven_label_stays_inside_the_axes(month: int, value: float) -> None:
    # Month 2 of a line rising to 100: the label used to go 16 points below its point,
    # on the x axis and its tick labels.
    fig, ax = charts._axes(3.6, left=0.75, bottom=0.5)
    ax.plot(range(1, 37), [100 * m / 36 for m in range(36)])
    ax.set_xlim(1, 36)
    charts._breakeven_label(ax, month, value, 36)
    fig.canvas.draw()
    [label] = ax.texts
    box = label.get_window_extent()
    axes = ax.get_window_extent()
    assert axes.y0 <= box.y0
    assert box.y1 <= axes.y1
    assert axes.x0 <= box.x0
    assert box.x1 <= axes.x1
