"""The scenario file format, version 1, as pydantic models.

These models are the single source of truth for the format: validation,
the JSON Schema (``kpo-calc schema``) and the field documentation all come
from them. Every model forbids unknown keys and is strict (a quoted "95000"
is text, not a number), so that a typo never silently changes a decision.

Checks that involve several fields (names that refer to other parts of the
file, currencies, months within the horizon) run in ``Scenario``'s
validator and report each problem with the path of the field to fix.
"""

import functools
import math
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PrivateAttr,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from kpo_calc.distributions import (
    _INTERVAL,
    Distribution,
    DistributionError,
    impossible_pair,
    is_distribution,
    parse,
)
from kpo_calc.lookalike import describe, differences, fillers, skeleton
from kpo_calc.paths import Location, field_path, join, numbers
from kpo_calc.textsafe import visible

FORMAT_VERSION = 1

Specialization = Literal["low", "medium", "high"]
SPECIALIZATION_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}
Metric = Literal["npv", "total", "risk_adjusted_npv"]
CRITERIA = ("control", "ip_security", "quality", "communication")

#: A problem found by a cross-field check: the path of the field to fix, and what is wrong.
Issue = tuple[tuple[str | int, ...], str]

# Bounds on every input (docs/methodology.md, "Limits and bounds"): generous for
# any real scenario in any currency, and small enough that no product of inputs
# the engine forms can overflow a float, so every result is finite.
MAX_AMOUNT = 1e12  # one money amount (a salary, a fee, a cost) in its currency
MAX_IMPACT = 1e13  # the loss of one risk
MAX_TOTAL = 1e15  # a budget for a whole horizon (years of a team, in VND or IDR too)
MAX_RATE = 1e7  # an hourly rate (1e7 VND is about 400 USD)
MAX_HOURS = 1e7  # hours or FTE of one work item
MAX_FX = 1e6  # scenario-currency units per unit of a foreign currency
MIN_FX = 1e-9  # the widest real pair (KWD base, VND foreign) is about 1e-5
MAX_WITHHOLDING = 0.6  # statutory withholding on services is at most about 40%
MAX_WEIGHT = 1000.0
# How many items a scenario may list: the run costs options x (1 + stress tests).
MAX_OPTIONS = 50
MAX_WORK = 200
MAX_STRESS = 50
MAX_RISKS = 50
MAX_GATES = 50
MAX_FX_ENTRIES = 200
MAX_PLANS = 50



# --- Uncertain inputs (design section 3) ------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    """The values a sampleable field allows: ``low`` to ``high``, each end open or closed."""

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False

    def below(self, x: float) -> bool:
        """Is ``x`` below the range (an open end itself is below)?"""
        return x <= self.low if self.low_open else x < self.low

    def above(self, x: float) -> bool:
        """Is ``x`` above the range (an open end itself is above)?"""
        return x >= self.high if self.high_open else x > self.high

    def clip(self, x: float) -> float:
        """``x`` moved into the closed range ``[low, high]`` (what the sampler does with a
        draw beyond it; an open end is then approached, never a problem for the engine,
        whose open ends only keep a rate or an amount from being exactly 0)."""
        return min(max(x, self.low), self.high)


class Uncertain(float):
    """A sampleable input written as a distribution.

    As a float it *is* the distribution's mean, so the engine and ``compare`` read it
    like any number (``float(x)`` is the mean); ``simulate`` samples ``distribution``
    and clips each draw to ``bounds``, the field's range. Equality and hashing are the
    float's: two inputs with one mean compare equal, as they cost the same at the means.
    """

    __slots__ = ("bounds", "distribution")
    distribution: Distribution
    bounds: Bounds

    def __new__(cls, distribution: Distribution, bounds: Bounds) -> "Uncertain":
        self = super().__new__(cls, distribution.mean)
        self.distribution = distribution
        self.bounds = bounds
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return Uncertain, (self.distribution, self.bounds)

    def describe(self) -> str:
        """The distribution as written (``80000 to 120000``, ``pert(1, 2, 4)``)."""
        return _shown_distribution(self.distribution)


def _distribution_error(problem: str) -> PydanticCustomError:
    return PydanticCustomError("distribution", "{problem}", {"problem": problem})


def _num(x: float) -> str:
    """A computed number in a message (a mean, a quantile): whole numbers in full (as the
    bound messages show them), others to 4 significant digits."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


def _written(x: float) -> str:
    """A number the file wrote, as short as it reads (never hundreds of digits)."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    text = repr(x)
    return text if len(text) <= 12 else f"{x:.6g}"


def _shown_distribution(d: Distribution) -> str:
    """``80000 to 120000`` or ``pert(1, 2, 4)``: what the file wrote."""
    if d.form == "interval":
        return f"{_written(d.written[0])} to {_written(d.written[1])}"
    return f"{d.form}({', '.join(_written(x) for x in d.written)})"


def _below_text(b: Bounds) -> str:
    if b.low_open:
        return f"but this field must be more than {_num(b.low)}"
    return f"below the smallest allowed value {_num(b.low)} for this field"


def _above_text(b: Bounds) -> str:
    if b.high_open:
        return f"but this field must be less than {_num(b.high)}"
    return f"above the largest allowed value {_num(b.high)} for this field"


def _goes_below(b: Bounds) -> str:
    if b.low_open:
        return f"goes down to {_num(b.low)} or below, but this field must be more than " \
               f"{_num(b.low)}"
    return f"goes below the smallest allowed value {_num(b.low)} for this field"


def _goes_above(b: Bounds) -> str:
    if b.high_open:
        return f"goes up to {_num(b.high)} or above, but this field must be less than " \
               f"{_num(b.high)}"
    return f"goes above the largest allowed value {_num(b.high)} for this field"


#: Distributions that can take any value (their draws beyond a field's range are clipped).
_UNBOUNDED = ("lognormal", "normal")


def distribution_problem(d: Distribution, bounds: Bounds) -> str | None:
    """Why ``d`` does not fit a field whose values lie within ``bounds``, or None.

    The rule (docs/methodology.md, "Uncertain inputs"): a bounded distribution
    (triangular, pert, uniform, and any of width 0) must lie within the bounds; an
    unbounded one (a 90% interval, lognormal or normal, and normal) must have its mean
    and its 90% interval (quantiles 0.05 and 0.95) within them, and the sampler clips
    the draws beyond them (at most about 5% at each end).
    """
    if not all(math.isfinite(x) for x in d.written):
        return ("a number of this distribution is too large to be a float (above about "
                "1.8e308); write the amount meant")
    shown = _shown_distribution(d)
    try:
        if d.kind == "pert" and not d.degenerate:
            # Its quantiles (a bisection of the beta cdf: 0.5 ms each) are read below only
            # for being finite; they lie in (min, max], so they are when max − min is.
            mean, q05, q95 = d.mean, 0.0, d.params[2] - d.params[0]
        else:
            mean, q05, q95 = d.mean, d.quantile(0.05), d.quantile(0.95)
    except (OverflowError, ValueError, ZeroDivisionError):
        mean = q05 = q95 = math.nan
    if not all(math.isfinite(x) for x in (mean, q05, q95)):
        return f"{shown} is too wide to have a finite mean; narrow it"
    if d.degenerate:
        value = d.written[0]
        if bounds.below(value):
            return f"{shown} is always {_num(value)}, {_below_text(bounds)}"
        if bounds.above(value):
            return f"{shown} is always {_num(value)}, {_above_text(bounds)}"
        return None
    if d.kind not in _UNBOUNDED:
        low, high = d.support
        if bounds.below(low):
            return f"{shown} goes down to {_num(low)}, {_below_text(bounds)}; raise its minimum"
        if bounds.above(high):
            return f"{shown} goes up to {_num(high)}, {_above_text(bounds)}; lower its maximum"
        return None
    interval = (f"the 90% interval {shown}" if d.form == "interval" else
                f"the 90% interval of {shown}, {_num(q05)} to {_num(q95)},")
    clipped = " (draws beyond the field's range are clipped, so 90% of them must lie within it)"
    if bounds.below(q05):
        return f"{interval} {_goes_below(bounds)}; narrow it or move it up{clipped}"
    if bounds.above(q95):
        return f"{interval} {_goes_above(bounds)}; narrow it or move it down{clipped}"
    if bounds.above(mean):  # a very wide lognormal: its mean lies beyond its 95th percentile
        return f"the mean {_num(mean)} of {shown} is {_above_text(bounds)}; narrow it"
    return None  # (the mean of a normal or lognormal is never below its 5th percentile)


def uncertain(data: Any, bounds: Bounds) -> Uncertain:
    """Read ``data`` as a distribution for a field within ``bounds``; raise a
    ``PydanticCustomError`` that says what is wrong and how to fix it."""
    try:
        distribution = parse(data)
    except DistributionError as exc:
        raise _distribution_error(str(exc)) from None
    problem = distribution_problem(distribution, bounds)
    if problem is not None and isinstance(data, str) and problem.startswith("a number of"):
        problem = f"{data[:60]!r} holds a number too large to be a float (above about " \
                  "1.8e308); write the amount meant"
    if problem is not None:
        raise _distribution_error(problem)
    return Uncertain(distribution, bounds)


