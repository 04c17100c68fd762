"""Paper 000 §3.2, high precision: the Bernoulli solution Eq. (37) and the fixed point Eq. (41) against
mpmath integration of the scalar equations; SciPy's reduced path against mpmath (a reference)."""

from __future__ import annotations


import mpmath
import pytest

from numerics.reduced_ode import Coefficients, bernoulli_mp, fixed_point, reduced_mp, reduced_scipy
from theory import CLAIMS

from .agreement import agree
from .linear_dynamics_common import _coeffs_mp


# =============================================================================================
# (2) high-precision integration of the scalar equations
# =============================================================================================
MP_POINTS = [dict(sigma2="1", rho="20", A="0.3", tau="1", u0="1e-5"),
             pytest.param(dict(sigma2="3.7", rho="0.5", A="0.9", tau="2.5", u0="0.001"),
                          marks=pytest.mark.paper_scale)]
MP_DPS, MP_RTOL = 35, 1e-30
WHY_MP = ("precision: odefun's Taylor steps at 35 digits (local tolerance 1e-35), coefficients "
          "from the construction at 30 + 15 digits; ≥ 30 digits survive: rtol 1e-30")


@pytest.mark.parametrize("point", MP_POINTS, ids=["rho=20-A=0.3", "rho=0.5-A=0.9"])
def test_bernoulli_solution_matches_high_precision_ode(point):
    claim = CLAIMS["linear_dynamics.bernoulli_u"]
    c = _coeffs_mp(point["sigma2"], point["rho"], point["A"])
    t_e = float(CLAIMS["linear_dynamics.early_timescale"].evaluate(
        prec=20, sigma2=point["sigma2"], rho=point["rho"], A=point["A"], tau=point["tau"],
        s=point["u0"]))
    times = ["0.25", mpmath.nstr(t_e, 6), mpmath.nstr(1.5 * t_e, 6)]
    with mpmath.workdps(MP_DPS):
        numeric = bernoulli_mp(mpmath.mpf(point["u0"]), c, mpmath.mpf(point["tau"]),
                               [mpmath.mpf(x) for x in times], dps=MP_DPS)
    for tt, num in zip(times, numeric):
        agree(claim.id, {**point, "t": tt}, theory=claim.evaluate(prec=50, **point, t=tt),
              numeric=num, rtol=MP_RTOL, evidence="high-precision", why_tol=WHY_MP)


def test_fixed_point_and_reduced_ode_at_high_precision():
    """Newton on Eqs. (18)-(19) (30 digits) and a long SciPy path both give Eq. (41)."""
    point = dict(sigma2="1", rho="20", A="0.3")
    c = _coeffs_mp(point["sigma2"], point["rho"], point["A"])
    w1n, w2n = fixed_point(c)
    th1 = CLAIMS["linear_dynamics.w1_star"].evaluate(prec=30, **point)
    th2 = CLAIMS["linear_dynamics.w2_star"].evaluate(prec=30, **point)
    why = "Newton in mpmath at 30 digits, returned as float64: rtol 4 ulp"
    agree("linear_dynamics.w1_star", {**point, "method": "Newton"}, theory=th1, numeric=w1n,
          rtol=1e-15, evidence="high-precision", why_tol=why)
    agree("linear_dynamics.w2_star", {**point, "method": "Newton"}, theory=th2, numeric=w2n,
          rtol=1e-15, evidence="high-precision", why_tol=why)
    # the SciPy path over a long horizon converges to the same point
    cf = Coefficients(*(float(v) for v in (c.G, c.lambda1, c.lambda2, c.nu)))
    w1t, w2t = reduced_scipy(1e-3, 0.0, cf, 1.0, 40.0).limit
    why = ("SciPy path at t = 40τ: distance to the fixed point ~e^{-40·1.2} plus the path's "
           "global error (rtol 1e-11): atol 1e-9")
    agree("linear_dynamics.w1_star", {**point, "method": "SciPy path t=40"}, theory=th1,
          numeric=w1t, atol=1e-9, evidence="high-precision", why_tol=why)
    agree("linear_dynamics.w2_star", {**point, "method": "SciPy path t=40"}, theory=th2,
          numeric=w2t, atol=1e-9, evidence="high-precision", why_tol=why)


def test_scipy_reduced_path_matches_mpmath():
    """The SciPy path used for long horizons agrees with the 30-digit mpmath path."""
    point = dict(sigma2="1", rho="20", A="0.3")
    c = _coeffs_mp(point["sigma2"], point["rho"], point["A"])
    times = [1.0, 2.0, 3.0]
    ref = reduced_mp("1e-3", 0, c, 1, times, dps=20)
    cf = Coefficients(*(float(v) for v in (c.G, c.lambda1, c.lambda2, c.nu)))
    path = reduced_scipy(1e-3, 0.0, cf, 1.0, 5.0)
    got1, got2 = path.at(times)
    for k, tt in enumerate(times):
        for comp, ref_v, got in (("w1", ref[k][0], got1[k]), ("w2", ref[k][1], got2[k])):
            agree("reference.linear_dynamics.reduced_scipy_vs_mpmath",
                  {**point, "t": tt, "component": comp}, theory=ref_v, numeric=got, atol=1e-9,
                  role="reference", evidence="high-precision",
                  why_tol="DOP853 at rtol 1e-11 over ~10³ steps: global error < 1e-9 (the mpmath "
                  "reference at 20 digits is exact at this scale)",
                  note="SciPy (numeric) vs mpmath 20 digits (in the theory column)")
