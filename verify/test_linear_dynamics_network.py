"""Paper 000 §3.2 and Appendix C: the full two-layer network, trained from its loss
(numerics.linear_network), against the Bernoulli and reduced dynamics with the orders in s fitted;
the conservation law under flow and GD; the early timescale against the measured loss drop."""

from __future__ import annotations


import numpy as np
import pytest
import scipy.integrate
import scipy.interpolate
import scipy.optimize
import sympy as sp

from numerics import linear_network as net
from numerics import linear_network_runs as runs
from numerics.reduced_ode import Coefficients, reduced_scipy
from theory import CLAIMS
from theory import linear_dynamics as ld
from theory.symbols import A, rho, sigma2, t, tau, u0

from .agreement import agree, bound, measure
from .linear_dynamics_common import (D_NET, INTEGRATION_FLOOR, M_NET, NET_CASES, ORDER_ALLOWANCE, S_NU0, S_VALUES, WHY_ORDER, _network, claim_matrices, fitted_order)


# =============================================================================================
# (3) the full network against the Bernoulli and reduced dynamics
# =============================================================================================

def _deviations(case, seed):
    """Deviations of the network from the matched reduced path, per s (numerics.linear_network_runs)."""
    return {s_: runs.deviations_from_reduced(*_network(case, s_, seed), rtol=NET_CASES[case][3])
            for s_ in S_VALUES}


#: quantity -> the order Appendix C implies, and whether it is asserted as = 1 or as ≥ 1
EXPECTED_ORDER = {
    "w1 (whole path)": "=1",      # the decaying mode of Eq. (35) is O(s) at t = 0
    "w1 (t ≥ 10τ/G)": ">=1",      # measured O(s²): Appendix C's O(s) is conservative here
    "w2 (whole path)": ">=1",     # measured O(s²)
    "‖P⊥a‖": "=1", "‖P⊥w1‖": "=1", "‖P⊥w2‖": "=1", "‖(w3…wd)‖": "=1",
}


@pytest.mark.parametrize("quantity", list(EXPECTED_ORDER))
def test_reduced_dynamics_track_the_network_to_order_s(quantity, audit_seed):
    """Appendix C: the network stays aligned with r̂1 up to O(s) and its projections r̂1ᵀWv1,
    r̂1ᵀWv2 follow Eqs. (18)-(19) up to O(s). Each deviation's order in s is fitted."""
    seed = audit_seed + 301
    rows = _deviations("paper", seed)
    pts = [(s_, rows[s_][quantity]) for s_ in S_VALUES if rows[s_][quantity] > 10 * INTEGRATION_FLOOR]
    ss, dev = zip(*pts)
    slope, half = fitted_order(ss, dev)
    params = {"rho": 20, "A": 0.3, "m": M_NET, "d": D_NET, "quantity": quantity}
    extra = {"s": list(ss), "deviation": [float(v) for v in dev], "ci95": half}
    note = (f"fitted order {slope:.3f} ± {half:.3f} over s = {ss[0]:g} … {ss[-1]:g}; "
            f"deviation/s at the smallest s: {dev[-1] / ss[-1]:.3g}")
    if EXPECTED_ORDER[quantity] == "=1":
        agree("linear_dynamics.reduced_rhs", params, theory=1.0, numeric=slope,
              atol=half + ORDER_ALLOWANCE, evidence="fitted rate", why_tol=WHY_ORDER, seed=seed, extra=extra, note=note)
    else:
        bound("linear_dynamics.reduced_rhs", params, value=slope, limit=1.0, sense=">=",
              atol=half + ORDER_ALLOWANCE, evidence="fitted rate", why_tol=WHY_ORDER, seed=seed, extra=extra,
              note=note + " (at least O(s) claimed; O(s²) measured)")


def test_unmatched_start_leaves_an_s_independent_deviation(audit_seed):
    """Starting the reduced path at (u0, w2(0)) instead of the matched point: the deviation after
    the transient does not shrink with s (order ≈ 0): the matching is what makes O(s) hold."""
    seed = audit_seed + 301
    devs = []
    for s_ in S_VALUES[1:]:
        problem, traj, proj = _network("paper", s_, seed)
        c = Coefficients(problem.G, problem.lambda1, problem.lambda2, problem.nu)
        r1, _ = reduced_scipy(proj.u0, proj.w2_0, c, 1.0, traj.t[-1]).at(traj.t)
        devs.append(np.max(np.abs(proj.p1 - r1)[traj.t >= 10 / problem.G]))
    slope, half = fitted_order(S_VALUES[1:], devs)
    agree("linear_dynamics.reduced_rhs", {"rho": 20, "A": 0.3, "start": "w1(0) = u0 (unmatched)"},
          theory=1.0, numeric=slope, atol=half + ORDER_ALLOWANCE, evidence="fitted rate", why_tol=WHY_ORDER, seed=seed,
          expect="disagree", extra={"deviation": [float(v) for v in devs]},
          note=f"order {slope:.3f}: the deviation stays ≈ {devs[-1]:.2g} for all s")


