"""engine.sampling: inverse cdfs, streams per path, chunks, Latin hypercube, Iman–Conover.

Statistical checks use a fixed seed, so each is one deterministic outcome; their
tolerances are 4 standard errors (a fresh seed would fail one check in ~16,000).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from types import SimpleNamespace

import numpy as np
import pytest

from kpo_calc.distributions import (
    Distribution,
    correlation_conflict,
    correlation_problem,
    interval,
    parse,
)
from kpo_calc.engine import sampling
from kpo_calc.engine.sampling import (
    MAX_CHUNK,
    Sampler,
    beta_cdf,
    beta_ppf,
    erfc,
    es,
    ndtri,
    percentiles,
    ppf,
    stable_hash,
    stream,
)

Z95 = NormalDist().inv_cdf(0.95)  # 1.6448536269514722

# The closed forms, worked by hand (the test also checks Distribution agrees):
# uniform(2, 7): mean (2+7)/2 = 4.5; P5 = 2 + 0.05*5 = 2.25; P50 4.5; P95 = 6.75.
# triangular(1, 3, 10): mean 14/3 = 4.6667; the mode's cdf is (3-1)/(10-1) = 2/9, so
#   P5 = 1 + sqrt(0.05*9*2) = 1.94868, P50 = 10 - sqrt(0.5*9*7) = 4.38751,
#   P95 = 10 - sqrt(0.05*9*7) = 8.22520.
# normal(10, 2): mean 10; P5 = 10 - 2*1.6448536 = 6.71029; P50 10; P95 13.28971.
# 80000 to 120000 (lognormal, a 90% interval): P5 80000 and P95 120000 by construction;
#   P50 = sqrt(80000*120000) = 97979.59; sigma = ln(1.5)/(2*1.6448536) = 0.1232529,
#   mean = 97979.59 * exp(sigma²/2) = 98726.63.
# pert(10, 12, 30): beta shapes 1 + 4*2/20 = 1.4 and 1 + 4*18/20 = 4.6; mean
#   (10 + 4*12 + 30)/6 = 14.6667; the beta quantiles have no closed form: P5 10.599964,
#   P50 14.053297, P95 20.841482 (Distribution.quantile's bisection; scipy's
#   10 + 20 * beta.ppf(p, 1.4, 4.6) agrees to 1e-14).
CASES = [
    ({"uniform": [2, 7]}, 4.5, (2.25, 4.5, 6.75)),
    ({"triangular": [1, 3, 10]}, 14 / 3, (1 + math.sqrt(0.9), 10 - math.sqrt(31.5),
                                          10 - math.sqrt(3.15))),
    ({"normal": [10, 2]}, 10.0, (10 - 2 * Z95, 10.0, 10 + 2 * Z95)),
    ("80000 to 120000", math.sqrt(80000 * 120000) * math.exp(
        (math.log(1.5) / (2 * Z95)) ** 2 / 2), (80000.0, math.sqrt(80000 * 120000), 120000.0)),
    ({"pert": [10, 12, 30]}, 88 / 6, (10.599964, 14.053297, 20.841482)),
]


def draws(inputs: dict[str, Distribution], **kwargs: object) -> dict[str, np.ndarray]:
    """Every chunk of a sampler joined (kwargs: Sampler's, trials and seed defaulted)."""
    args: dict[str, object] = {"trials": 2000, "seed": 11}
    args.update(kwargs)
    chunks = [c for _, c in Sampler(inputs, **args).chunks()]  # type: ignore[arg-type]
    return {p: np.concatenate([c[p] for c in chunks]) for p in inputs}


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    rx = np.argsort(np.argsort(x)).astype(float)
    ry = np.argsort(np.argsort(y)).astype(float)
    return float(np.corrcoef(rx, ry)[0, 1])


# ---- inverse cdfs ---------------------------------------------------------------------

def test_erfc_matches_math_erfc() -> None:
    # Cody's approximations: about 1e-16 relative wherever erfc is a normal float (the
    # tail the inverse normal needs reaches x = 5.8 at u = 2**-53).
    x = np.concatenate([np.linspace(-6, 26, 20001), [0.0, 0.46875, -0.46875, 4.0, -4.0]])
    want = np.array([math.erfc(v) for v in x])
    assert np.allclose(erfc(x), want, rtol=5e-15, atol=0)


def test_ndtri_matches_statistics_inv_cdf() -> None:
    # Acklam (1.15e-9) plus one Halley step on an accurate cdf: full double precision,
    # in both tails (worked on min(u, 1-u)) and near 1/2 (where x is tiny).
    u = np.concatenate([np.logspace(-12, math.log10(0.5), 3000),
                        1 - np.logspace(-12, math.log10(0.5), 3000),
                        np.linspace(1e-12, 1 - 1e-12, 20001),
                        0.5 + np.logspace(-15, -2, 500), 0.5 - np.logspace(-15, -2, 500)])
    want = np.array([NormalDist().inv_cdf(v) for v in u])
    assert np.allclose(ndtri(u), want, rtol=1e-12, atol=0)
    assert ndtri(np.array([0.5]))[0] == 0.0
    assert np.isfinite(ndtri(np.array([2.0**-53, 1 - 2.0**-53]))).all()


@pytest.mark.parametrize(("spec", "mean", "pcts"), CASES)
def test_ppf_matches_quantile(spec: object, mean: float, pcts: tuple[float, ...]) -> None:
    dist = parse(spec)
    q = np.concatenate([np.linspace(1e-6, 1 - 1e-6, 301), [1e-3, 0.5, 0.999]])
    want = np.array([dist.quantile(v) for v in q])
    lo, hi = dist.quantile(1e-6), dist.quantile(1 - 1e-6)
    # 1e-12 relative for the closed forms; the PERT's 1e-10 of its range is the brief's
    # bar (the reference's own bisection is good to about 1e-13 there).
    tol = 1e-10 * (hi - lo) if dist.kind == "pert" else 1e-12 * max(abs(lo), abs(hi))
    assert np.max(np.abs(ppf(dist, q) - want)) <= tol
    assert dist.mean == pytest.approx(mean, rel=1e-12)
    assert [dist.quantile(p) for p in (0.05, 0.5, 0.95)] == pytest.approx(pcts, abs=1e-6)


@pytest.mark.parametrize(("a", "b"), [(1.0, 5.0), (5.0, 1.0), (3.0, 3.0), (1.4, 4.6)])
def test_beta_ppf_inverts_the_cdf_in_both_tails(a: float, b: float) -> None:
    # Relative precision in each tail: the upper one is solved as the mirrored lower
    # tail, I_{1-x}(b, a) = 1 - u, so 1 - u = 1e-12 is resolved like u = 1e-12.
    u = np.logspace(-12, math.log10(0.5), 200)
    assert np.allclose(beta_cdf(beta_ppf(u, a, b), a, b), u, rtol=1e-12, atol=0)
    upper = 1 - beta_ppf(1 - u, a, b)  # the mass above x
    assert np.allclose(beta_cdf(upper, b, a), u, rtol=1e-3, atol=0)  # 1 - x rounds
    assert beta_cdf(np.array([0.0, 1.0, -1.0, 2.0]), a, b).tolist() == [0.0, 1.0, 0.0, 1.0]


@pytest.mark.parametrize("spec", [
    "0.1 to 0.1", {"low": -3, "high": -3}, {"normal": [0.3, 0]}, {"triangular": [0.7, 0.7, 0.7]},
    {"pert": [1e-7, 1e-7, 1e-7]}, {"uniform": [123456.789, 123456.789]}])
def test_degenerate_distributions_give_the_constant_bit_for_bit(spec: object) -> None:
    dist = parse(spec)
    assert dist.degenerate
    const = dist.written[0]
    assert ppf(dist, np.array([1e-9, 0.5, 0.999])).tolist() == [const] * 3
    got = draws({"x": dist, "y": interval(1, 2)}, trials=50, correlations=[("x", "y", 0.5)])
    assert got["x"].tobytes() == np.full(50, const).tobytes()
    assert draws({"x": dist}, trials=7, latin_hypercube=True)["x"].tolist() == [const] * 7


# ---- the draws' distribution ----------------------------------------------------------

@pytest.mark.parametrize(("spec", "mean", "pcts"), CASES)
@pytest.mark.parametrize("lhs", [False, True])
def test_sample_mean_and_percentiles(spec: object, mean: float, pcts: tuple[float, ...],
                                     lhs: bool) -> None:
    # 200,000 draws: the mean within 4 standard errors (sd/sqrt(n), sd from the sample)
    # and each percentile p within 4 * sqrt(p(1-p)/n) / f(x_p), its standard error, with
    # the density f from the quantile function's slope. LHS only narrows them.
    dist = parse(spec)
    n = 200_000
    x = draws({"x": dist}, trials=n, seed=2024, latin_hypercube=lhs)["x"]
    assert abs(x.mean() - mean) <= 4 * x.std() / math.sqrt(n)
    for p, want in zip((0.05, 0.5, 0.95), pcts, strict=True):
        h = 1e-4
        density = 2 * h / (dist.quantile(p + h) - dist.quantile(p - h))
        se = math.sqrt(p * (1 - p) / n) / density
        assert abs(float(np.percentile(x, 100 * p)) - want) <= 4 * se + 1e-4
    low, high = dist.support
    assert x.min() >= low
    assert x.max() <= high


# ---- streams --------------------------------------------------------------------------

def test_stable_hash_and_streams() -> None:
    # blake2b of the UTF-8 path, 8 bytes little-endian: the same in every process.
    assert stable_hash("fx.INR") == int.from_bytes(
        __import__("hashlib").blake2b(b"fx.INR", digest_size=8).digest(), "little")
    a = stream(1, "options[KPO India].hourly_rate").random(4)
    assert a.tolist() == stream(1, "options[KPO India].hourly_rate").random(4).tolist()
    assert a.tolist() != stream(1, "options[KPO India].hourly_rat").random(4).tolist()
    assert a.tolist() != stream(2, "options[KPO India].hourly_rate").random(4).tolist()


def test_same_arguments_give_byte_identical_draws() -> None:
    inputs = {"a": interval(1, 3), "b": parse({"pert": [0, 1, 5]}),
              "c": parse({"normal": [0, 1]})}
    kwargs = {"trials": 5000, "seed": 9, "correlations": [("a", "c", 0.4)], "chunk": 1000}
    first = Sampler(inputs, **kwargs)  # type: ignore[arg-type]
    once = [(s, {p: v.tobytes() for p, v in c.items()}) for s, c in first.chunks()]
    again = [(s, {p: v.tobytes() for p, v in c.items()}) for s, c in first.chunks()]
    other = Sampler(inputs, **kwargs)  # type: ignore[arg-type]
    fresh = [(s, {p: v.tobytes() for p, v in c.items()}) for s, c in other.chunks()]
    assert once == again == fresh
    assert [s for s, _ in once] == [0, 1000, 2000, 3000, 4000]


def test_each_path_has_its_own_stream() -> None:
    same = parse({"uniform": [0, 1]})
    got = draws({"options[A].rate": same, "options[B].rate": same})
    assert not np.array_equal(got["options[A].rate"], got["options[B].rate"])
    assert abs(spearman(got["options[A].rate"], got["options[B].rate"])) < 0.1


def test_draws_ignore_other_uncorrelated_inputs_and_their_order() -> None:
    a, b, c = interval(5, 9), parse({"triangular": [0, 1, 4]}), parse({"pert": [1, 2, 9]})
    pairs = [("a", "b", -0.6)]
    alone = draws({"a": a, "b": b}, correlations=pairs, chunk=300)
    more = draws({"new": c, "b": b, "z": c, "a": a}, correlations=pairs, chunk=300)
    for path in ("a", "b"):
        assert alone[path].tobytes() == more[path].tobytes()
    plain = draws({"c": c})
    assert plain["c"].tobytes() == draws({"a": a, "c": c}, correlations=())["c"].tobytes()


def test_chunk_size_does_not_change_plain_draws() -> None:
    # Each path's uniforms come from its stream in sequence, and every inverse cdf is
    # elementwise (the PERT's iterations stop per element), so trial t's draw is the
    # same in any chunk.
    inputs = {"a": interval(5, 9), "b": parse({"pert": [1, 2, 9]})}
    whole = draws(inputs, trials=3000, chunk=3000)
    for trials, chunk in ((700, 7), (3000, 1024), (3000, 4096), (100, 1)):
        split = draws(inputs, trials=trials, chunk=chunk)
        assert all(whole[p][:trials].tobytes() == split[p].tobytes() for p in inputs)


def test_sampler_refuses_bad_arguments() -> None:
    x = {"a": interval(1, 2), "b": interval(1, 2)}
    with pytest.raises(ValueError, match="trials"):
        Sampler(x, trials=-1, seed=0)
    with pytest.raises(ValueError, match="seed"):
        Sampler(x, trials=1, seed=-1)
    with pytest.raises(ValueError, match="chunk"):
        Sampler(x, trials=1, seed=0, chunk=0)
    with pytest.raises(ValueError, match="chunk"):
        Sampler(x, trials=1, seed=0, chunk=MAX_CHUNK + 1)
    with pytest.raises(ValueError, match="not uncertain: c"):
        Sampler(x, trials=1, seed=0, correlations=[("a", "c", 0.5)])
    with pytest.raises(ValueError, match="cannot hold together"):
        Sampler(x | {"c": interval(1, 2)}, trials=1, seed=0,
                correlations=[("a", "b", 0.9), ("a", "c", 0.9)])
    assert list(Sampler(x, trials=0, seed=0).chunks()) == []


# ---- Latin hypercube ------------------------------------------------------------------

@pytest.mark.parametrize("pairs", [(), (("u", "v", 0.8),)])
def test_lhs_puts_one_draw_in_each_stratum_of_each_chunk(pairs: tuple[object, ...]) -> None:
    # uniform(0, 1) draws are the uniforms themselves: stratum k of a chunk of n is
    # [k/n, (k+1)/n). Iman–Conover only reorders, so strata survive correlation.
    unit = parse({"uniform": [0, 1]})
    sampler = Sampler({"u": unit, "v": unit}, trials=2500, seed=5, chunk=1000,
                      latin_hypercube=True, correlations=list(pairs))  # type: ignore[arg-type]
    sizes = []
    for _, chunk in sampler.chunks():
        for x in chunk.values():
            n = x.size
            assert np.sort(np.floor(x * n)).tolist() == list(range(n))
        sizes.append(n)
    assert sizes == [1000, 1000, 500]


@pytest.mark.parametrize("raw", [0, 2**64 - 1])
def test_lhs_strata_hold_at_the_largest_chunk_and_extreme_jitter(raw: int) -> None:
    # All raw draws equal: the stable argsort keeps the strata in order, and the jitter
    # is its smallest (2**-31) or largest (1 - 2**-31) value; 2**20 strata still hold.
    n = MAX_CHUNK
    fake = SimpleNamespace(bit_generator=SimpleNamespace(
        random_raw=lambda size: np.full(size, raw, dtype=np.uint64)))
    u = sampling._lhs_uniforms(fake, n)  # type: ignore[arg-type]
    assert u.min() > 0
    assert u.max() < 1
    assert np.array_equal(np.floor(u * n), np.arange(n, dtype=float))


# ---- correlations ---------------------------------------------------------------------

def test_rank_correlations_are_reproduced() -> None:
    # a-b -0.5 and b-c 0.7 (a-c 0 by omission; det = 1 - 0.25 - 0.49 = 0.26 > 0): each
    # Spearman within 0.02 at 20,000 trials; d, in no correlation, stays independent
    # (the standard error of a zero Spearman is 1/sqrt(20000) = 0.007).
    inputs = {"a": interval(1, 3), "b": parse({"pert": [0, 1, 5]}),
              "c": parse({"normal": [0, 1]}), "d": parse({"triangular": [0, 1, 2]})}
    pairs = [("a", "b", -0.5), ("b", "c", 0.7)]
    for lhs in (False, True):
        x = draws(inputs, trials=20_000, seed=3, correlations=pairs, latin_hypercube=lhs)
        assert spearman(x["a"], x["b"]) == pytest.approx(-0.5, abs=0.02)
        assert spearman(x["b"], x["c"]) == pytest.approx(0.7, abs=0.02)
        assert spearman(x["a"], x["c"]) == pytest.approx(0.0, abs=0.02)
        assert abs(spearman(x["a"], x["d"])) < 0.03
        # the values are the independent draws, reordered
        plain = draws(inputs, trials=20_000, seed=3, latin_hypercube=lhs)
        assert all(np.array_equal(np.sort(x[p]), np.sort(plain[p])) for p in inputs)


def test_perfect_correlations_are_exact_within_each_chunk() -> None:
    # rho = ±1 is singular (PSD, not PD): the semi-definite factor gives the ranks of b
    # exactly those of a (or reversed) within each chunk of trials.
    unit = parse({"uniform": [0, 1]})
    inputs = {"a": unit, "b": unit, "c": unit}
    sampler = Sampler(inputs, trials=3000, seed=1, chunk=1000,
                      correlations=[("a", "b", 1.0), ("a", "c", -1.0), ("b", "c", -1.0)])
    for _, x in sampler.chunks():
        assert spearman(x["a"], x["b"]) == pytest.approx(1.0, abs=1e-12)
        assert spearman(x["a"], x["c"]) == pytest.approx(-1.0, abs=1e-12)


def test_a_valid_set_the_scores_cannot_hold_is_projected() -> None:
    # Spearman 0.5, 0.5, -0.5 is singular but valid (det = 1 - 3/4 - 1/4 = 0); its
    # normal-scores target 2 sin(pi r / 6) = ±0.5176 is not PSD (det -0.08), so its
    # negative eigenvalue is clipped: the ranks land near the request.
    unit = parse({"uniform": [0, 1]})
    pairs = [("a", "b", 0.5), ("a", "c", 0.5), ("b", "c", -0.5)]
    assert correlation_problem(pairs) is None
    x = draws({"a": unit, "b": unit, "c": unit}, trials=20_000, correlations=pairs)
    assert spearman(x["a"], x["b"]) == pytest.approx(0.5, abs=0.03)
    assert spearman(x["b"], x["c"]) == pytest.approx(-0.5, abs=0.03)


@pytest.mark.parametrize("chunk", [1, 2, 3, 4])
def test_tiny_chunks_are_drawn_without_failing(chunk: int) -> None:
    # Under 3 trials a chunk is left as drawn; with no more trials than paths the
    # scores' sample correlation is singular and its correction is skipped.
    inputs = {p: interval(1, 2) for p in "abcd"}
    pairs = [("a", "b", 0.3), ("b", "c", 0.3), ("c", "d", 0.3)]
    x = draws(inputs, trials=10, chunk=chunk, correlations=pairs)
    assert all(v.size == 10 and np.isfinite(v).all() for v in x.values())


def test_correlation_problem_flags_impossible_sets() -> None:
    # [[1, .9, .9], [.9, 1, -.9], [.9, -.9, 1]]: a close to both b and c, which are
    # opposite; det = 1 - 3(.81) - 2(.729) < 0.
    bad = [("a", "b", 0.9), ("a", "c", 0.9), ("b", "c", -0.9)]
    index, message = correlation_conflict(bad)  # type: ignore[misc]
    assert index == 2  # the pair that completes the conflict
    assert "cannot hold together (the matrix is not positive semi-definite)" in message
    assert "loosen one of them" in message
    assert all(f"{x} and {y} at {r:g}" in message for x, y, r in bad)
    assert correlation_conflict(bad) == (index, message)
    assert correlation_problem(bad) == message
    # Omitted pairs are 0: a close to b and to c forces b close to c, so the message
    # says that b and c were not given.
    index, message = correlation_conflict([("a", "b", 0.9), ("a", "c", 0.9)])  # type: ignore[misc]
    assert index == 1
    assert message.endswith("a and b at 0.9; a and c at 0.9; (b and c: not given, so 0)")
    # Only the inputs in conflict are named (x and y are fine on their own).
    mixed = [("x", "y", 0.3), ("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 0.5)]
    index, message = correlation_conflict(mixed)  # type: ignore[misc]
    assert index == 3
    assert "x and y" not in message
    assert "a and b at 1" in message


@pytest.mark.parametrize("pairs", [
    [], [("a", "b", 0.9), ("a", "c", 0.9), ("b", "c", 0.9)], [("a", "b", 1.0)],
    [("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0)], [("a", "b", -1.0)],
    [("a", "b", -0.5), ("b", "c", 0.7)], [("a", "b", 0.81), ("a", "c", 0.9), ("b", "c", 0.9)]])
def test_correlation_problem_accepts_valid_sets(pairs: list[tuple[str, str, float]]) -> None:
    assert correlation_problem(pairs) is None
    assert correlation_conflict(pairs) is None


@pytest.mark.parametrize(("pairs", "says"), [
    ([("a", "a", 0.5)], "itself"),
    ([("a", "b", 1.5)], "between -1 and 1, got 1.5"),
    ([("a", "b", float("nan"))], "between -1 and 1"),
    ([("a", "b", 0.5), ("b", "a", 0.5)], "given twice (entries 1 and 2)")])
def test_correlation_problem_flags_malformed_pairs(pairs: list[tuple[str, str, float]],
                                                   says: str) -> None:
    found = correlation_conflict(pairs)
    assert found is not None
    assert found[0] == len(pairs) - 1
    assert says in found[1]


# ---- summaries ------------------------------------------------------------------------

def test_percentiles_interpolate_linearly() -> None:
    # Type 7: position p(n-1) = 0.9*4 = 3.6 on [1..5] -> 4 + 0.6*(5-4) = 4.6.
    assert percentiles(np.array([5.0, 1, 4, 2, 3]), [0, 25, 50, 90]).tolist() == [
        1.0, 2.0, 3.0, 4.6]
    two = percentiles(np.array([[1.0, 2, 3], [10, 20, 30]]), [50])
    assert two.tolist() == [[2.0, 20.0]]


def test_expected_shortfall_is_the_mean_of_the_largest_costs() -> None:
    # 1..100 at 95%: the worst 5 costs 96..100, mean 98.
    assert float(es(np.arange(1.0, 101))) == 98.0
    # 1..10 at 85%: a tail of 1.5 trials, 10 in full and half of 9: (10 + 4.5)/1.5.
    assert float(es(np.arange(1.0, 11), 0.85)) == pytest.approx(29 / 3, rel=1e-15)
    # 10 trials at 95%: a tail of half a trial, the largest alone.
    assert float(es(np.arange(1.0, 11))) == 10.0
    assert float(es(np.arange(1.0, 11), 1 - 1e-12)) == 10.0
    assert es(np.array([[1.0, 2, 3, 4], [8, 7, 6, 5]]), 0.5).tolist() == [3.5, 7.5]
    with pytest.raises(ValueError, match="level"):
        es(np.ones(3), 1.0)
    with pytest.raises(ValueError, match="no trials"):
        es(np.ones(0))
