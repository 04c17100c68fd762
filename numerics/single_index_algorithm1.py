"""Algorithm 1 of 002 (slide 'Algorithm: Normalized Gradient Flow', the algorithm the theorem of
slide 'Sample & Runtime Complexity' analyzes; 001 §3-4), run in R^d on spiked data, and a one-pass
SGD counterpart; plus the per-trial sample complexity n* found by bisection over a geometric grid.

Data (002 slide 'Misaligned teacher'): x ~ N(0, I + θμμᵀ) with θ = d^{γ2}, unit μ, β with
⟨μ, β⟩ = d^{−γ1}, labels y = σ*(⟨x, β⟩/√(1 + θ⟨μ, β⟩²)) (so the argument is standard normal).

First layer (all N neurons share w0, the slide's 'one-neuron dynamics' simplification):
    f(x) = σ(⟨x, w⟩/‖Σ̂^{1/2}w‖),   dw = −η(w) Σ̂⁻¹ ∇_w R_n(f) dt,   η(w) = ⟨w, Σ̂w⟩,
R_n = (1/n)Σ(yᵢ − f(xᵢ))², Σ̂ = (1/n)Σ xᵢxᵢᵀ, w0 ~ Unif(S^{d−1}). Discretized by explicit Euler
with step ``lr`` for ``steps`` steps on the fixed n samples (full batch). f is invariant under
w → cw and so is the relative Euler step (η ∝ |c|², ∇R_n ∝ 1/|c|), so w is rescaled to
‖Σ̂^{1/2}w‖ = 1 after each step without changing the iterates' directions.

Second layer: ridge over N random-bias ReLU features φᵢ(x) = ReLU(⟨x, w⟩/‖Σ̂^{1/2}w‖ + bᵢ)/√N
(slide, Algorithm 1; bᵢ uniform on [−5, 5]), test risk on fresh samples.

One-pass SGD: the same normalized, preconditioned update with one fresh labelled sample per step
(each sample used once; Σ̂ from the same inputs, used as unlabelled data).

Success of a run: whitened overlap |m| >= level, m = wᵀΣβ/(√(wᵀΣw)·√(βᵀΣβ)) with the population Σ
(the quantity the theorem's δ0 and the flow of 001 §4.1 refer to).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.polynomial.hermite_e import HermiteE

from ._validate import check_in, check_positive_int
from .spiked import spike_and_target_array, spiked_inputs

PRECONDITIONERS = ("inverse empirical", "identity")


@dataclass(frozen=True)
class Problem:
    d: int
    theta: float
    mu: np.ndarray
    beta: np.ndarray
    kappa: float  # 1 + θ⟨μ, β⟩²


def make_problem(d: int, gamma1: float, gamma2: float, rng: np.random.Generator) -> Problem:
    """θ = d^{γ2}, ⟨μ, β⟩ = d^{−γ1} (002 slide 'Misaligned teacher'; γ1 ∈ [0, 1/2], γ2 ∈ [0, 1])."""
    check_positive_int("d", d)
    check_in("gamma1", gamma1, 0, 0.5)
    check_in("gamma2", gamma2, 0, 1)
    if d < 2:
        raise ValueError(f"d must be >= 2, got {d}")
    a = float(d) ** -gamma1
    mu, beta = spike_and_target_array(a, d, rng)
    theta = float(d) ** gamma2
    return Problem(d, theta, mu, beta, 1.0 + theta * a * a)


def sample(problem: Problem, n: int, link: HermiteE, rng: np.random.Generator):
    check_positive_int("n", n)
    X = spiked_inputs(1.0, problem.theta, problem.mu, rng.standard_normal((n, problem.d)))
    return X, link(X @ problem.beta / math.sqrt(problem.kappa))


def whitened_overlap(problem: Problem, w: np.ndarray) -> float:
    sig = lambda v: v + problem.theta * (problem.mu @ v) * problem.mu
    sb = sig(problem.beta)
    return float((w @ sb) / math.sqrt((w @ sig(w)) * (problem.beta @ sb)))


def _start(d: int, rng: np.random.Generator) -> np.ndarray:
    w = rng.standard_normal(d)
    return w / np.linalg.norm(w)


def _preconditioner(S: np.ndarray, preconditioner: str) -> np.ndarray:
    if preconditioner not in PRECONDITIONERS:
        raise ValueError(f"preconditioner must be one of {PRECONDITIONERS}, got {preconditioner!r}")
    return np.linalg.inv(S) if preconditioner == "inverse empirical" else np.eye(len(S))


def _direction_step(X, y, w, S, P, act, dact, lr):
    """One Euler step of dw = −⟨w, Σ̂w⟩ P ∇R_n dt at ‖Σ̂^{1/2}w‖ = 1, then the rescaling."""
    s = math.sqrt(w @ S @ w)
    w = w / s
    u = X @ w
    r = y - act(u)
    # ∇_w u_j = x_j − u_j Σ̂w at s = 1; ∇R_n = −(2/n) Σ r_j σ'(u_j) ∇u_j; η = 1
    c = r * dact(u)
    grad = -2.0 * (X.T @ c - (c @ u) * (S @ w)) / len(y)
    w = w - lr * (P @ grad)
    return w / math.sqrt(w @ S @ w)


def _check_train(n, steps, lr):
    check_positive_int("n", n)
    check_positive_int("steps", steps)
    check_in("lr", lr, 0, math.inf, lo_open=True)


def gradient_flow(problem: Problem, n: int, act: HermiteE, link: HermiteE, rng: np.random.Generator, *,
                  steps: int = 60, lr: float = 0.1, preconditioner: str = "inverse empirical"):
    """Algorithm 1's first layer on n fresh samples. Returns (w, X, y, Σ̂). Needs n > d (Σ̂⁻¹)."""
    _check_train(n, steps, lr)
    if n <= problem.d:
        raise ValueError(f"n must exceed d = {problem.d} for Σ̂ to be invertible, got {n}")
    X, y = sample(problem, n, link, rng)
    S = X.T @ X / n
    P = _preconditioner(S, preconditioner)
    dact = act.deriv()
    w = _start(problem.d, rng)
    for _ in range(steps):
        w = _direction_step(X, y, w, S, P, act, dact, lr)
    return w, X, y, S


