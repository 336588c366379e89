"""``mix``: every plan the constraints allow, costed exactly and vectorised (design section 7).

A plan gives each work item one *choice*: one option that may serve it, or
(with ``mix.shares``) a split between two such options. At most one item is
split per plan (the design's "each split of one item"): the splits are tried
one item at a time, every other item whole.

The plan's metric is the sum over options of what each option costs on the
demand the plan gives it, ``D_o = Σ_w share(w, o) · D_w``. An option's cost
depends only on its vector of shares, so each distinct vector is costed once,
with ``cost_option`` (the engine of ``compare``), many vectors at a time as
the rows of one demand array (as trials are). A candidate's metric is then a
sum of table look-ups, done for a chunk of candidates at a time, so memory is
bounded whatever the number of candidates. Sums run in option order from the
first part, as in ``plans.combine``, so a candidate's figure equals what
``compare`` gives for the same plan.

The verdict uses compare's rule (methodology 3), with the same function
(``decision.clears_test``) and the same order of sums: the threshold base is
the cost the plan avoids, ``Σ_o max(0, M_B(o) − M_A(o))``, read from a second
table per option (the part's threshold amount); and each moved item must pay
its way: the plan without that move (``A−i``: the item as in the baseline)
is read from the same tables, which therefore also hold every share vector
that the baseline's choice of an item gives (a baseline's split item takes a
slot of its own in the code). ``A−i`` is costed even when the ``mix``
constraints would exclude it. Stress tests do not rank plans: the tables are
costed without them, and ``mixing`` stresses the finalists only.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from kpo_calc.engine.decision import clears_test, tolerance
from kpo_calc.engine.demand import total_demand, work_hours
from kpo_calc.engine.figures import cost_option, metric_of
from kpo_calc.engine.finance import discount_factors
from kpo_calc.engine.lines import OUTSOURCED
from kpo_calc.engine.models import AnyOption
from kpo_calc.engine.plans import (
    Assign,
    alternatives,
    cost_alternatives,
    part_amount,
    part_metrics,
)
from kpo_calc.engine.simulation import MAX_TRIAL_CELLS
from kpo_calc.engine.values import POINT_VALUES, Array, PathValues, Values
from kpo_calc.scenario import (
    Mix,
    OneOffWork,
    RecurringWork,
    Scenario,
    option_specialization_gap,
)

#: Above this many candidate plans the search refuses (it never guesses).
MAX_CANDIDATES = 20_000_000
#: Above this many share vectors to cost (over all options) the search refuses.
MAX_COSTED = 1_000_000
#: Above this many table cells (over all options) the search refuses: bounds memory.
MAX_CELLS = 8_000_000
#: Above this many share vectors times months costed the search refuses: the work of
#: costing grows with the horizon too (a 600-month file costs 17 times a 36-month one).
MAX_COSTED_MONTHS = 60_000_000
#: Up to this many sets of vendors, ``max_vendors`` shrinks the space enumerated.
MAX_VENDOR_SETS = 1_000
#: Candidates scored at a time: bounds memory (about 100 bytes a candidate).
CHUNK = 1 << 18
#: Share vectors costed at a time (rows of one demand array).
BLOCK = 2048
#: In expectation (``mix --trials``): share vectors costed at a time, each over every
#: trial of a chunk of draws (rows × trials in one array).
EXPECTED_BLOCK = 64
#: In expectation: rows × trials costed in one array (small enough to stay in cache).
EXPECTED_CELLS = 4096
#: Finalists kept beyond ``--top``: compare re-judges each, and a plan that sits
#: exactly on a threshold may go either way by float noise.
FINALIST_MARGIN = 3

IntArray = NDArray[np.int64]
#: One way to assign one work item: ((option index, share), ...).
Choice = tuple[tuple[int, float], ...]


class SearchTooLarge(ValueError):
    """The space is beyond exact enumeration; the message says how to shrink it."""


@dataclass(frozen=True)
class Candidate:
    """One plan of the search: its global index, assignment and verdict figures."""

    index: int
    assign: dict[str, dict[str, float]]
    metric: float
    clears: bool


@dataclass(frozen=True)
class SearchResult:
    """What the search found: the ranking's head, the cheapest plan and its coverage."""

    #: the candidates that clear their threshold, cheapest first, then the others
    ranked: tuple[Candidate, ...]
    cheapest: Candidate | None
    candidates: int
    seconds: float
    baseline_metric: float