def _bernoulli_numpy(problem, u0_, times):
    """Eq. (37) through the registered claim, lambdified (theory side)."""
    f = sp.lambdify((sigma2, rho, A, tau, u0, t), CLAIMS["linear_dynamics.bernoulli_u"].expr, "numpy")
    return f(problem.sigma2, problem.rho, problem.A, 1.0, u0_, times)


@pytest.mark.parametrize("case", ["A=0", "A=1", "rho=0"])
def test_bernoulli_follows_the_network_to_order_s_when_nu_vanishes(case, audit_seed):
    """ν = 0: Eq. (17) with u(0) = ‖r1‖ follows r̂1ᵀWv1 to O(s) uniformly in time."""
    seed = audit_seed + 302
    devs = []
    for s_ in S_NU0:
        problem, traj, proj = _network(case, s_, seed)
        devs.append(np.max(np.abs(proj.p1 - _bernoulli_numpy(problem, proj.u0, traj.t))))
    slope, half = fitted_order(S_NU0, devs)
    rho_, A_, horizon, _ = NET_CASES[case]
    agree("linear_dynamics.bernoulli_u", {"rho": rho_, "A": A_, "t_max": horizon}, theory=1.0,
          numeric=slope, atol=half + ORDER_ALLOWANCE, evidence="fitted rate", why_tol=WHY_ORDER, seed=seed,
          extra={"s": list(S_NU0), "deviation": [float(v) for v in devs]},
          note=f"order {slope:.4f} ± {half:.4f}; max deviation / s = {devs[-1] / S_NU0[-1]:.3g}")


def test_bernoulli_misses_the_network_by_an_s_independent_amount_when_nu_is_positive(audit_seed):
    """Eq. (16) says '+ O(s)'. For ν > 0 the w2 component grows like ν∫u³dt during the transition
    (not at its O(s) initial scale, as §3.2.1 states), and Eq. (17) misses r̂1ᵀWv1 already before
    the early timescale by an amount that does not shrink with s."""
    seed = audit_seed + 301
    devs, w2_growth = [], []
    for s_ in S_VALUES[1:]:
        problem, traj, proj = _network("paper", s_, seed)
        t_e = float(CLAIMS["linear_dynamics.early_timescale"].evaluate(
            prec=20, sigma2=1, rho=20, A="0.3", tau=1, s=s_))
        upto = traj.t <= t_e
        devs.append(np.max(np.abs(proj.p1 - _bernoulli_numpy(problem, proj.u0, traj.t))[upto]))
        w2_growth.append(np.max(np.abs(proj.p2 - proj.w2_0)[upto]))
    slope, half = fitted_order(S_VALUES[1:], devs)
    agree("linear_dynamics.bernoulli_u", {"rho": 20, "A": 0.3, "window": "t ≤ early timescale"},
          theory=1.0, numeric=slope, atol=half + ORDER_ALLOWANCE, evidence="fitted rate", why_tol=WHY_ORDER, seed=seed,
          expect="disagree", extra={"deviation": [float(v) for v in devs],
                                    "w2 growth": [float(v) for v in w2_growth]},
          note=f"order {slope:.3f}: max |r̂1ᵀWv1 − u| up to the early timescale ≈ {devs[-1]:.2g} "
          f"for every s; w2 grows by ≈ {w2_growth[-1]:.2g} there (not O(s))")


def test_network_reaches_the_fixed_point_and_a_W_reaches_beta(audit_seed):
    seed = audit_seed + 303
    problem, traj, proj = _network("paper", 1e-5, seed)
    point = dict(sigma2="1", rho="20", A="0.3")
    # distance to the fixed point at t = 12τ: ~e^{−12·λ_slow} with λ_slow ≈ 1.3 measured on the
    # reduced path, plus O(s) = 1e-5
    why = "O(s) = 1e-5 from the alignment + residual convergence at t = 12τ (< 1e-6): atol 3e-5"
    agree("linear_dynamics.w1_star", {**point, "s": 1e-5, "t": 12}, numeric=proj.p1[-1],
          theory=CLAIMS["linear_dynamics.w1_star"].evaluate(prec=20, **point), atol=3e-5,
          evidence="trained network", why_tol=why, seed=seed, note="network r̂1ᵀWv1 at the end of training")
    agree("linear_dynamics.w2_star", {**point, "s": 1e-5, "t": 12}, numeric=proj.p2[-1],
          theory=CLAIMS["linear_dynamics.w2_star"].evaluate(prec=20, **point), atol=3e-5,
          evidence="trained network", why_tol=why, seed=seed, note="network r̂1ᵀWv2 at the end of training")
    miss = np.linalg.norm(net.end_to_end(traj)[-1] - problem.beta)
    agree("linear_dynamics.w1_star", {**point, "quantity": "‖aᵀW − β‖"}, theory=0, numeric=miss,
          atol=1e-6, evidence="trained network", why_tol="convergence at t = 12τ: residual < 1e-6 (exponential, rate ≥ 1.3/τ)",
          seed=seed, note="aᵀW → βᵀ (β = w1* v1 + w2* v2 at r* = 1)")


