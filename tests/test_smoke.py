"""End-to-end smoke tests in a real interpreter: what the in-process runner cannot prove.

Every other CLI test runs in-process (conftest.run_cli). These few start
``python -m kpo_calc`` as a user or a CI job does: the real entry point, real
pipes, a real terminal, the real exit status.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SCENARIOS, TINY, run_cli, run_subprocess

EQUITY = SCENARIOS / "equity-research-india.yaml"

# Injects a bug (an exception the CLI does not expect) and runs the real entry point.
BUGGY = """\
import sys
import kpo_calc.api

def broken(*args, **kwargs):
    raise ZeroDivisionError("injected for the test")

kpo_calc.api.compare_files = broken
from kpo_calc.__main__ import main
sys.argv = ["kpo-calc", "compare", sys.argv[1]]
main()
"""


def test_version() -> None:
    from kpo_calc import __version__

    proc = run_subprocess("--version")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"kpo-calc {__version__}\n", "")


def test_compare_an_example_matches_the_in_process_run() -> None:
    proc = run_subprocess("compare", EQUITY)
    assert proc.returncode == 0, proc.stderr
    assert "Recommendation: Captive centre India" in proc.stdout
    assert "\x1b[" not in proc.stdout  # a pipe is not a terminal: no colour
    # The in-process runner must see exactly what a user sees.
    inside = run_cli("compare", EQUITY)
    assert (inside.returncode, inside.stdout, inside.stderr) == (0, proc.stdout, proc.stderr)


def test_broken_file_exits_2_with_a_located_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(TINY.replace("kind: one_off", "kind: once"))
    proc = run_subprocess("compare", path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"{path}:15:11: work[1].kind: must be one of recurring, "
                                  "one_off")
    assert "Traceback" not in proc.stderr
    inside = run_cli("compare", path)
    assert (inside.returncode, inside.stdout, inside.stderr) == (2, "", proc.stderr)


def test_usage_errors_match_the_in_process_run() -> None:
    # click formats these itself: the program name and the streams must still agree.
    proc = run_subprocess("compare", "--format", "xml", EQUITY)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Usage: kpo-calc compare [OPTIONS] ")
    assert "'xml' is not one of" in proc.stderr
    inside = run_cli("compare", "--format", "xml", EQUITY)
    assert (inside.returncode, inside.stdout, inside.stderr) == (2, "", proc.stderr)


def test_a_bug_exits_3_with_the_traceback(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(TINY)
    env = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    proc = subprocess.run([sys.executable, "-c", BUGGY, str(path)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert proc.stderr.startswith("kpo-calc: internal error (this is a bug; please report it "
                                  "with the input file):\nTraceback (most recent call last):\n")
    assert proc.stderr.endswith("ZeroDivisionError: injected for the test\n")


def test_colour_on_a_terminal_and_not_with_no_color(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty", reason="needs a pseudo-terminal (POSIX)")
    path = tmp_path / "s.yaml"
    path.write_text(TINY)

    def on_a_terminal(env: dict[str, str | None]) -> str:
        leader, follower = pty.openpty()
        full_env = {**os.environ, "COLUMNS": "120", "TERM": "xterm-256color"}
        for key, value in env.items():
            if value is None:
                full_env.pop(key, None)
            else:
                full_env[key] = value
        child = subprocess.Popen([sys.executable, "-m", "kpo_calc", "compare", str(path)],
                                 stdout=follower, stderr=subprocess.DEVNULL, env=full_env)
        os.close(follower)
        chunks = []
        while True:  # read while it writes: a full terminal buffer would block the child
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert child.wait(timeout=120) == 0
        return b"".join(chunks).decode()

    coloured = on_a_terminal({"NO_COLOR": None, "FORCE_COLOR": None})
    assert "\x1b[" in coloured
    assert "Recommendation: Vendor" in re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert "\x1b[" not in on_a_terminal({"NO_COLOR": "1", "FORCE_COLOR": None})
