"""kpo-calc: should knowledge work be done in-house, by a KPO or by a BPO?

The public API is loaded on first use so that ``import kpo_calc`` (and the
command line's start-up) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kpo_calc._version import __version__

if TYPE_CHECKING:
    from kpo_calc.api import check_file, compare, compare_files, load, validate_files
    from kpo_calc.diagnostics import Diagnostic, InputError
    from kpo_calc.engine import evaluate
    from kpo_calc.engine.results import ScenarioResult
    from kpo_calc.outcome import FileOutcome
    from kpo_calc.scenario import Scenario

__all__ = [
    "Diagnostic",
    "FileOutcome",
    "InputError",
    "Scenario",
    "ScenarioResult",
    "__version__",
    "check_file",
    "compare",
    "compare_files",
    "evaluate",
    "load",
    "validate_files",
]

_LAZY = {
    "compare": "kpo_calc.api",
    "compare_files": "kpo_calc.api",
    "load": "kpo_calc.api",
    "check_file": "kpo_calc.api",
    "validate_files": "kpo_calc.api",
    "FileOutcome": "kpo_calc.outcome",
    "Diagnostic": "kpo_calc.diagnostics",
    "InputError": "kpo_calc.diagnostics",
    "evaluate": "kpo_calc.engine",
    "ScenarioResult": "kpo_calc.engine.results",
    "Scenario": "kpo_calc.scenario",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kpo_calc' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
