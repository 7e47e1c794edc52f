#!/usr/bin/env python3
"""series_oracle.py -- expected answers for aiq's series_* math, from the formulas.

An independent oracle for src/func/series_*.c: written from Kusto's documented
definitions (and, where Kusto is silent, from the definitions stated in
src/func/series_math.h and the file comments), with different methods from the
C code wherever one exists: exact rational arithmetic (fractions.Fraction) for
every least-squares fit, the statistics module for means, variances, medians,
quantiles and correlation, math.fsum for sums, brute force for the two-line
split. It first checks itself against every number Kusto's documentation
prints, then writes the cases and their answers to a JSON file that
tests/unit/test_series_math.c replays against the C code.

Usage: python3 tools/series_oracle.py [OUT.json]   (default tests/golden/series_cases.json)
Standard library only. Null (and NaN, which the C side treats as null) is
written as JSON null, infinities as the strings "inf" and "-inf".
"""
import json
import math
import random
import statistics
import sys
from fractions import Fraction

NULL = None
OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/golden/series_cases.json"


def present(v):
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def finite(v):
    return present(v) and math.isfinite(v)


def missing(v, placeholder):
    if placeholder is None:
        return not present(v)
    return present(v) and v == placeholder


# ----------------------------------------------------------------- statistics

def stats(x, ignore_nonfinite):
    nulls = {"min": None, "min_idx": None, "max": None, "max_idx": None, "avg": None,
             "variance": None, "stdev": None, "sum": None, "count": 0, "len": len(x)}
    if not ignore_nonfinite and any(not finite(v) for v in x):
        return nulls
    idx = [i for i, v in enumerate(x) if finite(v)]
    if not idx:
        return nulls
    vals = [x[i] for i in idx]
    lo, hi = min(vals), max(vals)
    var = statistics.variance(vals) if len(vals) > 1 else 0.0
    return {"min": lo, "min_idx": idx[vals.index(lo)], "max": hi, "max_idx": idx[vals.index(hi)],
            "avg": statistics.fmean(vals), "variance": var, "stdev": math.sqrt(var),
            "sum": math.fsum(vals), "count": len(vals), "len": len(x)}


def reduce_sum(x):
    v = [a for a in x if present(a)]
    return math.fsum(v) if v else None


def reduce_product(x):
    v = [a for a in x if present(a)]
    return math.prod(v) if v else None


def magnitude(x):
    v = [a for a in x if present(a)]
    return math.sqrt(math.fsum(a * a for a in v)) if v else None


def dot_product(a, b):
    pairs = [(p, q) for p, q in zip(a, b) if present(p) and present(q)]
    return math.fsum(p * q for p, q in pairs) if pairs else None


def cosine_similarity(a, b, mag_a=None, mag_b=None):
    n = min(len(a), len(b))
    if n == 0:
        return None
    a, b = a[:n], b[:n]
    dot = dot_product(a, b)
    ma = magnitude(a) if mag_a is None else mag_a
    mb = magnitude(b) if mag_b is None else mag_b
    if dot is None or not ma or not mb:
        return None
    return dot / (ma * mb)


def pearson(a, b):
    if len(a) != len(b) or len(a) < 2 or not all(present(v) for v in a + b):
        return None
    try:
        return statistics.correlation(a, b)
    except statistics.StatisticsError:
        return None  # a constant series


# ---------------------------------------------------------------------- fills

def fill_forward(x, placeholder=None):
    out, last = [], None
    for v in x:
        if not missing(v, placeholder):
            last = v
        out.append(last if missing(v, placeholder) and last is not None else v)
    return out


def fill_backward(x, placeholder=None):
    return fill_forward(x[::-1], placeholder)[::-1]


def fill_const(x, value, placeholder=None):
    return [value if missing(v, placeholder) else v for v in x]


def fill_linear(x, placeholder=None, fill_edges=True, constant=0.0, integers=False):
    known = [i for i, v in enumerate(x) if not missing(v, placeholder)]
    if not known:
        return list(x) if constant is None else [constant] * len(x)
    out = list(x)
    for i in range(len(x)):
        if not missing(x[i], placeholder):
            continue
        left = [k for k in known if k < i]
        right = [k for k in known if k > i]
        if left and right:
            p, q = left[-1], right[0]
            v = x[p] + (x[q] - x[p]) * (i - p) / (q - p)
            out[i] = float(math.trunc(v)) if integers else v
        elif fill_edges:
            out[i] = x[right[0]] if right else x[left[-1]]
    return out


# --------------------------------------------------------------- element-wise

def sign(v):
    return (v > 0) - (v < 0)


UNARY = {
    "abs": abs, "acos": math.acos, "asin": math.asin, "atan": math.atan,
    "ceiling": math.ceil, "cos": math.cos, "exp": math.exp, "floor": math.floor,
    "log": math.log, "sign": sign, "sin": math.sin, "tan": math.tan,
}


def unary(op, x):
    out = []
    for v in x:
        if not present(v):
            out.append(None)
            continue
        try:
            out.append(float(UNARY[op](v)))
        except ValueError:  # outside the domain: NaN, which the C side reads as null
            out.append(-math.inf if op == "log" and v == 0 else None)
        except OverflowError:
            out.append(math.inf)
    return out


def divide(a, b):
    if b == 0:
        return None if a == 0 else math.copysign(math.inf, a) * math.copysign(1, b)
    return a / b


BINARY = {
    "add": lambda a, b: a + b, "subtract": lambda a, b: a - b,
    "multiply": lambda a, b: a * b, "divide": divide, "pow": math.pow,
    "greater": lambda a, b: float(a > b), "greater_equals": lambda a, b: float(a >= b),
    "less": lambda a, b: float(a < b), "less_equals": lambda a, b: float(a <= b),
    "equals": lambda a, b: float(a == b), "not_equals": lambda a, b: float(a != b),
}


def binary(op, a, a_scalar, b, b_scalar):
    if a_scalar and b_scalar:
        n = 1
    else:
        n = len(b) if a_scalar else len(a) if b_scalar else max(len(a), len(b))

    def at(s, scalar, i):
        if scalar:
            return s[0]
        return s[i] if i < len(s) else None

    out = []
    for i in range(n):
        p, q = at(a, a_scalar, i), at(b, b_scalar, i)
        out.append(BINARY[op](p, q) if present(p) and present(q) else None)
    return out


# -------------------------------------------------------------------- filters

def fir(x, coeffs, normalize=-1, center=False):
    negative = any(c < 0 for c in coeffs)
    norm = (not negative) if normalize == -1 else bool(normalize)
    total = sum(coeffs)
    if norm and (negative or total == 0):
        return [None] * len(x)
    c = [v / total for v in coeffs] if norm else list(coeffs)
    shift = len(c) // 2 if center else 0
    out = []
    for i in range(len(x)):
        # out[i] = sum_j c[j] * x[i + shift - j]; outside x counts as 0, and
        # a zero coefficient makes no dependency.
        terms = [(c[j], i + shift - j) for j in range(len(c))
                 if c[j] != 0 and 0 <= i + shift - j < len(x)]
        if any(not present(x[k]) for _, k in terms):
            out.append(None)
        else:
            out.append(sum(cj * x[k] for cj, k in terms))
    return out