class DistributionInput:
    """The distribution spellings, for the JSON Schema only (``definitions.Distribution``)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.any_schema(
            ref="Distribution", metadata={"pydantic_js_functions": [cls._json_schema]})

    @staticmethod
    def _json_schema(_schema: CoreSchema, _handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        def numbers(form: str, count: int, shape: str) -> dict[str, Any]:
            return {"type": "object", "title": f"{form}: {shape}", "required": [form],
                    "additionalProperties": False,
                    "properties": {form: {"type": "array", "items": {"type": "number"},
                                          "minItems": count, "maxItems": count}}}

        return {
            "title": "Distribution",
            "description": "An uncertain input: a 90% interval ('80000 to 120000' or {low, "
            "high}; lognormal when both ends are positive, else normal), or a triangular, "
            "PERT, uniform or normal distribution. compare evaluates it at its mean; "
            "simulate samples it.",
            "anyOf": [
                {"type": "string", "title": "a 90% interval: 'low to high'",
                 "pattern": _INTERVAL.pattern},
                {"type": "object", "title": "a 90% interval: {low, high}",
                 "required": ["low", "high"], "additionalProperties": False,
                 "properties": {"low": {"type": "number"}, "high": {"type": "number"}}},
                numbers("triangular", 3, "[min, mode, max]"),
                numbers("pert", 3, "[min, mode, max]"),
                numbers("uniform", 2, "[min, max]"),
                numbers("normal", 2, "[mean, sd]"),
            ],
        }


@dataclass(frozen=True)
class Sampleable:
    """Field metadata: the number may instead be a distribution (design section 3).

    ``Annotated[float, Field(ge=0, le=1), Sampleable()]``: a plain number is validated
    as before (strict, with the field's constraints); a distribution (text with ``to``,
    or a mapping) is read with :func:`uncertain` against the field's bounds, taken from
    its constraints (``high`` overrides the upper one, for a field whose upper bound is
    checked by its own validator), and the value becomes an :class:`Uncertain`. The JSON
    Schema says ``anyOf: [the number, Distribution]``.
    """

    high: float | None = None

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        inner = handler(source)
        if inner.get("type") != "float":
            raise TypeError(f"Sampleable needs a float field, got {inner.get('type')}")
        found: dict[str, Any] = inner  # type: ignore[assignment]
        bounds = Bounds(
            low=float(found.get("gt", found.get("ge", -math.inf))),
            high=float(self.high if self.high is not None else
                       found.get("lt", found.get("le", math.inf))),
            low_open="gt" in found, high_open=self.high is None and "lt" in found)

        def check(value: Any, validate: ValidatorFunctionWrapHandler) -> Any:
            if isinstance(value, Uncertain):  # already read (a model validated again)
                validate(float(value))
                return value
            if isinstance(value, dict) or (isinstance(value, str) and is_distribution(value)):
                read = uncertain(value, bounds)
                validate(float(read))  # the field's own constraints, on the mean
                return read
            return validate(value)

        limits = {key: found[key] for key in ("ge", "gt", "le", "lt") if key in found}
        if self.high is not None:
            limits = {key: v for key, v in limits.items() if key in ("ge", "gt")}
            limits["le"] = self.high
        number = core_schema.float_schema(**limits)
        return core_schema.no_info_wrap_validator_function(
            check, inner, json_schema_input_schema=core_schema.union_schema(
                [number, handler.generate_schema(DistributionInput)]))


#: The marker of a sampleable field (one instance serves every field).
SAMPLEABLE = Sampleable()

# The numeric field types. Sampleable ones (Sampleable) take a distribution instead of
# a number; STRUCTURAL_FIELDS (at the end of this module) lists the numbers that cannot
# be uncertain, and why. The constraints stay here.
Money = Annotated[float, Field(ge=0, le=MAX_AMOUNT), SAMPLEABLE]
PositiveMoney = Annotated[float, Field(gt=0, le=MAX_AMOUNT), SAMPLEABLE]
Rate = Annotated[float, Field(gt=0, le=MAX_RATE), SAMPLEABLE]
Impact = Annotated[float, Field(ge=0, le=MAX_IMPACT), SAMPLEABLE]
Fraction = Annotated[float, Field(ge=0, le=1), SAMPLEABLE]
Growth = Annotated[float, Field(ge=-1, le=1), SAMPLEABLE]
Hours = Annotated[float, Field(gt=0, le=MAX_HOURS), SAMPLEABLE]
RateValue = Annotated[float, Field(ge=MIN_FX, le=MAX_FX), SAMPLEABLE]
Months = Annotated[float, Field(ge=0, le=120), SAMPLEABLE]
#: The structural twins: the same ranges, a number only.
FixedFraction = Annotated[float, Field(ge=0, le=1)]
FixedMonths = Annotated[float, Field(ge=0, le=120)]
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT)]
Month = Annotated[int, Field(ge=1, le=600)]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Score = Annotated[float, Field(ge=1, le=5)]
def _trimmed(name: str) -> str:
    if name != name.strip():
        raise PydanticCustomError(
            "name_spaces", "starts or ends with a space; remove it (names are shown and "
            "matched exactly, so {shown} would look like {trimmed})",
            {"shown": repr(name), "trimmed": repr(name.strip())})
    return name


_FILLER = ("contains {chars}, which prints as nothing or as a blank, so the name would "
           "look like another one; remove it")


def filler_problem(name: str) -> str | None:
    """Why ``name`` would print like another name (an invisible filler), or None."""
    hidden = fillers(name)
    if not hidden:
        return None
    return _FILLER.format(chars=" and ".join(dict.fromkeys(describe(c) for c in hidden)))


def normal_name(name: str) -> str:
    """A name as kpo-calc compares it: NFC. One name typed two ways (é as one character,
    or as e and a combining accent) is one name, and a reference matches it."""
    return unicodedata.normalize("NFC", name)


def _name(name: str) -> str:
    name = _trimmed(normal_name(name))
    if filler_problem(name) is not None:
        raise PydanticCustomError("name_filler", _FILLER, {"chars": " and ".join(
            dict.fromkeys(describe(c) for c in fillers(name)))})
    return name


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_name)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Risk(_Model):
    """A possible loss, costed as its expected value: probability × impact.

    Give annual_probability for a risk that runs while the option holds the
    work, or probability for one that exists once per engagement.
    """

    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"required": ["annual_probability"]}, {"required": ["probability"]}]})

    name: Name = Field(description="What could go wrong.", examples=["IP leakage"])
    annual_probability: Fraction | None = Field(
        default=None, description="Chance that it happens in a given year, as a fraction "
        "(0.02 = 2%); accrues monthly from the option's first to its last month with demand.",
        examples=[0.02])
    probability: Fraction | None = Field(
        default=None, description="Chance that it happens once in the engagement (a one-off "
        "exposure such as a migration), booked in the option's first month with demand "
        "(methodology 2).", examples=[0.05])
    impact: Impact = Field(
        description="Loss if it happens, in the scenario currency.", examples=[500000])

    @model_validator(mode="after")
    def _one_probability(self) -> Self:
        if (self.annual_probability is None) == (self.probability is None):
            raise PydanticCustomError(
                "risk_probability", "give exactly one of annual_probability (a yearly chance) "
                "or probability (a chance per engagement)")
        return self


#: The range of an exchange rate (``FxRate.rate``, whichever way it is written).
FX_BOUNDS = Bounds(MIN_FX, MAX_FX)


class FxRate(_Model):
    """An exchange rate that drifts: ``rate · (1 + drift)^floor((m-1)/12)`` in month m.

    A plain number is read as ``{rate: number, drift: 0}``: one model for both
    spellings, so a mistake gets one message at the right place instead of
    one per spelling that it failed to match.
    """

    @model_validator(mode="before")
    @classmethod
    def _plain_number(cls, data: Any) -> Any:
        # A distribution of the rate is read here first, so that its mistakes are
        # reported at fx.INR, where it is written (the rate field reads it again).
        if isinstance(data, dict) and not (is_distribution(data) and
                                           not data.keys() & {"rate", "drift"}):
            return data
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"rate": data}
        if isinstance(data, dict) or (isinstance(data, str) and is_distribution(data)):
            uncertain(data, FX_BOUNDS)
            return {"rate": data}
        shown = f"the text {data!r}" if isinstance(data, str) else repr(data)
        raise PydanticCustomError(
            "fx_rate", "must be a number (scenario-currency units per 1 unit), a "
            "distribution of it (such as '0.011 to 0.013') or {form}; got {shown}",
            {"form": "{rate: ..., drift: ...}", "shown": shown})

    rate: RateValue = Field(
        description="Scenario-currency units per one unit of the foreign currency, in year 1.",
        examples=[0.012])
    drift: Annotated[float, Field(ge=-0.9, le=1), SAMPLEABLE] = Field(
        default=0, description="Annual change of the rate, stepping once a year (-0.03: the "
        "foreign currency loses 3% a year against the scenario currency).", examples=[-0.03])


def _as_written(value: Any) -> Any:
    return value  # FxRate reads both spellings; this only tells the JSON Schema


#: An fx entry as editors see it: a number (``{rate: number, drift: 0}``), a
#: distribution of the rate (``{rate: distribution, drift: 0}``) or ``{rate, drift}``.
FxEntry = Annotated[FxRate, BeforeValidator(
    _as_written, json_schema_input_type=Annotated[float, Field(gt=0, le=MAX_FX)]
    | DistributionInput | FxRate)]


class Scores(_Model):
    """Qualitative scores from 1 (poor) to 5 (excellent), used by the weighted scorecard."""

    control: Score | None = Field(
        default=None, description="Control over who does the work and how.", examples=[5])
    ip_security: Score | None = Field(
        default=None, description="Protection of intellectual property and confidential data.",
        examples=[4])
    quality: Score | None = Field(
        default=None, description="Expected quality of the work.", examples=[4])
    communication: Score | None = Field(
        default=None, description="Ease of communication (law, language, culture, time zones).",
        examples=[3])


class Transition(_Model):
    """Knowledge transfer, set-up and parallel running when the work moves to a vendor."""

    cost: Money = Field(description="Total transition cost, in the scenario currency.",
                        examples=[40000])
    months: Month = Field(default=1, description="Months over which the cost is spread, "
                          "from month 1.", examples=[3])


class Weights(_Model):
    """Weights of the scorecard criteria; they are normalised to sum to 1."""

    cost: Weight = Field(default=0, description="Weight of cost (scored 5 for the "
                         "cheapest option, 1 for the dearest, linearly between).", examples=[0.5])
    control: Weight = Field(default=0, description="Weight of the control score.",
                            examples=[0.15])
    ip_security: Weight = Field(default=0, description="Weight of the IP security score.",
                                examples=[0.15])
    quality: Weight = Field(default=0, description="Weight of the quality score.",
                            examples=[0.1])
    communication: Weight = Field(default=0, description="Weight of the communication score.",
                                  examples=[0.1])

    def total(self) -> float:
        """Sum of all weights."""
        return self.cost + self.control + self.ip_security + self.quality + self.communication


# Fields that every kind of option has, described once.
OptionRisks = Annotated[list[Risk], Field(
    max_length=MAX_RISKS,
    description="Risks of this option, each costed at its expected loss.",
    examples=[[{"name": "IP leakage", "annual_probability": 0.02, "impact": 500000}]])]
OptionServes = Annotated[Annotated[list[Name], Field(min_length=1)] | None, Field(
    description="The work items this option may do (names from work); default all work "
    "within its max_specialization. Work outside it makes any alternative that gives it "
    "this option infeasible.",
    examples=[["Claims data entry"]])]
OptionScores = Annotated[Scores | None, Field(
    description="Scores from 1 to 5 for the weighted scorecard.",
    examples=[{"control": 3, "ip_security": 3, "quality": 4, "communication": 3}])]


MAX_OTHER_COSTS = 50


class OtherCost(_Model):
    """A named cost the model has no field for (methodology 3, point 7).

    Booked only while the option holds work in the alternative, from the first
    to the last month of its demand: a regulator's approval for material
    outsourcing, a data-transfer assessment, audit rights, handing work back.
    """

    name: Name = Field(description="What the cost is for.",
                       examples=["Regulator's approval for material outsourcing"])
    amount: Money = Field(description="The amount: once, a month or a year (see per), in "
                          "currency.", examples=[31000])
    per: Literal["once", "month", "year"] = Field(
        description="once (booked in month, default the option's first month with work), "
        "month or year (amount / 12 in each month with work, from from_month to to_month).",
        examples=["once"])
    month: Month | None = Field(
        default=None, description="For per: once, the month it is booked; default the "
        "option's first month with work in the alternative.", examples=[1])
    from_month: Month = Field(
        default=1, description="For month or year: first month it may be booked.",
        examples=[1])
    to_month: Month | None = Field(
        default=None, description="For month or year: last month it may be booked; default "
        "the horizon.", examples=[36])
    currency: CurrencyCode | None = Field(
        default=None, description="Currency of amount; default the scenario currency. Needs "
        "an fx entry.", examples=["USD"])
    escalation: Growth = Field(
        default=0, description="Annual increase of the amount, stepping once a year.",
        examples=[0.03])

    @model_validator(mode="after")
    def _months_fit_per(self) -> Self:
        if self.per == "once" and ("from_month" in self.model_fields_set
                                   or self.to_month is not None):
            raise PydanticCustomError(
                "other_cost_months", "from_month and to_month are for per: month or year; a "
                "cost booked once takes month (default: the option's first month with work)")
        if self.per != "once" and self.month is not None:
            raise PydanticCustomError(
                "other_cost_months", "month is for per: once; a cost per {per} takes "
                "from_month and to_month", {"per": self.per})
        return self


OptionOtherCosts = Annotated[list[OtherCost], Field(
    max_length=MAX_OTHER_COSTS,
    description="Named costs the model has no field for, booked while the option holds work "
    "in the alternative (lines other_one_time and other_recurring).",
    examples=[[{"name": "Regulator's approval", "amount": 31000, "per": "once"}]])]
OptionHoursPerFte = Annotated[Annotated[float, Field(ge=1, le=744), SAMPLEABLE] | None, Field(
    description="Productive hours of one full-time person a month for this option (shift "
    "teams, part-time markets); default the scenario's hours_per_fte_month.",
    examples=[160])]


class RecurringWork(_Model):
    """Work that repeats every month: give hours_per_month or fte."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"required": ["hours_per_month"]}, {"required": ["fte"]}]})

    name: Name = Field(description="What the work is.", examples=["Quarterly sector reports"])
    kind: Literal["recurring"] = Field(description="recurring or one_off.",
                                       examples=["recurring"])
    hours_per_month: Hours | None = Field(
        default=None, description="Hours of work a month (give this or fte).", examples=[640])
    fte: Hours | None = Field(
        default=None, description="Full-time equivalents a month, converted with "
        "hours_per_fte_month (give this or hours_per_month).", examples=[4.5])
    specialization: Specialization = Field(
        description="Knowledge intensity: low, medium or high.", examples=["high"])
    start_month: Month = Field(default=1, description="First month of the work.", examples=[1])
    end_month: Month | None = Field(
        default=None, description="Last month of the work; default horizon_months.",
        examples=[36])
    growth: Growth = Field(
        default=0, description="Annual volume growth as a fraction, stepping once a year "
        "(0.05 = 5% a year).", examples=[0.05])

    @model_validator(mode="after")
    def _one_volume(self) -> Self:
        if (self.hours_per_month is None) == (self.fte is None):
            raise PydanticCustomError(
                "volume", "give exactly one of hours_per_month or fte for recurring work")
        return self


