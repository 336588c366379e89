"""The indented JSON writer equals ``json.dumps(indent=2, ensure_ascii=False)`` byte for byte."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kpo_calc.textsafe import indented_json

LEAVES = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
          | st.text())
KEYS = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
DOCS = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=5)
                    | st.dictionaries(KEYS, inner, max_size=5), max_leaves=40)


@settings(max_examples=300)
@given(DOCS)
def test_the_writer_equals_the_standard_library(doc: Any) -> None:
    assert indented_json(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


def test_the_writer_refuses_what_json_refuses() -> None:
    import pytest

    with pytest.raises(TypeError, match="not JSON serializable"):
        indented_json({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys must be"):
        indented_json({(1, 2): 3})
