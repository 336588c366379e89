"""The one registry of output formats: for each command, each ``--format`` choice and the
renderer that prints it (``module:function`` in ``kpo_calc.render``).

The command line's choices, its ``--help`` and the renderer lookup all read this table,
so a format exists for a command exactly when it is listed here. It imports nothing:
``--help`` reads it without loading any renderer.
"""

from __future__ import annotations

#: command -> format -> "module:function" in ``kpo_calc.render`` (the first is the default)
REGISTRY: dict[str, dict[str, str]] = {
    "compare": {"table": "compare_view:table", "json": "json_format:render",
                "csv": "csv_format:render", "markdown": "compare_view:markdown"},
    "mix": {"table": "mix_view:table", "json": "mix_json:render",
            "csv": "mix_csv:render", "markdown": "mix_view:markdown"},
    "simulate": {"table": "sim_view:table", "json": "sim_json:render",
                 "csv": "sim_csv:render", "markdown": "sim_view:markdown"},
    "sensitivity": {"table": "sensitivity_view:table", "json": "tornado_json:sensitivity_json",
                    "csv": "tornado_csv:sensitivity_csv",
                    "markdown": "sensitivity_view:markdown"},
    "breakeven": {"table": "breakeven_view:table", "json": "tornado_json:breakeven_json",
                  "csv": "tornado_csv:breakeven_csv", "markdown": "breakeven_view:markdown"},
    "explain": {"table": "explain_view:table", "json": "explain_json:render",
                "csv": "explain_view:csv", "markdown": "explain_view:markdown"},
    "diff": {"table": "diff_view:table", "markdown": "diff_view:markdown",
             "json": "diff_json:render"},
    "validate": {"text": "checks:summary", "json": "checks:as_json", "github": "checks:as_github"},
}


def choices(command: str) -> tuple[str, ...]:
    """The ``--format`` choices of ``command``, the default first."""
    return tuple(REGISTRY[command])


#: ``report --output`` suffix (lower case) -> (writer "module:function" in
#: ``kpo_calc.report``, whether it writes bytes rather than text)
REPORTS: dict[str, tuple[str, bool]] = {
    ".html": ("html:render", False), ".htm": ("html:render", False),
    ".xlsx": ("xlsx:render", True),
}