class OneOffWork(_Model):
    """A project done once: total_hours spread evenly over duration_months."""

    name: Name = Field(description="What the work is.", examples=["Market-entry study"])
    kind: Literal["one_off"] = Field(description="recurring or one_off.", examples=["one_off"])
    total_hours: Hours = Field(description="Hours of work in the whole project.",
                               examples=[1200])
    specialization: Specialization = Field(
        description="Knowledge intensity: low, medium or high.", examples=["high"])
    start_month: Month = Field(default=1, description="First month of the project.",
                               examples=[6])
    duration_months: Month = Field(default=1, description="Months the project lasts.",
                                   examples=[4])

    @property
    def end_month(self) -> int:
        """Last month of the project."""
        return self.start_month + self.duration_months - 1


Work = Annotated[RecurringWork | OneOffWork, Field(discriminator="kind")]


# The fields that price hours, shared by vendors and contract staff.
HourlyRate = Annotated[Rate | None, Field(
    default=None, description="Price of one billed hour (give this or fte_monthly_rate).",
    examples=[2400])]
FteMonthlyRate = Annotated[PositiveMoney | None, Field(
    default=None, description="Price of one full-time person a month, i.e. of "
    "hours_per_fte_month hours (give this or hourly_rate).", examples=[336000])]
RateEscalation = Annotated[Growth, Field(
    default=0, description="Annual rate increase, stepping once a year.", examples=[0.05])]
Productivity = Annotated[float, Field(
    ge=0.01, le=2, default=1, description="Output per billed hour relative to in-house "
    "staff (0.9 = 10% more hours needed).", examples=[0.9]), SAMPLEABLE]
ReworkRate = Annotated[Fraction, Field(
    default=0, description="Extra hours billed for corrections, as a fraction.",
    examples=[0.05])]
#: A model priced by the hour must say how: by the hour or per person a month.
ONE_RATE = ConfigDict(json_schema_extra={"oneOf": [
    {"required": ["hourly_rate"]}, {"required": ["fte_monthly_rate"]}]})


def _one_rate(model: Any) -> None:
    if (model.hourly_rate is None) == (model.fte_monthly_rate is None):
        raise PydanticCustomError("rate", "give exactly one of hourly_rate or fte_monthly_rate")


class InHouseOption(_Model):
    """Hire and keep employees."""

    name: Name = Field(description="Unique name of the option.", examples=["In-house team"])
    model: Literal["in_house"] = Field(description="in_house, kpo, bpo or contractor.",
                                       examples=["in_house"])
    currency: CurrencyCode | None = Field(
        default=None, description="Currency of this option's pay amounts (salary, overhead, "
        "training, hiring); default the scenario currency. Needs an fx entry.",
        examples=["MYR"])
    annual_salary: PositiveMoney = Field(description="Annual salary of one full-time person.",
                                         examples=[95000])
    benefits_rate: Fraction = Field(
        description="Payroll taxes and benefits as a fraction of salary (BLS ECEC 2024, US "
        "private industry: 29.5% of compensation, i.e. about 0.42 of wages).", examples=[0.42])
    overhead_per_fte_year: Money = Field(
        default=0, description="Space, equipment and software per person a year.",
        examples=[12000])
    annual_training_per_fte: Money = Field(
        default=0, description="Continuing training per person a year.", examples=[2000])
    recruiting_cost_per_hire: Money = Field(
        default=0, description="Recruiting cost of one hire (SHRM: about 4,700 USD).",
        examples=[8000])
    training_cost_per_hire: Money = Field(
        default=0, description="Onboarding cost of one hire.", examples=[6000])
    time_to_hire_months: FixedMonths = Field(
        default=0, description="Months from deciding to hire to the first day (SHRM: about "
        "1.4).", examples=[3])
    ramp_up_months: Months = Field(
        default=0, description="Months until a new hire is fully productive (about 5 for "
        "professionals); half of this time's loaded pay is a hiring cost.", examples=[3])
    attrition_rate: Fraction = Field(
        default=0, description="Share of staff who leave in a year and are replaced.",
        examples=[0.12])
    severance_months: Months = Field(
        default=0, description="Months of salary paid to each person let go.", examples=[3])
    salary_growth: Growth = Field(
        default=0, description="Annual pay increase, stepping once a year.", examples=[0.04])
    existing_fte: Annotated[float, Field(ge=0, le=100000)] = Field(
        default=0, description="Staff already employed at the start (no hiring cost).",
        examples=[0])
    part_time_allowed: bool = Field(
        default=False, description="false: whole heads (headcount rounded up); true: "
        "fractional FTE.", examples=[False])
    severance_min_tenure_months: FixedMonths = Field(
        default=0, description="Months of service before a person let go is owed severance "
        "(Malaysia's statutory termination benefits: 12; a probation period elsewhere). "
        "Releases take the most recently hired first; existing staff always qualify.",
        examples=[12])
    hours_per_fte_month: OptionHoursPerFte = None
    serves: OptionServes = None
    risks: OptionRisks = []
    scores: OptionScores = None
    other_costs: OptionOtherCosts = []