def one_pass_sgd(problem: Problem, n: int, act: HermiteE, link: HermiteE, rng: np.random.Generator, *,
                 lr: float | None = None, preconditioner: str = "inverse empirical") -> np.ndarray:
    """One pass over n fresh samples, one sample per step, step lr (default 1/d)."""
    _check_train(n, 1, 1.0 if lr is None else lr)
    if n <= problem.d:
        raise ValueError(f"n must exceed d = {problem.d} for Σ̂ to be invertible, got {n}")
    lr = 1.0 / problem.d if lr is None else lr
    X, y = sample(problem, n, link, rng)
    S = X.T @ X / n
    P = _preconditioner(S, preconditioner)
    dact = act.deriv()
    w = _start(problem.d, rng)
    PX = X @ P  # rows Pᵀxⱼ = P xⱼ (P symmetric)
    w = w / math.sqrt(w @ S @ w)
    Sw = S @ w
    for j in range(n):
        u = X[j] @ w
        c = (y[j] - act(u)) * dact(u)
        # P∇(y − f)² = −2c(P x_j − u w) since P Σ̂ w = w for the inverse-covariance preconditioner
        step = PX[j] - u * (P @ Sw)
        w = w + 2.0 * lr * c * step
        s = math.sqrt(w @ S @ w)
        w = w / s
        Sw = S @ w
    return w


def ridge_second_layer(problem: Problem, w, X, y, S, rng: np.random.Generator, *, width: int = 128,
                       lam: float = 1e-8, n_test: int = 4000, link: HermiteE | None = None,
                       bias_range: float = 5.0):
    """Ridge on ReLU(⟨x, w⟩/‖Σ̂^{1/2}w‖ + bᵢ)/√N, bᵢ ~ U[−B, B]; test risk / Var(y_test).

    ReLU(u + b) vanishes for u < −b, so B must cover the left tail of the (possibly even) target:
    with B = 3 the part z < −3 of h2 alone leaves ≈ 0.1 of Var y unfitted; B = 5 leaves < 1e−3."""
    check_positive_int("width", width)
    check_in("lam", lam, 0, math.inf, lo_open=True)
    check_in("bias_range", bias_range, 0, math.inf, lo_open=True)
    if link is None:
        raise ValueError("link must be given to draw the test labels")
    b = rng.uniform(-bias_range, bias_range, width)
    s = math.sqrt(w @ S @ w)
    feats = lambda Xs: np.maximum(np.outer(Xs @ w / s, np.ones(width)) + b, 0) / math.sqrt(width)
    F = feats(X)
    a = np.linalg.solve(F.T @ F / len(y) + lam * np.eye(width), F.T @ y / len(y))
    Xt, yt = sample(problem, n_test, link, rng)
    return float(np.mean((yt - feats(Xt) @ a) ** 2) / np.var(yt))


def n_star(run_succeeds, grid) -> float:
    """Smallest grid point at which ``run_succeeds(n)`` is True, by bisection over the grid index
    (assumes success is monotone in n; each n is a fresh, seeded run). Raises if the top fails."""
    grid = [int(g) for g in grid]
    if not run_succeeds(grid[-1]):
        raise ValueError(f"grid (up to n = {grid[-1]}) never reaches the success level")
    lo, hi = -1, len(grid) - 1  # grid[hi] succeeds; grid[lo] fails (lo = −1: below the grid)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if run_succeeds(grid[mid]):
            hi = mid
        else:
            lo = mid
    return float(grid[hi])