def test_decomposed_rhs_matches_the_loss_gradient(audit_seed):
    """Eqs. (9)-(12) against −½∇L of the network at a random state, projected on the basis V."""
    seed = audit_seed + 304
    rng = np.random.default_rng(seed)
    problem = net.spiked_problem(1.0, 20.0, 0.3, 8, rng)
    W, a = net.init_weights(5, 8, 0.7, rng)
    gW, ga = net.gradients(W, a, problem.population)
    V = runs.spike_basis(problem, rng)
    Wt = W @ V
    # the registered claim itself (CLAIMS[...].expr at σ² = 1, ρ = 20, A = 3/10), the network's state put in
    th = claim_matrices("linear_dynamics.decomposed_rhs",
                        {"a": sp.Matrix(a), "w_1": sp.Matrix(Wt[:, [0]]), "w_2": sp.Matrix(Wt[:, [1]]),
                         "R": sp.Matrix(Wt[:, 2:])}, {"m": 5, "d_rest": 6},
                        {sigma2: 1, rho: 20, A: sp.Rational(3, 10)})
    num = ((-0.5 * gW) @ V[:, [0]], (-0.5 * gW) @ V[:, [1]], (-0.5 * gW) @ V[:, 2:], -0.5 * ga[:, None])
    worst = max(float(np.max(np.abs(np.array(sp.Matrix(t_), dtype=float) - n_))) for t_, n_ in zip(th, num))
    agree("linear_dynamics.decomposed_rhs", {"rho": 20, "A": 0.3, "m": 5, "d": 8}, theory=0,
          numeric=worst, atol=1e-12, seed=seed,
          why_tol="float64 gradient of O(1) entries, d = 8: rounding < 1e-13; atol 1e-12",
          note="max entry-wise |Eqs. (9)-(12) − (−½∇L in basis V)|")


# =============================================================================================
# (4) conservation law
# =============================================================================================
def test_conservation_law_under_gradient_flow(audit_seed):
    seed = audit_seed + 301
    for s_ in (1e-3, 1e-5):
        _, traj, proj = _network("paper", s_, seed)
        scale = float(np.max(np.sum(traj.a**2, axis=1)))
        agree("linear_dynamics.conservation_law", {"rho": 20, "A": 0.3, "s": s_, "method": "flow"},
              theory=0, numeric=float(np.max(proj.conservation)), atol=1e-9 * scale, seed=seed,
              evidence="trained network", why_tol="DOP853 at rtol 1e-11, ~3·10³ steps: accumulated drift < 1e-9 of ‖a‖²")


def test_conservation_drift_is_first_order_in_eta_under_gradient_descent(audit_seed):
    """Full-batch gradient descent on n = 10⁴ samples (the paper's training) drifts by
    η²(g_a g_aᵀ − g_W g_Wᵀ) per step: O(η) at fixed t/τ = 6."""
    seed = audit_seed + 305
    problem = net.spiked_problem(1.0, 20.0, 0.3, D_NET, np.random.default_rng(seed))
    data = net.sample(problem, 10_000, np.random.default_rng(seed + 2))
    W0, a0 = net.init_weights(M_NET, D_NET, 1e-3, np.random.default_rng(seed + 1))
    etas = (0.005, 0.0025, 0.00125, 0.000625)
    drifts = []
    for eta in etas:
        steps = int(round(6 / (2 * eta)))
        traj = net.gradient_descent(W0, a0, data.moments, eta, steps, every=steps)
        C = np.outer(traj.a[-1], traj.a[-1]) - traj.W[-1] @ traj.W[-1].T
        C0 = np.outer(a0, a0) - W0 @ W0.T
        drifts.append(float(np.linalg.norm(C - C0)))
    slope, half = fitted_order(etas, drifts)
    agree("linear_dynamics.conservation_law", {"rho": 20, "A": 0.3, "method": "GD", "n": 10_000,
                                               "t/tau": 6},
          theory=1.0, numeric=slope, atol=half + 0.06, seed=seed,
          evidence="fitted rate", why_tol="fitted order in η over η ∈ {5e-3 … 6.25e-4}: 95% CI + 0.06 for the O(η²) "
          "term, relatively η·(largest loss curvature ≈ 2λmax·‖a‖² ≤ 12) ≤ 0.06",
          extra={"eta": list(etas), "drift": drifts}, note=f"order {slope:.3f} ± {half:.3f}")