@dataclass
class _Table:
    """One option's figures per share-vector code."""

    metric: Array
    #: the part's threshold amount (its metric, or its personnel cost)
    amount: Array
    hours: Array
    used: NDArray[np.bool_]
    #: code contribution of each choice of each item, per segment (filled later)
    positions: dict[int, int] = field(default_factory=dict)
    bits: int = 0
    #: the fractional shares a split may give (their index is part of the code)
    levels: list[float] = field(default_factory=list)
    #: the positions at which the baseline gives this option a fractional share, and
    #: that share: the baseline's choice of such an item takes the code's second slot
    base_fractions: list[tuple[int, float]] = field(default_factory=list)

    @property
    def split_slots(self) -> int:
        """Values of the first slot: no split, or a (position, level) of a split."""
        return 1 + len(self.positions) * len(self.levels)


def choices(scenario: Scenario) -> tuple[list[list[Choice]], list[list[Choice]]]:
    """For each work item: its whole choices, and its split choices (with ``mix.shares``)."""
    mix = scenario.mix or Mix()
    levels = split_levels(mix.shares)
    whole: list[list[Choice]] = []
    split: list[list[Choice]] = []
    for w in scenario.work:
        if w.name in mix.keep:
            keep = next(i for i, o in enumerate(scenario.options) if o.name == mix.keep[w.name])
            whole.append([((keep, 1.0),)])
            split.append([])
            continue
        allowed = [i for i, o in enumerate(scenario.options)
                   if not option_specialization_gap(o, [w])]
        whole.append([((i, 1.0),) for i in allowed])
        split.append([((i, s), (j, _partner(s, levels))) for n, i in enumerate(allowed)
                      for j in allowed[n + 1:] for s in levels])
    return whole, split


def base_choices(scenario: Scenario) -> list[Choice]:
    """The baseline's choice of each work item, as ``((option index, share), ...)``."""
    index = {o.name: i for i, o in enumerate(scenario.options)}
    base = next(a for a in alternatives(scenario) if a.name == scenario.baseline_name)
    return [tuple(sorted((index[o], float(s)) for o, s in base.assign[w.name].items()))
            for w in scenario.work]


def split_levels(shares: Sequence[float]) -> list[float]:
    """The fractional shares a split may give its first option: each share and 1 − it."""
    return sorted({round(x, 12) for s in shares for x in (s, 1.0 - s)})


def _partner(share: float, levels: list[float]) -> float:
    """The level that completes ``share`` to 1 (the same float every time it is used)."""
    return min(levels, key=lambda x: abs(x - (1.0 - share)))


#: A part of the space: each item's choices, and how many vendors a plan in it must use
#: (None: any number).
Segment = tuple[list[list[Choice]], int | None]


def segments(scenario: Scenario, whole: list[list[Choice]],
             split: list[list[Choice]]) -> list[Segment]:
    """The space as a union of disjoint products: every item whole, then for each item its
    splits with the others whole.

    With ``max_vendors``, each product is taken once per set of at most that many
    vendors, keeping the plans that use exactly that set: the same plans, each once,
    in a far smaller space when few vendors are allowed.
    """
    mix = scenario.mix or Mix()
    vendors = [i for i, o in enumerate(scenario.options) if o.model in OUTSOURCED]
    parts: list[tuple[list[list[Choice]], list[list[Choice]], int | None]] = [
        (whole, split, None)]
    if mix.max_vendors is not None and len(vendors) > mix.max_vendors:
        sets = [set(c) for k in range(mix.max_vendors + 1)
                for c in itertools.combinations(vendors, k)]
        if len(sets) <= MAX_VENDOR_SETS:
            parts = []
            for allowed in sets:
                def fits(c: Choice, allowed: set[int] = allowed) -> bool:
                    return all(o in allowed or o not in vendors for o, _ in c)
                parts.append(([[c for c in cs if fits(c)] for cs in whole],
                              [[c for c in cs if fits(c)] for cs in split], len(allowed)))
    out: list[Segment] = []
    for wh, sp, need in parts:
        out.append((wh, need))
        out += [([sp[w] if v == w else wh[v] for v in range(len(wh))], need)
                for w in range(len(wh)) if sp[w]]
    return [(seg, need) for seg, need in out if math.prod(len(c) for c in seg) > 0]


