"""Issue 13, round 2: workflow commands the runner still read, links GitHub made by
itself, and messages that named the wrong cause (an -o into /proc, the fold note)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import TINY, run_cli, tiny_data
from kpo_calc.render.compare_view import FOLD_NOTE, fit
from kpo_calc.textsafe import json_text, md_text, no_commands, visible
from test_mix import data as mix_data

# A name cannot start with a blank, but a wrapped cell can put its middle at a line start.
COMMANDS = ["##[add-mask]USD", "BPO\u00a0::error::x", "KPO \u3000::warning::y"]
LINKS = "see https://evil.example/a, HTTP://x.example and www.evil.example"


def assert_no_command(text: str) -> None:
    """No line the runner would run: ``##[`` anywhere, ``::`` after Unicode blanks
    (str.lstrip trims them as .NET's TrimStart does)."""
    assert "##[" not in text
    for line in text.split("\n"):
        assert not line.lstrip().startswith("::"), line


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_mix_names_run_no_command(fmt: str, write_scenario) -> None:
    d = mix_data(0.5)
    rename = dict(zip(["Clerks", "Analysts", "BPO", "KPO"], [*COMMANDS, "KPO"], strict=True))
    for o in d["options"]:
        o["name"] = rename[o["name"]]
    d["plans"] = [{"name": "Today", "assign": {w: rename[to] for w, to in
                                               d["plans"][0]["assign"].items()}}]
    proc = run_cli("mix", "--format", fmt, write_scenario(d))
    assert proc.returncode == 0, proc.stderr
    assert_no_command(proc.stdout)
    if fmt == "json":
        assert "#\\u0023[add-mask]USD" in proc.stdout
        assert "##[add-mask]USD" in json.dumps(json.loads(proc.stdout), ensure_ascii=False)


def test_gate_messages_run_no_command(write_scenario) -> None:
    data = tiny_data()
    data["options"][0]["name"] = "##[warning]Team"
    data["decision"] = {"expect": "##[warning]Team"}
    proc = run_cli("compare", write_scenario(data))
    assert proc.returncode == 1
    assert "#\\x23[warning]Team" in proc.stderr
    assert_no_command(proc.stdout + proc.stderr)


def test_a_file_name_after_a_blank_starts_no_command(tmp_path: Path) -> None:
    name = "\u00a0::error::x.yaml"
    (tmp_path / name).write_text("version: [", encoding="utf-8")
    for fmt in ("text", "json"):
        proc = run_cli("validate", "--format", fmt, name, cwd=tmp_path)
        assert proc.returncode == 2
        assert_no_command(proc.stdout + proc.stderr)
    # Every line of the diagnostics starts with the name, its first colon escaped.
    proc = run_cli("validate", name, cwd=tmp_path)
    assert proc.stderr.startswith("\u00a0\\x3a:error::x.yaml:")


def test_json_keeps_the_data_of_a_command() -> None:
    text = json_text({"name": "a ##[add-mask]b", "##[key]": 1})
    assert "##[" not in text
    assert json.loads(text) == {"name": "a ##[add-mask]b", "##[key]": 1}


def test_no_commands_over_a_whole_output() -> None:
    assert no_commands("x ##[group]y\n\u2003::error::z") == "x #\\x23[group]y\n\u2003\\x3a:error::z"


def test_markdown_breaks_autolinks() -> None:
    shown = md_text(LINKS)
    assert re.search(r"(?i)https?://|www\.", shown) is None
    assert shown.replace("&#8203;", "") == LINKS  # reads the same


def test_markdown_reports_have_no_link_from_a_scenario(write_scenario) -> None:
    data = tiny_data()
    data["name"] = LINKS
    data["options"][1]["name"] = "Vendor www.evil.example"
    path = write_scenario(data)
    for command in ("compare", "mix"):
        proc = run_cli(command, "--format", "markdown", path)
        assert proc.returncode in (0, 1), proc.stderr
        assert re.search(r"(?i)https?://|www\.", proc.stdout) is None, proc.stdout
        assert "www&#8203;.evil.example" in proc.stdout


def test_the_fold_note_names_formats_that_do_not_fold() -> None:
    # The note used to send the reader to `--format markdown`, the command that folded.
    assert "--format markdown" not in FOLD_NOTE
    assert "--format table" in FOLD_NOTE
    assert "--format json" in FOLD_NOTE


def test_a_folded_report_carries_the_note(write_scenario) -> None:
    from kpo_calc import api

    outcomes = api.compare_files([write_scenario()])
    text = fit(outcomes, 1_000)
    assert "Detail was folded" in text
    assert "`kpo-calc compare --format table`" in text


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_output_into_proc_gives_the_true_reason(write_scenario) -> None:
    proc = run_cli("compare", "-o", "/proc/kpo-calc-report.txt", write_scenario())
    assert proc.returncode == 2
    assert "does not exist" not in proc.stderr
    assert proc.stderr == ("/proc/kpo-calc-report.txt: cannot write: the folder /proc exists "
                           "but does not take new files (a system folder such as /proc or "
                           "/sys); choose another folder\n")


def test_output_into_a_dangling_link_names_the_link(write_scenario, tmp_path: Path) -> None:
    link = tmp_path / "reports"
    link.symlink_to(tmp_path / "gone")
    proc = run_cli("compare", "-o", link / "r.txt", write_scenario())
    assert proc.returncode == 2
    assert proc.stderr == (f"{link}/r.txt: cannot write: the folder {visible(str(link))} is "
                           "a symbolic link to nothing (what it points to does not exist); "
                           "create that, or choose another folder\n")


def test_an_emitted_plan_keeps_a_command_in_a_name_as_data() -> None:
    from types import SimpleNamespace

    import yaml

    from kpo_calc.render.mix_plan import emit_plan

    # The parts of a MixResult that emit_plan reads.
    plan = SimpleNamespace(name="Mix ##[add-mask]1", assign={
        "##[warning]Work": {"KPO ##[x]": 1.0}, "Other": {"A": 0.5, "B": 0.5}})
    result = SimpleNamespace(best=SimpleNamespace(result=plan, same_as=None), name="S ##[group]")
    text = emit_plan(result)
    assert_no_command(text)
    entry = yaml.safe_load(text)["plans"][0]
    assert entry == {"name": "Mix ##[add-mask]1",
                     "assign": {"##[warning]Work": "KPO ##[x]", "Other": {"A": 0.5, "B": 0.5}}}


def test_a_one_month_horizon_reads_as_one_month_in_messages(write_scenario) -> None:
    # "after the horizon of 1 months" read as a typo in the tool.
    proc = run_cli("validate", write_scenario(TINY.replace("horizon_months: 14",
                                                           "horizon_months: 1")))
    assert proc.returncode == 2
    assert "after the horizon of 1 month" in proc.stdout + proc.stderr
    assert "1 months" not in proc.stdout + proc.stderr