class OutsourcedOption(_Model):
    """Contract the work to a KPO or BPO provider (third party or captive)."""

    model_config = ONE_RATE

    name: Name = Field(description="Unique name of the option.", examples=["KPO India"])
    model: Literal["kpo", "bpo"] = Field(description="in_house, kpo, bpo or contractor.",
                                        examples=["kpo"])
    provider: Literal["third_party", "captive"] = Field(
        default="third_party", description="third_party or captive (the company's own "
        "subsidiary).", examples=["third_party"])
    location: Literal["onshore", "nearshore", "offshore"] | None = Field(
        default=None, description="onshore, nearshore or offshore.", examples=["offshore"])
    currency: CurrencyCode | None = Field(
        default=None, description="Currency of hourly_rate / fte_monthly_rate; default the "
        "scenario currency. Needs an fx entry. One-time costs stay in the scenario currency.",
        examples=["INR"])
    hourly_rate: HourlyRate
    fte_monthly_rate: FteMonthlyRate
    rate_escalation: RateEscalation
    productivity: Productivity
    rework_rate: ReworkRate
    governance_rate: Fraction = Field(
        default=0, description="Vendor management and contract administration, as a fraction "
        "of fees (3-6% typical).", examples=[0.06])
    communication_overhead: Fraction = Field(
        default=0, description="Coordination friction, as a fraction of fees.", examples=[0.04])
    min_monthly_hours: Annotated[float, Field(ge=0, le=MAX_HOURS), SAMPLEABLE] = Field(
        default=0, description="Minimum billed hours a month while there is work.",
        examples=[300])
    notice_months: Annotated[int, Field(ge=0, le=60)] = Field(
        default=0, description="Months before billed capacity can shrink.", examples=[2])
    ramp_up_weeks: Annotated[float, Field(ge=0, le=520), SAMPLEABLE] = Field(
        default=0, description="Lead time in weeks to add capacity.", examples=[4])
    vendor_selection_cost: Money = Field(
        default=0, description="Search and contracting, booked in month 1 (scenario currency).",
        examples=[15000])
    transition: Transition | None = Field(
        default=None, description="Transition cost and months (scenario currency).",
        examples=[{"cost": 40000, "months": 3}])
    exit_cost: Money = Field(
        default=0, description="Cost to switch vendor or bring the work back (scenario "
        "currency); reported under flexibility.", examples=[25000])
    indirect_tax_rate: Fraction = Field(
        default=0, description="Non-recoverable tax on the vendor's fees, as a fraction (e.g. "
        "Malaysia's 8% service tax on imported services: 0.08; VAT an exempt buyer cannot "
        "reclaim).", examples=[0.08])
    withholding_tax_rate: Annotated[float, Field(ge=0),
                                    Sampleable(high=MAX_WITHHOLDING)] = Field(
        default=0, description="Withholding tax the buyer bears on a net-of-tax contract price, "
        "as a fraction below 1 (cost: fees x w / (1 - w)).", examples=[0.1])
    retained_cost_per_year: Money = Field(
        default=0, description="Retained organisation while the vendor does the work (contract "
        "managers, leases, licences), a year, in the scenario currency.", examples=[60000])
    max_specialization: Specialization | None = Field(
        default=None, description="Most specialised work this provider can do; default high "
        "for kpo, low for bpo.", examples=["high"])
    serves: OptionServes = None
    risks: OptionRisks = []
    scores: OptionScores = None
    other_costs: OptionOtherCosts = []

    @field_validator("withholding_tax_rate")
    @classmethod
    def _below_one(cls, w: float) -> float:
        # The gross-up w / (1 - w) has no finite value at 1: say why, not just "< 1".
        if w >= 1:
            hint = f"; did you mean {w / 100:g}?" if 1 < w <= 100 else ""
            raise PydanticCustomError(
                "withholding_rate", "must be below 1, got {w}: the tax is grossed up as fees x "
                "w / (1 - w), which has no finite value at 1; rates are fractions{hint}",
                {"w": f"{w:g}", "hint": hint})
        if w > MAX_WITHHOLDING:  # near 1 the gross-up explodes (0.999999 is x999,999)
            raise PydanticCustomError(
                "withholding_rate", "must be at most {most}, got {w} (a sanity bound: statutory "
                "withholding on services is at most about 40%; the gross-up w / (1 - w) "
                "grows without bound near 1)", {"most": f"{MAX_WITHHOLDING:g}", "w": f"{w:g}"})
        return w

    @model_validator(mode="after")
    def _one_rate(self) -> Self:
        _one_rate(self)
        return self

    @property
    def serves_up_to(self) -> Specialization:
        """The effective max_specialization."""
        if self.max_specialization is not None:
            return self.max_specialization
        return "high" if self.model == "kpo" else "low"


class ContractorOption(_Model):
    """Contract or fixed-term staff booked by the hour (an agency, freelancers), managed
    in-house: no benefits, severance, taxes, selection or transition (methodology 3)."""

    model_config = ONE_RATE

    name: Name = Field(description="Unique name of the option.",
                       examples=["Contract actuaries"])
    model: Literal["contractor"] = Field(description="in_house, kpo, bpo or contractor.",
                                         examples=["contractor"])
    currency: CurrencyCode | None = Field(
        default=None, description="Currency of the rate and the onboarding cost; default the "
        "scenario currency. Needs an fx entry.", examples=["MYR"])
    hourly_rate: HourlyRate
    fte_monthly_rate: FteMonthlyRate
    rate_escalation: RateEscalation
    productivity: Productivity
    rework_rate: ReworkRate
    onboarding_cost_per_person: Money = Field(
        default=0, description="Cost of bringing one more contractor in (agency fee, "
        "access, briefing), in currency.", examples=[5000])
    lead_months: FixedMonths = Field(
        default=0, description="Months to bring contractors in; work starts in month "
        "1 + ceil(lead_months), the demand before it is unmet.", examples=[1])
    notice_months: Annotated[int, Field(ge=0, le=60)] = Field(
        default=0, description="Months of notice before billed hours can shrink.",
        examples=[1])
    hours_per_fte_month: OptionHoursPerFte = None
    max_specialization: Specialization = Field(
        default="high", description="Most specialised work these contractors can do.",
        examples=["high"])
    serves: OptionServes = None
    risks: OptionRisks = []
    scores: OptionScores = None
    other_costs: OptionOtherCosts = []

    @model_validator(mode="after")
    def _one_rate(self) -> Self:
        _one_rate(self)
        return self

    @property
    def serves_up_to(self) -> Specialization:
        """The effective max_specialization."""
        return self.max_specialization


Option = Annotated[InHouseOption | OutsourcedOption | ContractorOption,
                   Field(discriminator="model")]
#: Any kind of option.
AnyOption = InHouseOption | OutsourcedOption | ContractorOption


#: A share of one work item given to one option in a plan.
Share = Annotated[float, Field(gt=0, le=1)]


def _check_assignment(value: Any) -> Any:
    """One clear error for a plan entry that is neither a name nor ``{option: share}``.

    Without it, pydantic reports one error per member of the union, under
    paths such as ``dict[constrained-str,constrained-float]``.
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        got = "a list" if isinstance(value, list) else repr(value)
        raise PydanticCustomError("assignment", "must be an option's name or shares such as "
                                  "{KPO: 0.5, In-house: 0.5}, got " + got)
    if len(value) > MAX_OPTIONS:
        raise PydanticCustomError("assignment", f"has {len(value)} shares; at most {MAX_OPTIONS} "
                                  "(one per option) are allowed")
    for option, share in value.items():
        if not isinstance(option, str) or not option:
            raise PydanticCustomError("assignment", "each share needs an option's name")
        if is_distribution(share):
            raise PydanticCustomError(
                "assignment", f"the share of {option!r} sets the structure of the plan, so it "
                "cannot be uncertain; give one number")
        if isinstance(share, bool) or not isinstance(share, int | float):
            raise PydanticCustomError("assignment", f"the share of {option!r} must be a "
                                      f"number, got {share!r}")
        if not 0 < share <= 1:
            raise PydanticCustomError("assignment", f"the share of {option!r} must be more "
                                      f"than 0 and at most 1 (a fraction), got {share!r}")
    return value


#: Where one work item goes in a plan: one option's name, or shares of several summing to 1.
Assignment = Annotated[Name | Annotated[dict[Name, Share], Field(max_length=MAX_OPTIONS)],
                       BeforeValidator(_check_assignment), Field(
    description="An option's name, or {option: share} with shares summing to 1.")]


class Plan(_Model):
    """A hybrid alternative: each work item to one option, or split between options by shares."""

    name: Name = Field(description="Unique name of the plan (options and plans share one "
                       "namespace).", examples=["Claims to BPO, analytics kept"])
    description: str | None = Field(default=None, description="Free text.",
                                    examples=["Routine claims to Manila, analysis kept"])
    assign: dict[Name, Assignment] = Field(
        max_length=MAX_WORK,  # one entry per work item; bounds the checks and their messages
        description="Every work item, to an option or to shares summing to 1.",
        examples=[{"Claims data entry": "BPO Philippines",
                   "IFRS 17 migration": {"KPO Pune": 0.5, "In-house actuaries": 0.5}}])

    def shares(self) -> dict[str, dict[str, float]]:
        """``{work: {option: share}}``, a single option written as share 1."""
        return {work: ({to: 1.0} if isinstance(to, str) else dict(to))
                for work, to in self.assign.items()}


#: Split shares ``mix`` may try: strictly between 0 and 1 (0 and 1 are the plain choices).
SplitShare = Annotated[float, Field(gt=0, lt=1)]
MAX_MIX_SHARES = 5


class Mix(_Model):
    """Constraints for ``kpo-calc mix``: which plans the search may try (design section 7)."""

    keep: dict[Name, Name] = Field(
        default={}, description="Fixed assignments: work item -> the option that keeps it.",
        examples=[{"Actuarial analytics": "In-house actuaries"}])
    shares: list[SplitShare] = Field(
        default=[], max_length=MAX_MIX_SHARES,
        description="Also try splitting one work item between two options with these shares "
        "(0.5, or 0.3 which also tries 0.7); default: no splits.", examples=[[0.5]])
    max_vendors: Annotated[int, Field(ge=0, le=MAX_OPTIONS)] | None = Field(
        default=None, description="At most this many outsourced options in one plan.",
        examples=[2])
    max_share: Annotated[float, Field(gt=0, le=1)] | None = Field(
        default=None, description="No outsourced option takes more than this share of all "
        "hours.", examples=[0.7])
    confidence: Annotated[float, Field(gt=0, le=1)] = Field(
        default=0.8, description="`mix --trials`: the robust plan must clear the threshold "
        "in at least this share of the trials (default 0.8).", examples=[0.8])

    @field_validator("shares")
    @classmethod
    def _distinct_from_whole(cls, shares: list[float]) -> list[float]:
        # The search keeps shares to 12 decimals: one that rounds to 0 or 1 is no split.
        for s in shares:
            if not 0 < round(s, 12) < 1 or not 0 < round(1 - s, 12) < 1:
                raise PydanticCustomError(
                    "split_share", "a split share must be strictly between 0 and 1 at 12 "
                    "decimals, got {s}; 0 and 1 are the whole choices mix already tries",
                    {"s": repr(s)})
        return shares


class StressTest(_Model):
    """An unforeseen change in demand, to test each option's flexibility."""

    name: Name = Field(description="Name of the test.", examples=["Downturn"])
    from_month: Month = Field(description="Month from which demand changes.", examples=[13])
    demand_change: Annotated[float, Field(ge=-1, le=4)] = Field(
        default=0, description="Change in demand as a fraction (-0.4 = 40% less, 0.5 = 50% "
        "more).", examples=[-0.4])
    work: Annotated[list[Name], Field(min_length=1, max_length=MAX_WORK)] | None = Field(
        default=None, description="The work items whose demand changes; default all work.",
        examples=[["Claims data entry"]])
    fx: dict[CurrencyCode, Annotated[float, Field(ge=-0.9, le=4)]] = Field(
        default={}, max_length=MAX_FX_ENTRIES,
        description="Exchange-rate shocks from from_month: {USD: 0.15} multiplies the rate of "
        "USD by 1.15 (the scenario currency loses 13% against it).", examples=[{"USD": 0.15}])

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if self.demand_change == 0 and not any(self.fx.values()):
            raise PydanticCustomError(
                "stress", "give demand_change, fx or both: a stress test must change something")
        return self


