"""The terminal console every table-format renderer prints into.

Every text from a scenario or a path goes to rich as ``Text``, never as markup
(the console's markup is off as well).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console, RenderableType

from kpo_calc.render import RenderOptions
from kpo_calc.textsafe import no_commands

DEFAULT_WIDTH = 100


def console_for(buffer: io.StringIO, options: RenderOptions) -> Console:
    """A console that renders into ``buffer`` with the run's colour and width.

    Markup is off: a ``[`` in a name is text (renderers pass ``Text`` anyway).
    """
    return Console(file=buffer, width=options.width or DEFAULT_WIDTH,
                   force_terminal=options.color, no_color=not options.color,
                   color_system="standard" if options.color else None,
                   highlight=False, emoji=False, soft_wrap=False, markup=False)


def each_result(outcomes: Sequence[Any], options: RenderOptions,
                blocks: Callable[[Any, Any, int], list[RenderableType]]) -> str:
    """The table text of a command: ``blocks(outcome, result, width)`` of every file that
    has a result, one after another (``mix``, ``simulate``)."""
    buffer = io.StringIO()
    console = console_for(buffer, options)
    for o in outcomes:
        if o.result is not None:
            for block in blocks(o, o.result, console.width):
                console.print(block)
            console.print()
    return no_commands(buffer.getvalue())

