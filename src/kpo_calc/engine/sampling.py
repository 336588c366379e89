"""Monte Carlo draws of the uncertain inputs (design section 9), with numpy only.

* **A stream per field path.** Each path draws from its own PCG64 stream, seeded by
  ``SeedSequence(seed, spawn_key=(stable_hash(path),))``: a path's draws depend only on
  the seed, the trial count, the path and its distribution, never on the order of the
  inputs or on which other inputs are uncertain (adding an uncorrelated input, a plan
  or an option leaves every other draw unchanged).
* **Uniforms** come from the raw 64-bit output (``((raw >> 12) + 0.5) / 2**52``), so
  they lie strictly inside (0, 1) and every inverse cdf is finite; they are drawn in
  sequence from the path's stream, chunk after chunk, so without Latin hypercube or
  correlations the draws of trial ``t`` do not depend on the chunk size.
* **Chunks.** :class:`Sampler` yields the draws ``chunk`` trials at a time: a million
  trials never hold more than one chunk of draws.
* **Latin hypercube** (``latin_hypercube=True``) stratifies *within each chunk*: of a
  chunk of ``n`` trials, each path has exactly one uniform in each stratum
  ``[k/n, (k+1)/n)``, in an order that is a random permutation drawn from the path's
  stream. Stratifying the whole run would need every trial's draws at once.
* **Correlations** are rank correlations imposed by Iman–Conover within each chunk, per
  connected group of correlated paths (see :func:`_iman_conover`); paths in no
  correlation are never touched.
* Inverse cdfs are vectorised here (numpy has no inverse normal and scipy is not a
  dependency): Acklam's inverse normal with one Halley step on W. J. Cody's erfc, and a
  safeguarded Halley solve of the regularised incomplete beta for PERT.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from kpo_calc.distributions import (
    Distribution,
    correlation_conflict,
    correlation_matrix,
    pert_shape,
    psd_cholesky,
)

Array = NDArray[np.float64]

#: The largest chunk: Latin hypercube strata stay exact in float64 up to 2**20 trials
#: (see :func:`_lhs_uniforms`).
MAX_CHUNK = 2**20


# ---------------------------------------------------------------------------------------
# erfc (W. J. Cody, "Rational Chebyshev approximations for the error function", Math.
# Comp. 23 (1969) 631-637; the coefficients of his CALERF routine, netlib specfun).

_ERF_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
          3.20937758913846947e03, 1.85777706184603153e-1)
_ERF_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
          2.84423683343917062e03)
_ERF_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
          2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
          2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_ERF_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
          1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
          3.43936767414372164e03, 1.23033935480374942e03)
_ERF_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
          1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_ERF_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
          6.05183413124413191e-2, 2.33520497626869185e-3)
_INV_SQRT_PI = 5.6418958354775628695e-1


def erfc(x: Array) -> Array:
    """The complementary error function, elementwise, to about 1e-16 relative: the tail
    of the normal cdf that the inverse normal's Halley step needs in full precision."""
    x = np.asarray(x, dtype=np.float64)
    y = np.abs(x)
    out = np.empty_like(y)
    small = y <= 0.46875
    middle = (y > 0.46875) & (y <= 4.0)
    large = y > 4.0
    out[small] = 1.0 - _erf_small(x[small])
    out[middle] = _erfc_middle(y[middle])
    out[large] = _erfc_large(y[large])
    flip = (x < 0) & ~small
    out[flip] = 2.0 - out[flip]
    return out


def _erf_small(x: Array) -> Array:
    ysq = x * x
    num = _ERF_A[4] * ysq
    den = ysq
    for i in range(3):
        num = (num + _ERF_A[i]) * ysq
        den = (den + _ERF_B[i]) * ysq
    return x * (num + _ERF_A[3]) / (den + _ERF_B[3])


def _erfc_middle(y: Array) -> Array:
    num = _ERF_C[8] * y
    den = y
    for i in range(7):
        num = (num + _ERF_C[i]) * y
        den = (den + _ERF_D[i]) * y
    return _times_exp_minus_square(y, (num + _ERF_C[7]) / (den + _ERF_D[7]))


