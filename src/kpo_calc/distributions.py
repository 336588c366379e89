"""Uncertain inputs: the distributions a scenario number may be written as (design section 3).

Any sampleable number may instead be a distribution:

- ``80000 to 120000`` or ``{low: 80000, high: 120000}``: a 90% interval, as in
  Guesstimate and Squiggle: lognormal when both ends are positive, else normal;
- ``{triangular: [min, mode, max]}``, ``{pert: [min, mode, max]}`` (the beta-PERT
  with shape 4), ``{uniform: [min, max]}``, ``{normal: [mean, sd]}``.

This module reads those spellings and knows each distribution's mean, support
and quantiles in closed form. It uses the standard library only (the scenario
model imports it, and ``validate`` must not pay for numpy); the sampler
(``engine.sampling``) draws from them with numpy.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Literal

#: z of the 95th percentile: a 90% interval is mean ± Z90 standard deviations.
Z90 = NormalDist().inv_cdf(0.95)

Kind = Literal["lognormal", "normal", "triangular", "pert", "uniform"]
#: The keys of the mapping spellings, in the order the messages list them.
FORMS = ("low/high", "triangular", "pert", "uniform", "normal")
SPELLINGS = ("'a to b' or {low: a, high: b} (a 90% interval), {triangular: [min, mode, max]}, "
             "{pert: [min, mode, max]}, {uniform: [min, max]} or {normal: [mean, sd]}")

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_INTERVAL = re.compile(rf"^\s*({_NUMBER})\s+to\s+({_NUMBER})\s*$")
_MAX_TEXT = 100


class DistributionError(ValueError):
    """A distribution written wrongly: the message says what and how to fix it."""


@dataclass(frozen=True)
class Distribution:
    """One uncertain input's distribution, with the spelling it was written in.

    ``params``: lognormal ``(mu, sigma)`` of the log; normal ``(mean, sd)``;
    triangular and pert ``(min, mode, max)``; uniform ``(min, max)``.
    ``written``: the numbers as the file gave them (the ends of an interval).
    """

    kind: Kind
    params: tuple[float, ...]
    written: tuple[float, ...]
    #: "interval" for the ``a to b`` / ``{low, high}`` spelling, else the kind
    form: str

    @property
    def degenerate(self) -> bool:
        """True when every draw is the same number (an interval or range of width 0)."""
        w = self.written
        if self.form == "normal":
            return w[1] == 0
        return min(w) == max(w)

    @property
    def mean(self) -> float:
        """The mean in closed form (what ``compare`` evaluates the input at)."""
        p = self.params
        if self.degenerate:
            return self.written[0]
        if self.kind == "lognormal":
            return math.exp(p[0] + p[1] ** 2 / 2)
        if self.kind == "normal":
            return p[0]
        if self.kind == "triangular":
            return (p[0] + p[1] + p[2]) / 3
        if self.kind == "pert":
            return (p[0] + 4 * p[1] + p[2]) / 6
        return (p[0] + p[1]) / 2

    @property
    def support(self) -> tuple[float, float]:
        """The smallest and largest value a draw can take (infinite for normal tails)."""
        p = self.params
        if self.degenerate:
            return self.written[0], self.written[0]
        if self.kind == "lognormal":
            return 0.0, math.inf
        if self.kind == "normal":
            return -math.inf, math.inf
        return p[0], p[-1]

    def quantile(self, q: float) -> float:
        """The ``q`` quantile (0 < q < 1) in closed form (pert by bisection of its cdf)."""
        p = self.params
        if self.degenerate:
            return self.written[0]
        if self.kind == "lognormal":
            return math.exp(NormalDist(p[0], p[1]).inv_cdf(q))
        if self.kind == "normal":
            return NormalDist(p[0], p[1]).inv_cdf(q)
        if self.kind == "uniform":
            return p[0] + q * (p[1] - p[0])
        if self.kind == "triangular":
            a, m, b = p
            cut = (m - a) / (b - a)
            if q < cut:
                return a + math.sqrt(q * (b - a) * (m - a))
            return b - math.sqrt((1 - q) * (b - a) * (b - m))
        return _pert_quantile(p, q)

    def describe(self) -> str:
        """The distribution as a reader would write it (for tables and messages)."""
        w = ", ".join(_short(x) for x in self.written)
        if self.form == "interval":
            return f"{_short(self.written[0])} to {_short(self.written[1])}"
        return f"{self.form}({w})"


def is_distribution(data: Any) -> bool:
    """Does ``data`` look like an attempt at a distribution (not a plain number)?"""
    if isinstance(data, str):
        return " to " in data or bool(_INTERVAL.match(data))
    if isinstance(data, dict):
        return any(k in data for k in ("low", "high", "triangular", "pert", "uniform",
                                       "normal"))
    return False


def parse(data: Any) -> Distribution:
    """Read one of the spellings; raise :class:`DistributionError` with how to fix it."""
    if isinstance(data, str):
        return _interval_text(data)
    if not isinstance(data, dict):
        raise DistributionError(f"must be a number or a distribution: {SPELLINGS}")
    keys = set(data)
    if keys & {"low", "high"}:
        if keys != {"low", "high"}:
            raise DistributionError(_keys_message(keys, "{low: a, high: b}"))
        return interval(_number(data["low"], "low"), _number(data["high"], "high"))
    if len(keys) != 1:
        raise DistributionError(
            f"give one distribution, not {len(keys)} keys ({', '.join(sorted(map(str, keys)))})"
            f": {SPELLINGS}")
    (form, args), = data.items()
    if form not in ("triangular", "pert", "uniform", "normal"):
        raise DistributionError(f"unknown distribution {str(form)[:_MAX_TEXT]!r}: {SPELLINGS}")
    want = 3 if form in ("triangular", "pert") else 2
    if not isinstance(args, list) or len(args) != want:
        shape = {"triangular": "[min, mode, max]", "pert": "[min, mode, max]",
                 "uniform": "[min, max]", "normal": "[mean, sd]"}[form]
        raise DistributionError(f"{form} takes a list of {want} numbers, {shape}")
    nums = tuple(_number(x, f"{form}[{i}]") for i, x in enumerate(args))
    if form == "normal":
        if nums[1] < 0:
            raise DistributionError(
                f"the standard deviation of a normal cannot be negative, got {_short(nums[1])}")
        return Distribution("normal", nums, nums, "normal")
    if list(nums) != sorted(nums):
        order = "min ≤ mode ≤ max" if want == 3 else "min ≤ max"
        raise DistributionError(
            f"{form} needs {order}, got [{', '.join(_short(x) for x in nums)}]; "
            "swap the numbers")
    return Distribution(form, nums, nums, form)


def interval(low: float, high: float) -> Distribution:
    """A 90% interval: lognormal when both ends are positive, else normal."""
    if low > high:
        raise DistributionError(
            f"the low end {_short(low)} is above the high end {_short(high)}; swap them")
    if low > 0:
        mu = (math.log(low) + math.log(high)) / 2
        sigma = (math.log(high) - math.log(low)) / (2 * Z90)
        return Distribution("lognormal", (mu, sigma), (low, high), "interval")
    return Distribution("normal", ((low + high) / 2, (high - low) / (2 * Z90)),
                        (low, high), "interval")


def _interval_text(text: str) -> Distribution:
    found = _INTERVAL.match(text)
    if found is None:
        raise DistributionError(
            f"{text[:_MAX_TEXT]!r} is not a number or a distribution; write a 90% interval "
            f"as '80000 to 120000' (plain decimal numbers), or {SPELLINGS}")
    return interval(float(found.group(1)), float(found.group(2)))


def _number(x: Any, where: str) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise DistributionError(f"{where} must be a number, got {_shown(x)}")
    value = float(x)
    if not math.isfinite(value):
        raise DistributionError(f"{where} must be a finite number, got {_shown(x)}")
    return value


def _keys_message(keys: set[Any], form: str) -> str:
    extra = sorted(str(k)[:_MAX_TEXT] for k in keys - {"low", "high"})
    missing = sorted({"low", "high"} - keys)
    said = []
    if missing:
        said.append(f"missing {' and '.join(missing)}")
    if extra:
        said.append(f"unexpected {', '.join(extra)}")
    return f"a 90% interval is {form}: {'; '.join(said)}"


def _shown(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "…"


def _short(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 or x != int(x) else f"{x:.0f}"


def _beta_cdf(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta I_x(a, b) by its continued fraction (Numerical
    Recipes, betacf): the stdlib has no beta distribution, and validation must not
    import numpy or scipy."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x > (a + 1) / (a + b + 2):
        return 1.0 - _beta_cdf(1 - x, b, a)
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
    h = d
    for m in range(1, 300):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
            c = 1.0 + numerator / c
            c = c if abs(c) > 1e-300 else 1e-300
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return front * h / a


def pert_shape(params: tuple[float, ...]) -> tuple[float, float]:
    """The beta shapes of a PERT on [min, max] with the given mode (shape parameter 4)."""
    a, m, b = params
    return 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)


def _pert_quantile(params: tuple[float, ...], q: float) -> float:
    alpha, beta = pert_shape(params)
    lo, hi = 0.0, 1.0
    for _ in range(100):  # bisection to double precision
        mid = (lo + hi) / 2
        if _beta_cdf(mid, alpha, beta) < q:
            lo = mid
        else:
            hi = mid
    a, _, b = params
    return a + (lo + hi) / 2 * (b - a)


# Correlations (design section 9): ``correlations: [{between: [PATH, PATH], rho: r}]``.
# Checked here, in pure Python, because the scenario layer must report an impossible
# set as an input error without importing numpy; the sampler reuses the same check
# and the same Cholesky factor.

#: A pivot above -PSD_TOLERANCE counts as zero: rho = 1 and other singular but valid
#: sets (a positive semi-definite matrix) pass, rounding included.
PSD_TOLERANCE = 1e-10
#: Up to this many correlated inputs an impossible set is named input by input.
NAMED_CONFLICT = 30


def psd_cholesky(matrix: list[list[float]],
                 tol: float = PSD_TOLERANCE) -> list[list[float]] | None:
    """A lower-triangular ``L`` with ``L Lᵀ = matrix``, or None when the symmetric
    ``matrix`` is not positive semi-definite.

    A zero pivot (a singular but valid matrix, e.g. rho = 1) leaves its column zero
    instead of failing, so it doubles as the PSD test and as the sampler's factor.
    """
    k = len(matrix)
    low = [[0.0] * k for _ in range(k)]
    for j in range(k):
        pivot = matrix[j][j] - sum(low[j][t] ** 2 for t in range(j))
        if pivot < -tol:
            return None
        rest = [matrix[i][j] - sum(low[i][t] * low[j][t] for t in range(j))
                for i in range(j + 1, k)]
        if pivot <= tol:
            # Semi-definite needs rest_i² ≤ pivot · (a later pivot ≤ 1): rest must vanish.
            if any(abs(r) > math.sqrt(tol) for r in rest):
                return None
            continue
        root = math.sqrt(pivot)
        low[j][j] = root
        for i, r in enumerate(rest, start=j + 1):
            low[i][j] = r / root
    return low


def correlation_matrix(pairs: Sequence[tuple[str, str, float]],
                       paths: Sequence[str]) -> list[list[float]]:
    """The matrix over ``paths`` (in that order): 1 on the diagonal, each pair's rho
    where it is given, 0 elsewhere (inputs not correlated are independent)."""
    at = {p: i for i, p in enumerate(paths)}
    m = [[float(i == j) for j in range(len(paths))] for i in range(len(paths))]
    for x, y, rho in pairs:
        m[at[x]][at[y]] = m[at[y]][at[x]] = rho
    return m


def correlation_conflict(pairs: Sequence[tuple[str, str, float]]) -> tuple[int, str] | None:
    """The index of the pair to point at and what is wrong, or None when the set is valid.

    Checks each pair (two different paths, rho in [-1, 1], each pair once), then the
    matrix. When it is not positive semi-definite, the message names the pairs among a
    minimal set of inputs whose correlations cannot hold together (inputs dropped from
    the last while the rest still fail; a pair not given counts as 0 and is said so),
    and the index is the last of those pairs: the one that completes the conflict.
    """
    seen: dict[frozenset[str], int] = {}
    for i, (x, y, rho) in enumerate(pairs):
        if x == y:
            return i, f"{x} cannot be correlated with itself; name two different inputs"
        if not -1 <= rho <= 1:  # NaN fails too
            return i, f"rho between {x} and {y} must lie between -1 and 1, got {rho:g}"
        key = frozenset((x, y))
        if key in seen:
            return i, (f"the correlation between {x} and {y} is given twice "
                       f"(entries {seen[key] + 1} and {i + 1}); keep one")
        seen[key] = i
    last = impossible_pair(pairs)
    if last is None:
        return None
    paths = list(dict.fromkeys(p for x, y, _ in pairs for p in (x, y)))
    if len(paths) > NAMED_CONFLICT:  # naming a minimal set costs a Cholesky per input
        x, y, rho = pairs[last]
        return last, (f"these correlations cannot hold together (the matrix is not positive "
                      f"semi-definite): {x} and {y} at {rho:g} completes an impossible set "
                      "with the correlations before it; loosen one of them")
    for path in reversed(list(paths)):
        rest = [p for p in paths if p != path]
        if not _is_psd(pairs, rest):
            paths = rest
    inside = [i for i, (x, y, _) in enumerate(pairs) if x in paths and y in paths]
    named = [f"{pairs[i][0]} and {pairs[i][1]} at {pairs[i][2]:g}" for i in inside]
    given = {frozenset(pairs[i][:2]) for i in inside}
    unsaid = [f"{x} and {y}" for n, x in enumerate(paths) for y in paths[n + 1:]
              if frozenset((x, y)) not in given]
    if unsaid:
        named.append(f"({', '.join(unsaid)}: not given, so 0)")
    return inside[-1], (f"these correlations cannot hold together (the matrix is not "
                        f"positive semi-definite); loosen one of them: {'; '.join(named)}")


def correlation_problem(pairs: Sequence[tuple[str, str, float]]) -> str | None:
    """What is wrong with a set of correlations (see :func:`correlation_conflict`), or None."""
    found = correlation_conflict(pairs)
    return None if found is None else found[1]


def _is_psd(pairs: Sequence[tuple[str, str, float]], paths: Sequence[str]) -> bool:
    """Is the matrix over ``paths`` (the pairs between them) positive semi-definite?"""
    chosen = set(paths)
    inner = [(x, y, r) for x, y, r in pairs if x in chosen and y in chosen]
    return psd_cholesky(correlation_matrix(inner, paths)) is not None


def impossible_pair(pairs: Sequence[tuple[str, str, float]]) -> int | None:
    """The index of the pair that makes the correlations impossible, or None.

    The fast check (the scenario's validation and :func:`correlation_conflict` use it):
    pure Python, a sparse Cholesky with pivots under ``PSD_TOLERANCE`` taken as 0, per
    connected group of inputs (a pair alone is always possible), the inputs in the
    order the file first names them. The leading block that first fails is completed
    by its latest pair: that pair is reported.
    """
    index: dict[str, int] = {}
    for a, b, _ in pairs:
        index.setdefault(a, len(index))
        index.setdefault(b, len(index))
    parent = list(range(len(index)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _ in pairs:
        parent[root(index[a])] = root(index[b])
    groups: dict[int, list[int]] = {}
    for node in range(len(index)):  # first-named order within each group
        groups.setdefault(root(node), []).append(node)
    failed: list[int] = []
    for nodes in groups.values():
        if len(nodes) > 2:
            position = {node: i for i, node in enumerate(nodes)}
            block = [(max(position[index[a]], position[index[b]]),
                      min(position[index[a]], position[index[b]]), rho, k)
                     for k, (a, b, rho) in enumerate(pairs) if index[a] in position]
            row = _cholesky_failure(len(nodes), {(i, j): rho for i, j, rho, _ in block})
            if row is not None:
                failed.append(max(k for i, _, _, k in block if i <= row))
    return min(failed) if failed else None


def _cholesky_failure(n: int, rho: dict[tuple[int, int], float]) -> int | None:
    """The first row at which the unit-diagonal matrix with off-diagonal ``rho[(i, j)]``
    (``i > j``; 0 when absent) is found not positive semi-definite, or None."""
    lower: list[list[float]] = []
    pivots: list[float] = []
    for i in range(n):
        row = [0.0] * i
        for j in range(i):
            rest = rho.get((i, j), 0.0) - sum(map(operator.mul, row[:j], lower[j][:j]))
            if pivots[j] > PSD_TOLERANCE:
                row[j] = rest / math.sqrt(pivots[j])
            elif abs(rest) > PSD_TOLERANCE:
                return i  # a direction with no variance left, yet correlated
        pivot = 1.0 - sum(x * x for x in row)
        if pivot < -PSD_TOLERANCE:
            return i
        lower.append(row)
        pivots.append(max(pivot, 0.0))
    return None