class Gate(_Model):
    """A condition on one option's results; when it does not hold, the run exits 1."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": ["min_savings"]}, {"required": ["max_total_cost"]}]})

    option: Name = Field(description="The option the condition is about.",
                         examples=["KPO India"])
    min_savings: FixedFraction | None = Field(
        default=None, description="Fail if the option saves less than this fraction of the "
        "cost it avoids (its savings over its moved_base: the verdict's base).",
        examples=[0.15])
    max_total_cost: Annotated[float, Field(ge=0, le=MAX_TOTAL)] | None = Field(
        default=None, description="Fail if the option costs more than this budget (scenario "
        "currency) in the recommended alternative (its part there), or, for a plan, in "
        "total.", examples=[1800000])

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if self.min_savings is None and self.max_total_cost is None:
            raise PydanticCustomError(
                "gate", "give min_savings, max_total_cost or both: a gate needs a condition")
        return self


class Decision(_Model):
    """How the recommendation is made, and the optional CI gates."""

    baseline: Name | None = Field(
        default=None, description="The incumbent option or plan others must beat; default "
        "the first option.", examples=["In-house team"])
    metric: Metric = Field(
        default="npv", description="npv, total or risk_adjusted_npv.", examples=["npv"])
    min_savings: FixedFraction = Field(
        default=0.10, description="An alternative must beat the baseline by this fraction of "
        "the cost it avoids (OMB Circular A-76: 10%), and each work item it moves must clear "
        "it on its own margin (methodology 3).", examples=[0.10])
    min_savings_amount: Annotated[float, Field(ge=0, le=MAX_TOTAL)] = Field(
        default=0, description="Materiality: an alternative must also save at least this "
        "amount on the metric, in the scenario currency (methodology 3).", examples=[250000])
    threshold_base: Literal["cost", "personnel"] = Field(
        default="cost", description="What min_savings is a fraction of: cost (the cost the "
        "alternative avoids, measured like the savings) or personnel (only the salaries and "
        "benefits it avoids, as OMB A-76 does).", examples=["cost"])
    weights: Weights | None = Field(
        default=None, description="Scorecard weights; every option then needs scores.",
        examples=[{"cost": 0.5, "control": 0.15, "ip_security": 0.15, "quality": 0.1,
                   "communication": 0.1}])
    expect: Name | None = Field(
        default=None, description="CI gate: exit 1 if the recommendation is not this option "
        "or plan.",
        examples=["KPO India"])
    gates: list[Gate] = Field(
        default=[], max_length=MAX_GATES,
        description="More CI gates: minimum savings or a budget for an option.",
        examples=[[{"option": "KPO India", "min_savings": 0.15},
                   {"option": "KPO India", "max_total_cost": 1800000}]])


MAX_CORRELATIONS = 200
#: A field path is short (``options[KPO India].rate_escalation``); names are at most 200.
MAX_PATH_CHARS = 1000


def _two_paths(value: Any) -> Any:
    """One clear message for ``between`` that is not two field paths."""
    if not isinstance(value, list):
        got = "a mapping" if isinstance(value, dict) else repr(value)
        raise PydanticCustomError(
            "between", "must be a list of two field paths, such as [\"options[KPO India]."
            "rate_escalation\", fx.INR.drift] (quote a path with brackets in a [...] "
            "list); got {got}", {"got": got})
    if len(value) != 2:
        raise PydanticCustomError(
            "between", "names two uncertain inputs (field paths), got {count}; write one "
            "entry per pair", {"count": len(value)})
    for path in value:
        if not isinstance(path, str):
            raise PydanticCustomError(
                "between", "each of the two must be a field path (text), got {got}; in a "
                "[...] list, quote a path that holds brackets: \"options[KPO India]."
                "hourly_rate\"", {"got": "a list" if isinstance(path, list) else repr(path)})
    return value


class Correlation(_Model):
    """Two uncertain inputs that move together: a rank correlation (design section 9)."""

    between: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=MAX_PATH_CHARS)]],
        Field(min_length=2, max_length=2), BeforeValidator(_two_paths)] = Field(
        description="The field paths of two uncertain inputs of this file (names in "
        "brackets, keys joined by dots: options[KPO India].rate_escalation, fx.INR.drift).",
        examples=[["options[KPO India].rate_escalation", "fx.INR.drift"]])
    rho: Annotated[float, Field(ge=-1, le=1)] = Field(
        description="Rank (Spearman) correlation from -1 to 1: -0.5 means that when one is "
        "high the other tends to be low. Pairs not listed are uncorrelated.", examples=[-0.5])


class Scenario(_Model):
    """A make-or-buy question: the work to be done and the ways to get it done."""

    model_config = ConfigDict(title="kpo-calc scenario")

    version: Literal[1] = Field(description="Format version; always 1.", examples=[1])
    name: Name = Field(description="Name of the scenario.",
                       examples=["Equity research support"])
    description: str | None = Field(default=None, description="Free text.",
                                    examples=["Sector reports and one market-entry study"])
    currency: CurrencyCode = Field(description="Reporting currency, ISO 4217.",
                                   examples=["USD"])
    horizon_months: Annotated[int, Field(ge=1, le=600)] = Field(
        description="Months to cost (1-600).", examples=[36])
    discount_rate: Fraction = Field(default=0, description="Annual discount rate for NPV.",
                                    examples=[0.08])
    hours_per_fte_month: Annotated[float, Field(ge=1, le=744), SAMPLEABLE] = Field(
        default=140, description="Productive hours of one full-time person a month.",
        examples=[140])
    fx: dict[CurrencyCode, FxEntry] = Field(
        default={}, max_length=MAX_FX_ENTRIES,
        description="Scenario-currency units per one unit of each "
        "foreign currency: a number (or a distribution of it), or {rate, drift} for a rate that "
        "drifts each year.",
        examples=[{"INR": {"rate": 0.012, "drift": -0.03}, "PHP": 0.018}])
    work: list[Work] = Field(
        min_length=1, max_length=MAX_WORK, description="The demand: what has to be done.",
        examples=[[{"name": "Sector reports", "kind": "recurring", "fte": 4.5,
                    "specialization": "high"}]])
    options: list[Option] = Field(
        min_length=2, max_length=MAX_OPTIONS,
        description="The sourcing alternatives (2 or more, unique names).",
        examples=[[{"name": "In-house", "model": "in_house", "annual_salary": 95000,
                    "benefits_rate": 0.42},
                   {"name": "KPO India", "model": "kpo", "currency": "INR",
                    "hourly_rate": 2500}]])
    plans: list[Plan] = Field(
        default=[], max_length=MAX_PLANS, description="Hybrid alternatives compared beside "
        f"the options (at most {MAX_PLANS}).",
        examples=[[{"name": "Claims to BPO", "assign": {"Claims data entry": "BPO Philippines",
                                                         "Actuarial analytics": "In-house"}}]])
    stress: list[StressTest] = Field(
        default=[], max_length=MAX_STRESS,
        description="Flexibility tests: unforeseen changes in demand.",
        examples=[[{"name": "Downturn", "from_month": 13, "demand_change": -0.4}]])
    unmet_hour_cost: Money | None = Field(
        default=None, description="Cost of an hour of demand served late: before in-house "
        "hires can start (line unmet_work) and in stress tests.",
        examples=[150])
    mix: Mix | None = Field(
        default=None, description="Constraints for `kpo-calc mix` (the search for the best "
        "plan).", examples=[{"keep": {"Actuarial analytics": "In-house actuaries"},
                             "shares": [0.5], "max_vendors": 2, "max_share": 0.7}])
    decision: Decision = Field(
        default=Decision(), description="How the recommendation is made, and the CI gate.",
        examples=[{"baseline": "In-house", "metric": "npv", "min_savings": 0.1,
                   "expect": "KPO India"}])

    correlations: list[Correlation] = Field(
        default=[], max_length=MAX_CORRELATIONS,
        description="Uncertain inputs that move together, for simulate (rank correlations; "
        "a set that no inputs could have, not positive semi-definite, is an error).",
        examples=[[{"between": ["options[KPO India].rate_escalation", "fx.INR.drift"],
                    "rho": -0.5}]])

    #: the data the scenario was read from: the order of its keys is the file's
    _source: Any = PrivateAttr(default=None)
    #: the uncertain entries found by the walk (``uncertain_entries``), with the field
    #: values they were found in: validation walks, and ``compare`` counts them again
    _uncertain: Any = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_source(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        scenario = handler(data)
        if isinstance(scenario, Scenario) and isinstance(data, dict):
            scenario._source = data
        return scenario

    @model_validator(mode="after")
    def _cross_checks(self) -> Self:
        issues = cross_field_issues(self)
        if issues:
            raise PydanticCustomError(
                "scenario_checks", "{count} problem(s) across fields",
                {"count": len(issues), "issues": issues})
        return self

    def uncertain_inputs(self) -> dict[str, Distribution]:
        """Every input written as a distribution, by field path (``options[KPO India].
        hourly_rate``, ``fx.INR``, ``fx.INR.drift``, ``work[X].growth``), in file order.

        Intervals of width 0 and normals with sd 0 are included: the file says the
        input is uncertain, even if this version pins it.
        """
        return {path: value.distribution for path, _, value in uncertain_entries(self)}

    # Convenience accessors used by the engine and renderers.
    @property
    def baseline_name(self) -> str:
        """The baseline option's name."""
        return self.decision.baseline or self.options[0].name

    def fx_rate(self, currency: str | None) -> float:
        """Scenario-currency units per unit of ``currency`` in year 1."""
        if currency is None or currency == self.currency:
            return 1.0
        return self.fx[currency].rate

    def fx_drift(self, currency: str | None) -> float:
        """Annual drift of the rate of ``currency`` (0 for a plain number)."""
        if currency is None or currency == self.currency:
            return 0.0
        return self.fx[currency].drift


def cross_field_issues(s: "Scenario") -> list[Issue]:
    """Every problem that involves more than one field, with the path to fix."""
    return [issue for check, _ in CROSS_CHECKS for issue in check(s)]


# Names repeat within a file (each checked against its namespaces) and across a batch:
# both keys are remembered (pure functions of the text; bounded).
@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """What a reader sees of a name: compatibility forms folded (NFKC: a no-break space is a
    space), invisible format characters dropped, runs of spaces as one, case ignored."""
    if name.isascii():  # NFKC leaves ASCII as it is, and ASCII has no format character
        return " ".join(name.split()).casefold()
    folded = unicodedata.normalize("NFKC", name)
    folded = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return " ".join(folded.split()).casefold()


@functools.lru_cache(maxsize=4096)
def _look(name: str) -> str:
    """What a reader may take a name for: its TR39 skeleton (``0`` and ``O``, Cyrillic
    ``а`` and Latin ``a`` alike), spacing folded as in :func:`name_key`."""
    return skeleton(" ".join(unicodedata.normalize("NFKC", name).split()))