def in_space(scenario: Scenario, assigns: Sequence[Assign]) -> list[bool]:
    """For each assignment: is it one of the plans the search enumerates (the ``mix``
    constraints hold)? The choices and hours are read once for all of them."""
    whole, split = choices(scenario)
    wholes, splits = [set(c) for c in whole], [set(c) for c in split]
    index = {o.name: i for i, o in enumerate(scenario.options)}
    mix = scenario.mix or Mix()
    hours = [float(work_hours(w, scenario, POINT_VALUES).sum()) for w in scenario.work]
    limit = (mix.max_share or 0.0) * sum(hours) * (1 + 1e-12)

    def enumerated(assign: Assign) -> bool:
        picked = [tuple(sorted((index[o], float(s)) for o, s in assign[w.name].items()))
                  for w in scenario.work]
        if any(c not in wholes[w] and c not in splits[w] for w, c in enumerate(picked)):
            return False
        if sum(c in splits[w] for w, c in enumerate(picked)) > 1:
            return False
        vendors = {o for c in picked for o, _ in c if scenario.options[o].model in OUTSOURCED}
        if mix.max_vendors is not None and len(vendors) > mix.max_vendors:
            return False
        return mix.max_share is None or all(
            sum(h * dict(c).get(o, 0.0) for h, c in zip(hours, picked, strict=True)) <= limit
            for o in vendors)

    return [enumerated(a) for a in assigns]


def space_size(scenario: Scenario) -> int:
    """How many plans are enumerated (``max_share`` and, past MAX_VENDOR_SETS sets of
    vendors, ``max_vendors`` then filter them)."""
    whole, split = choices(scenario)
    return sum(math.prod(len(c) for c in seg) for seg, _ in segments(scenario, whole, split))


@dataclass(frozen=True)
class Expected:
    """Rank plans by their expected metric over sampled trials (``mix --trials``): each
    chunk of draws (``(trials in it, {path: values})``), the same for every option
    (common random numbers), and the number of trials."""

    chunks: tuple[tuple[int, dict[str, Array]], ...]
    trials: int
    #: the options' tables once costed (a robust search may rank the space again)
    tables: list[_Table] = field(default_factory=list)


