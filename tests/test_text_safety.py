"""Text from a scenario, a file name or an argument is data in every output.

Hostile names go into every name of a scenario (scenario, work, options, risks,
stress tests) and into the file name; every format of every command must then
show them literally: no rich markup, no terminal escape, no Markdown or HTML,
no GitHub workflow command, no spreadsheet formula, and JSON with the exact text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import tiny_data
from kpo_calc.cli import app
from kpo_calc.textsafe import (
    BREAK,
    gh_data,
    gh_property,
    guard,
    json_text,
    md_code,
    md_text,
    no_commands,
    visible,
)

ATTACKS = {
    "markup": "[bold]x[/]",
    "closing-tag": "KPO India [/EU]",
    "link": "[link=https://evil.example]click[/link]",
    "clear-screen": "\x1b[2J",
    "osc-title": "\x1b]0;title\x07",
    "carriage-return": "a\rb",
    "workflow-command": "x\n::error::injected",
    "add-mask": "::add-mask::secret",
    "bidi": "abc\u202edcba",
    "image": "![img](http://x)",
    "mention": "@org/team",
    "html": "<script>alert(1)</script>",
    "pipe": "a | b",
    "backticks": "a`b``c",
    "nul-del-c1": "n\x00d\x7fc\x9b",
    "heading": "# Heading\r\n## two",
    # Round 2: the runner's older command syntax anywhere in a line, a command after a
    # Unicode blank, links GitHub makes by itself, and an escape typed as text.
    "old-command": "##[add-mask]USD",
    "blank-command": "\u00a0::error::x",
    "autolink": "https://evil.example www.evil.example",
    "literal-escape": "\\x1b[2J \\u202e",
}

#: Characters that no text output may contain raw (besides the line breaks it makes).
RAW_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u200e\u200f\u061c"
                        "\u202a-\u202e\u2066-\u2069]")


def hostile(attack: str) -> dict[str, Any]:
    """The tiny scenario with ``attack`` in every name, and a gate that fails."""
    data = tiny_data()
    data["name"] = f"Scenario {attack}"
    for work in data["work"]:
        work["name"] = f"{work['name']} {attack}"
    for option in data["options"]:
        option["name"] = f"{option['name']} {attack}"
    data["options"][1]["risks"][0]["name"] = f"Leak {attack}"
    for test in data["stress"]:
        test["name"] = f"{test['name']} {attack}"
    # Team is dearer than Vendor, so expecting it fails: its message names both.
    data["decision"] = {"expect": data["options"][0]["name"]}
    return data


def file_name(attack: str) -> str:
    """The attack as (part of) a file name: '/' and NUL cannot be in one."""
    return "s " + attack.replace("/", "_").replace("\x00", "0") + ".yaml"


def write(tmp_path: Path, attack: str, data: dict[str, Any] | None = None) -> Path:
    path = tmp_path / file_name(attack)
    path.write_text(yaml.safe_dump(data or hostile(attack), sort_keys=False,
                                   allow_unicode=True), encoding="utf-8")
    return path


def invoke(*args: str | Path, width: int = 300) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args],
                                env={"COLUMNS": str(width), "NO_COLOR": "1"})
    # Exit 3 or an exception other than the exit itself is a crash (a traceback).
    assert result.exit_code != 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


def assert_safe_text(text: str) -> None:
    """No raw control, bidi or surrogate character; no workflow command from user text
    (``::`` after any Unicode blank, as the runner trims them, or ``##[`` anywhere)."""
    assert not RAW_UNSAFE.search(text), repr(RAW_UNSAFE.search(text))
    assert "##[" not in text
    for line in text.split("\n"):
        assert not line.lstrip().startswith("::"), line


@pytest.fixture(params=sorted(ATTACKS), ids=sorted(ATTACKS))
def attack(request: pytest.FixtureRequest) -> str:
    return ATTACKS[request.param]


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_compare_text_formats_show_names_literally(tmp_path: Path, attack: str,
                                                   fmt: str) -> None:
    path = write(tmp_path, attack)
    code, out, err = invoke("compare", "--format", fmt, path)
    assert code == 1, err  # the expect gate fails; never 3 (a traceback)
    assert_safe_text(out)
    assert_safe_text(err)
    # stderr names the failed gate, with both option names shown as escapes.
    assert f"expected the recommendation to be {visible('Team ' + attack)}" in err
    shown = {"table": visible, "markdown": md_text, "csv": visible}[fmt]
    for name in (f"Team {attack}", f"Vendor {attack}", f"Scenario {attack}"):
        assert shown(name) in out, name
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        names = {row["option"] for row in rows}
        assert names == {visible(f"Team {attack}"), visible(f"Vendor {attack}")}
        assert {row["file"] for row in rows} == {visible(str(path))}


def test_compare_json_keeps_the_exact_text(tmp_path: Path, attack: str) -> None:
    path = write(tmp_path, attack)
    code, out, _ = invoke("compare", "--format", "json", path)
    assert code == 1
    assert not RAW_UNSAFE.search(out)  # escaped as \\uXXXX by JSON, not shown raw
    doc = json.loads(out)
    (scenario,) = doc["scenarios"]
    assert scenario["name"] == f"Scenario {attack}"
    assert scenario["file"] == str(path)
    assert [o["name"] for o in scenario["options"]] == [f"Team {attack}", f"Vendor {attack}"]
    assert [s["name"] for s in scenario["options"][0]["flexibility"]["stress"]] == [
        f"Drop {attack}", f"Rise {attack}"]


@pytest.mark.parametrize("half", [0, 1])
def test_markdown_has_no_live_syntax(tmp_path: Path, half: int) -> None:
    values = list(ATTACKS.values())
    attacks = " ".join(values[half::2])  # names have at most 200 characters
    path = write(tmp_path, "x", hostile(attacks))
    code, out, err = invoke("compare", "--format", "markdown", path)
    assert code == 1, err
    assert "<script>" not in out
    assert "@org/team" not in out  # a mention would notify the team
    assert re.search(r"(?<!\\)\[(img|bold|link)", out) is None  # no link, image, markup
    assert re.search(r"^#+ Heading", out, re.M) is None
    # A table row stays one row: as many unescaped pipes as the header has.
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("|   |"))
    cells = len(re.findall(r"(?<!\\)\|", lines[header]))
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break
        assert len(re.findall(r"(?<!\\)\|", line)) == cells, line


