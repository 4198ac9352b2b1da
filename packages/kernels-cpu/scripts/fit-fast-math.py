"""Coefficients of the fast vectorised exp, expm1, log, erf and erfc (src/wasm/math/fast/).

Each polynomial is fitted by weighted least squares on Chebyshev nodes (close to minimax), its
coefficients rounded to doubles, and its relative error then measured with mpmath at 50 digits
on a dense grid. Run with a python3 that has mpmath and numpy:
    python3 packages/kernels-cpu/scripts/fit-fast-math.py
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 50
HALF_LN2 = float(mp.log(2) / 2) * (1 + 2**-20)  # |r| after rounding k, with room to spare
Z_MAX = float(((mp.sqrt(2) - 1) / (mp.sqrt(2) + 1)) ** 2) * (1 + 2**-20)


def fit(fn, lo, hi, degree, nodes=4000):
    """Least squares of relative error, in mpmath, on Chebyshev nodes of [lo, hi]."""
    xs = [mp.mpf(lo + hi) / 2 + mp.mpf(hi - lo) / 2 * mp.cos(mp.pi * (i + 0.5) / nodes) for i in range(nodes)]
    A = mp.matrix(nodes, degree + 1)
    b = mp.matrix(nodes, 1)
    for i, x in enumerate(xs):
        y = fn(x)
        for j in range(degree + 1):
            A[i, j] = x**j / y
        b[i] = 1
    # Normal equations in 50-digit arithmetic are accurate enough at these degrees.
    c = mp.lu_solve(A.T * A, A.T * b)
    return [float(c[j]) for j in range(degree + 1)]


def max_rel(fn, coeffs, lo, hi, points=20001, float64=False):
    """Largest relative error on a grid; with float64, of Horner's rule in doubles (no FMA)."""
    worst = mp.mpf(0)
    for i in range(points):
        x = mp.mpf(lo) + (mp.mpf(hi) - lo) * i / (points - 1)
        if x == 0:
            continue
        if float64:
            x = float(x)
            p = 0.0
            for c in reversed(coeffs):
                p = p * x + c
            x = mp.mpf(x)
        else:
            p = mp.mpf(0)
            for c in reversed(coeffs):
                p = p * x + mp.mpf(c)
        worst = max(worst, abs(mp.mpf(p) / fn(x) - 1))
    return worst


def report(name, fn, lo, hi, degree, nodes=4000, points=20001, float64=False):
    c = fit(fn, lo, hi, degree, nodes)
    err = max_rel(fn, c, lo, hi, points, float64)
    print(f"// {name}: degree {degree} on [{lo:.6g}, {hi:.6g}], max relative error {float(err):.3g} (2^{float(mp.log(err, 2)):.1f})")
    print(f"const {name} = [{', '.join(repr(v) for v in c)}];")


# e^r on |r| <= ln2/2.
report("EXP_P", mp.exp, -HALF_LN2, HALF_LN2, 7)
# (e^r - 1)/r on |r| <= ln2/2 (expm1 = r * this).
report("EXPM1_P", lambda r: mp.expm1(r) / r if r != 0 else mp.mpf(1), -HALF_LN2, HALF_LN2, 7)
# log(m) = 2s + s*z*R(z), s = (m-1)/(m+1), z = s^2, m in [sqrt(1/2), sqrt(2)].
def log_r(z):
    s = mp.sqrt(z)
    return (mp.log((1 + s) / (1 - s)) - 2 * s) / (s * z) if z != 0 else mp.mpf(2) / 3
report("LOG_R", log_r, 0.0, Z_MAX, 4)


# erfc(z) = e^(-z^2) * t * Q(t), t = 1/(1 + z/2), for z >= 0 (t in (0, 1]; Q has a finite limit
# 1/(2 sqrt(pi)) as z -> inf), measured with the float64 evaluation of the rounded coefficients.
def erfc_q(t):
    z = (1 / t - 1) * 2
    return mp.erfc(z) * mp.exp(z * z) / t
report("ERFC_Q", erfc_q, 0.0, 1.0, 16, nodes=1500, points=8001, float64=True)
# erf(z)/z at w = z^2 for |z| < 1/2.
def erf_p(w):
    return mp.erf(mp.sqrt(w)) / mp.sqrt(w) if w > 0 else 2 / mp.sqrt(mp.pi)
report("ERF_P", erf_p, 0.0, 0.25, 6, nodes=1500, points=8001, float64=True)