def search(scenario: Scenario, top: int = 5, v: Values = POINT_VALUES,
           expected: Expected | None = None) -> SearchResult:
    """Score every allowed plan; keep the ``top`` best by compare's rule and the cheapest.

    ``expected``: rank every plan by its expected metric over the trials instead (the
    mean is linear in the parts, so each option's table holds its expected figure per
    share vector and the ranking stays exact); no plan is judged against the threshold
    here (``robust`` judges the head per trial): every candidate counts as clearing.
    """
    started = time.perf_counter()
    whole, split = choices(scenario)
    segs = segments(scenario, whole, split)
    size = sum(math.prod(len(c) for c in seg) for seg, _ in segs)
    if size > MAX_CANDIDATES:
        raise SearchTooLarge(too_large(scenario, size, whole))
    demand = total_demand(scenario, v)
    factors = discount_factors(v(scenario, "discount_rate"), scenario.horizon_months)
    decision = scenario.decision
    metric = decision.metric
    base = next(f for f in cost_alternatives(scenario, demand, v, factors)
                if f.alternative.name == scenario.baseline_name)
    base_metric = float(metric_of(base.combined, metric)[0])
    base_feasible = not base.combined.infeasible_reasons and expected is None
    base_parts = [float(x[0]) for x in part_metrics(base, scenario.options, metric,
                                                     decision.threshold_base, factors)]
    base_choice = base_choices(scenario)
    if expected is not None and expected.tables:
        tables = expected.tables
    else:
        tables = _tables(scenario, whole, split, base_choice, demand, factors, v, expected)
        if expected is not None:
            expected.tables.extend(tables)
    all_hours = float(demand.sum())
    mix = scenario.mix or Mix()
    outsourced = [i for i, o in enumerate(scenario.options) if o.model in OUTSOURCED]
    n_options = len(scenario.options)

    best: list[tuple[Array, IntArray]] = []  # clearing
    rest: list[tuple[Array, IntArray]] = []  # not clearing
    keep = top + 1 + FINALIST_MARGIN
    count = 0
    offset = 0
    tol = tolerance(base_metric)
    for seg, need in segs:
        seg_size = math.prod(len(c) for c in seg)
        # Per item and choice: the code each option's table is read at, and whether the
        # choice moves the item from the baseline; per item, the baseline's code.
        luts = [{w: np.array([_code(tables[o], w, c, o) for c in seg[w]], dtype=np.int64)
                 for w in tables[o].positions} for o in range(n_options)]
        back = [{w: _code(tables[o], w, base_choice[w], o, base=True) for w in tables[o].positions}
                for o in range(n_options)]
        moves = [np.array([c != base_choice[w] for c in seg[w]]) for w in range(len(seg))]
        for lo in range(0, seg_size, CHUNK):
            idx = np.arange(lo, min(lo + CHUNK, seg_size), dtype=np.int64)
            digits = _digits(idx, [len(c) for c in seg])
            ok = np.ones(len(idx), dtype=bool)
            vendors = np.zeros(len(idx), dtype=np.int64)
            codes: list[IntArray] = []
            for o, table in enumerate(tables):
                code = np.zeros(len(idx), dtype=np.int64)
                for w, lut in luts[o].items():
                    code = code + lut[digits[w]]
                codes.append(code)
                if o in outsourced:
                    vendors = vendors + table.used[code]
                    if mix.max_share is not None:
                        ok &= table.hours[code] <= mix.max_share * all_hours * (1 + 1e-12)
            if mix.max_vendors is not None:
                ok &= vendors <= mix.max_vendors
            if need is not None:  # each plan once: in the part of exactly its vendors
                ok &= vendors == need
            values = [t.metric[c] for t, c in zip(tables, codes, strict=True)]
            amounts = [t.amount[c] for t, c in zip(tables, codes, strict=True)]
            total = _sum(values)
            if base_feasible:
                avoided = _sum([np.maximum(b - a, 0.0)
                                for a, b in zip(amounts, base_parts, strict=True)])
                clears = clears_test(base_metric - total, decision.min_savings * avoided,
                                     decision.min_savings_amount, tol)
                moved = [m[digits[w]] for w, m in enumerate(moves)]
                several = _sum([m.astype(np.float64) for m in moved]) >= 2
                for w in range(len(seg)):
                    check = several & moved[w] & clears
                    if not np.any(check):
                        continue
                    # A−w: each option the item touches read at the baseline's choice.
                    without = list(values)
                    without_amounts = list(amounts)
                    for o in range(n_options):
                        if w in luts[o]:
                            code = codes[o] - luts[o][w][digits[w]] + back[o][w]
                            without[o] = tables[o].metric[code]
                            without_amounts[o] = tables[o].amount[code]
                    inc = _sum(without) - total
                    avoided_w = _sum([np.maximum(b - a, 0.0) for a, b in
                                      zip(amounts, without_amounts, strict=True)])
                    clears &= ~check | clears_test(inc, decision.min_savings * avoided_w,
                                                   0.0, tol)
            else:  # compare's rule: the cheapest feasible plan, no threshold
                clears = np.ones(len(idx), dtype=bool)
            count += int(ok.sum())
            for pick, bucket in ((ok & clears, best), (ok & ~clears, rest)):
                picked = np.flatnonzero(pick)
                if len(picked) > keep:
                    # Every candidate up to the keep-th value, ties included, so that
                    # _head breaks ties by index and the result never depends on chunking.
                    kth = np.partition(total[picked], keep - 1)[keep - 1]
                    picked = picked[total[picked] <= kth]
                bucket.append((total[picked], idx[picked] + offset))
            best[:] = [_head(best, keep)]
            rest[:] = [_head(rest, keep)]
        offset += seg_size

    def candidates(bucket: list[tuple[Array, IntArray]], clear: bool) -> list[Candidate]:
        values, where = _head(bucket, keep)
        return [Candidate(int(i), decode(scenario, segs, int(i)), float(x), clear)
                for x, i in zip(values, where, strict=True)]

    good, bad = candidates(best, True), candidates(rest, False)
    both = sorted([*good[:1], *bad[:1]], key=lambda c: (c.metric, c.index))
    return SearchResult(tuple([*good, *bad]), both[0] if both else None, count,
                        time.perf_counter() - started, base_metric)