def iir(x, b, a):
    y = []
    for i in range(len(x)):
        acc, ok = 0.0, True
        for j, bj in enumerate(b):
            if bj != 0 and i - j >= 0:
                ok &= present(x[i - j])
                acc += bj * x[i - j] if ok else 0
        for j in range(1, len(a)):
            if a[j] != 0 and i - j >= 0:
                ok &= y[i - j] is not None
                acc -= a[j] * y[i - j] if ok else 0
        y.append(acc / a[0] if ok else None)
    return y


# ---------------------------------------------------------------- regression

def exact_lstsq(ts, ys, degree):
    """Exact least-squares polynomial (ascending coefficients) through the
    points, by the normal equations in rational arithmetic; None when they
    are singular."""
    p = degree + 1
    T = [[Fraction(t) ** k for k in range(p)] for t in ts]
    Y = [Fraction(y) for y in ys]
    M = [[sum(r[i] * r[j] for r in T) for j in range(p)] + [sum(r[i] * y for r, y in zip(T, Y))]
         for i in range(p)]
    for col in range(p):
        piv = next((r for r in range(col, p) if M[r][col] != 0), None)
        if piv is None:
            return None
        M[col], M[piv] = M[piv], M[col]
        for r in range(p):
            if r != col and M[r][col] != 0:
                f = M[r][col] / M[col][col]
                M[r] = [u - f * v for u, v in zip(M[r], M[col])]
    return [M[k][p] / M[k][k] for k in range(p)]


def poly_value(coef, t):
    return sum(c * Fraction(t) ** k for k, c in enumerate(coef))


def line_stats(ts, ys):
    """slope, interception, rsquare, variance, rvariance, rss (exact)."""
    coef = exact_lstsq(ts, ys, 1)
    Y = [Fraction(y) for y in ys]
    mean = sum(Y) / len(Y)
    tss = sum((y - mean) ** 2 for y in Y)
    rss = sum((y - poly_value(coef, t)) ** 2 for t, y in zip(ts, Y))
    n1 = len(Y) - 1
    return {"slope": coef[1], "interception": coef[0], "rsquare": 1 - rss / tss if tss else Fraction(1),
            "variance": tss / n1, "rvariance": rss / n1, "rss": rss, "tss": tss}


LINE_KEYS = ("rsquare", "slope", "interception", "variance", "rvariance")


def fit_line(x):
    pts = [(i + 1, v) for i, v in enumerate(x) if present(v)]
    if len(pts) < 2:
        return dict({k: None for k in LINE_KEYS}, line_fit=[None] * len(x))
    s = line_stats(*zip(*pts))
    out = {k: float(s[k]) for k in LINE_KEYS}
    out["line_fit"] = [float(s["interception"] + s["slope"] * (i + 1)) for i in range(len(x))]
    return out


def fit_2lines(x):
    n = len(x)
    nulls = dict({k: None for k in ("rsquare", "variance", "rvariance")}, split_idx=None,
                 line_fit=[None] * n, left={k: None for k in LINE_KEYS},
                 right={k: None for k in LINE_KEYS})
    pts = [(i + 1, v) for i, v in enumerate(x) if present(v)]
    if len(pts) < 2:
        return nulls
    whole = line_stats(*zip(*pts))
    best = None
    for k in range(1, n):
        lp = [(i + 1, x[i]) for i in range(k) if present(x[i])]
        rp = [(i - k + 1, x[i]) for i in range(k, n) if present(x[i])]
        if len(lp) < 2 or len(rp) < 2:
            continue
        ls, rs = line_stats(*zip(*lp)), line_stats(*zip(*rp))
        rss = ls["rss"] + rs["rss"]
        if best is None or rss < best[0]:
            best = (rss, k, ls, rs)
    if best is None:
        return nulls
    rss, k, ls, rs = best
    tss = whole["tss"]
    line = [ls["interception"] + ls["slope"] * (i + 1) if i < k else
            rs["interception"] + rs["slope"] * (i - k + 1) for i in range(n)]
    return {"rsquare": float(1 - rss / tss) if tss else 1.0, "split_idx": k,
            "variance": float(whole["variance"]), "rvariance": float(rss / (len(pts) - 1)),
            "line_fit": [float(v) for v in line],
            "left": {key: float(ls[key]) for key in LINE_KEYS},
            "right": {key: float(rs[key]) for key in LINE_KEYS}}


def fit_poly(y, xs, degree):
    n = len(y)
    pos = [(i + 1) if xs is None else (xs[i] if i < len(xs) else None) for i in range(n)]
    pts = [(t, v) for t, v in zip(pos, y) if present(t) and present(v)]
    nulls = {"rsquare": None, "variance": None, "rvariance": None,
             "coefficients": [None] * (degree + 1), "poly_fit": [None] * n}
    if len(pts) < degree + 1:
        return nulls
    coef = exact_lstsq([t for t, _ in pts], [v for _, v in pts], degree)
    if coef is None:
        return nulls
    Y = [Fraction(v) for _, v in pts]
    mean = sum(Y) / len(Y)
    tss = sum((v - mean) ** 2 for v in Y)
    rss = sum((Fraction(v) - poly_value(coef, t)) ** 2 for t, v in pts)
    n1 = len(Y) - 1
    return {"rsquare": float(1 - rss / tss) if tss else 1.0,
            "variance": float(tss / n1) if n1 else 0.0, "rvariance": float(rss / n1) if n1 else 0.0,
            "coefficients": [float(c) for c in reversed(coef)],
            "poly_fit": [float(poly_value(coef, t)) if present(t) else None for t in pos]}


# ------------------------------------------------------------------- outliers

# Kusto's rescaling for its default 10th/90th percentiles, as recovered from a
# published Kusto output (Stack Overflow 75264555): 3z/(2.7 - z), z = 1.29682082.
KUSTO_F = 3 * 1.29682082 / (2.7 - 1.29682082)


def percentile(sorted_vals, pct):
    """Linear interpolation between closest ranks: rank pct/100 * (m - 1)."""
    m = len(sorted_vals)
    rank = pct / 100 * (m - 1)
    lo = math.floor(rank)
    if lo + 1 >= m:
        return sorted_vals[-1]
    return sorted_vals[lo] + (rank - lo) * (sorted_vals[lo + 1] - sorted_vals[lo])