def _erfc_large(y: Array) -> Array:
    ysq = 1.0 / (y * y)
    num = _ERF_P[5] * ysq
    den = ysq
    for i in range(4):
        num = (num + _ERF_P[i]) * ysq
        den = (den + _ERF_Q[i]) * ysq
    ratio = ysq * (num + _ERF_P[4]) / (den + _ERF_Q[4])
    return _times_exp_minus_square(y, (_INV_SQRT_PI - ratio) / y)


def _times_exp_minus_square(y: Array, r: Array) -> Array:
    # exp(-y²) split as Cody does: y² rounds, and exp magnifies the rounding by y².
    head = np.trunc(y * 16.0) / 16.0
    rest = (y - head) * (y + head)
    with np.errstate(under="ignore"):
        result: Array = np.exp(-head * head) * np.exp(-rest) * r
    return result


# ---------------------------------------------------------------------------------------
# The inverse normal (P. J. Acklam's rational approximation, relative error 1.15e-9,
# refined by one Halley step to full double precision).

_ACK_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02,
          1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)
_ACK_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02,
          6.680131188771972e01, -1.328068155288572e01)
_ACK_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00,
          -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)
_ACK_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00,
          3.754408661907416e00)
_ACK_LOW = 0.02425


def ndtri(p: Array) -> Array:
    """The standard normal quantile of each ``p`` in (0, 1), matching
    ``statistics.NormalDist().inv_cdf`` to about 1e-15 relative.

    Works on the lower tail ``min(p, 1 - p)`` (exact in float64 for p ≥ 0.5) so both
    tails keep full relative precision, then mirrors.
    """
    p = np.asarray(p, dtype=np.float64)
    lower = np.minimum(p, 1.0 - p)
    x = np.empty_like(lower)
    tail = lower < _ACK_LOW
    x[tail] = _acklam_tail(lower[tail])
    x[~tail] = _acklam_central(lower[~tail])
    # Halley: e = Φ(x) − p, u = e / φ(x), x ← x − u / (1 + x u / 2).
    e = _cdf_minus(x, lower)
    u = e * math.sqrt(2.0 * math.pi) * np.exp(x * x / 2.0)
    x = x - u / (1.0 + x * u / 2.0)
    out: Array = np.where(p > 0.5, -x, x)
    return out


def _cdf_minus(x: Array, p: Array) -> Array:
    """Φ(x) − p without cancellation: near the centre as ``erf(x/√2)/2 − (p − 1/2)``
    (``p − 1/2`` is exact there), so a tiny x keeps its relative precision."""
    z = x / math.sqrt(2.0)
    out = 0.5 * erfc(-z) - p
    centre = np.abs(z) <= 0.46875
    out[centre] = 0.5 * _erf_small(z[centre]) - (p[centre] - 0.5)
    return out


def _acklam_tail(p: Array) -> Array:
    q = np.sqrt(-2.0 * np.log(p))
    c, d = _ACK_C, _ACK_D
    num = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
    den = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0
    result: Array = num / den
    return result


def _acklam_central(p: Array) -> Array:
    q = p - 0.5
    r = q * q
    a, b = _ACK_A, _ACK_B
    num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
    den = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0
    result: Array = num / den
    return result


# ---------------------------------------------------------------------------------------
# The beta distribution (PERT): regularised incomplete beta and its inverse.

_TINY = 1e-300
_CF_EPS = 1e-15
_CF_MAX = 300


def beta_cdf(x: Array, a: float, b: float) -> Array:
    """The regularised incomplete beta ``I_x(a, b)`` elementwise (Numerical Recipes'
    continued fraction, evaluated where it converges fast and mirrored elsewhere), the
    same method as ``distributions._beta_cdf`` so the two agree to rounding."""
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros_like(x)
    inside = (x > 0) & (x < 1)
    out[x >= 1] = 1.0
    direct = inside & (x <= (a + 1) / (a + b + 2))
    mirror = inside & ~direct
    out[direct] = _beta_front(x[direct], a, b) * _beta_cf(x[direct], a, b) / a
    y = 1.0 - x[mirror]
    out[mirror] = 1.0 - _beta_front(y, b, a) * _beta_cf(y, b, a) / b
    return out