def _sum(arrays: Sequence[Array]) -> Array:
    """The sum from zero in the given order (file order of options): compare's order."""
    total = np.zeros_like(arrays[0])
    for a in arrays:
        total = total + a
    return total


def _head(bucket: list[tuple[Array, IntArray]], n: int) -> tuple[Array, IntArray]:
    """The ``n`` smallest (value, index) pairs of a bucket, sorted (ties: lower index)."""
    values = np.concatenate([b[0] for b in bucket]) if bucket else np.zeros(0)
    where = (np.concatenate([b[1] for b in bucket]) if bucket
             else np.zeros(0, dtype=np.int64))
    order = np.lexsort((where, values))[:n]
    return values[order], where[order]


def _digits(idx: IntArray, radices: Sequence[int]) -> list[IntArray]:
    """Mixed-radix digits of ``idx``: the choice index of each item (first item fastest)."""
    out = []
    rest = idx
    for r in radices:
        out.append(rest % r)
        rest = rest // r
    return out


def decode(scenario: Scenario, segs: list[Segment], index: int) -> dict[
        str, dict[str, float]]:
    """The assignment of candidate ``index``: ``{work: {option: share}}``."""
    for seg, _ in segs:
        size = math.prod(len(c) for c in seg)
        if index < size:
            digits = [int(d[0]) for d in _digits(np.array([index]), [len(c) for c in seg])]
            return {w.name: {scenario.options[o].name: s for o, s in seg[i][digits[i]]}
                    for i, w in enumerate(scenario.work)}
        index -= size
    raise IndexError("candidate index out of range")


def _code(table: _Table, w: int, choice: Choice, o: int, base: bool = False) -> int:
    """Where item ``w``'s ``choice`` puts option ``o`` in its table's code: share 0 or 1
    as a bit; a fractional share in the first slot, or with ``base`` (the baseline's
    choice) in the second."""
    share = dict(choice).get(o, 0.0)
    p = table.positions[w]
    if share in (0.0, 1.0):
        return int(share) << p
    if not base:
        return (1 + p * len(table.levels) + table.levels.index(share)) << table.bits
    q = next(i for i, (at, _) in enumerate(table.base_fractions) if at == p)
    return ((1 + q) * table.split_slots) << table.bits


