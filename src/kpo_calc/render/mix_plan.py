"""``mix --emit-plan``: the best plan as a YAML ``plans:`` entry to paste into the scenario.

Names are data, and pasted back they must read as the same names. PyYAML's safe
dumper quotes by YAML 1.1 rules, but kpo-calc reads YAML 1.2 (``0o10``, ``5e6``,
``08`` and ``+.5`` are numbers there, and text in 1.1), and its output passes
through :func:`no_commands`, which rewrites a line that starts with ``::``. So a
name is written plain only when it is plainly text in both readings; every other
name is double-quoted, with PyYAML escaping what needs it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from kpo_calc.engine.mixing import MixResult
from kpo_calc.engine.robust import RobustResult
from kpo_calc.loader import core_tag
from kpo_calc.textsafe import no_commands, visible

_STR_TAG = "tag:yaml.org,2002:str"
#: Text that is a plain YAML string in any reading: a letter or digit first, then
#: only letters, digits, spaces and harmless punctuation (no ``:``, ``#``, quotes,
#: brackets or indicators), and no space at the end.
_PLAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ._()/&+-]*[A-Za-z0-9._()/&+-])?")


class _PlanDumper(yaml.SafeDumper):
    """The safe dumper, with names quoted by the reader's rules (see the module)."""


def _represent_name(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    plain = _PLAIN.fullmatch(text) is not None and core_tag(text) == _STR_TAG
    return dumper.represent_scalar(_STR_TAG, text, style=None if plain else '"')


_PlanDumper.add_representer(str, _represent_name)


def emit_plan(r: MixResult, robust: RobustResult | None = None) -> str:
    """``plans:`` with the best plan (or a comment saying the baseline stays); with
    ``robust`` (``mix --trials``), the robust plan."""
    if robust is not None:
        return _emit_robust(r, robust)
    if r.best is None:
        return (f"# no plan clears its threshold against {_comment(r.baseline.name)}: "
                "the baseline stays; nothing to add\n")
    p = r.best.result
    if r.best.same_as is not None:
        what = "an option" if p.kind == "option" else "a plan"
        return (f"# the best plan is {_comment(p.name)}, {what} the file declares already: "
                "nothing to add\n")
    assign = {w: (next(iter(to)) if len(to) == 1 else dict(to)) for w, to in p.assign.items()}
    return no_commands(f"# best plan of kpo-calc mix for {_comment(r.name)}; add the entry "
                       "under plans:\n" + plans_yaml(p.name, assign))


def _emit_robust(r: MixResult, robust: RobustResult) -> str:
    picked = robust.plan(robust.best) if robust.best != robust.baseline else None
    if picked is None:
        return (f"# no plan clears its threshold in {robust.confidence:.0%} of the trials "
                f"against {_comment(robust.baseline)}: the baseline stays; nothing to add\n")
    if picked.declared:
        return (f"# the robust plan is {_comment(picked.name)}, which the file declares "
                "already: nothing to add\n")
    assign = {w: (next(iter(to)) if len(to) == 1 else dict(to))
              for w, to in picked.assign.items()}
    return no_commands(f"# robust plan of kpo-calc mix --trials {robust.trials} for "
                       f"{_comment(r.name)}; add the entry under plans:\n"
                       + plans_yaml(picked.name, assign))


def plans_yaml(name: str, assign: dict[str, Any]) -> str:
    """``plans:`` holding one entry, every name written to read back as itself."""
    entry = {"name": name, "assign": assign}
    return yaml.dump({"plans": [entry]}, Dumper=_PlanDumper, sort_keys=False,
                     allow_unicode=False, default_flow_style=False, width=1_000_000)


def _comment(text: str) -> str:
    """A name inside a YAML comment: controls (a line break too) shown as escapes."""
    return visible(text)
