"""The deviation energy of paper 000 Appendix C measured along a trained network's path.

For a trajectory of the two-layer network (numerics.linear_network) and a fixed unit vector r̂ of
R^m (default: r̂1 = r1/‖r1‖, r1 = (W(0)v1 + a(0))/2, Eq. 15), with P⊥ = I − r̂r̂ᵀ:

  E(t)       = ½(‖P⊥a‖² + ‖P⊥Wv1‖² + ‖P⊥Wv2‖²)                          (Eq. 46, definition)
  τ dE/dt    = (P⊥a)ᵀ(τȧ) + (P⊥Wv1)ᵀ(τẆv1) + (P⊥Wv2)ᵀ(τẆv2),

with τȧ = −½∂L/∂a and τẆ = −½∂L/∂W taken from the loss gradient (numerics.linear_network.gradients),
never from the projected equations (43)-(45). Also returned are the inner products the bound of
Eqs. (48)-(49) is written in: aᵀw1, aᵀw2 and, for an orthonormal completion v3, …, vd of (v1, v2),
aᵀwi and ‖P⊥wi‖² (i ≥ 3), where wi = Wvi.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .linear_network import Moments, Problem, Trajectory, gradients


@dataclass
class DeviationEnergy:
    t: np.ndarray
    E: np.ndarray             # Eq. (46)
    tau_dE: np.ndarray        # τ dE/dt from the loss gradient
    aw1: np.ndarray           # aᵀw1
    aw2: np.ndarray           # aᵀw2
    aw_rest: np.ndarray       # aᵀwi, i = 3 … d, shape (T, d − 2)
    dw_rest2: np.ndarray      # ‖P⊥wi‖², i = 3 … d, shape (T, d − 2)


def completion_basis(problem: Problem) -> np.ndarray:
    """d × d orthonormal V with V[:, 0] = v1, V[:, 1] = v2 (Gram-Schmidt of (v1, v2, e1, …, ed))."""
    q, _ = np.linalg.qr(np.column_stack([problem.v1, problem.v2, np.eye(problem.d)]))
    V = q[:, : problem.d].copy()
    V[:, 0], V[:, 1] = problem.v1, problem.v2   # QR may flip signs; the span is the same
    return V


def deviation_energy(traj: Trajectory, problem: Problem, mom: Moments,
                     rhat: np.ndarray | None = None) -> DeviationEnergy:
    """E(t), τ dE/dt and the inner products of Eqs. (48)-(49) at every stored time; rhat, if
    given, is a nonzero vector of R^m (normalised here). Under dθ/dt = −∇L/(2τ), τ times a time
    derivative is −½ times the gradient whatever τ is, so τ does not enter."""
    m = traj.a.shape[1]
    if rhat is None:
        rhat = (traj.W[0] @ problem.v1 + traj.a[0]) / 2
    rhat = np.asarray(rhat, dtype=float)
    if rhat.shape != (m,) or not np.linalg.norm(rhat) > 0:
        raise ValueError(f"rhat must be a nonzero vector of length m = {m}")
    rhat = rhat / np.linalg.norm(rhat)
    V = completion_basis(problem)
    P = np.eye(m) - np.outer(rhat, rhat)
    T = len(traj.t)
    E, tdE, aw1, aw2 = (np.empty(T) for _ in range(4))
    aw_rest, dw_rest2 = np.empty((T, problem.d - 2)), np.empty((T, problem.d - 2))
    for k in range(T):
        W, a = traj.W[k], traj.a[k]
        gW, ga = gradients(W, a, mom)
        Wt = W @ V                                    # columns w1, …, wd
        dWt = (-0.5 * gW) @ V                         # τ d/dt of the columns w1, …, wd
        da = -0.5 * ga
        Pa, Pw1, Pw2 = P @ a, P @ Wt[:, 0], P @ Wt[:, 1]
        E[k] = 0.5 * (Pa @ Pa + Pw1 @ Pw1 + Pw2 @ Pw2)
        tdE[k] = Pa @ da + Pw1 @ dWt[:, 0] + Pw2 @ dWt[:, 1]
        aw1[k], aw2[k] = a @ Wt[:, 0], a @ Wt[:, 1]
        aw_rest[k] = a @ Wt[:, 2:]
        PR = P @ Wt[:, 2:]
        dw_rest2[k] = np.sum(PR * PR, axis=0)
    return DeviationEnergy(t=traj.t, E=E, tau_dE=tdE, aw1=aw1, aw2=aw2, aw_rest=aw_rest,
                           dw_rest2=dw_rest2)