class _Namespace:
    """Names seen so far in one namespace, by what a reader sees of them."""

    def __init__(self, section: str) -> None:
        self.section = section
        self.by_key: dict[str, tuple[int, str]] = {}
        self.by_look: dict[str, tuple[int, str]] = {}

    def add(self, index: int, name: str) -> None:
        self.by_key.setdefault(name_key(name), (index, name))
        self.by_look.setdefault(_look(name), (index, name))

    def clash(self, name: str) -> str | None:
        """Why ``name`` cannot be told apart from a name already seen, or None."""
        seen = self.by_key.get(name_key(name))
        if seen is not None:
            return _clash(name, self.section, *seen)
        seen = self.by_look.get(_look(name))
        if seen is not None:
            index, other = seen
            diff = differences(name, other) or differences(other, name)
            return (f"the name {name!r} looks like {other!r} ({self.section}[{index}]): they "
                    f"differ only in lookalike characters ({', '.join(diff)})")
        return None


def _unique_names(s: "Scenario") -> list[Issue]:
    """Names must be told apart in every table: equal, equal once case, spacing and
    invisible characters are ignored, or made of lookalike characters (Unicode TR39
    confusables) is a clash (options and plans share one namespace)."""
    issues: list[Issue] = []
    sections: tuple[tuple[str, list[Any]], ...] = (
        ("options", s.options), ("work", s.work), ("stress", s.stress), ("plans", s.plans))
    options = _Namespace("options")
    for i, o in enumerate(s.options):
        options.add(i, o.name)
    for section, items in sections:
        seen = _Namespace(section)
        for i, item in enumerate(items):
            clash = seen.clash(item.name)
            if clash is not None:
                issues.append(((section, i, "name"), clash + "; names must be unique"))
            else:
                seen.add(i, item.name)
            clash = options.clash(item.name) if section == "plans" else None
            if clash is not None:
                issues.append(((section, i, "name"), clash + "; options and plans share one "
                               "namespace, so rename the plan"))
    return issues


def _clash(name: str, section: str, index: int, other: str) -> str:
    if name == other:
        return f"the name {name!r} is already used by {section}[{index}]"
    return (f"the name {name!r} looks the same as {other!r} ({section}[{index}]) once case, "
            "spacing and invisible characters are ignored")


def _currency_issues(s: "Scenario") -> list[Issue]:
    issues: list[Issue] = []
    base = s.fx.get(s.currency)
    if base is not None and ((base.rate, base.drift) != (1, 0) or isinstance(
            base.rate, Uncertain) or isinstance(base.drift, Uncertain)):
        issues.append((("fx", s.currency), f"{s.currency} is the scenario currency, so its rate "
                       f"is 1 by definition; remove this entry"))
    for i, option in enumerate(s.options):
        cur = option.currency
        if cur is not None and cur != s.currency and cur not in s.fx:
            issues.append((("options", i, "currency"), _no_rate(cur, s.currency)))
        for j, cost in enumerate(option.other_costs):
            cur = cost.currency
            if cur is not None and cur != s.currency and cur not in s.fx:
                issues.append((("options", i, "other_costs", j, "currency"),
                               _no_rate(cur, s.currency)))
    for i, t in enumerate(s.stress):
        for cur in t.fx:
            if cur == s.currency:
                issues.append((("stress", i, "fx", cur), f"{cur} is the scenario currency: its "
                               "rate is 1 by definition; shock the foreign currencies instead"))
            elif cur not in s.fx:
                issues.append((("stress", i, "fx", cur), _no_rate(cur, s.currency)))
    return issues


def _no_rate(cur: str, base: str) -> str:
    return f"no exchange rate for {cur}: add `fx: {{{cur}: <{base} per 1 {cur}>}}` at the top level"


def _month_issues(s: "Scenario") -> list[Issue]:
    h = s.horizon_months
    horizon = f"the horizon of {h} month" + ("" if h == 1 else "s")
    issues: list[Issue] = []
    for i, w in enumerate(s.work):
        if w.start_month > h:
            issues.append((("work", i, "start_month"), f"starts in month {w.start_month}, after "
                           f"{horizon}"))
        if isinstance(w, RecurringWork) and w.end_month is not None:
            if w.end_month > h:
                issues.append((("work", i, "end_month"), f"ends in month {w.end_month}, after "
                               f"{horizon}; lower it or raise horizon_months"))
            if w.end_month < w.start_month:
                issues.append((("work", i, "end_month"), f"ends (month {w.end_month}) before it "
                               f"starts (month {w.start_month})"))
        if isinstance(w, OneOffWork) and w.start_month <= h < w.end_month:
            issues.append((("work", i, "duration_months"), f"the project runs to month "
                           f"{w.end_month}, after {horizon}; shorten it, start "
                           "it earlier or raise horizon_months"))
    for i, t in enumerate(s.stress):
        if t.from_month > h:
            issues.append((("stress", i, "from_month"), f"month {t.from_month} is after "
                           f"{horizon}"))
    for i, o in enumerate(s.options):
        if isinstance(o, OutsourcedOption) and o.transition and o.transition.months > h:
            issues.append((("options", i, "transition", "months"), f"{o.transition.months} "
                           f"months is longer than {horizon}"))
        for j, cost in enumerate(o.other_costs):
            at: tuple[str | int, ...] = ("options", i, "other_costs", j)
            for key in ("month", "from_month", "to_month"):
                value = getattr(cost, key)
                if value is not None and value > h and ("from_month" in cost.model_fields_set
                                                        or key != "from_month"):
                    issues.append(((*at, key), f"month {value} is after {horizon}"))
            if cost.to_month is not None and cost.to_month < cost.from_month:
                issues.append(((*at, "to_month"), f"to_month {cost.to_month} is before "
                               f"from_month {cost.from_month}"))
    return issues


def _reference_issues(s: "Scenario") -> list[Issue]:
    names = [o.name for o in s.options]
    plans = [p.name for p in s.plans]
    issues: list[Issue] = []
    refs: list[tuple[tuple[str | int, ...], str | None]] = [
        (("decision", "baseline"), s.decision.baseline),
        (("decision", "expect"), s.decision.expect),
        *((("decision", "gates", i, "option"), g.option) for i, g in enumerate(s.decision.gates)),
    ]
    for path, value in refs:
        if value is not None and value not in names and value not in plans:
            issues.append((path, unknown_option(value, names, plans)))
    return issues


def unknown_option(value: str, names: list[str], plans: list[str] | None = None) -> str:
    """The message for a name that matches no option (nor plan, when ``plans`` are given)."""
    plans = plans or []
    hint = did_you_mean(value, [*names, *plans]).removeprefix("; ")
    what = "option or plan" if plans else "option"
    listed = f"; the plans are: {listing(plans)}" if plans else ""
    return (f"no {what} is named {_named(value)}{f' ({hint})' if hint else ''}; the options "
            f"are: {listing(names)}{listed}")


#: A message lists at most this many names, each cut to ``MAX_LISTED_CHARS``: a
#: message per broken reference must stay short however many names the file has.
MAX_LISTED = 10
MAX_LISTED_CHARS = 60


def listing(names: list[str], *, quoted: bool = False) -> str:
    """``a, b, c`` for a few names; the first ``MAX_LISTED`` and "and N more" for many."""
    # Unquoted names are shown here once (visible): the output only adds its safety net.
    shown = ", ".join(_named(n) if quoted else visible(_clip(n)) for n in names[:MAX_LISTED])
    more = len(names) - MAX_LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def _clip(name: str) -> str:
    return name if len(name) <= MAX_LISTED_CHARS else name[:MAX_LISTED_CHARS - 1] + "…"


def _named(value: str) -> str:
    """A name the message is about, quoted, cut when long (its line and column say where)."""
    return repr(_clip(value))


def _serves_issues(s: "Scenario") -> list[Issue]:
    work = [w.name for w in s.work]
    issues: list[Issue] = []
    for i, o in enumerate(s.options):
        for j, name in enumerate(o.serves or []):
            if name not in work:
                issues.append((("options", i, "serves", j), unknown_work(name, work)))
    for i, t in enumerate(s.stress):
        for j, name in enumerate(t.work or []):
            if name not in work:
                issues.append((("stress", i, "work", j), unknown_work(name, work)))
    return issues


def unknown_work(value: str, work: list[str]) -> str:
    """The message for a name that matches no work item."""
    hint = did_you_mean(value, work).removeprefix("; ")
    return (f"no work item is named {_named(value)}{f' ({hint})' if hint else ''}; the work "
            f"items are: {listing(work)}")


#: Shares of one work item may miss 1 by float noise (0.1 + 0.2 + 0.7), not by more.
SHARE_TOLERANCE = 1e-9


def _plan_issues(s: "Scenario") -> list[Issue]:
    work = [w.name for w in s.work]
    options = [o.name for o in s.options]
    issues: list[Issue] = []
    for i, plan in enumerate(s.plans):
        at: tuple[str | int, ...] = ("plans", i, "assign")
        for name, to in plan.assign.items():
            if name not in work:
                issues.append(((*at, name), unknown_work(name, work)))
            if isinstance(to, str):
                if to not in options:
                    issues.append(((*at, name), unknown_option(to, options)))
                continue
            for option in to:
                if option not in options:
                    issues.append(((*at, name, option), unknown_option(option, options)))
            total = sum(to.values())
            if abs(total - 1) > SHARE_TOLERANCE:
                # enough digits to show how far from 1 (1.0000001, not "1")
                issues.append(((*at, name), f"the shares of {_named(name)} sum to "
                               f"{total:.12g}; they must sum to 1 within "
                               f"{SHARE_TOLERANCE:g} (0.5 and 0.5, or 0.3 and 0.7)"))
        missing = [w for w in work if w not in plan.assign]
        if missing:
            issues.append((at, f"plan {_named(plan.name)} does not assign "
                           f"{listing(missing, quoted=True)}; give every work item an option "
                           "or shares"))
    return issues



def _mix_issues(s: "Scenario") -> list[Issue]:
    """``mix.keep`` names real work and options, and the option may do that work."""
    if s.mix is None:
        return []
    work = {w.name: w for w in s.work}
    options = {o.name: o for o in s.options}
    issues: list[Issue] = []
    for name, to in s.mix.keep.items():
        at: tuple[str | int, ...] = ("mix", "keep", name)
        if name not in work:
            issues.append((at, unknown_work(name, list(work))))
        elif to not in options:
            issues.append((at, unknown_option(to, list(options))))
        else:
            gap = option_specialization_gap(options[to], [work[name]])
            if gap:
                issues.append((at, f"{to} may not keep {name!r}: {gap[0]}; keep it with an "
                               "option that may serve it"))
    return issues

def _coverage_issues(s: "Scenario") -> list[Issue]:
    best = max(_option_reach(o) for o in s.options)
    issues: list[Issue] = []
    for i, w in enumerate(s.work):
        if SPECIALIZATION_RANK[w.specialization] > best:
            issues.append((("work", i, "specialization"), f"{w.specialization} specialization "
                           "is beyond every option (max_specialization); add an option that "
                           "can do it, such as in_house or kpo"))
        elif not any(o.serves is None or w.name in o.serves for o in s.options):
            issues.append((("work", i, "name"), f"no option serves {w.name!r}: add it to the "
                           "serves list of an option that can do it"))
    return issues


