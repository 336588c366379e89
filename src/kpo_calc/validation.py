"""Turn a parsed document into a :class:`Scenario`, or into precise, helpful diagnostics.

Pydantic reports problems by path; this module maps each path back to the
line and column the loader recorded, and rewrites the message so that it says
what is wrong *and how to fix it* (did-you-mean for keys and names, the
fraction for a rate written as a percentage, the allowed values of a choice).
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kpo_calc.advice import advise
from kpo_calc.diagnostics import Diagnostic, InputError, capped, sort_diagnostics
from kpo_calc.loader import Document, PathKey
from kpo_calc.scenario import FORMAT_VERSION, Scenario, did_you_mean, personnel_base_issues


def load_scenario(doc: Document) -> Scenario:
    """Validate ``doc``; raise :class:`InputError` with every error found."""
    scenario, diagnostics = check_document(doc)
    if scenario is None:
        raise InputError([d for d in diagnostics if d.severity == "error"])
    return scenario


def check_document(doc: Document) -> tuple[Scenario | None, list[Diagnostic]]:
    """Validate ``doc``: the scenario (None if there is any error) and every diagnostic.

    Every problem is reported at once: field problems, and the checks across fields
    on whatever parsed (a compiler's later pass, run on the valid parts); warnings
    once there are no errors.
    """
    problems = list(doc.problems)
    if not isinstance(doc.data, dict):
        from kpo_calc.messages import kind_of

        problems.append(doc.diagnostic((), "the top level must be a mapping of keys such as "
                                       "version, name, currency, work and options, not "
                                       f"{kind_of(doc.data)}"))
        return None, sort_diagnostics(problems)
    version = doc.data.get("version")
    if version is not None and version != FORMAT_VERSION and not isinstance(version, bool):
        problems.append(doc.diagnostic(("version",), f"unsupported format version {version!r}; "
                                       f"this kpo-calc reads version {FORMAT_VERSION}"))
        return None, sort_diagnostics(problems)
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems += _diagnostics(doc, errors)
        if not any(e["type"] == "scenario_checks" for e in errors):
            problems += _later_stage(doc, errors)
        return None, capped(sort_diagnostics(dict.fromkeys(problems)))
    # Warnings on data the loader already misread (a duplicate key, 5,000,000 in
    # a flow mapping) would only mislead: they wait until the errors are fixed.
    warnings = [] if problems else [
        _warning(doc.diagnostic(path, message))
        for path, message in [*advise(scenario), *personnel_base_issues(scenario)]]
    return (None if problems else scenario), capped(sort_diagnostics([*problems, *warnings]))


def _later_stage(doc: Document, errors: list[ErrorDetails]) -> list[Diagnostic]:
    """The checks across fields, on the parts of ``doc`` that are valid (see crosscheck),
    so that a file's problems are all reported in one run."""
    from kpo_calc.crosscheck import staged_issues

    bad = [*(_resolve(doc.data, tuple(e["loc"]))[0] for e in errors), *doc.bad_paths]
    return [doc.diagnostic(path, message) for path, message in staged_issues(doc.data, bad)]


def _warning(d: Diagnostic) -> Diagnostic:
    return Diagnostic(d.file, d.line, d.column, d.message, d.path, "warning")


def _diagnostics(doc: Document, errors: list[ErrorDetails]) -> list[Diagnostic]:
    from kpo_calc.messages import error_diagnostic

    out: list[Diagnostic] = []
    misspelt = _misspelt_required_keys(doc, errors)
    for error in errors:
        if error["type"] == "scenario_checks":
            ctx = error.get("ctx") or {}
            out += [doc.diagnostic(path, message) for path, message in ctx["issues"]]
            continue
        path, models = _resolve(doc.data, tuple(error["loc"]))
        if any(_related(path, bad) for bad in doc.bad_paths):
            continue  # a consequence of a value the loader already reported (bad tag, NaN)
        if error["type"] == "missing" and path in misspelt:
            continue  # the unknown key's "did you mean" already says it
        out.append(error_diagnostic(doc, error, path, models))
    return out


def _related(path: PathKey, bad: PathKey) -> bool:
    """Is ``path`` the bad value, inside it, or a mapping holding it (whose checks saw None)?"""
    if path[: len(bad)] == bad:
        return True
    return bool(path) and bad[: len(path)] == path


def _misspelt_required_keys(doc: Document, errors: list[ErrorDetails]) -> set[PathKey]:
    """Paths of missing keys that an unknown key next to them probably meant."""
    missing: dict[PathKey, list[str]] = {}
    for error in errors:
        if error["type"] == "missing":
            path, _ = _resolve(doc.data, tuple(error["loc"]))
            missing.setdefault(path[:-1], []).append(str(path[-1]))
    found: set[PathKey] = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            path, _ = _resolve(doc.data, tuple(error["loc"]))
            close = did_you_mean(str(path[-1]), missing.get(path[:-1], []))
            for key in missing.get(path[:-1], []):
                if close == f"; did you mean {key!r}?":
                    found.add((*path[:-1], key))
    return found


def _resolve(data: Any, loc: tuple[int | str, ...]) -> tuple[PathKey, type[BaseModel] | None]:
    """Map a pydantic location to a data path, and find the model that owns its last key.

    Pydantic inserts the tag of a discriminated union into the location
    (``options.1.kpo.hourly_rate``); those parts are not in the data.
    """
    path: list[str | int] = []
    node: Any = data
    current: Any = Scenario
    model: type[BaseModel] | None = Scenario
    for part in loc:
        if isinstance(node, dict) and part in node:
            model = _as_model(current)
            current = _field_type(current, part)
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            current = _item_type(current)
            node = node[part]
            path.append(part)
        elif isinstance(node, dict):
            tagged = _union_member(current, part)
            if tagged is not None:
                current = tagged
                continue
            model = _as_model(current)
            path.append(part)  # a missing or extra key: the path ends here
            node = None
    return tuple(path), model


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _as_model(tp: Any) -> type[BaseModel] | None:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for member in _members(tp):
        if isinstance(member, type) and issubclass(member, BaseModel):
            return member
    return None


def _members(tp: Any) -> tuple[Any, ...]:
    tp = _unwrap(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return tuple(_unwrap(a) for a in typing.get_args(tp))
    return (tp,)


def _field_type(tp: Any, key: str | int) -> Any:
    model = _as_model(tp)
    if model is None or not isinstance(key, str) or key not in model.model_fields:
        return _item_type(tp) if _is_mapping(tp) else None
    return model.model_fields[key].annotation


def _is_mapping(tp: Any) -> bool:
    return any(typing.get_origin(m) is dict for m in _members(tp))


def _item_type(tp: Any) -> Any:
    for member in _members(tp):
        if typing.get_origin(member) in (list, dict):
            return typing.get_args(member)[-1]
    return None


def _union_member(tp: Any, tag: str | int) -> Any:
    if not isinstance(tag, str):
        return None
    for member in _members(tp):
        if isinstance(member, type) and issubclass(member, BaseModel):
            for discriminator in ("model", "kind"):
                field = member.model_fields.get(discriminator)
                if field is not None and tag in typing.get_args(_unwrap(field.annotation)):
                    return member
    return None