def tukey_factors(kind, lo, hi):
    if kind == "tukey":
        return 25, 75, 1.0, 1.0
    if (lo, hi) == (10, 90):
        return 10, 90, KUSTO_F, KUSTO_F
    nd = statistics.NormalDist()
    zl, zh = nd.inv_cdf(lo / 100), nd.inv_cdf(hi / 100)
    fence = nd.inv_cdf(0.75) + 1.5 * (nd.inv_cdf(0.75) - nd.inv_cdf(0.25))  # Q3 + 1.5 IQR
    return lo, hi, 1.5 * (zh - zl) / (fence + zl), 1.5 * (zh - zl) / (fence - zh)


def outliers(x, kind="ctukey", ignore=None, lo=10, hi=90, learn=None):
    learn = len(x) if learn is None else learn
    lo, hi, f_lo, f_hi = tukey_factors(kind, lo, hi)

    def usable(v):
        return present(v) and not (ignore is not None and v == ignore)

    vals = sorted(v for v in x[:learn] if usable(v))
    if not vals:
        return [0.0] * len(x)
    p_lo, p_hi = percentile(vals, lo), percentile(vals, hi)
    if lo == int(lo) and hi == int(hi) and len(vals) > 1:
        # cross-check the interpolation against the statistics module
        q = statistics.quantiles(vals, n=100, method="inclusive")
        assert math.isclose(q[int(lo) - 1], p_lo, rel_tol=1e-12, abs_tol=1e-12)
        assert math.isclose(q[int(hi) - 1], p_hi, rel_tol=1e-12, abs_tol=1e-12)
    out = []
    for v in x:
        if not usable(v) or p_lo <= v <= p_hi:
            out.append(0.0)
        elif p_hi == p_lo:
            out.append(math.copysign(math.inf, v - p_hi))
        elif v > p_hi:
            out.append((v - p_hi) / (p_hi - p_lo) * f_hi)
        else:
            out.append((v - p_lo) / (p_hi - p_lo) * f_lo)
    return out


# -------------------------------------------------------------------- periods

def autocorr(x):
    """Unbiased autocorrelation for every lag (None where undefined)."""
    vals = [v for v in x if present(v)]
    if not vals:
        return [None] * len(x), 0
    mean = math.fsum(vals) / len(vals)
    var = math.fsum((v - mean) ** 2 for v in vals) / len(vals)
    r = []
    for k in range(len(x)):
        prods = [(x[i] - mean) * (x[i + k] - mean) for i in range(len(x) - k)
                 if present(x[i]) and present(x[i + k])]
        r.append(math.fsum(prods) / len(prods) / var if prods and var > 0 else None)
    return r, len(vals)


def r_at(r, lag):
    lo = math.floor(lag)
    if lo >= len(r) or r[lo] is None:
        return None
    if lag == lo:
        return r[lo]
    if lo + 1 >= len(r) or r[lo + 1] is None:
        return None
    return r[lo] + (lag - lo) * (r[lo + 1] - r[lo])


def period_score(r, n, p):
    """min(r(p), r(2p)) clipped to [0, 1]; 0 outside [4, n/2] or without a
    pair at lag 2p."""
    if not p >= 4 or p > n / 2 or 2 * p > n - 1:
        return 0.0
    a, b = r_at(r, p), r_at(r, 2 * p)
    if a is None or b is None:
        return 0.0
    return max(0.0, min(1.0, min(a, b)))