def _option_reach(option: AnyOption) -> int:
    if isinstance(option, OutsourcedOption | ContractorOption):
        return SPECIALIZATION_RANK[option.serves_up_to]
    return SPECIALIZATION_RANK["high"]


def _scorecard_issues(s: "Scenario") -> list[Issue]:
    weights = s.decision.weights
    if weights is None:
        return []
    if weights.total() <= 0:
        return [(("decision", "weights"), "the weights sum to 0; give at least one a positive "
                 "weight")]
    issues: list[Issue] = []
    used = [c for c in CRITERIA if getattr(weights, c) > 0]
    for i, option in enumerate(s.options):
        missing = [c for c in used if option.scores is None or getattr(option.scores, c) is None]
        if missing:
            issues.append((("options", i, "scores" if option.scores else "name"),
                           f"option {option.name!r} needs scores for {', '.join(missing)} "
                           "because decision.weights gives them weight"))
    return issues


# --- Uncertain inputs: where they are, which numbers cannot be, and correlations -------


def uncertain_entries(s: "Scenario") -> list[tuple[str, Location, Uncertain]]:
    """Every uncertain input: ``(field path, data location, value)``, in file order.

    The models keep their own field order; the order of the keys in the file is read
    from the data the scenario was validated from (when it has it: a scenario built
    with ``model_construct`` keeps the models' order).
    """
    found = list(_walked(s))
    source = (s.__pydantic_private__ or {}).get("_source")
    if source is not None:
        found.sort(key=lambda entry: _file_position(source, entry[1]))
    return found


def _walked(s: "Scenario") -> list[tuple[str, Location, Uncertain]]:
    """``_find_uncertain`` on ``s``, walked once per scenario: kept with the values of its
    fields, so a copy with other values (``model_copy(update=...)``) is walked anew."""
    values = tuple(s.__dict__.values())
    private = s.__pydantic_private__  # read as a dict: the attribute costs a __getattr__
    kept = None if private is None else private.get("_uncertain")
    if (kept is not None and len(kept[0]) == len(values)
            and all(a is b for a, b in zip(kept[0], values, strict=True))):
        found: list[tuple[str, Location, Uncertain]] = kept[1]
        return found
    found = []
    _find_uncertain(s, "", (), found)
    if private is not None:
        private["_uncertain"] = (values, found)
    return found


def _find_uncertain(model: BaseModel, prefix: str, at: Location,
                    out: list[tuple[str, Location, Uncertain]]) -> None:
    """The uncertain entries of ``located_numbers(model)``, in its order (each model's own
    fields, then the models inside it, depth first), appended to ``out``. Its walk
    without the generators and the tuples for every number: validation and ``compare``
    both ask, and most files have none."""
    values = model.__dict__  # the fields' values (absent from a partly built model)
    inner: list[tuple[str, Any]] = []
    for name in _field_names(type(model)):
        value = values.get(name)
        if isinstance(value, Uncertain):
            out.append((field_path(prefix, name), (*at, name), value))
        elif isinstance(value, BaseModel | dict | list | tuple):
            inner.append((name, value))
    for name, value in inner:
        where, path = (*at, name), join(prefix, name)
        if isinstance(value, BaseModel):
            _find_uncertain(value, path, where, out)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    _find_uncertain(item, f"{path}.{key}", (*where, key), out)
        else:
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    label = getattr(item, "name", None)
                    key = label if isinstance(label, str) else str(i)
                    _find_uncertain(item, f"{path}[{key}]", (*where, i), out)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type[BaseModel]) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(kind.model_fields)
    return names


def _file_position(data: Any, at: Location) -> tuple[int, ...]:
    """Where ``at`` comes in ``data`` (key and item positions; an fx rate written as a
    plain number or a distribution is the entry itself)."""
    out: list[int] = []
    for part in at:
        if isinstance(data, dict) and part in data:
            out.append(list(data).index(part))
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            out.append(part)
            data = data[part]
        else:
            break
    return tuple(out)


_PLAN = "sets the structure of the plan ({})"
_DECISION = "is a rule of the decision ({}), not an estimate"
#: The numbers that cannot be uncertain, each with why: every other number field is
#: sampleable (its type carries ``Sampleable``). tests/test_uncertain.py checks that
#: every number field of the format is one or the other. ``"*"``: every field of the
#: model. A reason completes "this field ..." (then ", so it cannot be uncertain").
STRUCTURAL_FIELDS: dict[tuple[type[BaseModel], str], str] = {
    (Scenario, "horizon_months"): _PLAN.format("how many months are costed"),
    (RecurringWork, "start_month"): _PLAN.format("the month the work starts"),
    (RecurringWork, "end_month"): _PLAN.format("the month the work ends"),
    (OneOffWork, "start_month"): _PLAN.format("the month the project starts"),
    (OneOffWork, "duration_months"): _PLAN.format("the months the project spans"),
    (InHouseOption, "time_to_hire_months"): _PLAN.format(
        "hires start in month 1 + ceil(time_to_hire_months)"),
    (InHouseOption, "existing_fte"): _PLAN.format(
        "the staff employed today, who decide what moving work away costs"),
    (InHouseOption, "severance_min_tenure_months"): _PLAN.format(
        "which releases are owed severance"),
    (OutsourcedOption, "notice_months"): _PLAN.format("whole months of notice"),
    (ContractorOption, "notice_months"): _PLAN.format("whole months of notice"),
    (ContractorOption, "lead_months"): _PLAN.format(
        "contractors start in month 1 + ceil(lead_months)"),
    (Transition, "months"): _PLAN.format("the months the cost is spread over"),
    (OtherCost, "month"): _PLAN.format("the month it is booked in"),
    (OtherCost, "from_month"): _PLAN.format("the months it is booked in"),
    (OtherCost, "to_month"): _PLAN.format("the months it is booked in"),
    (Plan, "assign"): _PLAN.format("the share of the work you give an option"),
    (StressTest, "from_month"): "is a what-if you choose to test flexibility, not an estimate",
    (StressTest, "demand_change"): "is a what-if you choose to test flexibility, not an "
    "estimate",
    (StressTest, "fx"): "is a what-if you choose to test flexibility, not an estimate",
    (Scores, "*"): "is a judgement for the scorecard, not an estimate",
    (Weights, "*"): _DECISION.format("a scorecard weight"),
    (Decision, "min_savings"): _DECISION.format("the threshold"),
    (Decision, "min_savings_amount"): _DECISION.format("the threshold"),
    (Gate, "min_savings"): "is a CI gate you set, not an estimate",
    (Gate, "max_total_cost"): "is a CI gate you set, not an estimate",
    (Mix, "shares"): "is a constraint of the mix search, not an estimate",
    (Mix, "max_vendors"): "is a constraint of the mix search, not an estimate",
    (Mix, "max_share"): "is a constraint of the mix search, not an estimate",
    (Mix, "confidence"): "is the level of certainty the robust search asks for",
    (Correlation, "rho"): "says how two uncertain inputs move together",
}


def structural_reason(owner: type[BaseModel], field: str) -> str | None:
    """Why ``field`` of ``owner`` cannot be uncertain (None when it may be)."""
    return STRUCTURAL_FIELDS.get((owner, field)) or STRUCTURAL_FIELDS.get((owner, "*"))


def structural_message(owner: type[BaseModel], field: str) -> str | None:
    """The message for a distribution written where one number belongs, or None."""
    reason = structural_reason(owner, field)
    if reason is None:
        return None
    return f"this field {reason}, so it cannot be uncertain; give one number"


def is_sampleable(owner: type[BaseModel], field: str) -> bool:
    """Does ``field`` of ``owner`` take a distribution?"""
    info = owner.model_fields.get(field)
    if info is None:
        return False
    return any(isinstance(m, Sampleable) for m in _metadata(info.annotation, info.metadata))


def _metadata(tp: Any, found: list[Any]) -> Iterator[Any]:
    yield from found
    if typing.get_origin(tp) is Annotated:
        yield from _metadata(typing.get_args(tp)[0], list(tp.__metadata__))
    elif typing.get_origin(tp) in (typing.Union, types.UnionType):
        for member in typing.get_args(tp):
            yield from _metadata(member, [])


def field_at(at: Location, data: Any = None) -> tuple[type[BaseModel], str] | None:
    """The model and field that a data location (``("options", 1, "notice_months")``)
    belongs to: the last model field on the way (``stress[0].fx.USD`` is StressTest's
    ``fx``); None when the location names no field. With the ``data`` the location
    points into, an option or work item is read as its kind (``model``, ``kind``);
    without, as the first kind that has the field."""
    current: Any = Scenario
    found: tuple[type[BaseModel], str] | None = None
    node = data
    for part in at:
        members = list(_types(current))
        owners = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)
                  and isinstance(part, str) and part in m.model_fields]
        if len(owners) > 1 and isinstance(node, dict):
            owners = [m for m in owners if _tagged(m, node)] or owners
        if owners:
            found = (owners[0], str(part))
            current = owners[0].model_fields[str(part)].annotation
        else:
            current = next((typing.get_args(m)[-1] for m in members
                            if typing.get_origin(m) in (list, dict)), None)
            if current is None:
                break
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int)
            and 0 <= part < len(node) else None)
    return found


def _tagged(model: type[BaseModel], item: dict[Any, Any]) -> bool:
    """Is ``item`` of kind ``model`` by its tag (``model: kpo``, ``kind: one_off``)?"""
    for tag in ("model", "kind"):
        info = model.model_fields.get(tag)
        if info is not None and item.get(tag) in typing.get_args(info.annotation):
            return True
    return False


def _types(tp: Any) -> Iterator[Any]:
    """The types ``tp`` may be: Annotated unwrapped, unions expanded."""
    if typing.get_origin(tp) is Annotated:
        yield from _types(typing.get_args(tp)[0])
    elif typing.get_origin(tp) in (typing.Union, types.UnionType):
        for member in typing.get_args(tp):
            yield from _types(member)
    else:
        yield tp


def _uncertain_path_issues(s: "Scenario") -> list[Issue]:
    """Each uncertain input needs a path of its own (simulate samples and names it by it):
    two risks of one option with one name would share one."""
    seen: set[str] = set()
    issues: list[Issue] = []
    for path, at, _ in uncertain_entries(s):
        if path in seen:
            issues.append((at, f"another uncertain input has the same path {path}; give "
                           "the items different names, so that each input is sampled and "
                           "named on its own"))
        seen.add(path)
    return issues




