"""Keep the methodology's table of cost lines true: it is generated from ``engine.lines``.

The block between ``<!-- formulas -->`` and ``<!-- /formulas -->`` in
docs/methodology.md is the table of every line, its kinds and its formula, as
the engine computes it. ``python tools/sync_formulas.py`` rewrites it; ``--check``
exits 1 when it is stale (the test suite runs the check).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kpo_calc.engine.lines import LINES

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "methodology.md"
BLOCK = re.compile(r"(<!-- formulas -->\n)(.*?)(<!-- /formulas -->)", re.S)


def table() -> str:
    """Markdown rows: line, label, one-time or recurring, option kinds, formula."""
    rows = ["| line | label | kind | options | formula (each month) |",
            "|---|---|---|---|---|"]
    for line in LINES:
        kinds = ", ".join(sorted(line.kinds))
        when = "one-time" if line.one_time else "recurring"
        rows.append(f"| `{line.name}` | {line.label} | {when} | {kinds} | `{line.shown}` |")
    return "\n".join(rows) + "\n"


def render(text: str) -> str:
    """The methodology with the block replaced by the table."""
    return BLOCK.sub(lambda m: m.group(1) + table() + m.group(3), text)


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    fresh = render(text)
    if "--check" in sys.argv[1:]:
        if fresh != text:
            print("stale formula table: run python tools/sync_formulas.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
