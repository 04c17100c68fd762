"""Runs of the two-layer linear network of paper 000 §3 that the checks and figures share: the
population gradient flow from a small random start, full-batch gradient descent on samples, the
reduced path (Eqs. 18-19) started at the network's growing mode, the deviations between the two,
and an orthonormal basis adapted to the spike (v1, v2, then the rest).

Numerics only: coefficients of the reduced path are passed in (from the explicit construction
numerics.spiked.appendix_a or from the caller), never taken from a closed form.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import linear_network as net
from .reduced_ode import Coefficients, reduced_scipy


def matched_initial_conditions(u0_: float, w2_0: float) -> tuple[float, float]:
    """Initial conditions of Eqs. (18)-(19) matching the network.

    The network's w1 and a grow as r1 e^{Gt/τ} (Eq. 35), so the reduced path must have the same
    growing amplitude ‖r1‖ = u0, and w2 starts at the network's r̂1ᵀW(0)v2. While w2 ≈ const
    (its drift is O(s³)), Eq. (18) is τẇ1 = G√(w1² + w2²), solved by w1 = |w2| sinh(Gt/τ + c),
    whose growing amplitude is |w2|e^c/2; setting it to u0 gives w1(0) = u0 − w2(0)²/(4u0).
    (Starting from w1(0) = u0 instead shifts the growing mode by a relative (w2/u0)²/4 = O(1) in s
    and leaves an s-independent deviation.)"""
    u0_, w2_0 = float(u0_), float(w2_0)
    if not np.isfinite(u0_) or u0_ <= 0:
        raise ValueError(f"u0 must be a finite number > 0, got {u0_!r}")
    if not np.isfinite(w2_0):
        raise ValueError(f"w2_0 must be finite, got {w2_0!r}")
    return u0_ - w2_0**2 / (4 * u0_), w2_0


def problem_coefficients(problem: net.Problem) -> Coefficients:
    """(‖Σxy‖, λ1, λ2, ν) of an explicit problem, as the reduced ODE takes them."""
    return Coefficients(problem.G, problem.lambda1, problem.lambda2, problem.nu)


def matched_reduced_path(coeffs: Coefficients, proj: net.Projections, horizon: float, *,
                         rtol: float = 1e-11, tau: float = 1.0, n_out: int | None = None):
    """The reduced path (Eqs. 18-19) from the network's matched growing mode."""
    w10, w20 = matched_initial_conditions(proj.u0, proj.w2_0)
    kw = {} if n_out is None else {"n_out": n_out}
    return reduced_scipy(w10, w20, coeffs, tau, horizon, rtol=rtol, **kw)


@lru_cache(maxsize=None)
def population_flow(rho: float, A: float, s: float, seed: int, *, m: int, d: int, horizon: float,
                    rtol: float, samples_per_tau: int = 100):
    """Gradient flow of the network on the population loss from W₀ ~ N(0, s²/d), a₀ ~ N(0, s²/m)
    (σ² = 1, τ = 1): (problem, trajectory, projections). The problem's random directions come from
    ``seed``, the initialization from ``seed + 1``."""
    if not (np.isfinite(s) and s > 0):
        raise ValueError(f"s must be a finite number > 0, got {s!r}")
    problem = net.spiked_problem(1.0, rho, A, d, np.random.default_rng(seed))
    W0, a0 = net.init_weights(m, d, s, np.random.default_rng(seed + 1))
    te = np.linspace(0.0, horizon, int(samples_per_tau * horizon) + 1)
    traj = net.gradient_flow(W0, a0, problem.population, 1.0, te, rtol=rtol)
    return problem, traj, net.projections(traj, problem)


@lru_cache(maxsize=None)
def sample_gradient_descent(rho: float, A: float, seed: int, horizon: float, *, n: int, m: int,
                            d: int, s: float, eta: float, max_saved: int = 1200):
    """Full-batch GD on n samples (the paper's training, τ = 1/(2η) steps per unit time):
    (problem, sample, trajectory with t in units of τ, projections)."""
    rng = np.random.default_rng(seed)
    problem = net.spiked_problem(1.0, rho, A, d, rng)
    data = net.sample(problem, n, rng)
    W0, a0 = net.init_weights(m, d, s, rng)
    tau = 1 / (2 * eta)
    steps = int(round(horizon * tau))
    traj = net.gradient_descent(W0, a0, data.moments, eta, steps, every=max(1, steps // max_saved))
    traj.t = traj.t / tau
    return problem, data, traj, net.projections(traj, problem)


def deviations_from_reduced(problem, traj, proj, *, rtol: float) -> dict:
    """max over the path of |network projection − reduced path| and of the deviation vectors;
    'late' = after the decaying mode q1 e^{−Gt/τ} of Eq. (35) has died (t ≥ 10τ/G)."""
    red = matched_reduced_path(problem_coefficients(problem), proj, traj.t[-1], rtol=rtol)
    r1, r2 = red.at(traj.t)
    late = traj.t >= 10 / problem.G
    d1, d2 = np.abs(proj.p1 - r1), np.abs(proj.p2 - r2)
    return {
        "w1 (whole path)": d1.max(), "w1 (t ≥ 10τ/G)": d1[late].max(),
        "w2 (whole path)": d2.max(),
        "‖P⊥a‖": np.max(proj.orth_a), "‖P⊥w1‖": np.max(proj.orth_w1),
        "‖P⊥w2‖": np.max(proj.orth_w2), "‖(w3…wd)‖": np.max(proj.rest),
    }


def spike_basis(problem: net.Problem, rng: np.random.Generator) -> np.ndarray:
    """Orthonormal d × d basis whose first two columns are v1, v2 (the rest random)."""
    d = len(problem.v1)
    V = np.linalg.qr(np.column_stack([problem.v1, problem.v2, rng.standard_normal((d, d - 2))]))[0]
    V[:, :2] = np.column_stack([problem.v1, problem.v2])
    return V