def _correlation_issues(s: "Scenario") -> list[Issue]:
    """Each pair names two different uncertain inputs of this file, once; together the
    correlations must be possible (a positive semi-definite matrix)."""
    if not s.correlations:
        return []
    uncertain = [path for path, _, _ in uncertain_entries(s)]
    known = {path: (type(owner), field) for path, owner, field, _ in numbers(s)}
    issues: list[Issue] = []
    pairs: list[tuple[str, str, float]] = []
    where: list[int] = []
    seen: dict[frozenset[str], int] = {}
    for i, entry in enumerate(s.correlations):
        at: tuple[str | int, ...] = ("correlations", i, "between")
        paths = [normal_name(p) for p in entry.between]
        bad = [((*at, j), message) for j, p in enumerate(paths)
               if (message := _path_problem(p, uncertain, known)) is not None]
        if bad:
            issues += bad
            continue
        a, b = paths
        if a == b:
            issues.append(((*at, 1), f"correlates {a} with itself; name two different "
                           "inputs"))
            continue
        key = frozenset(paths)
        if key in seen:
            issues.append((("correlations", i), f"{a} and {b} are already correlated by "
                           f"correlations[{seen[key]}]; give each pair once"))
            continue
        seen[key] = i
        pairs.append((a, b, entry.rho))
        where.append(i)
    last = impossible_pair(pairs)
    if last is not None:
        issues.append((("correlations", where[last]), "with the correlations before it, this "
                       "one makes the set impossible: no inputs can be correlated like that "
                       "(the correlation matrix is not positive semi-definite; pairs not "
                       "listed count as 0). If A moves with B and B with C, A moves with C "
                       "too: weaken one of them, or list the missing pair"))
    return issues


def _path_problem(path: str, uncertain: list[str],
                  known: dict[str, tuple[type[BaseModel], str]]) -> str | None:
    if path in uncertain:
        return None
    if path in known:
        owner, field = known[path]
        reason = structural_reason(owner, field)
        if reason is not None:
            return f"{path} {reason}, so it cannot be uncertain nor correlated"
        return f"{path} is a point input; give it a distribution to correlate it"
    if not uncertain:
        return (f"no uncertain input is named {_named(path)}, and this file has none: write "
                "an input as a distribution (such as '80000 to 120000') to correlate it")
    hint = did_you_mean(path, uncertain).removeprefix("; ")
    return (f"no uncertain input is named {_named(path)}{f' ({hint})' if hint else ''}; the "
            f"uncertain inputs are: {listing(uncertain)}")


#: How much of each section a check needs when the file also has field errors
#: (validation in stages: kpo_calc.crosscheck runs the checks on whatever parsed):
#: NAMES when only the names of its items, and the keys it refers by, must be right;
#: EXACT when it reads their values too. Every cross-field check is listed here.
NAMES, EXACT = 1, 2
def _repeated_entries(s: "Scenario") -> list[Issue]:
    """An option's other costs are shown by name, and a stress test's work items are a
    set: a name given twice is a mistake (two costs shown alike, or a typo's twin)."""
    issues: list[Issue] = []
    for i, option in enumerate(s.options):
        seen: dict[str, int] = {}
        for j, cost in enumerate(option.other_costs):
            key = name_key(cost.name)
            if key in seen:
                issues.append((("options", i, "other_costs", j, "name"),
                               f"{cost.name!r} is already the name of other_costs[{seen[key]}]"
                               " of this option; give each cost its own name, or add them up"))
            seen.setdefault(key, j)
    for i, test in enumerate(s.stress):
        listed: dict[str, int] = {}
        for j, name in enumerate(test.work or []):
            if name in listed:
                issues.append((("stress", i, "work", j), f"{name!r} is already listed "
                               f"(work[{listed[name]}]); name each work item once"))
            listed.setdefault(name, j)
    return issues


#: Every section that can hold an uncertain input, and the correlations between them.
_UNCERTAIN_SECTIONS = {"correlations": EXACT, "options": EXACT, "work": EXACT, "fx": EXACT,
                       "discount_rate": EXACT, "hours_per_fte_month": EXACT,
                       "unmet_hour_cost": EXACT}

CROSS_CHECKS: tuple[tuple[Callable[["Scenario"], list[Issue]], dict[str, int]], ...] = (
    (_unique_names, {"options": NAMES, "work": NAMES, "stress": NAMES, "plans": NAMES}),
    (_currency_issues, {"fx": EXACT, "currency": EXACT, "options": EXACT, "stress": EXACT}),
    (_month_issues, {"horizon_months": EXACT, "work": EXACT, "stress": EXACT,
                     "options": EXACT}),
    (_reference_issues, {"decision": NAMES, "options": NAMES, "plans": NAMES}),
    (_serves_issues, {"options": NAMES, "work": NAMES, "stress": EXACT}),
    (_plan_issues, {"plans": EXACT, "work": NAMES, "options": NAMES}),
    (_mix_issues, {"mix": EXACT, "work": EXACT, "options": EXACT}),
    (_coverage_issues, {"work": EXACT, "options": EXACT}),
    (_scorecard_issues, {"decision": EXACT, "options": EXACT}),
    (_repeated_entries, {"options": EXACT, "stress": EXACT}),
    (_uncertain_path_issues, {"options": EXACT, "work": EXACT}),
    (_correlation_issues, _UNCERTAIN_SECTIONS),
)


def personnel_base_issues(s: "Scenario") -> list[Issue]:
    """Warnings: ``threshold_base: personnel`` over a baseline that pays no salaries.

    Personnel cost is the baseline's salaries and benefits, which only in_house
    options have; over a vendor (or a plan of vendors) it is 0, so the required
    saving is 0 and any saving at all clears the threshold.
    """
    if s.decision.threshold_base != "personnel":
        return []
    name = s.baseline_name
    plan = next((p for p in s.plans if p.name == name), None)
    used = ({o for to in plan.shares().values() for o in to} if plan is not None else {name})
    if any(isinstance(o, InHouseOption) for o in s.options if o.name in used):
        return []
    return [(("decision", "threshold_base"),
             f"the baseline {_named(name)} has no in_house option, so it pays no salaries or "
             "benefits: its personnel cost is 0, the required saving is 0 and any saving "
             "clears; use threshold_base: cost, or a baseline that keeps staff in-house")]


_PERCENT = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+))\s*%")
_UNDERSCORES = re.compile(r"[-+]?\d+(?:_\d+)+(?:\.\d+)?")
_SEXAGESIMAL = re.compile(r"\d+(?::[0-5]?\d)+(?:\.\d*)?")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")
_GROUPED = re.compile(r"[-+]?\d{1,3}(?:([ .'\u00a0\u202f])\d{3})(?:\1\d{3})*(?:,\d+)?")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)")
_CURRENCY = re.compile(r"(?:[$€£¥₹]|[A-Z]{3})\s*(.+?)|(.+?)\s*(?:[$€£¥₹]|[A-Z]{3})")


def number_hint(text: str) -> str:
    """How to write ``text``, a number written the way people write them ('' if it is not).

    YAML 1.2 reads ``25%``, ``1_000``, ``1:30`` and ``5,000`` as text; say which number
    was probably meant instead of only "must be a number".
    """
    text = text.strip()
    if match := _PERCENT.fullmatch(text):
        return (f"did you mean {_plain(float(match[1]) / 100)}? (rates are fractions, "
                "without %)")
    if _UNDERSCORES.fullmatch(text):
        return f"write {text.replace('_', '')} (no digit separators)"
    if _SEXAGESIMAL.fullmatch(text):
        parts = [float(part) for part in text.split(":")]
        value = sum(part / 60 ** i for i, part in enumerate(parts))
        old = sum(part * 60 ** i for i, part in enumerate(reversed(parts)))
        return (f"write a decimal number: base 60 is not read (YAML 1.1 made {text} into "
                f"{_plain(old)}); did you mean {_plain(round(value, 6))}?")
    if _THOUSANDS.fullmatch(text):
        whole = text.replace(",", "")
        head, _, tail = text.partition(",")
        if "," not in tail and "." not in tail:  # 4,450: thousands or a decimal comma
            return (f"write {whole} if the comma separates thousands, or "
                    f"{head}.{tail.rstrip('0') or '0'} if "
                    "it is a decimal comma")
        return f"write {whole} (no thousands separators)"
    if _DECIMAL_COMMA.fullmatch(text):
        return f"decimal comma? did you mean {text.replace(',', '.')}?"
    if (match := _GROUPED.fullmatch(text)) and (match[1] != "." or text.count(".") > 1
                                                or "," in text):
        # 5 000, 1.000.000, 1'000 and 1.234,5: digits grouped by a space, dot or apostrophe
        meant = text.replace(match[1], "").replace(",", ".")
        return f"write {meant} (no digit grouping)"
    if match := _CURRENCY.fullmatch(text):
        amount = match[1] or match[2]
        if _PLAIN_NUMBER.fullmatch(amount) or number_hint(amount):
            inner = number_hint(amount)
            where = "an option's `currency` field sets it"
            return (f"leave out the currency ({where}), then {inner}" if inner else
                    f"write {amount} without the currency ({where})")
    return ""


def _plain(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


#: Names longer than this get no "did you mean": comparing long, near-identical names
#: is quadratic in their length, and a file of them made the error path cost minutes.
MAX_SUGGEST_CHARS = 60


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or an empty string."""
    import difflib  # only needed when something is wrong

    if len(word) > MAX_SUGGEST_CHARS:
        return ""
    close = [c for c in choices if len(c) <= MAX_SUGGEST_CHARS]
    match = difflib.get_close_matches(word, close, n=1, cutoff=0.6)
    if not match:
        return ""
    # A lookalike prints like the word: say what tells them apart.
    diff = differences(match[0], word) if skeleton(match[0]) == skeleton(word) else []
    spelt = f", spelt with {', '.join(diff)}" if diff else ""
    return f"; did you mean {match[0]!r}{spelt}?"


def option_specialization_gap(option: AnyOption, work: list[Any]) -> list[str]:
    """Reasons why ``option`` cannot do some of ``work`` (empty when it can do all).

    Work above its max_specialization, then work outside its ``serves`` list.
    """
    reasons: list[str] = []
    if isinstance(option, OutsourcedOption | ContractorOption):
        reach = SPECIALIZATION_RANK[option.serves_up_to]
        reasons += [f"{w.name!r} needs {w.specialization} specialization; {option.name} serves "
                    f"up to {option.serves_up_to}" for w in work
                    if SPECIALIZATION_RANK[w.specialization] > reach]
    if option.serves is not None:
        reasons += [f"{w.name!r} is not in the serves list of {option.name}" for w in work
                    if w.name not in option.serves]
    return reasons