def _beta_front(x: Array, a: float, b: float) -> Array:
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    result: Array = np.exp(log_norm + a * np.log(x) + b * np.log1p(-x))
    return result


def _beta_cf(x: Array, a: float, b: float) -> Array:
    """Modified Lentz evaluation of the incomplete beta's continued fraction.

    Each element stops on its own convergence, so its value never depends on the other
    elements of the batch (a draw is the same whatever chunk it falls in).
    """
    def guard(v: Array) -> Array:
        return np.where(np.abs(v) < _TINY, _TINY, v)

    h = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0))
    todo = np.arange(x.size)
    xs, c, d, hs = x, np.ones_like(x), h.copy(), h.copy()
    going = np.ones(x.size, dtype=bool)
    for m in range(1, _CF_MAX):
        step = np.ones_like(xs)
        for num in (m * (b - m) * xs / ((a + 2 * m - 1) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * xs / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 / guard(1.0 + num * d)
            c = guard(1.0 + num / c)
            step = d * c
            hs = np.where(going, hs * step, hs)  # a converged element keeps its value
        going &= np.abs(step - 1.0) >= _CF_EPS
        active = int(np.count_nonzero(going))
        if 2 * active < going.size:  # compact once half have converged
            h[todo] = hs
            todo, xs, c, d, hs = todo[going], xs[going], c[going], d[going], hs[going]
            going = np.ones(active, dtype=bool)
        if not active:
            break
    h[todo] = hs
    return h


def beta_ppf(u: Array, a: float, b: float) -> Array:
    """The inverse of :func:`beta_cdf` for shapes a, b ≥ 1 (every PERT), to about 1e-14.

    An upper ``u`` is solved as the lower tail of the mirrored beta,
    ``I_{1-x}(b, a) = 1 - u`` (``1 - u`` is exact for u ≥ 1/2), so both tails keep
    their precision.
    """
    u = np.asarray(u, dtype=np.float64)
    out = np.empty_like(u)
    upper = u > 0.5
    out[~upper] = _beta_solve(u[~upper], a, b)
    out[upper] = 1.0 - _beta_solve(1.0 - u[upper], b, a)
    return out


def _beta_solve(u: Array, a: float, b: float) -> Array:
    """Halley steps from Numerical Recipes' starting guess, kept inside a bracket that
    bisection shrinks whenever a step would leave it (so it cannot diverge); each
    element stops once its step is below 1e-15, so stragglers alone pay for more steps.
    """
    x = _beta_guess(u, a, b)
    lo = np.zeros_like(u)
    hi = np.ones_like(u)
    todo = np.arange(u.size)
    for _ in range(100):
        if not todo.size:
            break
        new = _beta_step(x[todo], u[todo], lo[todo], hi[todo], a, b)
        moving = np.abs(new[0] - x[todo]) >= 1e-15
        x[todo], lo[todo], hi[todo] = new
        todo = todo[moving]
    return x


def _beta_step(x: Array, u: Array, lo: Array, hi: Array, a: float,
               b: float) -> tuple[Array, Array, Array]:
    """One safeguarded Halley step towards ``I_x(a, b) = u``: the new x and bracket."""
    err = beta_cdf(x, a, b) - u
    below = err < 0
    lo = np.where(below, x, lo)
    hi = np.where(below, hi, x)
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    density = np.exp(log_norm + (a - 1) * np.log(x) + (b - 1) * np.log1p(-x))
    step = err / density
    slope = (a - 1) / x - (b - 1) / (1 - x)  # density' / density
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        halley = x - step / (1.0 - step * slope / 2)
    bad = ~((halley >= lo) & (halley <= hi))  # NaN too
    return np.where(bad, (lo + hi) / 2, halley), lo, hi


def _beta_guess(u: Array, a: float, b: float) -> Array:
    # Numerical Recipes (3rd ed., Beta::invbetai) for a, b >= 1, from the normal quantile.
    z = -ndtri(u)
    al = (z * z - 3.0) / 6.0
    h = 2.0 / (1.0 / (2 * a - 1) + 1.0 / (2 * b - 1))
    w = z * np.sqrt(al + h) / h - (1.0 / (2 * b - 1) - 1.0 / (2 * a - 1)) * (
        al + 5.0 / 6.0 - 2.0 / (3.0 * h))
    with np.errstate(over="ignore"):
        x: Array = a / (a + b * np.exp(2.0 * w))
    return np.clip(x, 2.0**-60, 1.0 - 2.0**-53)


# ---------------------------------------------------------------------------------------
# Inverse cdf of any distribution.

def ppf(dist: Distribution, u: Array) -> Array:
    """The inverse cdf of ``dist`` at each ``u`` in (0, 1): what ``dist.quantile`` gives,
    vectorised. A degenerate distribution gives its constant, bit for bit."""
    u = np.asarray(u, dtype=np.float64)
    p = dist.params
    if dist.degenerate:
        return np.full(u.shape, dist.written[0])
    if dist.kind == "lognormal":
        out: Array = np.exp(p[0] + p[1] * ndtri(u))
        return out
    if dist.kind == "normal":
        out = p[0] + p[1] * ndtri(u)
        return out
    if dist.kind == "uniform":
        out = p[0] + u * (p[1] - p[0])
        return out
    if dist.kind == "triangular":
        return _triangular_ppf(p, u)
    alpha, beta = pert_shape(p)
    out = p[0] + beta_ppf(u, alpha, beta) * (p[2] - p[0])
    return out


def _triangular_ppf(p: tuple[float, ...], u: Array) -> Array:
    a, m, b = p
    cut = (m - a) / (b - a)
    left = a + np.sqrt(u * (b - a) * (m - a))
    right = b - np.sqrt((1.0 - u) * (b - a) * (b - m))
    out: Array = np.where(u < cut, left, right)
    return out


# ---------------------------------------------------------------------------------------
# Streams and uniforms.

def stable_hash(path: str) -> int:
    """A 64-bit number from a path that is the same on every machine and run (Python's
    ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest(),
                          "little")


def stream(seed: int, path: str) -> np.random.Generator:
    """The random stream of one field path under one seed."""
    sequence = np.random.SeedSequence(seed, spawn_key=(stable_hash(path),))
    return np.random.Generator(np.random.PCG64(sequence))


def _raw(gen: np.random.Generator, n: int) -> NDArray[np.uint64]:
    raw: NDArray[np.uint64] = gen.bit_generator.random_raw(n)
    return raw


def _uniforms(gen: np.random.Generator, n: int) -> Array:
    """``n`` uniforms on the grid ``(k + 1/2) / 2**52``: never 0 or 1."""
    return ((_raw(gen, n) >> np.uint64(12)).astype(np.float64) + 0.5) * 2.0**-52


def _lhs_uniforms(gen: np.random.Generator, n: int) -> Array:
    """``n`` uniforms, one in each stratum ``[k/n, (k+1)/n)``, strata in random order.

    The permutation is the stable argsort of ``n`` raw draws, then the jitter within each
    stratum takes ``n`` more. The jitter has 30 bits, ``(j + 1/2) / 2**30``, so that
    ``k + jitter`` is exact for ``k < 2**22`` and the two roundings of ``(k + jitter) / n``
    and back (relative 2**-52 at most) stay inside the stratum for ``n ≤ 2**20``.
    """
    order = np.argsort(_raw(gen, n), kind="stable")
    jitter = ((_raw(gen, n) >> np.uint64(34)).astype(np.float64) + 0.5) * 2.0**-30
    out: Array = (order.astype(np.float64) + jitter) / n
    return out


# ---------------------------------------------------------------------------------------
# Correlations.

def _groups(paths: Sequence[str],
            pairs: Sequence[tuple[str, str, float]]) -> list[list[str]]:
    """Connected groups of correlated paths, each sorted by name (the order the factor is
    built in, so the draws do not depend on the order the file gives them)."""
    parent = {p: p for p in paths}

    def root(p: str) -> str:
        while parent[p] != p:
            p = parent[p]
        return p

    for x, y, _ in pairs:
        parent[root(x)] = root(y)
    members: dict[str, list[str]] = {}
    for p in sorted({p for x, y, _ in pairs for p in (x, y)}):
        members.setdefault(root(p), []).append(p)
    return sorted(members.values())


def _target_factor(pairs: Sequence[tuple[str, str, float]], group: list[str]) -> Array:
    """A lower-triangular ``P`` with ``P Pᵀ`` the normal-scores correlation that gives the
    requested rank correlations.

    Iman–Conover's scores are close to jointly normal, whose Spearman correlation is
    ``(6/π) asin(r/2)``; so the target for the scores is ``2 sin(π ρ/6)``. That map can
    (rarely) turn a valid PSD matrix into a slightly indefinite one: its negative
    eigenvalues are then set to zero and the diagonal rescaled to one.
    A singular target (rho = 1) is fine: the semi-definite Cholesky leaves zero columns.
    """
    spearman = np.array(correlation_matrix(
        [(x, y, r) for x, y, r in pairs if x in group], group))
    pearson = 2.0 * np.sin(np.pi * spearman / 6.0)
    np.fill_diagonal(pearson, 1.0)
    factor = psd_cholesky(pearson.tolist())
    if factor is None:
        factor = psd_cholesky(_nearest_correlation(pearson).tolist(), tol=1e-8)
    assert factor is not None, "an eigenvalue-clipped matrix is semi-definite"
    return np.array(factor, dtype=np.float64)


def _nearest_correlation(c: Array) -> Array:
    values, vectors = np.linalg.eigh(c)
    clipped = (vectors * np.maximum(values, 0.0)) @ vectors.T
    scale = np.sqrt(np.diag(clipped))
    out: Array = clipped / np.outer(scale, scale)
    np.fill_diagonal(out, 1.0)
    return out


def _iman_conover(u: Array, factor: Array) -> Array:
    """Reorder each row of ``u`` (one row per path of a group, one column per trial) so
    the rows' rank correlations approach the target; each row keeps its values.

    Iman & Conover (1982): the scores ``S`` are van der Waerden's ``Φ⁻¹(r/(n+1))`` at the
    ranks ``r`` of each row's own draws (so no extra randomness is needed); with
    ``E = F Fᵀ`` the scores' sample correlation and ``C = P Pᵀ`` the target,
    ``T = P F⁻¹ S`` has sample correlation exactly ``C``, and each row of ``u`` is
    rearranged into the ranks of its row of ``T``. Chunks under 3 trials are left as
    drawn (no rank correlation to speak of); when ``E`` is singular (fewer trials than
    paths) its correction is skipped (``F = I``).
    """
    k, n = u.shape
    if n < 3:
        return u
    ranks = np.argsort(np.argsort(u, axis=1, kind="stable"), axis=1, kind="stable")
    scores = ndtri(np.arange(1, n + 1, dtype=np.float64) / (n + 1))[ranks]
    try:
        sample_factor = np.linalg.cholesky(np.corrcoef(scores))
        scores = np.linalg.solve(sample_factor, scores)
    except np.linalg.LinAlgError:
        pass
    target = factor @ scores
    out = np.empty_like(u)
    ordered = np.sort(u, axis=1)
    for j in range(k):
        out[j, np.argsort(target[j], kind="stable")] = ordered[j]
    return out


# ---------------------------------------------------------------------------------------
# The sampler.

class Sampler:
    """Draws of every uncertain input, chunk by chunk (see the module's docstring).

    ``inputs`` maps field paths to distributions; ``correlations`` are
    ``(path, path, rho)`` rank correlations between inputs. The output is byte-identical
    for the same arguments, and :meth:`chunks` may be iterated again from the start.
    """

    def __init__(self, inputs: Mapping[str, Distribution], *, trials: int, seed: int,
                 correlations: Sequence[tuple[str, str, float]] = (),
                 latin_hypercube: bool = False, chunk: int = 4096) -> None:
        if trials < 0:
            raise ValueError(f"trials must be 0 or more, got {trials}")
        if seed < 0:
            raise ValueError(f"the seed must be 0 or more, got {seed}")
        if not 1 <= chunk <= MAX_CHUNK:
            raise ValueError(f"chunk must lie between 1 and {MAX_CHUNK}, got {chunk}")
        unknown = sorted({p for x, y, _ in correlations for p in (x, y)} - set(inputs))
        if unknown:
            raise ValueError(f"correlations name inputs that are not uncertain: "
                             f"{', '.join(unknown)}")
        # The scenario's validation checked the set; a caller's set is checked here, by
        # numpy first (the pure-Python check that names the culprits is cubic in Python).
        involved = list(dict.fromkeys(p for x, y, _ in correlations for p in (x, y)))
        if involved and not (np.linalg.eigvalsh(np.array(correlation_matrix(
                correlations, involved))) >= -1e-10).all():
            problem = correlation_conflict(correlations)
            if problem is not None:
                raise ValueError(problem[1])
        self.inputs = dict(inputs)
        self.trials = trials
        self.seed = seed
        self.latin_hypercube = latin_hypercube
        self.chunk = chunk
        self._groups = [(g, _target_factor(correlations, g))
                        for g in _groups(list(inputs), correlations)]

    def chunks(self) -> Iterator[tuple[int, dict[str, Array]]]:
        """``(start, {path: the draws of trials start .. start + n - 1})``, in the order
        of ``inputs``, one chunk at a time."""
        grouped = {p for g, _ in self._groups for p in g}
        drawn = [p for p, d in self.inputs.items() if not d.degenerate or p in grouped]
        streams = {p: stream(self.seed, p) for p in drawn}
        for start in range(0, self.trials, self.chunk):
            n = min(self.chunk, self.trials - start)
            u = {p: self._draw(streams[p], n) for p in drawn}
            for group, factor in self._groups:
                mixed = _iman_conover(np.stack([u[p] for p in group]), factor)
                u.update(zip(group, mixed, strict=True))
            yield start, {p: ppf(d, u[p]) if p in u else np.full(n, d.written[0])
                          for p, d in self.inputs.items()}

    def _draw(self, gen: np.random.Generator, n: int) -> Array:
        return _lhs_uniforms(gen, n) if self.latin_hypercube else _uniforms(gen, n)


# ---------------------------------------------------------------------------------------
# Summaries of trials.

def percentiles(x: Array, qs: Sequence[float]) -> Array:
    """The ``qs`` percentiles (in percent, 0-100) along the last axis (the trials).

    Linear interpolation between order statistics (numpy's default, Hyndman & Fan's
    type 7, Excel's PERCENTILE.INC): a reader can check any figure in a spreadsheet,
    and with every input fixed each percentile is the point figure exactly.
    The result has the percentiles on the first axis.
    """
    out: Array = np.percentile(np.asarray(x, dtype=np.float64), list(qs), axis=-1,
                               method="linear")
    return out


def es(x: Array, level: float = 0.95) -> Array:
    """Expected shortfall along the last axis: the mean of the worst ``1 - level`` of the
    trials, where worst is the *largest* value (the metric is a cost). The result has the
    shape of ``x`` without its last axis (a 0-d array for one alternative).

    The tail of ``n (1 - level)`` trials is exact for the trials as a distribution: the
    largest ``floor`` of them in full and the next one in proportion, so it moves
    continuously with ``level`` (and is the plain mean of the worst 5% when ``n/20`` is
    whole).
    """
    if not 0 <= level < 1:
        raise ValueError(f"level must lie in [0, 1), got {level}")
    data = np.asarray(x, dtype=np.float64)
    n = data.shape[-1]
    if n == 0:
        raise ValueError("expected shortfall of no trials")
    tail = n * (1.0 - level)
    if abs(tail - round(tail)) < 1e-9 * n:
        tail = float(round(tail))  # 10,000 x (1 - 0.95) is 500, not 500.00000000000045
    # Largest first: only the tail's values are read, so only they are sorted (the same
    # values in the same order as a sort of all the trials; a partition finds them).
    keep = min(n, math.floor(tail) + 1)
    negated = -data
    if keep < n:
        negated = np.partition(negated, keep - 1, axis=-1)[..., :keep]
    ordered = -np.sort(negated, axis=-1)
    if tail == 0:
        top: Array = ordered[..., 0]
        return top
    whole = math.floor(tail)
    total = ordered[..., :whole].sum(axis=-1)
    if tail > whole:
        total = total + (tail - whole) * ordered[..., whole]
    result: Array = np.asarray(total / tail)
    return result