# =============================================================================================
# (5) early timescale against the measured loss drop
# =============================================================================================
def test_early_timescale_against_the_loss_drop(audit_seed):
    """Measured: first time the network's loss is halfway between L(0) and the early plateau
    βᵀΣβ − G²/λ1 (moments and G, λ1 from the numerics). early_loss_midpoint: that time itself
    (asserted for ν = 0, recorded for ν > 0). early_timescale: its shift between two initial
    scales, τ/‖Σxy‖·log(s1/s2); the s-independent offset cancels there, so the printed timescale
    is right to leading order in log(1/s)."""
    seed = audit_seed + 301
    drops = {}
    for case in ("A=1", "paper"):
        rho_, A_, _, _ = NET_CASES[case]
        scales = (1e-3, 1e-6) if case == "paper" else (1e-3, 1e-5)
        for s_ in scales:
            problem, traj, proj = _network(case, s_, seed)
            L = net.losses(traj, problem.population)
            plateau = problem.population.Syy - problem.G**2 / problem.lambda1
            target = (L[0] + plateau) / 2
            k = int(np.nonzero(L <= target)[0][0])
            spline = scipy.interpolate.CubicSpline(traj.t, L - target)
            t_drop = float(scipy.optimize.brentq(spline, traj.t[k - 1], traj.t[k], xtol=1e-12))
            pars = dict(sigma2=1, rho=rho_, A=A_, tau=1)
            printed = float(CLAIMS["linear_dynamics.early_timescale"].evaluate(prec=20, **pars, s=s_))
            mid = float(CLAIMS["linear_dynamics.early_loss_midpoint"].evaluate(prec=20, **pars, u0=proj.u0))
            drops[(case, s_)] = (t_drop, printed, proj.u0)
            why = ("cubic-spline root of the loss on a 0.01τ grid (relative error ≤ (h·2G/τ)⁴/384 ≤ "
                   "1e-4 of the step: 1e-5τ) + O(s) alignment terms (10 s)")
            note = (f"printed early timescale {printed:.4f}, offset {t_drop - printed:+.4f}τ "
                    f"({(t_drop - printed) / printed:+.1%} of it)")
            if case == "paper":
                # ν > 0: Eq. (37) ignores the w2 growth (Eq. 16 drops it), an s-independent model
                # error with no derived size: the number is recorded, not asserted
                measure("linear_dynamics.early_loss_midpoint", {**pars, "s": s_}, theory=mid,
                        numeric=t_drop, seed=seed, note=note,
                        why="ν > 0: Eq. (37) neglects the growth of w2 during the transition, an "
                        "s-independent miss (see test_bernoulli_misses_the_network_…) that no "
                        "quantity outside the claim sizes; recorded beside the prediction")
            else:
                agree("linear_dynamics.early_loss_midpoint", {**pars, "s": s_}, theory=mid,
                      numeric=t_drop, atol=1e-5 + 10 * s_, seed=seed, evidence="trained network",
                      why_tol=why + " (ν = 0: Eq. (37) exact to O(s))", note=note)
        # the printed timescale's content is its s-dependence, τ/(2‖Σxy‖)·log(1/s²): between two
        # initial scales with the same draw (u0/s fixed) the offset cancels, whatever ν is
        (t_big, pr_big, u_big), (t_small, pr_small, u_small) = (drops[(case, s_)] for s_ in scales)
        agree("linear_dynamics.early_timescale", {"sigma2": 1, "rho": rho_, "A": A_, "tau": 1,
                                                  "s": f"{scales[0]:g} → {scales[1]:g}"},
              theory=pr_small - pr_big, numeric=t_small - t_big,
              atol=2e-5 + 10 * sum(scales), allowance=2 * (u_big**2 + u_small**2), seed=seed,
              evidence="trained network",
              why_tol="two spline roots (1e-5τ each) + O(s) alignment terms (10 s at each s) + "
              "2u0² each for the log(1 − λ1u0²/G) the printed form drops; the s-independent "
              "offset (u0/s, and for ν > 0 the w2 growth) cancels in the difference",
              note=f"shift of the loss drop between s = {scales[0]:g} and {scales[1]:g}; printed "
              f"difference τ/‖Σxy‖·log({scales[0] / scales[1]:g})")
