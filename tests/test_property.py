"""Property: whatever a scenario file is mutated into, the CLI exits 0 or 2, never crashes.

Valid scenarios (the examples and the tiny one, without their gates so that
exit 1 cannot happen) are mutated at random, as data (a value replaced by any
YAML value, a key deleted, renamed or added, a list item duplicated) and as
text (bytes deleted, inserted or replaced). The command line runs in-process.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.main import get_command

from conftest import SCENARIOS, tiny_data
from kpo_calc.cli import app

# Typer builds the click command from the app on every call; build it once, as
# typer.testing.CliRunner would, but not 500 times (half of this test's time).
COMMAND = get_command(app)


def _without_gate(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data.get("decision", {}).pop("expect", None)
    return data


BASES = [_without_gate(tiny_data())] + [
    _without_gate(yaml.safe_load(p.read_text())) for p in sorted(SCENARIOS.glob("*.yaml"))]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["high", "kpo", "bpo", "in_house", "one_off", "recurring", "USD", "INR",
                     "1 to 2", "-1", "0", ".nan", "In-house"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> str:
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "delete", "rename", "add", "duplicate"]))
        if action == "replace":
            parent[key] = draw(values)
        elif action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[str(key)[:-1] + draw(st.sampled_from(["", "s", "_", "x"]))] = parent.pop(key)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(values)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if draw(st.booleans()):
        raw = bytearray(text.encode())
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, max(0, len(raw) - 1)))
            edit = draw(st.sampled_from(["delete", "insert", "replace"]))
            byte = draw(st.sampled_from(list(b":-[]{}&*!|>'\"#\t\n 0.9\x00\xff")))
            if edit == "delete" and raw:
                del raw[at]
            elif edit == "insert":
                raw.insert(at, byte)
            elif raw:
                raw[at] = byte
        return raw.decode("latin-1")
    return text


# Run in full but not measured (conftest.py): 500 CLI runs through code the corpus and
# the CLI tests cover already; tracing them cost a sixth of the suite's time.
@pytest.mark.unmeasured
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_cli_only_exits_0_or_2_and_never_crashes(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutant.yaml"
        path.write_bytes(text.encode("latin-1", errors="replace"))
        for command in (["compare", "--format", "json"], ["validate"]):
            result = CliRunner().invoke(COMMAND, [*command, str(path)])
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                text, result.exception)
            assert result.exit_code in (0, 2), (text, result.output)
            if result.exit_code == 2:
                assert str(path) in result.stderr
