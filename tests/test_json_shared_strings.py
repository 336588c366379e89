"""The JSON writer keeps the string literals it made for the whole process (issue 13,
item 22: a batch writes each file's part on its own): the same text, bounded memory."""

from __future__ import annotations

import json

import pytest

from kpo_calc import textsafe


def test_literals_made_for_one_document_serve_the_next_exactly() -> None:
    hostile = ["KPO \u202eaidnI", "tab\there", "##[error]x", "\ud800 lone", "plain"]
    first = textsafe.json_text({"names": hostile})
    assert all(name in textsafe._SAFE_STRINGS for name in hostile)
    again = textsafe.json_text({"names": hostile})  # read from the kept literals
    assert again == first
    assert json.loads(first)["names"] == hostile
    assert "\\u202e" in first
    assert "#\\u0023[" in first
    part = textsafe.json_part({"names": hostile}, "\n    ")
    assert part.text == textsafe.json_part({"names": hostile}, "\n    ").text


def test_the_kept_literals_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textsafe, "SAFE_STRINGS_KEPT", 10)
    textsafe.json_text([f"name {i}" for i in range(50)])
    assert len(textsafe._SAFE_STRINGS) >= 50  # one document keeps what it makes
    assert textsafe.json_text(["x"]) == '[\n  "x"\n]\n'
    assert len(textsafe._SAFE_STRINGS) == 1  # the next one starts afresh


def test_the_document_written_in_pieces_is_the_text_written_whole() -> None:
    # json_text joins the top object and its lists once (a batch's document is megabytes):
    # the same text as the writer's nested joins, whatever the values.
    nan, inf = float("nan"), float("inf")
    entry = {"name": "x", "monthly": [1.5, 2.25], "nested": {"k": [nan, -inf]}}
    docs = [
        {"schema_version": 1, "scenarios": [textsafe.json_part(entry, "\n    "), entry],
         "errors": [], "warnings": [{"file": "a\tb"}]},
        {"a": [1.0, nan, 2], "b": {"c": [], "d": {}, "e": [{"x": inf}, "s", None, True]},
         3: "int key", None: 0.5, 1.5: [True], "t": ("t", 1)},
        [], {}, [1.0, "x"], "plain", 3.5, [[[]]], {"k": [1.5, "mixed"]}, {"k": -inf},
    ]
    for doc in docs:
        whole = textsafe._JsonWriter(textsafe._safe_json_string).write(doc, "\n") + "\n"
        assert textsafe.json_text(doc) == whole
    assert json.loads(textsafe.json_text(docs[0]))["scenarios"][0]["name"] == "x"
