"""Paper 003 (abstract only), (1)-(2): the gradient formula and the exact split G = R + S + E,
symbolically and to machine precision against finite differences; the residue and spike terms are
rank one along the predicted directions. Theory: theory.gradient_rank; numerics:
numerics.two_layer_gradient."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from numerics import two_layer_gradient as tl
from theory import CLAIMS

from .agreement import agree
from .gradient_rank_common import OFFSET, U, _sum_bound


# -- (1) gradient formula and exact split -------------------------------------------------------
@pytest.mark.parametrize("claim_id, residual", [
    ("gradient_rank.gradient_formula", "derive_gradient_residual"),
    ("gradient_rank.exact_split", "derive_split_residual"),
    ("gradient_rank.jacobian_penalty_gradient", "derive_jacobian_penalty_residual"),
])
def test_symbolic_derivation_is_exact(claim_id, residual):
    """Differentiating the loss (or penalty) entry by entry at n = 3, d = 2, m = 2 with a generic σ
    reproduces the matrix formula; G − (R + S + E) expands to zero with symbolic κ_j."""
    from theory import gradient_rank

    res = getattr(gradient_rank, residual)()
    nonzero = sum(1 for e in res if e != 0)
    agree(claim_id, {"check": "symbolic, generic σ, n=3 d=2 m=2"}, theory=0, numeric=nonzero,
          atol=0.0, why_tol="exact: number of entries that do not reduce to 0")

def split_residual(G, R, S, E):
    """lhs − rhs of the registered split claim (CLAIMS["gradient_rank.exact_split"].expr, an
    equation between m × d matrix symbols) with the numerical matrices substituted."""
    eq = CLAIMS["gradient_rank.exact_split"].expr
    syms = {str(x): x for x in eq.free_symbols}
    f = sp.lambdify([syms[k] for k in "GRSE"], eq.lhs - eq.rhs, "numpy")
    return np.asarray(f(G, R, S, E), dtype=float)


SPLIT_CASES = [(act, sc, nu, alpha) for act in tl.ACTIVATIONS for sc in tl.SCALINGS
               for nu in (0.0, 0.3, 0.6) for alpha in (0.0, 1.0)]


@pytest.mark.parametrize("activation, scaling, nu, alpha", SPLIT_CASES,
                         ids=[f"{a}-{s}-nu{v}-alpha{al}" for a, s, v, al in SPLIT_CASES])
def test_split_reconstructs_gradient_to_machine_precision(activation, scaling, nu, alpha, audit_seed):
    """R + S + E, each from its own formula, equals G from the chain-rule formula, and G equals
    the plain per-sample sum: differences at the level of rounding."""
    seed = audit_seed + OFFSET["split"]
    data, net, _ = tl.sample(120, 90, 70, 120**nu, seed, scaling=scaling, activation=activation,
                             alpha=alpha)
    G = tl.gradient(data, net)
    parts = tl.split(data, net)
    scale = _sum_bound(net, data, extra_abs=float(np.abs(parts.kappa).max()))
    n = data.X.shape[0]
    tol = 4 * n * U * scale  # three terms + G, each an n-term sum
    params = dict(n=120, d=90, m=70, nu_exp=nu, activation=activation, scaling=scaling, alpha=alpha)
    agree("gradient_rank.exact_split", params, theory=0.0,
          numeric=float(np.abs(split_residual(G, parts.R, parts.S, parts.E)).max()), atol=tol, seed=seed,
          why_tol="rounding: 4 n-term sums, each within n·u of the sum of absolute terms "
          "(c_m/n)|a|(|σ′| + |κ|)ᵀ|r||X| (max entry)")
    agree("gradient_rank.gradient_formula", params, theory=0.0,
          numeric=float(np.abs(G - tl.gradient_by_samples(data, net)).max()), atol=2 * n * U * scale,
          seed=seed, why_tol="rounding: two n-term sums, n·u of the sum of absolute terms each")


@pytest.mark.parametrize("activation", tl.ACTIVATIONS)
def test_gradient_matches_finite_differences(activation, audit_seed):
    """Central differences of the loss itself, at 12 entries; the tolerance is the Richardson
    estimate |FD(h) − FD(2h)| of the truncation error plus roundoff 10·u·|L|/h."""
    seed = audit_seed + OFFSET["fd"]
    data, net, rng = tl.sample(50, 30, 20, 50**0.3, seed, activation=activation)
    entries = [(int(rng.integers(20)), int(rng.integers(30))) for _ in range(12)]
    G = tl.gradient(data, net) + tl.jacobian_penalty_gradient(data, net, 0.3)
    step = 1e-5
    fd_h = tl.finite_difference_gradient(data, net, entries, step=step, lam_jac=0.3)
    fd_2h = tl.finite_difference_gradient(data, net, entries, step=2 * step, lam_jac=0.3)
    L = tl.loss(data, net, lam_jac=0.3)
    for (j, k), a, b in zip(entries, fd_h, fd_2h):
        agree("gradient_rank.jacobian_penalty_gradient", dict(activation=activation, j=j, k=k),
              theory=G[j, k], numeric=a, atol=abs(a - b) + 10 * U * abs(L) / step + 1e-14, seed=seed,
              why_tol="Richardson: |FD(h) − FD(2h)| = 3× the O(h²) truncation error, + 10·u·|L|/h "
              "roundoff (+1e-14 when both vanish); a ReLU kink inside ±2h shows as a FD(h) ≠ FD(2h)")


# -- (2) rank one along the predicted directions ------------------------------------------------
@pytest.mark.parametrize("activation", tl.ACTIVATIONS)
def test_residue_and_spike_terms_are_rank_one_along_predicted_directions(activation, audit_seed):
    """Build R and S as full matrix products (not as outer products) and read their SVDs: σ₂/σ₁ at
    rounding level, right singular vectors Xᵀr/‖Xᵀr‖ and q, left vector of R along a ⊙ κ."""
    seed = audit_seed + OFFSET["split"] + 1
    data, net, _ = tl.sample(120, 90, 70, 120**0.4, seed, activation=activation)
    n = data.X.shape[0]
    r = tl.residual(data, net)
    parts = tl.split(data, net)
    dphi = tl.act(activation, data.X @ net.W.T, 1)
    R_full = (net.c_m / n) * net.a[:, None] * ((np.ones((n, 1)) * parts.kappa).T @ (r[:, None] * data.X))
    S_full = (net.c_m / n) * net.a[:, None] * ((dphi - parts.kappa).T
                                              @ (r[:, None] * (data.zeta * np.outer(data.z, data.q))))
    tol = 100 * U * np.sqrt(70 * 90)
    why = "rounding: 100·u·√(md) for singular-value ratios and direction cosines of m×d products"
    for name, mat, right, left in (("residue", R_full, parts.r_right, net.a * parts.kappa),
                                   ("spike", S_full, data.q, None)):
        u_, s_, vt = np.linalg.svd(mat)
        claim = "gradient_rank.exact_split"
        agree(claim, dict(term=name, check="sigma2/sigma1", activation=activation), theory=0.0,
              numeric=s_[1] / s_[0], atol=tol, seed=seed, why_tol=why)
        agree(claim, dict(term=name, check="1 - |cos(right, predicted)|", activation=activation),
              theory=0.0, numeric=1 - abs(vt[0] @ right) / np.linalg.norm(right), atol=tol, seed=seed,
              why_tol=why)
        if left is not None:
            agree(claim, dict(term=name, check="1 - |cos(left, a*kappa)|", activation=activation),
                  theory=0.0, numeric=1 - abs(u_[:, 0] @ left) / np.linalg.norm(left), atol=tol,
                  seed=seed, why_tol=why)