def _tables(scenario: Scenario, whole: list[list[Choice]], split: list[list[Choice]],
            base_choice: list[Choice], demand: Array, factors: Array,
            v: Values, expected: Expected | None = None) -> list[_Table]:
    """Each option's metric, threshold amount, hours and use for every share vector a
    candidate, or a candidate with one item as in the baseline, can give it.

    Items whose share of the option never varies are fixed in every row; the
    others take a bit each (share 0 or 1), at most one a fractional level of
    ``mix.shares`` (first slot) and at most one the baseline's fractional share
    (second slot). The code is ``bits + 2^a · (first + slots · second)``.
    """
    levels = split_levels((scenario.mix or Mix()).shares)
    per_work = [work_hours(w, scenario, v) for w in scenario.work]
    plans: list[tuple[list[int], list[float], list[tuple[int, float]]]] = []
    costed = cells = 0
    for o in range(len(scenario.options)):
        given = [sorted({dict(c).get(o, 0.0) for c in [*whole[w], *split[w], base_choice[w]]})
                 for w in range(len(scenario.work))]
        positions = [w for w, g in enumerate(given) if len(g) > 1]
        fixed = [g[0] if len(g) == 1 else 0.0 for g in given]
        fractions = [(p, dict(base_choice[w]).get(o, 0.0)) for p, w in enumerate(positions)
                     if 0 < dict(base_choice[w]).get(o, 0.0) < 1]
        a = len(positions)
        splits = sum(1 for w in positions for s in given[w] if 0 < s < 1)
        rows = ((1 << a) + splits * (1 << max(a - 1, 0))) * (1 + len(fractions))
        costed += rows
        cells += ((1 + a * len(levels)) << a) * (1 + len(fractions))
        trials = 1 if expected is None else expected.trials
        if (costed > MAX_COSTED or cells > MAX_CELLS
                or costed * scenario.horizon_months * trials > (
                    MAX_COSTED_MONTHS if expected is None else MAX_TRIAL_CELLS)):
            raise SearchTooLarge(too_large(scenario, space_size(scenario), whole, costed=True))
        plans.append((positions, fixed, fractions))
    tables: list[_Table] = []
    for o, option in enumerate(scenario.options):
        positions, fixed, fractions = plans[o]
        a = len(positions)
        size = ((1 + a * len(levels)) << a) * (1 + len(fractions))
        table = _Table(np.full(size, np.nan), np.full(size, np.nan), np.zeros(size),
                       np.zeros(size, dtype=bool), {w: p for p, w in enumerate(positions)}, a,
                       levels, fractions)
        staff = float(getattr(option, "existing_fte", 0.0)) > 0
        served = [w for w in scenario.work if not option_specialization_gap(option, [w])]
        every = np.arange(1 << a, dtype=np.int64)
        groups = [None, *[(p, li) for p, w in enumerate(positions) for li, s in enumerate(levels)
                          if any(dict(c).get(o, 0.0) == s for c in split[w])]]
        for second in [None, *range(len(fractions))]:
            for split_at in groups:
                if second is not None and split_at is not None and \
                        split_at[0] == fractions[second][0]:
                    continue  # one item cannot hold both slots
                # Whole items: one bit each; a fractional item: its bit clear, its level
                # in the code.
                codes = every
                if split_at is not None:
                    codes = codes[(codes >> split_at[0] & 1) == 0]
                if second is not None:
                    codes = codes[(codes >> fractions[second][0] & 1) == 0]
                step = BLOCK if expected is None else EXPECTED_BLOCK
                for lo in range(0, len(codes), step):
                    bits = codes[lo:lo + step]
                    block = np.tile(np.array(fixed), (len(bits), 1))
                    if a:
                        block[:, positions] = (bits[:, None] >> np.arange(a) & 1).astype(float)
                    slot = 0
                    if split_at is not None:
                        p, li = split_at
                        block[:, positions[p]] = levels[li]
                        slot = 1 + p * len(levels) + li
                    if second is not None:
                        p, share = fractions[second]
                        block[:, positions[p]] = share
                        slot += (1 + second) * table.split_slots
                    if expected is None:
                        _cost_block(table, option, scenario, block, bits | slot << a,
                                    per_work, staff, served, v, factors)
                    else:
                        _expected_block(table, option, scenario, block, bits | slot << a,
                                        staff, served, expected)
        tables.append(table)
    return tables


def _cost_block(table: _Table, option: AnyOption, scenario: Scenario, block: Array,
                at: IntArray, per_work: list[Array], staff: bool,
                served: list[RecurringWork | OneOffWork], v: Values, factors: Array) -> None:
    """Cost ``option`` on each row of shares in ``block``; store the figures at ``at``."""
    hours = _row_hours(block, per_work)
    figures = cost_option(option, scenario, hours, v, work=served, factors=factors,
                          lean=True)
    decision = scenario.decision
    value = np.broadcast_to(metric_of(figures, decision.metric), (len(block),))
    amount = np.broadcast_to(part_amount(figures, decision.metric, decision.threshold_base,
                                         factors), (len(block),))
    empty = ~block.any(axis=1)
    # An option with no work and no staff is no part of the plan: it costs nothing.
    table.metric[at] = np.where(empty & (not staff), 0.0, value)
    table.amount[at] = np.where(empty & (not staff), 0.0, amount)
    table.hours[at] = hours.sum(axis=1)
    table.used[at] = ~empty


