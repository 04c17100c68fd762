"""Anisotropic k-parity learned by a mean-field two-layer network trained with noisy (Langevin)
gradient descent (002 slide 'Classifying Sparse Parity Functions', Theorem [SWO+23]).

Data: z uniform on {±1/√d}^d, x = Az with A diagonal, A_ii = d^{α/2} on I_k = {0, …, k−1} and 1
elsewhere; y = sign(∏_{i∈I_k} z_i). The network works on √d·x (entries ±1 and ±d^{α/2}: the same
problem in units where the isotropic coordinates are O(1)).

Network (mean-field scaling): f(x) = (1/N) Σ_j a_j tanh(⟨w_j, √d x⟩ + b_j), each particle
θ_j = (w_j, a_j, b_j); noisy GD on the logistic loss plus an L2 term,
θ_j ← θ_j − η(N ∂L̂/∂θ_j + λ θ_j) + √(2ητ) ξ (the time discretization of mean-field Langevin
dynamics with temperature τ; the N in front is the mean-field time scale).

n* of one seed: the smallest n on a geometric grid (ratio 2^{1/4}) whose trained network reaches
test accuracy LEVEL on N_TEST fresh samples — doubling to bracket, then bisection on the grid index.
All draws of one (d, k, α, seed, n) come from the generator [seed, d, k, round(1000α), n].
"""

from __future__ import annotations

import math

import numpy as np

from . import sweep
from ._validate import check_in, check_positive_int

LEVEL = 0.9          # test accuracy a trained network must reach
N_TEST = 2000        # fresh test samples (SE of the accuracy at 0.9: 0.007)
GRID_RATIO = 2 ** 0.25
WIDTH = 64           # N particles
STEPS = 400
LR = 0.5             # η
REG = 1e-3           # λ
TEMP = 1e-5          # τ
N_MAX = 1 << 14


def sample(d: int, k: int, alpha: float, n: int, rng: np.random.Generator):
    """(√d·x, y): n draws of the anisotropic k-parity problem (see the module docstring)."""
    d, k, n = check_positive_int("d", d), check_positive_int("k", k), check_positive_int("n", n)
    check_in("alpha", alpha, 0.0, 1.0, hi_open=True)
    if k > d:
        raise ValueError(f"k must be <= d = {d}, got {k}")
    s = rng.choice(np.array([-1.0, 1.0]), size=(n, d))     # √d·z
    y = np.prod(s[:, :k], axis=1)
    scale = np.ones(d)
    scale[:k] = d ** (alpha / 2)
    return s * scale, y


def train(X, y, rng, *, width=WIDTH, steps=STEPS, lr=LR, reg=REG, temp=TEMP):
    """Noisy mean-field GD on (X, y); returns the particles (W, a, b)."""
    width, steps = check_positive_int("width", width), check_positive_int("steps", steps)
    check_in("lr", lr, 0, math.inf, lo_open=True)
    check_in("reg", reg, 0, math.inf)
    check_in("temp", temp, 0, math.inf)
    n, d = X.shape
    W = rng.standard_normal((width, d)) / math.sqrt(d)
    a = rng.standard_normal(width)
    b = np.zeros(width)
    noise = math.sqrt(2 * lr * temp)
    for _ in range(steps):
        H = np.tanh(X @ W.T + b)                     # n × N
        f = H @ a / width
        g = -y / (1.0 + np.exp(y * f)) / n           # ∂L̂/∂f_i, logistic loss
        # N·∂L̂/∂θ_j (mean-field scaling)
        ga = H.T @ g
        D = (1 - H * H) * g[:, None] * a[None, :]    # n × N
        gW = D.T @ X
        gb = D.sum(axis=0)
        W -= lr * (gW + reg * W) - noise * rng.standard_normal(W.shape)
        a -= lr * (ga + reg * a) - noise * rng.standard_normal(a.shape)
        b -= lr * (gb + reg * b) - noise * rng.standard_normal(b.shape)
    return W, a, b


def accuracy(params, X, y) -> float:
    W, a, b = params
    return float(np.mean(np.sign(np.tanh(X @ W.T + b) @ a) == y))


def test_accuracy(d: int, k: int, alpha: float, n: int, seed: int, **train_kw) -> float:
    """Test accuracy of the network trained on n samples (generator [seed, d, k, 1000α, n])."""
    rng = np.random.default_rng([int(seed), int(d), int(k), int(round(1000 * alpha)), int(n)])
    X, y = sample(d, k, alpha, n, rng)
    params = train(X, y, rng, **train_kw)
    Xt, yt = sample(d, k, alpha, N_TEST, rng)
    return accuracy(params, Xt, yt)


def n_star(ok, n0: int, n_max: int = N_MAX) -> float:
    """Smallest n = n0·2^{j/4} with ok(n), by doubling to bracket then bisection on j (assumes
    ok is monotone in n up to noise); inf if ok(n_max) fails."""
    n0, n_max = check_positive_int("n0", n0), check_positive_int("n_max", n_max)
    grid = lambda j: int(round(n0 * GRID_RATIO ** j))
    lo, hi = -1, 0                                    # ok(grid(lo)) false (or unknown), ok(hi)?
    while not ok(grid(hi)):
        lo, hi = hi, hi + 4 if hi else 4
        if grid(hi) > n_max:
            return math.inf
    if lo < 0 and hi == 0:
        return float(grid(0))
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(grid(mid)):
            hi = mid
        else:
            lo = mid
    return float(grid(hi))


def n_star_point(point: dict, rng=None) -> float:
    """n* of one (d, k, alpha, seed) point (the runner's generator is unused: the data come from
    [seed, d, k, α, n] so the bisection's trainings are reproducible one by one)."""
    p = point
    kw = {key: p[key] for key in ("width", "steps", "lr", "reg", "temp") if key in p}
    ok = lambda n: test_accuracy(p["d"], p["k"], p["alpha"], n, p["seed"], **kw) >= LEVEL
    return n_star(ok, int(p.get("n0", 8)))


def measure_n_stars(k: int, alpha: float, dims, seeds, audit_seed: int, **run_kw) -> dict:
    """{d: [n* per seed]} over dims × seeds through numerics.sweep.run."""
    pts = [dict(k=int(k), alpha=float(alpha), d=int(d), seed=int(audit_seed) * 1000 + int(s))
           for d in dims for s in range(int(seeds))]
    res = sweep.run(n_star_point, pts, seed=int(audit_seed), desc=f"parity n* k={k} α={alpha}", **run_kw)
    out = {int(d): [] for d in dims}
    for pt, v in zip(pts, res):
        out[pt["d"]].append(v)
    return out
