"""Broken input: every file in tests/corpus/ reports its mistake at the right place.

The corpus manifest (tests/corpus/cases.toml) pairs each file with the line and
column kpo-calc must report and a fragment of the message. The same files go
through the exported JSON Schema with the independent check-jsonschema tool.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run_cli
from kpo_calc import api

CORPUS = ROOT / "tests" / "corpus"
CASES: list[dict[str, Any]] = tomllib.loads((CORPUS / "cases.toml").read_text())["case"]


def test_every_corpus_file_has_a_case() -> None:
    assert sorted(c["file"] for c in CASES) == sorted(p.name for p in CORPUS.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_corpus_file_reports_its_mistake(case: dict[str, Any]) -> None:
    path = CORPUS / case["file"]
    _, diagnostics = api.check_file(path)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert errors, f"{case['file']} was accepted"
    line, column = map(int, case["at"].split(":"))
    texts = [d.text() for d in errors]
    where = f"{path}:{line}:{column}: "
    assert any(t.startswith(where) and case["message"] in t for t in texts), texts


@pytest.mark.parametrize("case", CASES[::6], ids=lambda c: c["file"])
def test_cli_reports_corpus_files_without_traceback(case: dict[str, Any]) -> None:
    proc = run_cli("compare", CORPUS / case["file"])
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert case["message"] in proc.stderr


def check_jsonschema(files: list[Path]) -> set[str]:
    """Names of the files that check-jsonschema rejects (schema errors or parse errors)."""
    exe = Path(sys.executable).with_name("check-jsonschema")
    proc = subprocess.run(
        [str(exe), "--schemafile", str(ROOT / "schema" / "scenario.schema.json"),
         "--output-format", "json", *map(str, files)],
        capture_output=True, text=True, check=False, timeout=300)
    report = json.loads(proc.stdout)
    return {Path(e["filename"]).name for key in ("errors", "parse_errors")
            for e in report.get(key, [])}


def test_schema_rejects_what_it_can_express_and_accepts_the_rest() -> None:
    cases = [c for c in CASES if c["schema"] != "skip"]
    rejected = check_jsonschema([CORPUS / c["file"] for c in cases])
    assert rejected == {c["file"] for c in cases if c["schema"] == "reject"}
    # What the schema cannot express, kpo-calc still refuses (test above); list it
    # here so a reader sees the gap at a glance.
    assert {c["file"] for c in cases if c["schema"] == "accept"} == {
        "bad-baseline.yaml", "duplicate-option-names.yaml", "end-before-start.yaml",
        "fx-for-base-currency.yaml", "digit-underscores.yaml", "missing-fx.yaml", "nan.yaml",
        "one-off-past-horizon.yaml", "scores-without-all-criteria.yaml",
        "stress-after-horizon.yaml", "too-specialised.yaml", "plan-unknown-work.yaml",
        "plan-unknown-option.yaml", "plan-share-of-unknown-option.yaml",
        "plan-shares-not-one.yaml", "plan-missing-work.yaml", "plan-name-clash.yaml",
        "serves-unknown-work.yaml", "mix-keep-unknown-option.yaml",
        "mix-share-rounds-to-zero.yaml",
        # Names that print like another: the schema cannot see what a reader sees.
        "name-hangul-filler.yaml", "name-grapheme-joiner.yaml", "name-variation-selector.yaml",
        "name-choseong-filler.yaml", "name-braille-blank.yaml", "name-cyrillic-lookalike.yaml",
        "name-cyrillic-letters.yaml", "plan-lookalike-option.yaml", "name-lookalike-work.yaml",
        # A distribution's bounds and the paths it is correlated by.
        "uncertain-above-bound.yaml", "uncertain-correlation-typo.yaml"}


def test_schema_accepts_every_example_and_starter(tmp_path: Path) -> None:
    from kpo_calc.starter import domains, starter_scenario

    starters = []
    for domain in domains():
        path = tmp_path / f"{domain}.yaml"
        path.write_text(starter_scenario(domain))
        starters.append(path)
    examples = sorted((ROOT / "scenarios").glob("*.yaml"))
    assert check_jsonschema([*examples, *starters]) == set()