def _expected_block(table: _Table, option: AnyOption, scenario: Scenario, block: Array,
                    at: IntArray, staff: bool, served: list[RecurringWork | OneOffWork],
                    expected: Expected) -> None:
    """``_cost_block`` in expectation: each row of shares costed in every trial (rows ×
    trials as the first axis of one demand array, each input's draws repeated per row),
    its metric averaged over the trials."""
    rows = len(block)
    if not _depends_on_draws(option, scenario, served, expected):
        # No input it reads is uncertain: its expected figure is its point figure.
        _cost_block(table, option, scenario, block, at,
                    [work_hours(w, scenario, POINT_VALUES) for w in scenario.work], staff,
                    served, POINT_VALUES, discount_factors(
                        POINT_VALUES(scenario, "discount_rate"), scenario.horizon_months))
        return
    sums = np.zeros(rows)
    hours_sum = np.zeros(rows)
    for n, draws in _slices(expected.chunks, max(1, EXPECTED_CELLS // rows)):
        tiled = {p: np.tile(d, rows) for p, d in draws.items()}
        v = PathValues(scenario, tiled, rows * n)
        per_work = [work_hours(w, scenario, v) for w in scenario.work]
        if all(item.shape[0] == 1 for item in per_work):
            # No uncertain demand: each row's hours once, then repeated for its trials.
            hours = np.repeat(_row_hours(block, per_work), n, axis=0)
        else:
            hours = np.zeros((1, scenario.horizon_months))
            for w, item in enumerate(per_work):
                if np.any(block[:, w]):
                    hours = hours + np.repeat(block[:, w], n)[:, None] * item
            hours = np.broadcast_to(hours, (rows * n, scenario.horizon_months))
        factors = discount_factors(v(scenario, "discount_rate"), scenario.horizon_months)
        figures = cost_option(option, scenario, hours, v, work=served, factors=factors,
                              lean=True)
        value = np.broadcast_to(metric_of(figures, scenario.decision.metric), (rows * n,))
        sums += value.reshape(rows, n).sum(axis=1)
        hours_sum += hours.sum(axis=1).reshape(rows, n).sum(axis=1)
    empty = ~block.any(axis=1)
    mean = sums / expected.trials
    table.metric[at] = np.where(empty & (not staff), 0.0, mean)
    table.amount[at] = table.metric[at]
    table.hours[at] = hours_sum / expected.trials
    table.used[at] = ~empty


def _row_hours(block: Array, per_work: Sequence[Array]) -> Array:
    """Each row's demand, ``Σ_w share_w · D_w``: the same additions, in the same order, as
    compare makes them."""
    hours = np.zeros((len(block), per_work[0].shape[1]))
    for w, item in enumerate(per_work):
        if np.any(block[:, w]):
            hours = hours + block[:, w:w + 1] * item
    return hours


def _slices(chunks: Sequence[tuple[int, dict[str, Array]]],
            size: int) -> Iterator[tuple[int, dict[str, Array]]]:
    """The chunks' trials in slices of at most ``size`` (the same draws, in order)."""
    for n, draws in chunks:
        for lo in range(0, n, size):
            hi = min(n, lo + size)
            yield hi - lo, {p: d[lo:hi] for p, d in draws.items()}


def _depends_on_draws(option: AnyOption, scenario: Scenario,
                      served: list[RecurringWork | OneOffWork], expected: Expected) -> bool:
    """Does any uncertain input move ``option``'s cost on all its work? A figure that no
    trial changes stays one row (``values``), so one costing over the first chunk tells."""
    if not expected.chunks:
        return False
    n, draws = expected.chunks[0]
    v = PathValues(scenario, draws, n)
    hours = total_demand(scenario, v)
    factors = discount_factors(v(scenario, "discount_rate"), scenario.horizon_months)
    figures = cost_option(option, scenario, hours, v, work=served, factors=factors, lean=True)
    return bool(metric_of(figures, scenario.decision.metric).shape[0] != 1)


def too_large(scenario: Scenario, size: int, whole: list[list[Choice]],
              costed: bool = False) -> str:
    """The refusal: how big the space is and which constraints would shrink it."""
    free = [w.name for w, c in zip(scenario.work, whole, strict=True) if len(c) > 1]
    limit = min(MAX_COSTED, MAX_COSTED_MONTHS // scenario.horizon_months)
    # 3^200 plans has 96 digits: past a trillion, the order of magnitude says it.
    digits = str(size)  # exact, however large (50 options ^ 200 items has 340 digits)
    count = (f"{size:,}" if size < 10 ** 12 else
             f"about {digits[0]}.{digits[1:3]}e+{len(digits) - 1}")
    what = (f"the {count} candidate plans need more than {limit:,} share vectors costed "
            f"over {scenario.horizon_months} months" if costed else
            f"{count} candidate plans exceed the {MAX_CANDIDATES:,} that mix enumerates "
            "exactly in seconds")
    hint = ("fix items with mix.keep (each kept item divides the space by its number of "
            "options), allow fewer vendors with mix.max_vendors, let fewer options serve each "
            "item (serves, max_specialization), drop mix.shares, or shorten horizon_months")
    return f"{what} ({len(free)} items with a choice: {', '.join(free[:6])}" + (
        ", ..." if len(free) > 6 else "") + f"); {hint}. mix never falls back to a heuristic."