def multiplier(p, q):
    """p/q rounded half up (Python's round() rounds half to even)."""
    return (p + q // 2) // q


def near_multiple(p, q):
    """p is k*q, k >= 1 whole, give or take 1 + k//2 bins plus 1% of q per
    repetition."""
    k = multiplier(p, q)
    return k >= 1 and abs(p - k * q) <= 1 + k // 2 + k * q // 100


def prominence(r, p):
    """How far the local maximum r[p] stands above the higher of its two
    bases (the lowest r between p and the nearest strictly higher r on that
    side, or the end); a side with no lag does not count. -inf when p is not
    a local maximum. Lags without a value are skipped."""
    vals = [(k, v) for k, v in enumerate(r) if v is not None]
    pos = [k for k, _ in vals].index(p)
    v = r[p]
    if (pos > 0 and vals[pos - 1][1] > v) or (pos + 1 < len(vals) and vals[pos + 1][1] > v):
        return -math.inf
    bases = []
    for side in (vals[:pos][::-1], vals[pos + 1:]):
        between = []
        for _, u in side:
            if u > v:
                break
            between.append(u)
        if between:
            bases.append(min(between))
    return v - max(bases) if bases else -math.inf


def refine(x, r, p, band, lo, hi):
    """The lag, among those around p where r stays within band of r[p] (and
    within [lo, hi]), at which Pearson's correlation of x with x shifted is
    highest; the smallest lag on a tie."""
    a = b = p
    while a > lo and r[a - 1] is not None and r[a - 1] >= r[p] - band:
        a -= 1
    while b < hi and r[b + 1] is not None and r[b + 1] >= r[p] - band:
        b += 1
    if a == b:
        return p

    def corr(k):
        pairs = [(x[i], x[i + k]) for i in range(len(x) - k) if present(x[i]) and present(x[i + k])]
        if len(pairs) < 2:
            return -math.inf
        try:
            return statistics.correlation(*zip(*pairs))
        except statistics.StatisticsError:
            return -math.inf
    return max(range(a, b + 1), key=lambda k: (corr(k), -k))


def periods_detect(x, min_p, max_p, num):
    n = len(x)
    out_p, out_s = [0.0] * num, [0.0] * num
    lo, hi = max(4, math.ceil(min_p)), min(math.floor(max_p), n // 2)
    r, m = autocorr(x)
    if lo > hi or m == 0 or all(v is None for v in r):
        return out_p, out_s
    noise = 1.96 / math.sqrt(m)
    cands = []
    for p in range(lo, hi + 1):
        if r[p] is None:
            continue
        if prominence(r, p) <= noise:
            continue
        s = period_score(r, n, p)
        if s > noise:
            cands.append((s, p))
    score_of = {p: s for s, p in cands}
    kept = []
    for s, p in sorted(cands, key=lambda c: (-c[0], c[1])):
        if len(kept) == num:
            break
        if any(near_multiple(p, q) for _, q in kept):
            continue
        # fold: the divisor candidate with the largest multiplier that scores
        # within 5% of p (best score, then shortest, for one multiplier)
        folds = [(multiplier(p, q), score_of[q], -q) for q in score_of
                 if q < p and multiplier(p, q) >= 2 and near_multiple(p, q)
                 and score_of[q] >= 0.95 * s]
        if folds:
            _, s, neg_q = max(folds)
            p = -neg_q
        p = refine(x, r, p, noise, lo, hi)
        s = period_score(r, n, p)
        if not any(near_multiple(p, q) for _, q in kept):
            kept.append((s, p))
    kept.sort(key=lambda c: (-c[0], c[1]))
    for i, (s, p) in enumerate(kept[:num]):
        out_p[i], out_s[i] = float(p), s
    return out_p, out_s


def periods_validate(x, periods):
    r, _ = autocorr(x)
    return [period_score(r, len(x), p) if len(x) else 0.0 for p in periods]


def best_period(x, threshold):
    """Seasonality detection for decompose and seasonal: on x less its
    least-squares line."""
    line = fit_line(x)["line_fit"]
    if line and line[0] is None:
        return 0
    x = [v - q if present(v) else None for v, q in zip(x, line)]
    ps, ss = periods_detect(x, 4, len(x) / 2, 1)
    return int(ps[0]) if ps[0] and ss[0] >= threshold else 0


# -------------------------------------------------------------- decomposition

def phase_medians(x, learn, period):
    out = []
    for i in range(len(x)):
        vals = [x[j] for j in range(i % period, learn, period) if present(x[j])]
        out.append(statistics.median(vals) if vals else None)
    return out


def seasonal(x, period=-1):
    if period == -1:
        period = best_period(x, 0.7)
    if period <= 0 or not x:
        return [0.0] * len(x)
    return phase_medians(x, len(x), period)


def sub(a, b):
    return [p - q if present(p) and present(q) else None for p, q in zip(a, b)]


def decompose(x, seasonality=-1, trend="avg", test_points=0, threshold=0.6):
    n = len(x)
    learn = max(0, n - test_points)
    period = best_period(x[:learn], threshold) if seasonality == -1 else seasonality
    seas = phase_medians(x, learn, period) if period > 0 else [0.0] * n
    d = sub(x, seas)
    if trend == "avg":
        vals = [v for v in d[:learn] if present(v)]
        tr = [statistics.fmean(vals) if vals else None] * n
    elif trend == "linefit":
        pts = [(i + 1, v) for i, v in enumerate(d[:learn]) if present(v)]
        if len(pts) >= 2:
            s = line_stats(*zip(*pts))
            tr = [float(s["interception"] + s["slope"] * (i + 1)) for i in range(n)]
        else:
            tr = [None] * n
    else:
        tr = [0.0] * n
    base = [p + q if present(p) and present(q) else None for p, q in zip(seas, tr)]
    return {"baseline": base, "seasonal": seas, "trend": tr, "residual": sub(x, base),
            "period": period}


def decompose_anomalies(x, threshold=1.5, seasonality=-1, trend="avg", test_points=0,
                        method="ctukey", seasonality_threshold=0.6):
    d = decompose(x, seasonality, trend, test_points, seasonality_threshold)
    learn = max(0, len(x) - test_points)
    scores = outliers(d["residual"], method, None, 10, 90, learn)
    flags = [1.0 if s > threshold else -1.0 if s < -threshold else 0.0 for s in scores]
    return {"flags": flags, "scores": scores, "baseline": d["baseline"]}


def decompose_forecast(x, points, seasonality=-1, trend="linefit", threshold=0.6):
    return decompose(x, seasonality, trend, points, threshold)["baseline"]


# ------------------------------------------------ Kusto's documented numbers

def close(got, want, digits):
    """got agrees with want as printed to `digits` decimals, rounded or
    truncated (the docs do both)."""
    return got is not None and abs(got - want) < 10 ** -digits


def check_documented_examples():
    """Every number Kusto's docs print for these functions, to the digits
    they print. A failure means the oracle, not aiq, is wrong."""
    s = stats([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29], False)
    assert (s["min"], s["min_idx"], s["max"], s["max_idx"], s["avg"]) == (2, 8, 87, 3, 32.8)
    assert close(s["stdev"], 28.5036338535483, 13) and close(s["variance"], 812.457142857143, 12)
    assert s["sum"] == 492 and s["len"] == 15
    arr = [111, None, 36, 41, None, None, 16, 61, 33, None, None]
    assert fill_backward(arr) == [111, 36, 36, 41, 16, 16, 16, 61, 33, None, None]
    assert fill_forward([None, None, 36, 41, None, None, 16, 61, 33, None, None]) == \
        [None, None, 36, 41, 41, 41, 16, 61, 33, 33, 33]
    arr = [111, None, 36, 41, 23, None, 16, 61, 33, None, None]
    assert fill_const(arr, 0.0) == [111, 0, 36, 41, 23, 0, 16, 61, 33, 0, 0]
    assert fill_const(arr, -1) == [111, -1, 36, 41, 23, -1, 16, 61, 33, -1, -1]
    arr = [None, 111.0, None, 36.0, 41.0, None, None, 16.0, 61.0, 33.0, None, None]
    got = fill_linear(arr)
    want = [111.0, 111.0, 73.5, 36.0, 41.0, 32.667, 24.333, 16.0, 61.0, 33.0, 33.0, 33.0]
    assert all(close(g, w, 3) for g, w in zip(got, want))
    assert fill_linear(arr, None, False)[:3] == [None, 111.0, 73.5]
    assert fill_linear(arr, None, False)[-2:] == [None, None]
    got = fill_linear([None, 111, None, 36, 41, None, None, 16, 61, 33, None, None], integers=True)
    assert got == [111, 111, 73, 36, 41, 32, 24, 16, 61, 33, 33, 33]
    assert fill_linear([None] * 4) == [0.0] * 4
    assert fill_linear([None] * 4, None, False) == [0.0] * 4
    assert fill_linear([None] * 4, None, True, 3.14159) == [3.14159] * 4
    f = fit_line([2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30])
    assert close(f["rsquare"], 0.982, 3) and close(f["slope"], 2.730, 3)
    assert close(f["variance"], 98.628, 3) and close(f["rvariance"], 1.686, 3)
    assert close(f["interception"], -1.666, 3)
    want = [1.064, 3.7945, 6.526, 9.256, 11.987, 14.718, 17.449, 20.180, 22.910, 25.641,
            28.371, 31.102]
    assert all(close(g, w, 3) for g, w in zip(f["line_fit"], want))
    assert iir([1.0, 2.0, 3.0, 4.0], [1], [1, -1]) == [1.0, 3.0, 6.0, 10.0]
    assert iir([0, 1, 2, 3, 4], [1], [1, -1])[-1] == 10
    assert fir([0, 0, 0, 0, 2, 2, 2, 2, 3, 3, 3, 3], [1, -1], 0, False) == \
        [0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]
    spike = [0] * 9 + [10, 20, 40, 100, 40, 20, 10] + [0] * 8
    ma = fir(spike, [1] * 5)
    assert ma[9] == 2 and max(ma) == ma[14] == 44  # the peak shifts by (5-1)/2 = 2 bins
    ma = fir(spike, [1] * 5, True, True)
    assert ma[7] == 2 and max(ma) == ma[12] == 44  # centred: the peak stays at 12
    scores = outliers([-3, 2.4, 15, 3.9, 5, 6, 4.5, 5.2, 3, 4, 5, 16, 7, 5, 5, 4])
    want = [-1.9040785483608571, -0.10021466044004519, 1.3361954725339347] + [0.0] * 8 + \
        [1.6702443406674186] + [0.0] * 4
    assert all(math.isclose(g, w, rel_tol=1e-14, abs_tol=0) for g, w in zip(scores, want))
    y = [80, 139, 87, 110, 68, 54, 50, 51, 53, 133, 86, 141, 97, 156, 94, 149, 95, 140, 77, 61,
         50, 54, 47, 133, 72, 152, 94, 148, 105, 162, 101, 160, 87, 63, 53, 55, 54, 151, 103, 189,
         108, 183, 113, 175, 113, 178, 90, 71, 62, 62, 65, 165, 109, 181, 115, 182, 121, 178, 114,
         170]
    ps, ss = periods_detect(y, 0.0, 50.0, 2)
    assert ps == [14.0, 0.0] and math.floor(ss[0] * 100) == 84 and ss[1] == 0.0
    v = periods_validate(y, [14.0, 10.0])
    assert math.floor(v[0] * 100) == 84 and v[1] == 0.0
    s1 = [2, 5, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1]
    assert seasonal(s1) == [1, 2, 3, 4, 3, 2] * 4 + [1]
    s2 = [8, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10]
    assert seasonal(s2) == [10, 12, 14, 12, 10] * 4
    assert seasonal([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6]) == [0.0] * 12
    assert seasonal([1, 3, 5, 1, 3, 5, 2, 4, 6], 3) == [1, 3, 5] * 3
    assert seasonal([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6], 3) == [1.5, 3.5, 5.5] * 4
    assert pearson([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]) == 1
    assert close(cosine_similarity([0.1, 0.2, 0.1, 0.2], [0.11, 0.2, 0.11, 0.21]),
                 0.99935343825504, 14)
    assert close(cosine_similarity([0.1, 0.2, 0.1, 0.2], [1, 2, 3, 4]), 0.923760430703401, 15)
    assert [dot_product([1, 2, 4], [4, 2, 1]), dot_product([2, 4, 8], [8, 4, 2]),
            dot_product([3, 6, 12], [12, 6, 3])] == [12, 48, 108]
    assert dot_product([1, 2, 4], [1] * 3) == 7 and dot_product([3, 6, 12], [3] * 3) == 63
    assert reduce_sum([1, 2, 3, 4]) == 10 and reduce_product([1, 2, 3, 4]) == 24
    assert magnitude([1, 2, 3, 4]) == 5.4772255750516612
    assert binary("add", [1, 2, 4], False, [4, 2, 1], False) == [5, 4, 5]
    assert binary("divide", [1, 2, 4], False, [4, 2, 1], False) == [0.25, 1.0, 4.0]
    assert binary("greater", [1, 2, 4], False, [4, 2, 1], False) == [0, 0, 1]
    assert binary("equals", [1, 2, 4], False, [4, 2, 1], False) == [0, 1, 0]
    assert binary("pow", [1, 2, 3, 4], False, [1, 2, 3, 0.5], False) == [1.0, 4.0, 27.0, 2.0]
    for k in (1, 2, 3):  # series_add/subtract/multiply/divide pages: s1 = [k,2k,4k], s2 reversed
        s1, s2 = [k, 2 * k, 4 * k], [4 * k, 2 * k, k]
        assert binary("add", s1, False, s2, False) == [5 * k, 4 * k, 5 * k]
        assert binary("subtract", s1, False, s2, False) == [-3 * k, 0, 3 * k]
        assert binary("multiply", s1, False, s2, False) == [4 * k * k] * 3
        assert binary("divide", s1, False, s2, False) == [0.25, 1.0, 4.0]
    s1, s2 = [1, 2, 4], [4, 2, 1]
    for op, want in (("greater_equals", [0, 1, 1]), ("less", [1, 0, 0]),
                     ("less_equals", [1, 1, 0]), ("not_equals", [1, 0, 1])):
        assert binary(op, s1, False, s2, False) == want
    assert unary("ceiling", [-1.5, 1, 2.5]) == [-1.0, 1.0, 3.0]
    assert unary("cos", [-1, 0, 1]) == [0.54030230586813976, 1.0, 0.54030230586813976]
    assert unary("sin", [-1, 0, 1]) == [-0.8414709848078965, 0.0, 0.8414709848078965]
    assert unary("tan", [-1, 0, 1]) == [-1.5574077246549023, 0.0, 1.5574077246549023]
    assert unary("asin", [-1, 0, 1]) == [-1.5707963267948966, 0, 1.5707963267948966]
    assert unary("atan", [-1, 0, 1]) == [-0.78539816339744828, 0.0, 0.78539816339744828]
    assert unary("abs", [-6.5, 0, 8.2]) == [6.5, 0, 8.2]
    assert unary("sign", [-6, 0, 8]) == [-1, 0, 1]
    assert unary("floor", [-1.5, 1, 2.5]) == [-2.0, 1.0, 2.0]
    assert unary("log", [1, 2, 3]) == [0.0, 0.69314718055994529, 1.0986122886681098]
    assert unary("exp", [1, 2, 3]) == [2.7182818284590451, 7.38905609893065, 20.085536923187668]
    assert unary("acos", [-1, 0, 1]) == [3.1415926535897931, 1.5707963267948966, 0.0]
    ln = fit_line([1, 2.2, 2.5, 4.7, 5.0, 12, 10.3, 10.3, 9, 8.3, 6.2])
    p1 = fit_poly([1, 2.2, 2.5, 4.7, 5.0, 12, 10.3, 10.3, 9, 8.3, 6.2], None, 1)
    assert p1["coefficients"] == [ln["slope"], ln["interception"]]  # "degree=1 matches fit_line"
    two = fit_2lines([1, 2.2, 2.5, 4.7, 5.0, 12, 10.3, 10.3, 9, 8.3, 6.2])
    assert two["split_idx"] == 5  # the docs' chart: 12 starts the falling segment


# ----------------------------------------------------------------- the cases

def case(fn, name, args, out, tol=None):
    c = {"fn": fn, "name": name, "in": args, "out": out}
    if tol is not None:
        c["tol"] = tol
    return c


def err(fn, name, args, status):
    return {"fn": fn, "name": name, "in": args, "error": status}


def rand_series(rng, n, lo=0.0, hi=100.0, nulls=0.0):
    return [None if rng.random() < nulls else round(rng.uniform(lo, hi), 3) for _ in range(n)]


def seasonal_series(rng, n, period, amp=10.0, noise=1.0, slope=0.0):
    shape = [rng.uniform(-amp, amp) for _ in range(period)]
    return [round(50 + shape[i % period] + slope * i + rng.gauss(0, noise), 3) for i in range(n)]


def smooth_edge_series():
    rng = random.Random(5)
    rng.random()  # the stream this series was found with
    return [round(100 + 30 * math.sin(2 * math.pi * i / 97) + rng.uniform(0, 4), 3)
            for i in range(330)]


EDGE = {
    "empty": [], "one": [5.0], "two": [1.0, 3.0], "all_null": [None, None, None],
    "null_ends": [None, 4.0, 7.0, None, 1.0, None], "constant": [7.0] * 8,
    "null_middle": [3.0, 1.0, None, None, 9.0, 2.0, 8.0],
}


def build_cases():
    rng = random.Random(20260115)
    cases = []
    series = dict(EDGE)
    series["random30"] = rand_series(rng, 30)
    series["random_nulls"] = rand_series(rng, 25, -50, 50, nulls=0.2)
    series["with_inf"] = [1.0, "inf", 3.0, -2.0]
    series["docs_stats"] = [23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29]

    # statistics and reductions
    for name, x in series.items():
        xv = [math.inf if v == "inf" else v for v in x]
        for ign in (False, True):
            cases.append(case("stats", f"{name}/ignore={ign}", {"x": x, "ignore_nonfinite": ign},
                              stats(xv, ign)))
        if "inf" in x:
            continue
        cases.append(case("sum", name, {"x": x}, {"value": reduce_sum(x)}))
        cases.append(case("product", name, {"x": x[:12]}, {"value": reduce_product(x[:12])}))
        cases.append(case("magnitude", name, {"x": x}, {"value": magnitude(x)}))
    a, b = rand_series(rng, 20, -5, 5), rand_series(rng, 20, -5, 5)
    pairs = {"random": (a, b), "lengths_differ": (a, b[:15]), "empty": ([], a),
             "nulls": ([1.0, None, 3.0, 4.0], [2.0, 5.0, None, 1.0]),
             "constant": ([2.0] * 5, [1.0, 2.0, 3.0, 4.0, 5.0]),
             "docs": ([0.1, 0.2, 0.1, 0.2], [0.11, 0.2, 0.11, 0.21]),
             "docs2": ([0.1, 0.2, 0.1, 0.2], [1, 2, 3, 4]), "one": ([3.0], [4.0])}
    for name, (p, q) in pairs.items():
        cases.append(case("dot_product", name, {"a": p, "b": q}, {"value": dot_product(p, q)}))
        cases.append(case("cosine_similarity", name, {"a": p, "b": q, "mag_a": None, "mag_b": None},
                          {"value": cosine_similarity(p, q)}))
        cases.append(case("pearson", name, {"a": p, "b": q}, {"value": pearson(p, q)}))
    cases.append(case("cosine_similarity", "given magnitudes",
                      {"a": a, "b": b, "mag_a": 10.0, "mag_b": 20.0},
                      {"value": cosine_similarity(a, b, 10.0, 20.0)}))

    # fills
    fill_inputs = dict(EDGE)
    fill_inputs["docs"] = [None, 111.0, None, 36.0, 41.0, None, None, 16.0, 61.0, 33.0, None, None]
    fill_inputs["random_nulls"] = series["random_nulls"]
    for name, x in fill_inputs.items():
        cases.append(case("fill_forward", name, {"x": x, "missing": None}, {"y": fill_forward(x)}))
        cases.append(case("fill_backward", name, {"x": x, "missing": None}, {"y": fill_backward(x)}))
        cases.append(case("fill_const", name, {"x": x, "value": -1.5, "missing": None},
                          {"y": fill_const(x, -1.5)}))
        for edges in (True, False):
            for const in (0.0, None, 3.14159):
                for ints in (False, True):
                    cases.append(case("fill_linear", f"{name}/edges={edges}/c={const}/int={ints}",
                                      {"x": x, "missing": None, "fill_edges": edges,
                                       "constant": const, "integers": ints},
                                      {"y": fill_linear(x, None, edges, const, ints)}))
    zeros = [0.0, 5.0, 0.0, 0.0, -7.0, 0.0]
    cases.append(case("fill_forward", "placeholder 0", {"x": zeros, "missing": 0.0},
                      {"y": fill_forward(zeros, 0.0)}))
    cases.append(case("fill_backward", "placeholder 0", {"x": zeros, "missing": 0.0},
                      {"y": fill_backward(zeros, 0.0)}))
    cases.append(case("fill_const", "placeholder 0", {"x": zeros, "value": 9.0, "missing": 0.0},
                      {"y": fill_const(zeros, 9.0, 0.0)}))
    cases.append(case("fill_linear", "placeholder 0 negative ints",
                      {"x": zeros, "missing": 0.0, "fill_edges": True, "constant": 0.0,
                       "integers": True}, {"y": fill_linear(zeros, 0.0, True, 0.0, True)}))

    # element-wise
    ux = [-2.5, -1.0, -0.25, 0.0, 0.5, 1.0, 3.7, None]
    for op in UNARY:
        cases.append(case("unary", op, {"op": op, "x": ux}, {"y": unary(op, ux)}))
    p, q = [1.0, -2.0, 3.0, 0.0, None, 6.0, 2.0], [2.0, -2.0, 0.5, 0.0, 1.0, None]
    for op in BINARY:
        cases.append(case("binary", op, {"op": op, "a": p, "a_scalar": False, "b": q,
                                         "b_scalar": False}, {"y": binary(op, p, False, q, False)}))
        cases.append(case("binary", op + " scalar left", {"op": op, "a": [10.0], "a_scalar": True,
                                                          "b": q, "b_scalar": False},
                          {"y": binary(op, [10.0], True, q, False)}))
        cases.append(case("binary", op + " scalar right", {"op": op, "a": p, "a_scalar": False,
                                                           "b": [2.0], "b_scalar": True},
                          {"y": binary(op, p, False, [2.0], True)}))
    cases.append(case("binary", "divide by zero", {"op": "divide", "a": [2.0, -2.0, 0.0],
                                                   "a_scalar": False, "b": [0.0, 0.0, 0.0],
                                                   "b_scalar": False},
                      {"y": binary("divide", [2.0, -2.0, 0.0], False, [0.0] * 3, False)}))
    cases.append(case("binary", "two scalars", {"op": "add", "a": [1.0], "a_scalar": True,
                                                "b": [2.0], "b_scalar": True}, {"y": [3.0]}))
    cases.append(case("binary", "empty", {"op": "add", "a": [], "a_scalar": False, "b": [],
                                          "b_scalar": False}, {"y": []}))

    # filters
    spike = [0.0] * 9 + [10.0, 20.0, 40.0, 100.0, 40.0, 20.0, 10.0] + [0.0] * 8
    fir_x = {"spike": spike, "random": rand_series(rng, 20), "nulls": series["null_middle"],
             "empty": [], "one": [4.0]}
    filters = {"ma5": [1.0] * 5, "ma4": [1.0] * 4, "diff": [1.0, -1.0], "weights": [0.5, 2.0, 1.5],
               "zero_inside": [1.0, 0.0, 1.0], "zero_sum": [1.0, -1.0, 0.0]}
    for xn, x in fir_x.items():
        for fname, flt in filters.items():
            for norm in (-1, 0, 1):
                for center in (False, True):
                    cases.append(case("fir", f"{xn}/{fname}/norm={norm}/center={center}",
                                      {"x": x, "filter": flt, "normalize": norm, "center": center},
                                      {"y": fir(x, flt, norm, center)}))
        for width in (1, 3, 4):
            for center in (False, True):
                cases.append(case("moving_avg", f"{xn}/{width}/{center}",
                                  {"x": x, "width": width, "center": center},
                                  {"y": fir(x, [1.0] * width, 1, center)}))
        for bn, (num, den) in {"cumsum": ([1.0], [1.0, -1.0]),
                               "smooth": ([0.3], [1.0, -0.7]),
                               "a0=2": ([1.0, 1.0], [2.0, -0.5, 0.25]),
                               "fir-like": ([1.0, 2.0], [1.0, 0.0])}.items():
            cases.append(case("iir", f"{xn}/{bn}", {"x": x, "b": num, "a": den},
                              {"y": iir(x, num, den)}))
    cases.append(err("fir", "empty filter", {"x": [1.0], "filter": [], "normalize": -1,
                                             "center": False}, "FILTER"))
    cases.append(err("iir", "a0 zero", {"x": [1.0], "b": [1.0], "a": [0.0, 1.0]}, "DENOMINATOR"))
    cases.append(err("iir", "no denominators", {"x": [1.0], "b": [1.0], "a": []}, "DENOMINATOR"))
    cases.append(err("iir", "no numerators", {"x": [1.0], "b": [], "a": [1.0]}, "FILTER"))
    cases.append(err("moving_avg", "width 0", {"x": [1.0], "width": 0, "center": False}, "WIDTH"))

    # regression
    fit_x = dict(EDGE)
    fit_x["docs_line"] = [2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30]
    fit_x["docs_2lines"] = [1, 2.2, 2.5, 4.7, 5.0, 12, 10.3, 10.3, 9, 8.3, 6.2]
    fit_x["random30"] = series["random30"]
    fit_x["random_nulls"] = series["random_nulls"]
    fit_x["three"] = [1.0, 4.0, 2.0]
    fit_x["four"] = [1.0, 2.0, 9.0, 7.0]
    fit_x["large_offset"] = [1e9 + v for v in rand_series(rng, 40, 0, 10)]
    fit_x["kink"] = [float(i) for i in range(10)] + [10.0 - 2 * i for i in range(10)]
    for name, x in fit_x.items():
        cases.append(case("fit_line", name, {"x": x}, fit_line(x)))
        cases.append(case("fit_2lines", name, {"x": x}, fit_2lines(x)))
        for deg in (0, 1, 2, 3):
            cases.append(case("fit_poly", f"{name}/deg={deg}", {"y": x, "x": None, "degree": deg},
                              fit_poly(x, None, deg), tol=1e-7))
    xs = sorted(rng.uniform(-2.3, 2.7) for _ in range(60))
    ys = [round(t ** 5 - 8 * t ** 3 + 10 * t + 6 + rng.gauss(0, 2), 4) for t in xs]
    cases.append(case("fit_poly", "fifth order, x given", {"y": ys, "x": xs, "degree": 5},
                      fit_poly(ys, xs, 5), tol=1e-7))
    xn = [i / 39 for i in range(40)]
    yn = [round(math.sin(6 * t) + rng.gauss(0, 0.05), 4) for t in xn]
    cases.append(case("fit_poly", "eighth order on [0,1]", {"y": yn, "x": xn, "degree": 8},
                      fit_poly(yn, xn, 8), tol=1e-6))
    xr = [1.0, None, 3.0, 4.0, 5.0, 6.5]
    yr = [2.0, 3.0, None, 7.5, 9.0, 14.0, 20.0]
    cases.append(case("fit_poly", "x and y nulls, x shorter", {"y": yr, "x": xr, "degree": 2},
                      fit_poly(yr, xr, 2), tol=1e-9))
    dup = [1.0, 1.0, 2.0, 2.0]
    cases.append(case("fit_poly", "too few distinct x", {"y": [1.0, 2.0, 3.0, 4.0], "x": dup,
                                                         "degree": 2},
                      fit_poly([1.0, 2.0, 3.0, 4.0], dup, 2)))
    cases.append(err("fit_poly", "negative degree", {"y": [1.0], "x": None, "degree": -1},
                     "DEGREE"))
    cases.append(err("fit_poly", "degree too high", {"y": [1.0], "x": None, "degree": 65},
                     "DEGREE"))

    # outliers
    out_x = {"so_example": [-3, 2.4, 15, 3.9, 5, 6, 4.5, 5.2, 3, 4, 5, 16, 7, 5, 5, 4],
             "old_docs": [30, 28, 5, 27, 31, 38, 29, 80, 25, 37, 30],
             "random_nulls": series["random_nulls"], "empty": [], "one": [3.0],
             "all_null": EDGE["all_null"], "constant": EDGE["constant"],
             "flat_with_spike": [5.0] * 19 + [50.0]}
    for name, x in out_x.items():
        cases.append(case("outliers", f"{name}/ctukey", {"x": x, "kind": "ctukey", "ignore_val": None,
                                                         "min_percentile": 10, "max_percentile": 90},
                          {"score": outliers(x)}))
        cases.append(case("outliers", f"{name}/tukey", {"x": x, "kind": "tukey", "ignore_val": None,
                                                        "min_percentile": 10, "max_percentile": 90},
                          {"score": outliers(x, "tukey")}))
        for lo, hi in ((5, 95), (2, 98), (25, 75), (12.5, 80)):
            cases.append(case("outliers", f"{name}/ctukey {lo}-{hi}",
                              {"x": x, "kind": "ctukey", "ignore_val": None,
                               "min_percentile": lo, "max_percentile": hi},
                              {"score": outliers(x, "ctukey", None, lo, hi)}))
    iv = [4.0, -1.0, 5.0, 6.0, -1.0, 30.0, 5.5, 4.5, 5.0, -1.0, 4.8, 5.2]
    cases.append(case("outliers", "ignore_val", {"x": iv, "kind": "ctukey", "ignore_val": -1.0,
                                                 "min_percentile": 10, "max_percentile": 90},
                      {"score": outliers(iv, "ctukey", -1.0)}))
    for lo, hi in ((1, 90), (10, 99), (50, 50), (60, 40)):
        cases.append(err("outliers", f"percentiles {lo}-{hi}",
                         {"x": [1.0], "kind": "ctukey", "ignore_val": None,
                          "min_percentile": lo, "max_percentile": hi}, "PERCENTILE"))

    # periods
    docs_y = [80, 139, 87, 110, 68, 54, 50, 51, 53, 133, 86, 141, 97, 156, 94, 149, 95, 140, 77, 61,
              50, 54, 47, 133, 72, 152, 94, 148, 105, 162, 101, 160, 87, 63, 53, 55, 54, 151, 103,
              189, 108, 183, 113, 175, 113, 178, 90, 71, 62, 62, 65, 165, 109, 181, 115, 182, 121,
              178, 114, 170]
    daily_weekly = [round(100 + 30 * math.sin(2 * math.pi * i / 24) +
                          (15 if (i // 24) % 7 >= 5 else 0) + rng.gauss(0, 3), 2)
                    for i in range(24 * 7 * 3)]
    per_x = {"docs": docs_y, "daily_weekly": daily_weekly,
             "period7": seasonal_series(rng, 70, 7, noise=0.5),
             "period7_nulls": [None if rng.random() < 0.1 else v
                               for v in seasonal_series(rng, 70, 7, noise=0.5)],
             "smooth": [round(100 + 30 * math.sin(2 * math.pi * i / 97) + rng.uniform(0, 4), 3)
                        for i in range(500)],
             # the top of r sits at 98, Pearson's correlation (refine) at 97
             "smooth_edge": smooth_edge_series(),
             "noise": rand_series(rng, 50), "short": [1.0, 3.0, 5.0, 2.0, 4.0, 6.0, 1.0, 3.0],
             "empty": [], "constant": [3.0] * 20, "all_null": [None] * 10}
    for name, x in per_x.items():
        for lo, hi, num in ((0, 50, 2), (0, len(x), 3), (5, 30, 1), (20, 10, 2), (4, 8.5, 4)):
            ps, ss = periods_detect(x, lo, hi, num)
            cases.append(case("periods_detect", f"{name}/{lo}-{hi}/{num}",
                              {"x": x, "min_period": lo, "max_period": hi, "num_periods": num},
                              {"periods": ps, "scores": ss}))
        vp = [14.0, 10.0, 7.0, 24.0, 168.0, 3.0, 12.5, 35.0]
        cases.append(case("periods_validate", name, {"x": x, "periods": vp},
                          {"scores": periods_validate(x, vp)}))
        cases.append(case("seasonal", f"{name}/detect", {"x": x, "period": -1},
                          {"y": seasonal(x, -1)}))
        for p in (0, 3, 7, -2):
            cases.append(case("seasonal", f"{name}/{p}", {"x": x, "period": p},
                              {"y": seasonal(x, p)}))
    cases.append(err("periods_detect", "num_periods 0",
                     {"x": [1.0], "min_period": 0, "max_period": 10, "num_periods": 0},
                     "NUM_PERIODS"))
    cases.append(err("periods_detect", "min_period null",
                     {"x": [1.0], "min_period": None, "max_period": 10, "num_periods": 1},
                     "PERIOD_RANGE"))

    # decomposition
    dec_x = {"weekly": seasonal_series(rng, 24 * 7 * 2 // 4, 42, noise=1.0),
             "weekly_trend": seasonal_series(rng, 120, 12, noise=0.8, slope=0.3),
             "nulls": [None if rng.random() < 0.08 else v
                       for v in seasonal_series(rng, 80, 8, noise=0.5, slope=-0.1)],
             "noise": rand_series(rng, 40), "short": [5.0, 6.0, 5.5], "empty": [],
             "one": [2.0], "constant": [4.0] * 30, "all_null": [None] * 6}
    spiky = seasonal_series(rng, 96, 8, noise=0.4, slope=0.05)
    for i, d in ((17, 9.0), (40, -8.0), (71, 12.0)):
        spiky[i] += d
    dec_x["spiky"] = spiky
    fut = seasonal_series(rng, 72, 12, noise=0.3, slope=0.2)
    dec_x["forecast"] = fut[:60] + [0.0] * 12
    for name, x in dec_x.items():
        for seas, trend, tp in ((-1, "avg", 0), (-1, "linefit", 0), (-1, "linefit", 12),
                                (0, "none", 0), (0, "avg", 12), (8, "linefit", 0),
                                (12, "none", 12), (12, "avg", 0)):
            cases.append(case("decompose", f"{name}/s={seas}/{trend}/tp={tp}",
                              {"x": x, "seasonality": seas, "trend": trend, "test_points": tp,
                               "threshold": 0.6}, decompose(x, seas, trend, tp)))
        for thr, method, trend, tp in ((1.5, "ctukey", "avg", 0), (1.5, "ctukey", "linefit", 0),
                                       (2.5, "ctukey", "linefit", 12), (1.5, "tukey", "avg", 0),
                                       (0.0, "ctukey", "linefit", 0)):
            cases.append(case("decompose_anomalies", f"{name}/{thr}/{method}/{trend}/tp={tp}",
                              {"x": x, "threshold": thr, "seasonality": -1, "trend": trend,
                               "test_points": tp, "method": method,
                               "seasonality_threshold": 0.6},
                              decompose_anomalies(x, thr, -1, trend, tp, method)))
        for pts, seas, trend in ((12, -1, "linefit"), (12, 12, "avg"), (0, 0, "linefit"),
                                 (100, -1, "linefit")):
            cases.append(case("decompose_forecast", f"{name}/{pts}/{seas}/{trend}",
                              {"x": x, "points": pts, "seasonality": seas, "trend": trend,
                               "threshold": 0.6},
                              {"forecast": decompose_forecast(x, pts, seas, trend)}))
    cases.append(case("decompose", "lower threshold finds the period",
                      {"x": per_x["docs"], "seasonality": -1, "trend": "linefit",
                       "test_points": 0, "threshold": 0.5},
                      decompose(per_x["docs"], -1, "linefit", 0, 0.5)))
    base = {"x": [1.0, 2.0], "seasonality": -1, "trend": "avg", "test_points": 0,
            "threshold": 0.6}
    cases.append(err("decompose", "seasonality -2", dict(base, seasonality=-2), "SEASONALITY"))
    cases.append(err("decompose", "test_points -1", dict(base, test_points=-1), "TEST_POINTS"))
    cases.append(err("decompose", "threshold null", dict(base, threshold=None), "THRESHOLD"))
    cases.append(err("decompose_anomalies", "negative threshold",
                     {"x": [1.0], "threshold": -1.0, "seasonality": -1, "trend": "avg",
                      "test_points": 0, "method": "ctukey", "seasonality_threshold": 0.6},
                     "THRESHOLD"))
    cases.append(err("decompose_forecast", "negative points",
                     {"x": [1.0], "points": -1, "seasonality": -1, "trend": "linefit",
                      "threshold": 0.6}, "TEST_POINTS"))
    return cases


def encode(v):
    """JSON has no NaN or infinity: NaN is null (as the C side reads it),
    infinities are strings."""
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    if isinstance(v, Fraction):
        return float(v)
    if isinstance(v, dict):
        return {k: encode(u) for k, u in v.items()}
    if isinstance(v, (list, tuple)):
        return [encode(u) for u in v]
    return v


def main():
    check_documented_examples()
    cases = build_cases()
    doc = {"generator": "tools/series_oracle.py (make series-cases)",
           "tolerance": {"relative": 1e-9, "absolute": 1e-9},
           "cases": encode(cases)}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
