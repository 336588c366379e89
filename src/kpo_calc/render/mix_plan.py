"""``mix --emit-plan``: the best plan as a YAML ``plans:`` entry to paste into the scenario.

Names are data: PyYAML's safe dumper quotes and escapes whatever needs it (a
``#``, a ``:``, a leading ``-``, a control character), so the text reads back
to the same names.
"""

from __future__ import annotations

import yaml

from kpo_calc.engine.mixing import MixResult
from kpo_calc.textsafe import no_commands, visible


def emit_plan(r: MixResult) -> str:
    """``plans:`` with the best plan (or a comment saying the baseline stays)."""
    if r.best is None:
        return (f"# no plan clears its threshold against {_comment(r.baseline.name)}: "
                "the baseline stays; nothing to add\n")
    p = r.best.result
    entry = {"name": p.name, "assign": {
        w: (next(iter(to)) if len(to) == 1 else dict(to)) for w, to in p.assign.items()}}
    body = yaml.safe_dump({"plans": [entry]}, sort_keys=False, allow_unicode=False,
                          default_flow_style=False, width=1_000_000)
    if no_commands(body) != body:
        # The guard will escape a "##[" in a name as "#\x23[": only double quotes read
        # that escape back as "#", so the names stay the same when pasted.
        body = yaml.safe_dump({"plans": [entry]}, sort_keys=False, allow_unicode=False,
                              default_flow_style=False, width=1_000_000, default_style='"')
    return no_commands(f"# best plan of kpo-calc mix for {_comment(r.name)}; add the entry "
                       "under plans:\n" + body)


def _comment(text: str) -> str:
    """A name inside a YAML comment: controls (a line break too) shown as escapes."""
    return visible(text)
