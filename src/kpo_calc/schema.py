"""The JSON Schema of the scenario format, generated from the pydantic models.

Editors (through ``# yaml-language-server: $schema=...``) and external
validators read it, so it keeps to keywords that draft-07 tools understand:
definitions live under ``definitions`` rather than 2019-09's ``$defs``.
Checks that involve several fields (names that refer to options, currencies
that need an ``fx`` entry, months within the horizon) cannot be written in
draft-07 and are only made by ``kpo-calc validate``.
"""

from __future__ import annotations

import json
from typing import Any

from kpo_calc.scenario import Scenario

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_ID = "urn:kpo-calc:schema:scenario:1"


def scenario_schema() -> dict[str, Any]:
    """The schema as Python data."""
    schema = _without_openapi(Scenario.model_json_schema(ref_template="#/definitions/{model}"))
    definitions = schema.pop("$defs", {})
    return {
        "$schema": DRAFT_07,
        "$id": SCHEMA_ID,
        **schema,
        "definitions": definitions,
    }


def _without_openapi(node: Any) -> Any:
    """Drop pydantic's OpenAPI ``discriminator`` hints; ``oneOf`` already says it all."""
    if isinstance(node, dict):
        return {k: _without_openapi(v) for k, v in node.items() if k != "discriminator"}
    if isinstance(node, list):
        return [_without_openapi(v) for v in node]
    return node


def scenario_schema_json() -> str:
    """The schema as stable, indented JSON text."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
