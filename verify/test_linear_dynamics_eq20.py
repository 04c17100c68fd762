"""Paper 000 Appendix B.2: the Eq. (20) bound on an 8 × 8 × 3 grid, its assumption (Eq. 39) checked for three
definitions of t1 (numerics.later_phase), Eq. (41) on the grid, the ν = 0 cases, GD on samples reaching β."""

from __future__ import annotations

import math

import numpy as np
import pytest

from numerics import later_phase as lp
from numerics import linear_network as net
from theory import CLAIMS

from .agreement import agree, bound
from .linear_dynamics_common import D_NET, GRID, M_NET, NET_CASES, S_NU0, _network, bound_value


# =============================================================================================
# (6) the Eq. (20) bound on the grid
# =============================================================================================
# Outcome tables, one per definition of t1 (see numerics/later_phase.py), rows ρ, columns A:
# first letter: assumption of Eq. (39) (w1 ≥ w1*, w2 ≤ w2* for all t ≥ t1) holds (A) or fails (a);
# then per δ = 1, 2, 3: bound holds (B) or fails (b). Where the assumption holds the bound must
# hold (a 'b' there would be a failure of the paper's argument, not a table entry). Where it fails
# the outcome is recorded: a 'b' is a confirmed miss. The test fails when a measured outcome
# leaves its entry; the failing row's note gives t1, w2(t1)/w2* and the gaps to update it by hand.
KNOWN = {
    "early": """
      0.05 0.1  0.2  0.3  0.5  0.7  0.9  0.95
0.5   abbb abbb abbb abbb abbb abbb abbb abbb
1     abbb abbb abbb abbb abbb abbb abbb abbb
2     abbb abbb abbb abbb abbb abbb abbb abbb
5     abbb abbb abbb abbb aBBB aBBB aBBB abBB
10    abbb abbb abbb aBBB aBBB aBBB aBBB aBBB
20    abbb abbb aBBB aBBB aBBB aBBB aBBB aBBB
50    abbb aBBb ABBB ABBB aBBB aBBB aBBB aBBB
100   abbb ABBB ABBB ABBB ABBB aBBB aBBB aBBB
""",
    "w2_1pct": """
      0.05 0.1  0.2  0.3  0.5  0.7  0.9  0.95
0.5   abbb abbb abbb abbb abbb abbb abbb abbb
1     abbb abbb abbb abbb abbb abbb abbb abbb
2     abbb abbb abbb abbb abbb abbb abbb abbb
5     abbb abbb abbb abbb abbB aBBB abBB abbb
10    abbb abbb abbb abBB aBBB aBBB aBBB aBBB
20    abbb abbb aBBB aBBB aBBB aBBB aBBB aBBB
50    abbb aBBb ABBB ABBB ABBB ABBB aBBB aBBB
100   abbb ABBB ABBB ABBB ABBB ABBB ABBB aBBB
""",
    "w1_star": """
      0.05 0.1  0.2  0.3  0.5  0.7  0.9  0.95
0.5   ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
1     ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
2     ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
5     ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
10    ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
20    ABBB ABBB aBBB ABBB ABBB ABBB ABBB ABBB
50    ABBB aBBB ABBB ABBB ABBB ABBB ABBB ABBB
100   ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
""",
}


def _table(text: str) -> dict:
    lines = [ln.split() for ln in text.strip().splitlines()]
    cols = lines[0]
    return {(row[0], col): code for row in lines[1:] for col, code in zip(cols, row[1:])}


KNOWN_CODES = {name: _table(text) for name, text in KNOWN.items()}
@pytest.mark.parametrize("rho_, A_", GRID, ids=[f"rho={r}-A={a}" for r, a in GRID])
def test_later_phase_bound_on_the_grid(rho_, A_):
    m = lp.later_phase_grid()[(rho_, A_)]
    for definition in lp.T1_DEFINITIONS:
        code = KNOWN_CODES[definition][(rho_, A_)]
        holds = m.assumption_holds(definition)
        t1 = m.t1[definition]
        w2_at_t1 = None if math.isnan(t1) else float(m.w2_fraction_at(definition))
        assumption_note = (f"t1 ({definition}) = {t1:.4g}; w2(t1)/w2* = {w2_at_t1}; "
                           f"min(w1 − w1*) = {m.w1_gap[definition]:.3g}, max(w2 − w2*) = "
                           f"{m.w2_gap[definition]:.3g} for t ≥ t1: assumption "
                           + ("holds" if holds else "FAILS"))
        # the assumption status is itself a recorded measurement against its table entry
        agree("linear_dynamics.later_phase_bound", {"rho": rho_, "A": A_, "t1": definition,
                                                    "check": "assumption (Eq. 39)"},
              theory=1 if code[0] == "A" else 0, numeric=1 if holds else 0,
              why_tol="exact: 1 = assumption holds within 1e-8 (integration precision) on t ≥ t1",
              note=assumption_note)
        for dl, letter in zip(lp.DELTAS, code[1:]):
            limit = bound_value(rho_, A_, dl)
            value = m.t2[dl] - t1
            expect = "agree" if (holds or letter == "B") else "disagree"
            bound("linear_dynamics.later_phase_bound",
                  {"rho": rho_, "A": A_, "delta": dl, "t1": definition, "sigma2": 1, "tau": 1},
                  value=value, limit=limit, atol=1e-8, expect=expect,
                  why_tol="t1, t2 located by root finding on a DOP853 path (rtol 1e-11): 1e-8",
                  note=("assumption holds" if holds else "assumption FAILS") +
                  (f"; t2 − t1 = {value:.4f}, bound {limit:.4f}" +
                   ("; t2 < t1: the bound is vacuous here" if value < 0 else "")),
                  extra={"w2_fraction_at_t1": w2_at_t1, "u_sat": m.u_sat, "w1_star": m.w1_star})


