"""Messages that say what is wrong with a value *and how to fix it*.

Pydantic's messages are written for programmers ("Input should be less than
or equal to 1"); these are written for the analyst who wrote the file: a rate
written as a percentage gets "did you mean 0.3?", an unknown key the closest
known one, a choice the allowed values. Imported only when a file has errors.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from kpo_calc.diagnostics import Diagnostic
from kpo_calc.distributions import SPELLINGS, is_distribution
from kpo_calc.loader import Document, PathKey, core_tag
from kpo_calc.scenario import (
    FORMAT_VERSION,
    did_you_mean,
    field_at,
    is_sampleable,
    number_hint,
    structural_message,
)


def error_diagnostic(doc: Document, error: ErrorDetails, path: PathKey,
                model: type[BaseModel] | None) -> Diagnostic:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(path[-1])
        return doc.diagnostic(path, _unknown_key(key, model), at_key=True)
    if kind == "missing":
        key = str(path[-1])
        parent = path[:-1]
        return doc.diagnostic(parent, f"missing required key {key!r}"
                              f"{_field_hint(model, key)}", at_key=True)
    if kind == "union_tag_not_found":
        tag = str(ctx.get("discriminator", "")).strip("'")
        return doc.diagnostic(path, f"missing required key {tag!r} ({_tag_choices(tag)})",
                              at_key=True)
    if kind == "union_tag_invalid":
        tag = str(ctx.get("discriminator", "")).strip("'")
        got = str(ctx.get("tag"))
        choices = _tag_choices(tag).split(", ")
        return doc.diagnostic((*path, tag), f"must be one of {', '.join(choices)}; got "
                              f"{got!r}{did_you_mean(got, choices)}")
    base = doc.data.get("currency") if isinstance(doc.data, dict) else None
    return doc.diagnostic(path, _value_message(kind, value, ctx, str(error["msg"]), path,
                                               path in doc.quoted, base, doc.data))


def _value_message(kind: str, value: Any, ctx: dict[str, Any], default: str,
                   path: PathKey, quoted: bool = False, base: Any = None,
                   data: Any = None) -> str:
    got = _shown(value)
    if kind in _NUMBER_TYPES and is_distribution(value):
        field = field_at(path, data)
        said = structural_message(*field) if field is not None else None
        if said is not None:  # a distribution where the plan's structure is set
            return said
    if kind in ("less_than_equal", "less_than", "greater_than_equal", "greater_than"):
        text = _bound_message(kind, value, ctx)
        if len(path) == 2 and path[0] == "fx" and kind == "less_than_equal":
            unit = base if isinstance(base, str) and base else "scenario-currency unit"
            text += (f"; fx.{path[1]} is {unit} per 1 {path[1]}: did you write {path[1]} "
                     f"per {unit}?")
        return text
    if kind in _NUMBER_TYPES:
        if isinstance(value, float) and kind.startswith("int"):
            return f"must be a whole number, got {got}"
        if isinstance(value, str):
            hint = ""
            if quoted and core_tag(value.strip()) in (_INT_TAG, _FLOAT_TAG):
                hint = "; write it without quotes"
            elif number_hint(value):
                hint = f"; {number_hint(value)}"
            elif _sampleable(path, data):
                hint = f"; or write a distribution: {SPELLINGS}"
            return f"must be a number, got the text {value!r}{hint}"
        return f"must be a {'whole number' if kind.startswith('int') else 'number'}, got {got}"
    if kind == "literal_error":
        expected = [e.strip().strip("'") for e in
                    str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        if path and path[-1] == "version":
            return f"unsupported format version {got}; this kpo-calc reads version " \
                   f"{FORMAT_VERSION}"
        return (f"must be one of {', '.join(expected)}; got {got}"
                f"{did_you_mean(str(value), expected)}")
    if kind == "string_pattern_mismatch":
        return f"must be a three-letter ISO 4217 currency code in capitals, such as USD; got {got}"
    if kind in ("string_type",):
        return f"must be text, got {got}; put it in quotes"
    if kind in ("string_too_short",):
        return "must not be empty"
    if kind in ("string_too_long",):
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "bool_type":
        meant = _YAML11_BOOLS.get(value.lower()) if isinstance(value, str) else None
        hint = (f"; write {meant} (YAML 1.2, which kpo-calc reads, has only true and false)"
                if meant else "")
        return f"must be true or false, got {got}{hint}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be a mapping of keys and values, got {kind_of(value)}"
    if kind == "list_type":
        return f"must be a list (items starting with '- '), got {kind_of(value)}"
    if kind == "too_short":
        need = ctx.get("min_length")
        what = str(path[-1]) if path else "items"
        return f"needs at least {need} {what}, got {ctx.get('actual_length')}"
    if kind == "too_long":
        what = str(path[-1]) if path else "items"
        got_count = ctx.get("actual_length")
        if got_count is None and isinstance(value, dict | list):
            got_count = len(value)  # pydantic gives no length for a mapping
        if what == "assign":
            return (f"has {got_count} entries; at most {ctx.get('max_length')} are allowed "
                    "(one per work item)")
        what = _LISTS.get(what, what)
        has = f"has {got_count} {what}; " if got_count is not None else ""
        return (f"{has}at most {ctx.get('max_length')} are allowed, which keeps every run "
                "within seconds (see Limits and bounds in docs/methodology.md); split the "
                "scenario into several files")
    if kind == "finite_number":
        return "must be a finite number"
    return default[0].lower() + default[1:] if default else kind


_NUMBER_TYPES = ("float_type", "int_type", "int_from_float", "float_parsing", "int_parsing")


def _sampleable(path: PathKey, data: Any) -> bool:
    field = field_at(path, data)
    return field is not None and is_sampleable(*field)


def _bound_message(kind: str, value: Any, ctx: dict[str, Any]) -> str:
    words = {"less_than_equal": ("le", "at most"), "less_than": ("lt", "less than"),
             "greater_than_equal": ("ge", "at least"), "greater_than": ("gt", "more than")}
    key, phrase = words[kind]
    bound = ctx.get(key)
    text = f"must be {phrase} {_shown(bound)}, got {_shown(value)}"
    if key in ("le", "lt") and bound is not None and float(bound) >= 1e6:
        text += " (a sanity bound: see Limits and bounds in docs/methodology.md)"
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    # A rate written as a percentage: 30 where 0.30 was meant.
    if is_number and key in ("le", "lt") and _is(bound, 1.0) and 2 <= abs(value) <= 100:
        text += f" (rates are fractions); did you mean {_shown(round(value / 100, 6))}?"
    if is_number and key in ("ge", "gt") and _is(bound, -1.0) and -100 <= value <= -2:
        text += f" (changes are fractions); did you mean {_shown(round(value / 100, 6))}?"
    return text


def _is(bound: Any, value: float) -> bool:
    return bound is not None and float(bound) == value


def _unknown_key(key: str, model: type[BaseModel] | None) -> str:
    if model is None:
        return f"unknown key {key!r}"
    allowed = list(model.model_fields)
    text = f"unknown key {key!r}"
    suggestion = did_you_mean(key, allowed)
    if suggestion:
        return text + suggestion
    elsewhere = _belongs_to_sibling(key, model)
    if elsewhere:
        return f"{text}: it belongs to {elsewhere}, not here"
    return f"{text}; allowed keys here: {', '.join(allowed)}"


def _belongs_to_sibling(key: str, model: type[BaseModel]) -> str:
    from kpo_calc.scenario import (
        ContractorOption,
        InHouseOption,
        OneOffWork,
        OutsourcedOption,
        RecurringWork,
    )

    options: list[tuple[type[BaseModel], list[str]]] = [
        (InHouseOption, ["in_house"]), (OutsourcedOption, ["kpo", "bpo"]),
        (ContractorOption, ["contractor"])]
    if model in (RecurringWork, OneOffWork):
        other = OneOffWork if model is RecurringWork else RecurringWork
        return ("one_off work" if other is OneOffWork else "recurring work") \
            if key in other.model_fields else ""
    kinds = [k for cls, names in options if cls is not model and key in cls.model_fields
             for k in names]
    if model not in (c for c, _ in options) or not kinds:
        return ""
    if kinds == ["kpo", "bpo"]:
        return "kpo and bpo options"
    return (", ".join(kinds[:-1]) + " or " + kinds[-1] if len(kinds) > 1 else kinds[0]) \
        + " options"


def _field_hint(model: type[BaseModel] | None, key: str) -> str:
    if model is None or key not in model.model_fields:
        return ""
    description = model.model_fields[key].description
    examples = model.model_fields[key].examples
    hint = f": {description}" if description else ""
    if examples and not isinstance(examples[0], dict | list):
        hint += f" For example `{key}: {_yaml_scalar(examples[0])}`."
    return hint


def _tag_choices(tag: str) -> str:
    return {"model": "in_house, kpo, bpo", "kind": "recurring, one_off"}.get(tag, "")


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"the number {value!r}"


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**16:
        return f"{float(value):.6g}"  # a 40-digit literal is not worth printing in full
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return kind_of(value)
    return str(value)


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_LISTS = {"stress": "stress tests", "work": "work items", "fx": "exchange rates"}
_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
#: YAML 1.1 booleans, which are text in YAML 1.2
_YAML11_BOOLS = {word: meant for words, meant in (("y yes on", "true"), ("n no off", "false"))
                 for word in words.split()}