def test_brackets_are_not_markup(tmp_path: Path) -> None:
    data = tiny_data()
    data["options"][0]["name"] = "Vendor [a]"
    data["options"][1]["name"] = "Vendor [b]"
    data["name"] = "KPO India [/EU]"
    path = write(tmp_path, "brackets", data)
    code, out, err = invoke("compare", path)
    assert code == 0, err
    assert "Vendor [a]" in out
    assert "Vendor [b]" in out
    assert "KPO India [/EU]" in out


def test_link_markup_stays_literal_with_colour(tmp_path: Path) -> None:
    data = tiny_data()
    data["options"][1]["name"] = "[link=https://evil.example]Vendor[/link]"
    path = write(tmp_path, "link", data)
    result = CliRunner().invoke(app, ["compare", "--color", "always", str(path)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "\x1b]8;" not in result.stdout  # no OSC 8 hyperlink
    assert "[link=https://evil.example]Vendor[/link]" in result.stdout


def test_batch_summary_with_hostile_files(tmp_path: Path) -> None:
    paths = [write(tmp_path, attack) for attack in ATTACKS.values()]
    for fmt, shown in (("table", visible), ("markdown", md_code)):
        # Wide enough for a row a file whatever the temporary folder's length (records
        # otherwise, which wrap the names).
        code, out, err = invoke("compare", "--format", fmt, "--no-details", *paths,
                                width=1000)
        assert code == 1, err
        assert_safe_text(out)
        assert_safe_text(err)
        assert out.count("Summary of" if fmt == "table" else "| File |") == 1
        for attack, path in zip(ATTACKS.values(), paths, strict=True):
            assert shown(str(path)) in out or visible(str(path)) in out
            assert (visible if fmt == "table" else md_text)(f"Scenario {attack}") in out


def test_diff_every_format(tmp_path: Path, attack: str) -> None:
    old = write(tmp_path, attack)
    changed = hostile(attack)
    changed["options"][1]["hourly_rate"] = 10
    changed["options"][1]["name"] = f"New {attack}"
    new = tmp_path / ("new " + old.name)
    new.write_text(yaml.safe_dump(changed, sort_keys=False, allow_unicode=True),
                   encoding="utf-8")
    for fmt in ("table", "markdown"):
        code, out, err = invoke("diff", "--format", fmt, old, new)
        assert code == 0, err
        assert_safe_text(out)
        assert (visible if fmt == "table" else md_text)(f"New {attack}") in out
    _, out, _ = invoke("diff", "--format", "json", old, new)
    doc = json.loads(out)
    assert {o["name"] for o in doc["options"]} == {f"Team {attack}", f"Vendor {attack}",
                                                   f"New {attack}"}


def test_validate_every_format(tmp_path: Path, attack: str) -> None:
    data = hostile(attack)
    data["options"][0][f"bad {attack}"] = 1  # an unknown key, quoted in the message
    path = write(tmp_path, attack, data)
    code, out, err = invoke("validate", path)
    assert code == 2
    assert_safe_text(out)
    assert_safe_text(err)
    assert visible(str(path)) in err
    code, out, _ = invoke("validate", "--format", "github", path)
    assert code == 2
    lines = out.splitlines()
    assert lines
    assert all(line.startswith("::error ") for line in lines)
    assert not RAW_UNSAFE.search(out)
    for line in lines:
        command, _, message = line.partition("::")[2].partition("::")
        props = command.split(" ", 1)[1]
        assert props.startswith(f"file={gh_property(str(path))},")
        assert "\n" not in message
    code, out, _ = invoke("validate", "--format", "json", path)
    doc = json.loads(out)
    assert doc["files"][0]["file"] == str(path)
    assert any(repr(f"bad {attack}") in e["message"] for e in doc["errors"])


def test_non_utf8_file_name_shows_the_byte(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/bad\xff.yaml"
    with open(raw, "w", encoding="utf-8") as f:
        f.write(yaml.safe_dump(tiny_data(), sort_keys=False))
    name = os.fsdecode(raw)
    for fmt in ("table", "markdown", "csv"):
        code, out, err = invoke("compare", "--format", fmt, name)
        assert code == 0, err
        assert "bad\\xff.yaml" in out
        out.encode("utf-8")  # printable as UTF-8
    _, out, _ = invoke("compare", "--format", "json", name)
    out.encode("utf-8")
    assert json.loads(out)["scenarios"][0]["file"] == name


@pytest.mark.parametrize(("text", "expected"), [
    ("\x1b[2J", "\\x1b[2J"),
    ("a\rb\nc\td", "a\\rb\\nc\\td"),
    ("\x00\x7f\x85\x9b", "\\x00\\x7f\\u0085\\u009b"),
    ("\x85\udc85", "\\u0085\\x85"),  # a C1 control, and the byte 0x85 of a file name
    ("\u202eabc\u2066\u200f\u061c", "\\u202eabc\\u2066\\u200f\\u061c"),
    ("bad\udcff", "bad\\xff"),
    ("\ud800", "\\ud800"),
    ("::add-mask::x", "\\x3a:add-mask::x"),
    ("  ::error::x", "  \\x3a:error::x"),
    ("\u00a0::error::x", "\u00a0\\x3a:error::x"),  # any Unicode blank leads (.NET trims it)
    ("\u3000\u2003::warning::x", "\u3000\u2003\\x3a:warning::x"),
    ("KPO ##[add-mask]USD", "KPO #\\x23[add-mask]USD"),  # found anywhere in a line
    ("###[warning]x", "##\\x23[warning]x"),
    ("C:\\Users\\me", "C:\\Users\\me"),  # a backslash that starts no escape stays
    ("\\x1b", "\\\\x1b"),  # the text \x1b: its backslash doubled, unlike ESC's escape
    ("\\\x1b", "\\\\\\x1b"),  # a backslash before ESC
    ("\\\\n", "\\\\\\\\n"),
    ("Zürich 東京 a::b", "Zürich 東京 a::b"),
])
def test_visible(text: str, expected: str) -> None:
    assert visible(text) == expected
    assert guard(expected) == expected  # the safety net leaves shown text alone


@pytest.mark.parametrize(("escape", "text", "expected"), [
    (md_text, "a*b*_c_ [x](y) ![i](u) <b> `c` \\ | # ~~s~~ $m$", (
        "a\\*b\\*\\_c\\_ \\[x\\](y) !\\[i\\](u) \\<b\\> \\`c\\` \\\\ \\| \\# \\~\\~s\\~\\~ "
        "\\$m\\$")),
    (md_text, "FP&A &amp; &#60;", "FP&A \\&amp; \\&\\#&#8203;60;"),
    # GitHub links issues and shows emoji after Markdown: a break defuses them.
    (md_text, "Fix #12, GH-3, org/repo#4", "Fix \\#&#8203;12, GH-&#8203;3, org/repo\\#&#8203;4"),
    (md_text, ":rocket: at 10:30", ":&#8203;rocket: at 10:30"),
    (md_text, "@org/team", "@&#8203;org/team"),
    (md_text, "a\nb", "a\\\\nb"),  # visible's escape, its backslash escaped
    (md_code, "plain", "`plain`"),
    (md_code, "a`b``c", "```a`b``c```"),
    (md_code, "`x", "`` `x ``"),
    (gh_data, "50% off\nnext\x1b", "50%25 off%0Anext\\x1b"),
    (gh_property, "a,b:c", "a%2Cb%3Ac"),
])
def test_escapes(escape: Callable[[str], str], text: str, expected: str) -> None:
    assert escape(text) == expected


def test_md_code_in_a_table_escapes_pipes() -> None:
    assert md_code("a|b", table=True) == "`a\\|b`"


def test_no_commands_guards_every_line() -> None:
    assert no_commands("ok\n   ::warning::x\n::y") == "ok\n   \\x3a:warning::x\n\\x3a:y"


@given(st.text(st.characters(codec=None, exclude_categories=[]))
       | st.text("\\xu\x1b\x85\udc85:#[ \u00a0\nab"))
def test_escapes_hold_for_any_text(text: str) -> None:
    shown = visible(text)
    assert not RAW_UNSAFE.search(shown)
    assert "\n" not in shown
    assert not re.match(r"\s*::", shown)
    assert "##[" not in shown
    assert guard(shown) == shown
    assert unescape(shown) == text  # one reading: the escapes can be undone
    markdown = md_text(text).replace(BREAK, "")  # the mention and autolink breaks are ours
    # Every Markdown special character is escaped (an even run of backslashes before it).
    assert re.search(r"(?<!\\)(\\\\)*[`*_\[\]<>|#~$]", markdown) is None
    assert md_text(text).count("@") == md_text(text).count("@&#8203;")
    span = md_code(text)
    fence = re.match("`+", span)
    assert fence is not None
    assert fence.group() not in span[len(fence.group()):-len(fence.group())]
    assert "\n" not in gh_data(text) + gh_property(text)
    assert not re.search("[:,]", gh_property(text))
    assert json.loads(json_text(text)) == text
    assert "##[" not in json_text(text)
    json_text(text).encode("utf-8")


def unescape(shown: str) -> str:
    """What :func:`visible` showed, read back (as a reader would, Python's way)."""
    def one(m: re.Match[str]) -> str:
        token = m.group()
        if token == "\\\\":
            return "\\"
        if token[1] in "nrt":
            return {"n": "\n", "r": "\r", "t": "\t"}[token[1]]
        code = int(token[2:], 16)
        return chr(code + 0xDC00 if token[1] == "x" and code >= 0x80 else code)
    return re.sub(r"\\\\|\\[nrt]|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}", one, shown)