# =============================================================================================
# (7) no later phase when ν = 0
# =============================================================================================
@pytest.mark.parametrize("case", ["A=0", "A=1", "rho=0"])
def test_w2_stays_at_its_initial_scale_when_nu_vanishes(case, audit_seed):
    seed = audit_seed + 302
    ratios = []
    for s_ in S_NU0:
        _, _, proj = _network(case, s_, seed)
        ratios.append(float(np.max(np.abs(proj.p2))) / s_)
    rho_, A_, horizon, _ = NET_CASES[case]
    # Eq. (19) at ν = 0 only shrinks |w2|: max_t |r̂1ᵀWv2| ≤ |w2(0)| + O(s²) alignment terms
    _, _, proj = _network(case, S_NU0[-1], seed)
    bound("linear_dynamics.no_later_phase", {"rho": rho_, "A": A_, "s": S_NU0[-1]},
          value=float(np.max(np.abs(proj.p2))), limit=abs(proj.w2_0), atol=10 * S_NU0[-1] ** 2,
          evidence="trained network", why_tol="|w2| is non-increasing under Eq. (19) at ν = 0; the network adds O(s²) "
          "(allowance 10 s²)", seed=seed,
          note=f"max|r̂1ᵀWv2|/s over s ∈ 1e-3…1e-5: {', '.join(f'{r:.3g}' for r in ratios)}")


def test_later_phase_bound_summary_per_definition_of_t1():
    """One row per definition of t1: the number of (ρ, A, δ) cells where the assumption holds but
    the bound fails must be 0 (that would refute the argument of Appendix B.2); the note counts
    every case, which is what the report states."""
    for definition in lp.T1_DEFINITIONS:
        counts = {"A,B": 0, "A,b": 0, "a,B": 0, "a,b": 0}
        vacuous = 0
        for r, a in GRID:
            m = lp.later_phase_grid()[(r, a)]
            key = "A" if m.assumption_holds(definition) else "a"
            for dl in lp.DELTAS:
                gap = m.t2[dl] - m.t1[definition]
                counts[f"{key},{'B' if gap <= bound_value(r, a, dl) + 1e-8 else 'b'}"] += 1
                vacuous += gap < 0
        agree("linear_dynamics.later_phase_bound", {"t1": definition, "cells": 3 * len(GRID)},
              theory=0, numeric=counts["A,b"], atol=0,
              why_tol="exact count: cells where the assumption holds and the bound fails",
              note=(f"assumption holds & bound holds: {counts['A,B']}; assumption fails & bound "
                    f"holds: {counts['a,B']}; assumption fails & bound fails: {counts['a,b']}; "
                    f"t2 < t1 (vacuous): {vacuous}"))


def test_gradient_descent_on_samples_reaches_beta(audit_seed):
    """Full-batch GD on n = 10⁴ noise-free samples (n > d): the empirical minimizer is β, so
    aᵀW → β, and the projections settle at Eq. (41) up to the finite-n tilt of Σ̂ (which moves the
    path, not its end point)."""
    seed = audit_seed + 306
    rng = np.random.default_rng(seed)
    problem = net.spiked_problem(1.0, 20.0, 0.3, D_NET, rng)
    data = net.sample(problem, 10_000, rng)
    W0, a0 = net.init_weights(M_NET, D_NET, 1e-5, rng)
    eta = 0.005
    traj = net.gradient_descent(W0, a0, data.moments, eta, int(20 / (2 * eta)), every=100)
    miss = float(np.linalg.norm(net.end_to_end(traj)[-1] - problem.beta))
    agree("linear_dynamics.w1_star", {"rho": 20, "A": 0.3, "n": 10_000, "eta": eta, "t/tau": 20,
                                      "quantity": "‖aᵀW − β‖ (GD on samples)"},
          theory=0, numeric=miss, atol=1e-7, seed=seed,
          evidence="trained network", why_tol="exponential convergence at rate ≥ 0.8/τ over the 20τ horizon: residual ≤ "
          "e^{-16} ≈ 1e-7", note="noise-free labels: empirical minimizer = β")

@pytest.mark.parametrize("rho_, A_", GRID, ids=[f"rho={r}-A={a}" for r, a in GRID])
def test_fixed_point_on_the_grid(rho_, A_):
    """Eq. (41) against Newton's root of Eqs. (18)-(19) (coefficients from the construction) over
    the whole Eq. (20) grid."""
    m = lp.later_phase_grid()[(rho_, A_)]
    for cid, num in (("linear_dynamics.w1_star", m.w1_star), ("linear_dynamics.w2_star", m.w2_star)):
        agree(cid, {"sigma2": 1, "rho": rho_, "A": A_},
              theory=CLAIMS[cid].evaluate(prec=20, sigma2=1, rho=rho_, A=A_), numeric=num,
              rtol=1e-14, atol=1e-15,
              evidence="high-precision", why_tol="Newton at 30 digits on coefficients from a 30-digit construction, returned "
              "as float64: a few ulp")


# =============================================================================================
# (9) Appendix C: the energy inequality (47)-(49) and the Grönwall bound (50)
# =============================================================================================
