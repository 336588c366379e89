"""The indented JSON writer equals ``json.dumps(indent=2, ensure_ascii=False)`` byte for byte,
and ``json_text`` equals that text with its unsafe characters escaped."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kpo_calc.textsafe import _JSON_UNSAFE, indented_json, json_text

LEAVES = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
          | st.text())
KEYS = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
#: Lists of floats take a short path (the monthly figures of a report), so they are drawn
#: often, with NaN and infinities among them; text draws the characters json_text escapes.
FLOATS = st.lists(st.floats(allow_nan=True), min_size=1, max_size=6)
TEXT = st.text(st.characters(codec=None) | st.sampled_from("#[\x7f\x85\u202e\ud800\u2028"))
DOCS = st.recursive(LEAVES | FLOATS | TEXT, lambda inner: st.lists(inner, max_size=5)
                    | st.tuples(inner, inner)
                    | st.dictionaries(KEYS | TEXT, inner, max_size=5), max_leaves=40)


@settings(max_examples=300)
@given(DOCS)
def test_the_writer_equals_the_standard_library(doc: Any) -> None:
    assert indented_json(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


@settings(max_examples=300)
@given(DOCS)
def test_json_text_is_the_standard_text_made_safe(doc: Any) -> None:
    plain = json.dumps(doc, indent=2, ensure_ascii=False).replace("##[", "#\\u0023[")
    expected = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", plain) + "\n"
    assert json_text(doc) == expected


def test_special_floats_and_subclasses_are_written_as_json_writes_them() -> None:
    class Amount(float):
        pass

    class Count(int):
        pass

    doc = {"a": [1.5, float("nan"), float("inf"), -float("inf")], "b": [Amount(2.5), 1.0],
           "c": [1.0, True, None, "x"], 1.5: Count(3), True: (Amount(0.1),), None: {}}
    assert indented_json(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


def test_the_writer_refuses_what_json_refuses() -> None:
    import pytest

    with pytest.raises(TypeError, match="not JSON serializable"):
        indented_json({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys must be"):
        indented_json({(1, 2): 3})


def test_a_part_written_ahead_is_placed_as_it_would_be_written() -> None:
    import pytest

    from kpo_calc.textsafe import json_part

    entry = {"name": "KPO ##[x] \u202e", "lines": [1.5, -0.0, 3.25], "nested": {"a": []}}
    whole = {"schema_version": 1, "scenarios": [entry, entry], "errors": []}
    ahead = {**whole, "scenarios": [json_part(entry, "\n    "), entry]}
    assert json_text(ahead) == json_text(whole)
    with pytest.raises(ValueError, match="another depth"):  # written for another place
        json_text({"scenarios": json_part(entry, "\n    ")})
