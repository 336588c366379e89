"""``mix --format json`` (design section 7): the search's result, plans shaped as compare's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kpo_calc.engine.mixing import MixResult, RankedPlan
from kpo_calc.outcome import MixOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.json_format import cents, envelope, option_dict, recommendation_dict
from kpo_calc.textsafe import json_text


def render(outcomes: Sequence[MixOutcome], options: RenderOptions) -> str:
    """One JSON document of one shape whatever the number of files: ``{"mixes": [...]}``,
    one entry per computed file (as compare's ``scenarios``), broken files under ``errors``."""
    return json_text(document(outcomes))


def document(outcomes: Sequence[MixOutcome]) -> dict[str, Any]:
    """The JSON document as Python data."""
    return envelope("mixes", [mix_dict(o.file, o.result, o) for o in outcomes
                              if o.result is not None], outcomes)


def ranked_dict(p: RankedPlan) -> dict[str, Any]:
    """A finalist: a compare alternative plus its rank and threshold."""
    return {**option_dict(p.result), "rank": p.rank, "clears_threshold": p.clears,
            "required_savings": cents(p.required_savings), "same_as": p.same_as}


def mix_dict(file: str, r: MixResult, outcome: MixOutcome | None = None) -> dict[str, Any]:
    """One scenario's search."""
    doc: dict[str, Any] = {
        "file": file,
        "scenario": r.name,
        "currency": r.currency,
        "metric": r.metric,
        "min_savings": r.min_savings,
        "baseline": option_dict(r.baseline),
        "best": None if r.best is None else ranked_dict(r.best),
        "cheapest": None if r.cheapest is None else ranked_dict(r.cheapest),
        "top": [ranked_dict(p) for p in r.top],
        "best_single_option": (None if r.best_single_option is None
                               else option_dict(r.best_single_option)),
        "recommendation": recommendation_dict(r.recommendation),
        # No timing: the same input gives byte-identical output (``--timing`` prints it
        # on stderr).
        "search": {"candidates": r.candidates, "exact": r.exact},
    }
    if outcome is not None and outcome.robust is not None:
        from kpo_calc.render.robust_words import robust_dict

        doc["robust"] = robust_dict(outcome.robust)
    if outcome is not None and outcome.expect is not None:
        doc["gates"] = [{"name": "expect", "passed": bool(outcome.expect_passed),
                         "message": expect_message(outcome)}]
    return doc


def expect_message(o: MixOutcome) -> str:
    """What ``--expect`` asked and what the search found."""
    assert o.result is not None
    picked = o.result.recommendation.option if o.robust is None else o.robust.best
    verb = "has" if o.expect_passed else "does not have"
    which = "best plan" if o.robust is None else "robust plan"
    return f"the {which} ({picked}) {verb} the assignment of {o.expect}"


def work_items(r: MixResult) -> list[str]:
    """The work items of the ranked plans, in file order: the columns of the matrix."""
    return list(dict.fromkeys(w for p in r.top for w in p.result.assign))

