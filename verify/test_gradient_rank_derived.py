"""Paper 003 (abstract; suite derivation after Step 3): the derived claims re-derived from the three
energy claims they rest on, at 25 digits and at points where n, d, m, ζ, s², α and the scaling are
all apart (and at m = 4 in the mean-field scaling, where P = m^{1−2·scale_exp} is not small):

- top-2 share = (‖R‖² + ‖S‖²)/(‖R‖² + ‖S‖² + ‖E‖²)  (R, S, E orthogonal to leading order);
- weight decay: G + λW adds λ²‖W‖²_F/(c_m² m) = λ²m^{2·scale_exp} (‖W‖²_F = m, c_m = m^{−scale_exp})
  to the total and nothing to R or S, so F₂(λ)/F₂(0) = total/(total + λ²m^{2·scale_exp});
- input noise: (‖S‖²/‖R‖²)(s²) over the same at s² = 0;
- spike log-slope: d ln E‖S‖²/d ln ζ with the moments frozen at ζ = 0, computed by numerical
  differentiation (central differences) of the spike-energy claim along the path noise_var = s² − ζ²/d,
  which holds its pre-activation variance 1 + s² + ζ²/d at 1 + s² (s² enters the spike energy only
  there), so the comparison is exact, not up to the neglected ζ²/d;
- crossover (ReLU): at ζ = n^{ν_c} the coherent spike energy equals its fluctuation, i.e. that
  log-slope is exactly 3.

Tolerance: the working precision (the claims at 30 digits, compared at 25) and, for the log-slopes,
the central difference's own error estimate.
Theory: theory.gradient_rank. No simulation here: the Monte-Carlo checks of these claims are in
test_gradient_rank_rank_two.py and verify/cases/gradient_rank.py."""

from __future__ import annotations

import mpmath
import pytest

from theory import CLAIMS

from .agreement import agree

DPS, PREC = 25, 30
ATOL = mpmath.mpf(10) ** (-20)
WHY = "working precision: claims at 30 digits, residual below 1e-20 relative"
POINTS = (
    dict(n=300, d=400, m=1600, zeta="2", scale_exp=1, alpha_exp="1/2", noise_var="1/2"),
    dict(n=1200, d=400, m=200, zeta="3", scale_exp="1/2", alpha_exp=0, noise_var=1),
    dict(n=1000, d=400, m=4, zeta="7", scale_exp=1, alpha_exp="1/2", noise_var="3/4"),
)
ACTS = ("relu", "tanh")


def _ev(cid, **p):
    return CLAIMS[cid].evaluate(prec=PREC, **p)


def _energies(act, **p):
    return [_ev(f"gradient_rank.{t}_energy_{act}", **p) for t in ("residue", "spike", "remainder")]


def _agree(cid, point, theory, numeric, check, truncation=None):
    params = {**{k: str(v) for k, v in point.items()}, "check": check}
    why = WHY if truncation is None else WHY + " + the central difference's |D(h) − D(h/2)|"
    agree(cid, params, theory=theory, numeric=numeric, atol=ATOL * max(1, abs(theory)) + (truncation or 0),
          evidence="high-precision", why_tol=why, note="derived claim re-derived from the energy claims")


@pytest.mark.parametrize("act", ACTS)
def test_top2_share_and_weight_decay_are_functions_of_the_energies(act):
    with mpmath.workdps(DPS):
        for p in POINTS:
            R, S, E = _energies(act, **p)
            _agree(f"gradient_rank.top2_fraction_{act}", p, _ev(f"gradient_rank.top2_fraction_{act}", **p),
                   (R + S) / (R + S + E), "(R + S)/(R + S + E)")
            lam, m = mpmath.mpf(1) / 2, mpmath.mpf(p["m"])
            c_m = m ** (-sympy_num(p["scale_exp"]))
            wd = lam**2 * m / (c_m**2 * m)   # λ²‖W‖²_F/(c_m² m), ‖W‖²_F = m
            total = R + S + E
            _agree(f"gradient_rank.weight_decay_top2_ratio_{act}", {**p, "lam": "1/2"},
                   _ev(f"gradient_rank.weight_decay_top2_ratio_{act}", **p, lam="1/2"), total / (total + wd),
                   "total/(total + λ²‖W‖²/(c_m² m))")


@pytest.mark.parametrize("act", ACTS)
def test_input_noise_balance_is_the_ratio_of_energy_ratios(act):
    with mpmath.workdps(DPS):
        for p in POINTS:
            R, S, _ = _energies(act, **p)
            R0, S0, _ = _energies(act, **{**p, "noise_var": 0})
            _agree(f"gradient_rank.input_noise_balance_{act}", p,
                   _ev(f"gradient_rank.input_noise_balance_{act}", **p), (S / R) / (S0 / R0),
                   "(S/R)(s²)/(S/R)(0)")


def _frozen_log_slope(act, p, zeta):
    """ζ d/dζ ln E‖S‖² along noise_var = s² − ζ²/d (pre-activation variance held at 1 + s²), by
    central differences at h = 1e-8·ζ and h/2: (value at h/2, |D(h) − D(h/2)|, which bounds the
    O(h²) truncation error of the finer one; roundoff 1e-30/h is 1e-22)."""
    d, s2 = mpmath.mpf(p["d"]), sympy_num(p["noise_var"])

    def log_spike(z):
        return mpmath.log(_ev(f"gradient_rank.spike_energy_{act}", **{**p, "zeta": z, "noise_var": s2 - z * z / d}))

    def central(h):
        return zeta * (log_spike(zeta + h) - log_spike(zeta - h)) / (2 * h)
    h = zeta * mpmath.mpf(10) ** -8
    coarse, fine = central(h), central(h / 2)
    return fine, abs(coarse - fine)


@pytest.mark.parametrize("act", ACTS)
def test_spike_log_slope_is_the_derivative_of_the_spike_energy(act):
    with mpmath.workdps(DPS):
        for p in POINTS:
            zeta = mpmath.mpf(sympy_num(p["zeta"]))
            slope, trunc = _frozen_log_slope(act, p, zeta)
            _agree(f"gradient_rank.spike_log_slope_{act}", p, _ev(f"gradient_rank.spike_log_slope_{act}", **p),
                   slope, "ζ ∂ ln E‖S‖²/∂ζ, moments at ζ = 0", truncation=trunc)


def test_crossover_is_where_the_spike_log_slope_is_three():
    with mpmath.workdps(DPS):
        for p in POINTS:
            q = {k: p[k] for k in ("n", "d", "m", "scale_exp", "noise_var")}
            nu = _ev("gradient_rank.crossover_nu_relu", **q)
            zeta = mpmath.mpf(p["n"]) ** nu
            if zeta**2 / p["d"] >= mpmath.mpf(sympy_num(p["noise_var"])):
                continue  # the frozen path would leave noise_var >= 0
            slope, trunc = _frozen_log_slope("relu", {**p, "zeta": zeta}, zeta)
            _agree("gradient_rank.crossover_nu_relu", {**q, "zeta_c": mpmath.nstr(zeta, 6)}, mpmath.mpf(3),
                   slope, "log-slope of E‖S‖² at ζ = n^ν_c", truncation=trunc)


def sympy_num(v):
    """'1/2' → mpf(1/2) at the working precision (exact decimal strings stay exact)."""
    if isinstance(v, str) and "/" in v:
        a, b = v.split("/")
        return mpmath.mpf(a) / mpmath.mpf(b)
    return mpmath.mpf(v)
