"""validate, schema and init as users and CI run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SCENARIOS, run_cli
from kpo_calc import api
from kpo_calc.starter import domains

TYPOS = ROOT / "tests" / "data" / "typos.yaml"
PATENT = SCENARIOS / "patent-search-eur.yaml"


def test_validate_text_puts_problems_on_stderr_and_a_summary_on_stdout() -> None:
    proc = run_cli("validate", TYPOS, PATENT)
    assert proc.returncode == 2
    # the patent example has no warning: it prices the hours its lead time leaves unmet
    assert proc.stdout == (f"{PATENT}: ok\n{TYPOS}: 4 errors, 0 warnings\n"
                           "2 files checked, 1 file with errors\n")
    assert proc.stderr.splitlines()[0] == (
        f"{TYPOS}:10:5: work[0].specialisation: unknown key 'specialisation'; did you mean "
        "'specialization'?")


def test_validate_folder_of_examples_exits_0() -> None:
    proc = run_cli("validate", SCENARIOS)
    assert proc.returncode == 0
    count = len(list(SCENARIOS.glob("*.yaml")))
    assert proc.stdout.endswith(f"{count} files checked, 0 files with errors\n")


def test_validate_json() -> None:
    proc = run_cli("validate", "--format", "json", TYPOS, PATENT)
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert doc["files"] == [
        {"file": str(PATENT), "valid": True, "errors": 0, "warnings": 0},
        {"file": str(TYPOS), "valid": False, "errors": 4, "warnings": 0}]
    assert doc["errors"][0] == {
        "file": str(TYPOS), "line": 10, "column": 5, "path": "work[0].specialisation",
        "message": "unknown key 'specialisation'; did you mean 'specialization'?",
        "severity": "error"}


def test_validate_github_annotations() -> None:
    proc = run_cli("validate", "--format", "github", TYPOS)
    assert proc.returncode == 2
    lines = proc.stdout.splitlines()
    assert lines[2] == (f"::error file={TYPOS},line=15,col=20,title=options[0].benefits_rate::"
                        "must be at most 1, got 30 (rates are fractions); did you mean 0.3?")


def test_github_escaping() -> None:
    from kpo_calc.diagnostics import Diagnostic

    d = Diagnostic("a,b:c.yaml", 1, 2, "50% off\nnext", "x")
    assert d.github() == "::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=x::50%25 off%0Anext"


def test_validate_warnings_do_not_fail(write_scenario) -> None:
    from conftest import tiny_data

    data = tiny_data()
    data["fx"]["PHP"] = 0.018
    proc = run_cli("validate", write_scenario(data))
    assert proc.returncode == 0
    assert "warning: fx.PHP: no option is priced in PHP" in proc.stderr


def test_schema_command_matches_the_committed_schema() -> None:
    proc = run_cli("schema")
    assert proc.returncode == 0
    assert proc.stdout == (ROOT / "schema" / "scenario.schema.json").read_text()
    schema = json.loads(proc.stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in proc.stdout  # draft-07 tools know "definitions"


def _properties(schema: dict) -> list[tuple[str, dict]]:
    out = [(f"Scenario.{k}", v) for k, v in schema["properties"].items()]
    for name, model in schema["definitions"].items():  # Distribution has no properties
        out += [(f"{name}.{k}", v) for k, v in model.get("properties", {}).items()]
    return out


def test_every_schema_field_has_a_description_and_an_example() -> None:
    from kpo_calc.schema import scenario_schema

    for name, prop in _properties(scenario_schema()):
        assert prop.get("description"), f"{name} has no description"
        assert prop.get("examples"), f"{name} has no example"


def test_examples_point_editors_at_the_schema() -> None:
    for path in SCENARIOS.glob("*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/scenario.schema.json"


@pytest.mark.parametrize("domain", list(domains()))
def test_init_writes_a_valid_commented_starter(tmp_path: Path, domain: str) -> None:
    target = tmp_path / "s.yaml"
    proc = run_cli("init", target, "--domain", domain)
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {target} ({domain}, USD); next: kpo-calc compare {target}" in proc.stderr
    text = target.read_text()
    assert "# yaml-language-server: $schema=" in text
    assert text.count("#") > 40  # every field explained
    scenario, diagnostics = api.check_file(target)
    assert scenario is not None, [d.text() for d in diagnostics]
    assert run_cli("compare", target).returncode == 0
    # Typical values are the ones quoted in docs/typical-values.md.
    data = yaml.safe_load(text)
    assert data["decision"]["min_savings"] == 0.10
    assert data["options"][0]["benefits_rate"] == 0.42


def test_init_never_overwrites_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("my own work\n")
    proc = run_cli("init", target)
    assert proc.returncode == 2
    assert "already exists; choose another path or pass --force" in proc.stderr
    assert target.read_text() == "my own work\n"
    assert run_cli("init", target, "--force").returncode == 0
    assert target.read_text().startswith("# yaml-language-server")


def test_init_to_stdout_and_into_a_folder(tmp_path: Path) -> None:
    proc = run_cli("init", "-", "--domain", "legal")
    assert proc.returncode == 0
    assert "name: Legal document review and research" in proc.stdout
    assert run_cli("init", tmp_path).returncode == 0
    assert (tmp_path / "scenario.yaml").is_file()


def test_init_rejects_an_unknown_domain() -> None:
    proc = run_cli("init", "-", "--domain", "astrology")
    assert proc.returncode == 2
    assert "astrology" in proc.stderr


def test_init_domains_match_the_command_line() -> None:
    from kpo_calc.cli import DomainName
    from kpo_calc.starter import DEFAULT_DOMAIN

    assert [d.value for d in DomainName] == list(domains())
    assert DEFAULT_DOMAIN in domains()
