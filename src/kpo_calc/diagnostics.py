"""Problems found in input files, as values that carry their position.

A :class:`Diagnostic` is data: the batch goes on when one file is broken.
:class:`InputError` is the exception that carries diagnostics up to the CLI,
which alone turns them into messages and an exit code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from kpo_calc.textsafe import gh_data, gh_property, guard, visible

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one file; ``line`` and ``column`` are 1-based, 0 when unknown."""

    file: str
    line: int
    column: int
    message: str
    path: str = ""
    severity: Severity = "error"

    def location(self) -> str:
        """``file:line:column`` (or just ``file`` when the position is unknown)."""
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"

    def text(self) -> str:
        """The conventional one-line form ``file:line:col: path: message``, shown
        safely: controls as escapes, never a GitHub workflow command."""
        prefix = "" if self.severity == "error" else "warning: "
        where = f"{self.path}: " if self.path else ""
        # The location is the user's file name, shown once; the message quotes names
        # already (repr), so it only takes the safety net.
        return visible(self.location()) + guard(f": {prefix}{where}{self.message}")

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        props = [f"file={gh_property(self.file)}"]
        if self.line > 0:
            props += [f"line={self.line}", f"col={self.column}"]
        title = self.path or "kpo-calc"
        props.append(f"title={gh_property(title)}")
        return f"::{self.severity} {','.join(props)}::{gh_data(self.message)}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form (design section 5: file, line, column, message)."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "path": self.path,
            "severity": self.severity,
        }


class InputError(Exception):
    """One or more problems that stop a file from being computed (exit code 2)."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.text() for d in self.diagnostics))


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Order by file, then position, so output is stable and reads top to bottom."""
    return sorted(diagnostics, key=lambda d: (d.file, d.line, d.column, d.message))



#: The most errors reported for one file: past them a broken (or hostile) file would
#: only make output, and people fix the first ones first anyway.
MAX_ERRORS_PER_FILE = 50


def capped(diagnostics: Sequence[Diagnostic],
           limit: int = MAX_ERRORS_PER_FILE) -> list[Diagnostic]:
    """The first ``limit`` errors (in order), every warning, and one line saying how many
    errors were left out, at the file."""
    errors = [d for d in diagnostics if d.severity == "error"]
    if len(errors) <= limit:
        return list(diagnostics)
    kept = set(map(id, errors[:limit]))
    out = [d for d in diagnostics if d.severity != "error" or id(d) in kept]
    more = len(errors) - limit
    out.append(Diagnostic(errors[0].file, 0, 0, f"and {more:,} more error{'s' * (more > 1)} "
                          f"(at most {limit} are listed per file): fix those above, then run "
                          "again"))
    return out
