"""Keep the README's example output true: re-run every marked command and compare.

A block in README.md marked like this is produced by running the command::

    <!-- output: kpo-calc compare scenarios/medical-coding-bpo.yaml -->
    ```text
    ...what the command prints...
    ```

``python tools/sync_readme.py`` rewrites the blocks; ``--check`` exits 1 when
one is stale (the test suite runs the check). Commands run from the
repository root with ``COLUMNS=100`` and no colour, as ``python -m kpo_calc``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- output: (?P<cmd>.+?) -->\n```text\n)(?P<body>.*?)(```)", re.S)
WIDTH = "100"


def run(command: str) -> str:
    """What ``command`` prints on stdout and stderr, as a reader would see it.

    ``CMD | head -n N`` keeps the first N lines (then a line with an ellipsis);
    ``CMD | tail -n N`` the last N (after one).
    """
    keep = last = None
    if " | head -n " in command:
        command, count = command.split(" | head -n ")
        keep = int(count)
    elif " | tail -n " in command:
        command, count = command.split(" | tail -n ")
        last = int(count)
    args = shlex.split(command)
    if args[0] != "kpo-calc":
        raise ValueError(f"README example must start with kpo-calc: {command}")
    env = {**os.environ, "COLUMNS": WIDTH, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    # One pipe for both streams, so they interleave as they would on a terminal.
    proc = subprocess.run([sys.executable, "-m", "kpo_calc", *args[1:]], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    text = proc.stdout
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if keep is not None and len(lines) > keep:
        lines = [*lines[:keep], "..."]
    if last is not None and len(lines) > last:
        lines = ["...", *lines[-last:]]
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    """The README with every marked block replaced by fresh output."""
    return BLOCK.sub(lambda m: m.group(1) + run(m.group("cmd")) + m.group(4), text)


def main() -> int:
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in sys.argv[1:]:
        if fresh != current:
            print("README.md output blocks are stale: run python tools/sync_readme.py",
                  file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
