"""Names a reader can tell apart, and references that find the name they look like.

One name typed in two Unicode forms (NFC, NFD) is one name; a name with an
invisible filler, or made of lookalike letters of another name of its namespace
(Unicode TR39 confusables), is refused; two names that differ in an escape typed
as text and the control it stands for print differently.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli, tiny_data
from kpo_calc import api
from kpo_calc.lookalike import differences, fillers, skeleton
from kpo_calc.textsafe import md_text, visible

CAFE_NFC = unicodedata.normalize("NFC", "In-house Café")
CAFE_NFD = unicodedata.normalize("NFD", "In-house Café")


def named(first: str, second: str, **decision: Any) -> dict[str, Any]:
    """The tiny scenario with its two options renamed, and ``decision`` if given."""
    data = tiny_data()
    data["options"][0]["name"] = first
    data["options"][1]["name"] = second
    data.pop("decision", None)
    if decision:
        data["decision"] = decision
    return data


def test_nfc_and_nfd_spellings_are_one_name(write_scenario) -> None:
    assert CAFE_NFC != CAFE_NFD
    # The option written in NFD, every reference in NFC: they match, and the name is
    # shown (and written to JSON) in NFC.
    path = write_scenario(named(CAFE_NFD, "Vendor", baseline=CAFE_NFC, expect=CAFE_NFC))
    scenario, diagnostics = api.check_file(path)
    assert scenario is not None, [d.text() for d in diagnostics]
    assert scenario.options[0].name == CAFE_NFC
    proc = run_cli("compare", "--format", "json", "--expect", CAFE_NFD, path)
    doc = json.loads(proc.stdout)
    assert doc["scenarios"][0]["options"][0]["name"] == CAFE_NFC
    assert "no scenario has an option" not in proc.stderr


def test_a_reference_in_nfd_finds_a_name_in_nfc(write_scenario) -> None:
    path = write_scenario(named(CAFE_NFC, "Vendor", baseline=CAFE_NFD))
    assert api.check_file(path)[0] is not None


@pytest.mark.parametrize("filler", ["\u034f", "\u3164", "\ufe0f", "\u115f", "\u2800",
                                    "\u00ad", "\ufe00", "\U000e0041", "\u200d"])
def test_invisible_fillers_are_found(filler: str) -> None:
    assert fillers(f"KPO India{filler}") == [filler]


@pytest.mark.parametrize("name", [
    "☎\ufe0f Hotline",  # emoji style of a symbol
    "👩\u200d💻 Coders",  # a ZWJ sequence
    "مي\u200cخواهم",  # a ZWNJ inside a Persian word
    "KPO \u202eabc",  # a bidi control: shown as an escape in every output, so seen
    "Zürich 東京",
])
def test_characters_with_a_use_are_not_fillers(name: str) -> None:
    assert fillers(name) == []


@pytest.mark.parametrize("filler", ["\u3164", "\u034f"])
def test_fillers_are_refused_on_the_command_line_too(write_scenario, filler: str) -> None:
    path = write_scenario()
    for args in (["compare", "--expect", f"Team{filler}"],
                 ["compare", "--budget", f"Team{filler}=5"],
                 ["mix", "--expect", f"Team{filler}"]):
        proc = run_cli(*args, path)
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr
        assert "which prints as nothing or as a blank" in proc.stderr


@pytest.mark.parametrize(("name", "other"), [
    ("KPO Indi\u0430", "KPO India"),  # Cyrillic a
    ("\u041a\u0420\u041e India", "KPO India"),  # Cyrillic capitals
    ("KP0", "KPO"),  # digit zero
    ("Plan l", "Plan 1"),
    ("Team\u2010A", "Team-A"),  # a hyphen that is not the ASCII one
    ("Firrn", "Firm"),  # r and n look like m: lengths differ
])
def test_lookalikes_have_one_skeleton(name: str, other: str) -> None:
    assert skeleton(name) == skeleton(other)
    assert differences(name, other)


@pytest.mark.parametrize(("name", "other"), [("KPO India", "KPO Indonesia"),
                                             ("Team", "Tearn x")])
def test_different_names_have_different_skeletons(name: str, other: str) -> None:
    assert skeleton(name) != skeleton(other)


@pytest.mark.parametrize(("section", "index"), [("options", 1), ("work", 0), ("stress", 1)])
def test_a_lookalike_is_refused_in_every_namespace(write_scenario, section: str,
                                                   index: int) -> None:
    data = tiny_data()
    data.pop("decision", None)
    items = data[section]
    if len(items) < 2:
        items.append({**items[0]})
    items[1 - index]["name"] = "Review"
    items[index]["name"] = "R\u0435view"  # a Cyrillic e
    _, diagnostics = api.check_file(write_scenario(data))
    # The second of the two is refused, naming the first and the letter that differs.
    second, first = items[1]["name"], items[0]["name"]
    letter = "CYRILLIC SMALL LETTER IE" if index else "LATIN SMALL LETTER E"
    assert [d.message for d in diagnostics if d.path == f"{section}[1].name"] == [
        f"the name {second!r} looks like {first!r} ({section}[0]): they differ only in "
        f"lookalike characters (U+{ord(second[1]):04X} {letter}); names must be unique"], \
        [d.text() for d in diagnostics]


def test_an_escape_typed_as_text_does_not_look_like_the_control(write_scenario) -> None:
    # Two options: one with ESC in its name, one with the four characters \x1b.
    path = write_scenario(named("Vendor \x1b", "Vendor \\x1b"))
    shown = {"table": visible, "csv": visible, "markdown": md_text}
    for fmt, escape in shown.items():
        proc = run_cli("compare", "--format", fmt, path)
        assert proc.returncode == 0, proc.stderr
        assert escape("Vendor \x1b") != escape("Vendor \\x1b")
        assert escape("Vendor \x1b") in proc.stdout
        assert escape("Vendor \\x1b") in proc.stdout
    assert visible("Vendor \x1b") == "Vendor \\x1b"
    assert visible("Vendor \\x1b") == "Vendor \\\\x1b"


def test_an_escape_typed_as_text_in_a_message(write_scenario) -> None:
    proc = run_cli("compare", write_scenario(named("Vendor \\x1b", "Other",
                                                   baseline="Vendor \x1b")))
    assert proc.returncode == 2
    # The name quoted by repr: the control as \x1b, the typed text as \\x1b; never doubled.
    assert "no option is named 'Vendor \\x1b'" in proc.stderr
    assert "the options are: Vendor \\\\x1b, Other" in proc.stderr


def test_file_name_with_an_escape_typed_as_text(tmp_path: Path) -> None:
    path = tmp_path / "a\\x1b.yaml"
    path.write_text("version: [", encoding="utf-8")
    proc = run_cli("validate", path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"{tmp_path}/a\\\\x1b.yaml:")


def test_the_table_is_generated_from_unicode_data() -> None:
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("confusables_tool",
                                                  ROOT / "tools" / "confusables.py")
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    sample = ("# confusables.txt\n# Date: 2020-02-13, 01:38:49 GMT\n# Version: 13.0.0\n\n"
              "0430 ;\t0061 ;\tMA\t# ( а → a ) CYRILLIC SMALL LETTER A\n"
              "2163 ;\t006C 0056 ;\tMA\t# ( Ⅳ → lV ) ROMAN NUMERAL FOUR\n")
    text = tool.module(sample)
    assert "version 13.0.0 of 2020-02-13" in text
    assert "Permission is hereby granted" in text  # Unicode's notice travels with the data
    namespace: dict[str, Any] = {}
    exec(text, namespace)
    assert namespace["PROTOTYPES"] == {"\u0430": "a", "\u2163": "lV"}


@pytest.mark.parametrize("command", ["compare", "mix"])
def test_markdown_diagnostics_quote_names_once(write_scenario, command: str) -> None:
    broken = write_scenario(named("Vendor \\x1b", "Other", baseline="Vendor \x1b"))
    proc = run_cli(command, "--format", "markdown", broken, write_scenario(name="ok.yaml"))
    assert proc.returncode == 2
    # repr quoted the names (ESC as \x1b, the typed text as \\x1b), and no second
    # escape doubles them: compare writes Markdown text (its backslashes escaped), mix a
    # code span (as they are).
    message = "no option is named 'Vendor \\x1b' (did you mean 'Vendor \\\\x1b'?)"
    shown = md_text(message, shown=True) if command == "compare" else message
    assert shown in proc.stdout


def test_a_reference_to_a_lookalike_says_what_differs(write_scenario) -> None:
    path = write_scenario(named("KPO Indi\u0430", "Other", baseline="KPO India"))
    _, diagnostics = api.check_file(path)
    assert [d.message for d in diagnostics] == [
        "no option is named 'KPO India' (did you mean 'KPO Indi\u0430', spelt with U+0430 "
        "CYRILLIC SMALL LETTER A?); the options are: KPO Indi\u0430, Other"]
