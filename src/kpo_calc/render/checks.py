"""The report of ``kpo-calc validate``: text for people, JSON, GitHub annotations."""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.outcome import FileOutcome
from kpo_calc.textsafe import json_text, visible


def summary(outcomes: Sequence[FileOutcome]) -> str:
    """One line per file and a total, for people (diagnostics themselves go to stderr)."""
    lines = []
    for o in outcomes:
        if o.ok and not o.warnings:
            lines.append(f"{visible(o.file)}: ok")
        else:
            lines.append(f"{visible(o.file)}: {_count(len(o.errors), 'error')}, "
                         f"{_count(len(o.warnings), 'warning')}")
    bad = sum(1 for o in outcomes if not o.ok)
    lines.append(f"{_count(len(outcomes), 'file')} checked, {_count(bad, 'file')} with errors")
    return "\n".join(lines) + "\n"


def as_json(outcomes: Sequence[FileOutcome]) -> str:
    """``{"schema_version", "files": [{"file", "valid", "errors", "warnings"}], ...}``."""
    doc = {
        "schema_version": 1,
        "files": [{"file": o.file, "valid": o.ok, "errors": len(o.errors),
                   "warnings": len(o.warnings)} for o in outcomes],
        "errors": [d.as_dict() for o in outcomes for d in o.errors],
        "warnings": [d.as_dict() for o in outcomes for d in o.warnings],
    }
    return json_text(doc)


def as_github(outcomes: Sequence[FileOutcome]) -> str:
    """GitHub Actions workflow commands: each problem annotates its line in the pull request."""
    lines = [d.github() for o in outcomes for d in o.diagnostics]
    return "".join(f"{line}\n" for line in lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
