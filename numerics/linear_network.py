"""The two-layer linear network f(x) = aᵀWx of paper 000 §2.2, trained from its loss.

Everything here is implemented from the squared loss (Eq. 5), never from the decomposed or reduced
equations of §3.2:

  L(W, a) = E(aᵀWx − y)² = Syy − 2 aᵀW Sxy + aᵀW Σ Wᵀa,
  ∂L/∂W = 2 a (aᵀWΣ − Sxyᵀ),   ∂L/∂a = 2 (WΣWᵀa − W Sxy),

with (Σ, Sxy, Syy) the population moments (n → ∞) or the empirical ones of n samples (Eq. 8).
Gradient descent with learning rate η is θ ← θ − η ∇L; gradient flow is its continuous-time limit
with the paper's time constant τ = 1/(2η), i.e. dθ/dt = −∇L/(2τ), so that one step is one unit of
time and Eqs. (6)-(7) read τẆ = a(Sxyᵀ − aᵀWΣ), τȧ = W(Sxy − ΣWᵀa).

Population moments use the spiked structure Σx = σ²(x + ρ(μᵀx)μ) (O(md) per step); the dense
matrix path is kept as the reference and checked against it in tests/.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.integrate import solve_ivp

from ._validate import check_in, check_positive_int
from .spiked import spiked_inputs


# -- the data model ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Moments:
    """Second moments the loss depends on: Σ (dense, or spiked via μ), Sxy = E[yx], Syy = E[y²]."""

    Sxy: np.ndarray
    Syy: float
    Sigma: np.ndarray | None = None         # dense d×d (empirical, or the reference path)
    spike: tuple | None = None              # (σ², ρ, μ) for the structured population path

    def right(self, M: np.ndarray) -> np.ndarray:
        """M Σ for M of shape (k, d) (Σ is symmetric)."""
        if self.spike is not None:
            s2, rho, mu = self.spike
            return s2 * (M + rho * np.outer(M @ mu, mu)) if M.ndim == 2 else s2 * (M + rho * (M @ mu) * mu)
        return M @ self.Sigma


@dataclass(frozen=True)
class Problem:
    """Spike μ, target β with μᵀβ = A, the basis vectors v1, v2 of §3.2 and μ⊥ of Figure 1,
    built in float64 in a random orthonormal frame of R^d."""

    sigma2: float
    rho: float
    A: float
    d: int
    mu: np.ndarray
    beta: np.ndarray
    mu_perp: np.ndarray
    v1: np.ndarray
    v2: np.ndarray
    population: Moments
    dense_population: Moments
    G: float          # ‖Σxy‖
    lambda1: float    # v1ᵀΣv1
    lambda2: float    # v2ᵀΣv2
    nu: float         # −v1ᵀΣv2


def spiked_problem(sigma2, rho, A, d: int, rng: np.random.Generator) -> Problem:
    """Σ = σ²(I + ρμμᵀ), y = βᵀx (Eqs. 1-3) and the §3.2 basis, from the definitions.

    sigma2 > 0, rho >= 0, A in [0, 1], d >= 3. In the parallel case (Σβ ∥ β) v2 is taken along
    −(μ − (μᵀv1)v1), or a random unit vector ⊥ v1 when μ ∥ v1."""
    sigma2 = float(check_in("sigma2", sigma2, 0, math.inf, lo_open=True))
    rho = float(check_in("rho", rho, 0, math.inf))
    A = float(check_in("A", A, 0, 1))
    d = check_positive_int("d", d)
    if d < 3:
        raise ValueError(f"d must be >= 3, got {d}")
    q, _ = np.linalg.qr(rng.standard_normal((d, 3)))
    mu = q[:, 0]
    beta = A * q[:, 0] + math.sqrt(max(0.0, 1 - A * A)) * q[:, 1]
    Sigma = sigma2 * (np.eye(d) + rho * np.outer(mu, mu))
    Sxy = Sigma @ beta
    G = float(np.linalg.norm(Sxy))
    v1 = Sxy / G
    perp = beta - (v1 @ beta) * v1
    if np.linalg.norm(perp) > 1e-12:
        v2 = perp / np.linalg.norm(perp)
    else:
        mperp = mu - (v1 @ mu) * v1
        v2 = -mperp / np.linalg.norm(mperp) if np.linalg.norm(mperp) > 1e-12 else \
            (q[:, 2] - (v1 @ q[:, 2]) * v1) / np.linalg.norm(q[:, 2] - (v1 @ q[:, 2]) * v1)
    if -(v1 @ Sigma @ v2) < 0:
        v2 = -v2
    bperp = beta - (mu @ beta) * mu
    mu_perp = bperp / np.linalg.norm(bperp) if np.linalg.norm(bperp) > 1e-12 else q[:, 1]
    Syy = float(beta @ Sigma @ beta)
    return Problem(
        sigma2=sigma2, rho=rho, A=A, d=d, mu=mu, beta=beta, mu_perp=mu_perp, v1=v1, v2=v2,
        population=Moments(Sxy=Sxy, Syy=Syy, spike=(sigma2, rho, mu)),
        dense_population=Moments(Sxy=Sxy, Syy=Syy, Sigma=Sigma),
        G=G, lambda1=float(v1 @ Sigma @ v1), lambda2=float(v2 @ Sigma @ v2),
        nu=float(-(v1 @ Sigma @ v2)),
    )


@dataclass(frozen=True)
class Sample:
    X: np.ndarray
    y: np.ndarray
    moments: Moments


def sample(problem: Problem, n: int, rng: np.random.Generator) -> Sample:
    """n samples x ~ N(0, Σ), y = βᵀx, and their empirical moments (Eq. 8)."""
    n = check_positive_int("n", n)
    z = rng.standard_normal((n, problem.d))
    X = spiked_inputs(problem.sigma2, problem.rho, problem.mu, z)
    y = X @ problem.beta
    return Sample(X=X, y=y, moments=Moments(Sxy=X.T @ y / n, Syy=float(y @ y / n),
                                            Sigma=X.T @ X / n))


def init_weights(m: int, d: int, s, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """W_ij ~ N(0, s²/d), a_i ~ N(0, s²/m) (Figure 1). s > 0."""
    m, d = check_positive_int("m", m), check_positive_int("d", d)
    s = float(check_in("s", s, 0, math.inf, lo_open=True))
    W = rng.standard_normal((m, d)) * (s / math.sqrt(d))
    a = rng.standard_normal(m) * (s / math.sqrt(m))
    return W, a


# -- the loss and its gradient -----------------------------------------------------------------
def loss(W, a, mom: Moments) -> float:
    """Eq. (5) through the moments: Syy − 2 aᵀW Sxy + aᵀWΣWᵀa."""
    b = W.T @ a
    return float(mom.Syy - 2 * b @ mom.Sxy + mom.right(b) @ b)


def loss_on_samples(W, a, X, y) -> float:
    """Eq. (5) literally: (1/n) Σ (aᵀWxᵢ − yᵢ)² (the brute-force reference)."""
    e = X @ (W.T @ a) - y
    return float(e @ e / len(y))


def gradients(W, a, mom: Moments) -> tuple[np.ndarray, np.ndarray]:
    """(∂L/∂W, ∂L/∂a)."""
    b = W.T @ a
    g = mom.right(b) - mom.Sxy          # Σ Wᵀa − Sxy
    return 2 * np.outer(a, g), 2 * (W @ g)


def gradients_on_samples(W, a, X, y) -> tuple[np.ndarray, np.ndarray]:
    """(∂L/∂W, ∂L/∂a) from the residuals of the n samples (brute-force reference)."""
    e = X @ (W.T @ a) - y
    g = X.T @ e / len(y)
    return 2 * np.outer(a, g), 2 * (W @ g)


# -- training ----------------------------------------------------------------------------------
@dataclass
class Trajectory:
    """Weights along training: t (in the units of τ = 1/(2η)), W[k] (m×d), a[k] (m)."""

    t: np.ndarray
    W: np.ndarray
    a: np.ndarray
    info: dict = field(default_factory=dict)


def gradient_flow(W0, a0, mom: Moments, tau, t_eval, *, rtol: float = 1e-11,
                  atol: float | None = None) -> Trajectory:
    """dθ/dt = −∇L(θ)/(2τ) (Eqs. 6-7) integrated by DOP853 and reported at ``t_eval``.

    atol defaults to 1e-12 × the initial weight scale, so that O(s) components are resolved."""
    tau = float(check_in("tau", tau, 0, math.inf, lo_open=True))
    m, d = W0.shape
    t_eval = np.asarray(t_eval, dtype=float)
    if atol is None:
        atol = 1e-12 * min(1.0, float(np.sqrt(np.mean(W0**2) + np.mean(a0**2))))

    def rhs(_t, y):
        W, a = y[: m * d].reshape(m, d), y[m * d:]
        gW, ga = gradients(W, a, mom)
        return np.concatenate([gW.ravel(), ga]) * (-0.5 / tau)

    sol = solve_ivp(rhs, (0.0, float(t_eval[-1])), np.concatenate([W0.ravel(), a0]),
                    method="DOP853", t_eval=t_eval, rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"gradient flow integration failed: {sol.message}")
    Y = sol.y.T
    return Trajectory(t=sol.t, W=Y[:, : m * d].reshape(-1, m, d), a=Y[:, m * d:],
                      info={"nfev": sol.nfev, "tau": tau})


def gradient_descent(W0, a0, mom: Moments, eta, steps: int, *, every: int = 1) -> Trajectory:
    """Full-batch gradient descent θ ← θ − η∇L(θ) for ``steps`` steps, recording every ``every``
    steps; t counts steps (τ = 1/(2η)). eta > 0."""
    eta = float(check_in("eta", eta, 0, math.inf, lo_open=True))
    steps, every = check_positive_int("steps", steps), check_positive_int("every", every)
    W, a = W0.copy(), a0.copy()
    ts, Ws, As = [0], [W.copy()], [a.copy()]
    for k in range(1, steps + 1):
        gW, ga = gradients(W, a, mom)
        W -= eta * gW
        a -= eta * ga
        if k % every == 0 or k == steps:
            if not (np.isfinite(W).all() and np.isfinite(a).all()):
                raise FloatingPointError(f"gradient descent diverged at step {k} (eta = {eta})")
            ts.append(k), Ws.append(W.copy()), As.append(a.copy())
    return Trajectory(t=np.array(ts, dtype=float), W=np.array(Ws), a=np.array(As),
                      info={"eta": eta, "tau": 1 / (2 * eta)})


# -- what Figures 1-2 plot ---------------------------------------------------------------------
@dataclass
class Projections:
    """r̂1 = r1/‖r1‖ with r1 = (W(0)v1 + a(0))/2 (Eq. 15), the projections r̂1ᵀWv1, r̂1ᵀWv2,
    r̂1ᵀWμ, r̂1ᵀWμ⊥, r̂1ᵀa, and the norms of the parts orthogonal to r̂1 (Appendix C)."""

    t: np.ndarray
    u0: float                 # ‖r1‖: the amplitude of the growing mode of Eq. (35)
    w2_0: float               # r̂1ᵀW(0)v2
    p1: np.ndarray
    p2: np.ndarray
    p_mu: np.ndarray
    p_mu_perp: np.ndarray
    p_a: np.ndarray
    orth_a: np.ndarray        # ‖P⊥ a‖
    orth_w1: np.ndarray       # ‖P⊥ W v1‖
    orth_w2: np.ndarray       # ‖P⊥ W v2‖
    rest: np.ndarray          # ‖W (I − v1v1ᵀ − v2v2ᵀ)‖_F: all of w3, …, wd
    conservation: np.ndarray  # ‖(aaᵀ − WWᵀ)(t) − (aaᵀ − WWᵀ)(0)‖_F


def projections(traj: Trajectory, problem: Problem) -> Projections:
    v1, v2 = problem.v1, problem.v2
    r1 = (traj.W[0] @ v1 + traj.a[0]) / 2
    u0 = float(np.linalg.norm(r1))
    rhat = r1 / u0
    Wv1 = traj.W @ v1                 # (T, m)
    Wv2 = traj.W @ v2
    P = lambda X: X - np.outer(X @ rhat, rhat)  # noqa: E731
    rest = traj.W - np.einsum("tm,d->tmd", Wv1, v1) - np.einsum("tm,d->tmd", Wv2, v2)
    C = np.einsum("ti,tj->tij", traj.a, traj.a) - np.einsum("tik,tjk->tij", traj.W, traj.W)
    return Projections(
        t=traj.t, u0=u0, w2_0=float(rhat @ traj.W[0] @ v2),
        p1=Wv1 @ rhat, p2=Wv2 @ rhat, p_mu=(traj.W @ problem.mu) @ rhat,
        p_mu_perp=(traj.W @ problem.mu_perp) @ rhat, p_a=traj.a @ rhat,
        orth_a=np.linalg.norm(P(traj.a), axis=1), orth_w1=np.linalg.norm(P(Wv1), axis=1),
        orth_w2=np.linalg.norm(P(Wv2), axis=1), rest=np.linalg.norm(rest, axis=(1, 2)),
        conservation=np.linalg.norm(C - C[0], axis=(1, 2)),
    )


def losses(traj: Trajectory, mom: Moments) -> np.ndarray:
    return np.array([loss(W, a, mom) for W, a in zip(traj.W, traj.a)])


def end_to_end(traj: Trajectory) -> np.ndarray:
    """aᵀW along the trajectory, shape (T, d)."""
    return np.einsum("tm,tmd->td", traj.a, traj.W)
