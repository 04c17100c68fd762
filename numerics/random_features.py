"""Isotropic one-step feature learning (002 slides 'Prior Results: Isotropic Data', 'A Spiked Model
for the Weight Matrix'): random-features ridge, inner-product kernel ridge, a two-layer network after
one gradient step on W (Ba et al. 2022) followed by ridge on the second layer, the spectrum of the
updated weights, and the maximum of N random overlaps. NumPy only; every draw from ``rng``.

Conventions: x ~ N(0, I_d), ‖β*‖ = 1, f*(x) = σ*(⟨x, β*⟩); W is d×N with columns w_i uniform on
S^{d−1}; f(x) = (1/√N) Σ a_i σ(⟨x, w_i⟩), a_i ~ N(0, 1/N). One step: W1 = W0 − η ∇_W L on n samples,
L = (1/2n) Σ (y_j − f(x_j))²; the ridge on a uses fresh samples.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import check_in, check_positive_int

LINKS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "he1_he3": lambda z: z + (z**3 - 3 * z) / math.sqrt(6.0),   # μ1* = 1, ‖P>1‖² = 1
    "he2": lambda z: (z**2 - 1) / math.sqrt(2.0),              # μ1* = 0 (degenerate control)
}
ACTS = {"tanh": (np.tanh, lambda z: 1.0 / np.cosh(z) ** 2)}


def _link(name):
    if name not in LINKS:
        raise ValueError(f"link must be one of {sorted(LINKS)}, got {name!r}")
    return LINKS[name]


def sphere_columns(d: int, N: int, rng) -> np.ndarray:
    """d×N matrix with independent columns uniform on S^{d−1}."""
    check_positive_int("d", d), check_positive_int("N", N)
    W = rng.standard_normal((d, N))
    return W / np.linalg.norm(W, axis=0, keepdims=True)


def teacher(d: int) -> np.ndarray:
    """β* ∝ [−1_{d/2}; 1_{d/2}] (slide 'A Spiked Model for the Weight Matrix'), unit norm."""
    check_positive_int("d", d)
    b = np.ones(d)
    b[: d // 2] = -1.0
    return b / np.linalg.norm(b)


def sample(n: int, d: int, link: str, rng, noise: float = 0.0):
    check_positive_int("n", n)
    check_in("noise", noise, 0, math.inf)
    X = rng.standard_normal((n, d))
    y = _link(link)(X @ teacher(d)) + noise * rng.standard_normal(n)
    return X, y


def ridge_fit_predict(F, y, Ft, lam):
    """Ridge coefficients argmin (1/n)‖y − b − Fa‖² + (λ/N)‖a‖² (slide 'Student Model I', with an
    unpenalized intercept b so the constant μ0* is fitted), predictions on Ft."""
    check_in("lam", lam, 0, math.inf, lo_open=True)
    n, N = F.shape
    fm, ym = F.mean(axis=0), y.mean()
    F, y, Ft = F - fm, y - ym, Ft - fm
    if N <= n:
        a = np.linalg.solve(F.T @ F / n + lam / N * np.eye(N), F.T @ y / n)
    else:
        a = F.T @ np.linalg.solve(F @ F.T / n + lam / N * np.eye(n), y / n)
    return Ft @ a + ym


def features(X, W, act="tanh"):
    if act not in ACTS:
        raise ValueError(f"act must be one of {sorted(ACTS)}, got {act!r}")
    return ACTS[act][0](X @ W) / math.sqrt(W.shape[1])


def test_risk(pred, Xt, link):
    return float(np.mean((pred - _link(link)(Xt @ teacher(Xt.shape[1]))) ** 2))


def one_step(W0, a, X, y, eta, act="tanh"):
    """W1 = W0 − η ∇_W L(W0, a) on (X, y); also the rank-one part's pieces u = Xᵀy/n and μ̂1."""
    sig, dsig = ACTS[act]
    N = W0.shape[1]
    n = X.shape[0]
    Z = X @ W0
    resid = y - sig(Z) @ a / math.sqrt(N)
    G = X.T @ (resid[:, None] * dsig(Z) * a[None, :] / math.sqrt(N)) / n   # = −∇_W L
    return W0 + eta * G


def rf_risk(point, rng):
    """Random-features ridge risk at (d, psi, N/d ratio, link, lam): features tanh(W0ᵀx)/√N."""
    d, link = int(point["d"]), point["link"]
    n, N = int(round(point["psi"] * d)), int(round(point["ratio"] * d))
    W0 = sphere_columns(d, N, rng)
    X, y = sample(n, d, link, rng, point.get("noise", 0.0))
    Xt = rng.standard_normal((4000, d))
    pred = ridge_fit_predict(features(X, W0), y, features(Xt, W0), point["lam"])
    return test_risk(pred, Xt, link)


def krr_risk(point, rng):
    """Inner-product kernel ridge risk, k(x, y) = g(⟨x, y⟩/d) with g = exp (slide 'Student Model I'):
    f̂(x) = k(x, X)ᵀ(K + λI)⁻¹y."""
    d, link = int(point["d"]), point["link"]
    n = int(round(point["psi"] * d))
    X, y = sample(n, d, link, rng, point.get("noise", 0.0))
    Xt = rng.standard_normal((4000, d))
    K = np.exp(X @ X.T / d)
    ym = y.mean()
    c = np.linalg.solve(K + point["lam"] * np.eye(n), y - ym)
    return test_risk(np.exp(Xt @ X.T / d) @ c + ym, Xt, link)


def one_step_risk(point, rng):
    """Risk of ridge on the second layer after one step on W with η = eta_c·√N (large) or eta_c (small),
    the step on n samples, the ridge on fresh n samples (Ba et al. 2022)."""
    d, link = int(point["d"]), point["link"]
    n, N = int(round(point["psi"] * d)), int(round(point["ratio"] * d))
    n2 = int(round(point.get("psi2", point["psi"]) * d))
    eta = point["eta_c"] * (math.sqrt(N) if point["scale"] == "sqrtN" else 1.0)
    W0 = sphere_columns(d, N, rng)
    a = rng.standard_normal(N) / math.sqrt(N)
    X, y = sample(n, d, link, rng)
    W1 = one_step(W0, a, X, y, eta)
    X2, y2 = sample(n2, d, link, rng)
    Xt = rng.standard_normal((4000, d))
    pred = ridge_fit_predict(features(X2, W1), y2, features(Xt, W1), point["lam"])
    return test_risk(pred, Xt, link)


def one_step_pair(point, rng):
    """Risks of ridge on the second layer after one step on W with a large (η = eta_large·√N) and a
    small (η = eta_small) learning rate from the same W0, a, step samples, ridge samples and test
    set, so their difference is paired (slide 'Prior Results: Isotropic Data'; Ba et al. 2022).
    Point keys: d, psi (step samples n/d), psi2 (ridge samples n2/d), ratio (N/d), link, lam,
    eta_large, eta_small."""
    d, link = int(point["d"]), point["link"]
    check_positive_int("d", d)
    n, N = int(round(point["psi"] * d)), int(round(point["ratio"] * d))
    n2 = int(round(point["psi2"] * d))
    check_positive_int("n", n), check_positive_int("N", N), check_positive_int("n2", n2)
    W0 = sphere_columns(d, N, rng)
    a = rng.standard_normal(N) / math.sqrt(N)
    X, y = sample(n, d, link, rng)
    X2, y2 = sample(n2, d, link, rng)
    Xt = rng.standard_normal((4000, d))
    out = {}
    for key, eta in (("large", point["eta_large"] * math.sqrt(N)), ("small", point["eta_small"])):
        check_in(f"eta_{key}", eta, 0, math.inf, lo_open=True)
        W1 = one_step(W0, a, X, y, eta)
        out[key] = test_risk(ridge_fit_predict(features(X2, W1), y2, features(Xt, W1), point["lam"]), Xt, link)
    return out


def ks_distance(a, b) -> float:
    """Two-sample Kolmogorov–Smirnov distance sup |F_a − F_b|."""
    a, b = np.sort(a), np.sort(b)
    grid = np.concatenate([a, b])
    return float(np.max(np.abs(np.searchsorted(a, grid, side="right") / len(a)
                               - np.searchsorted(b, grid, side="right") / len(b))))


#: mean of the Tracy–Widom law TW1 (Tracy & Widom 1996; Johnstone 2001, Table 1)
TW1_MEAN = -1.2065335745820


def tracy_widom_top_singular(rows: int, cols: int) -> float:
    """Johnstone's (2001) centring and scaling of the largest eigenvalue of GᵀG, G a rows × cols
    standard Gaussian matrix: λ1 ≈ μ + σ·TW1 with μ = (√(rows − 1) + √cols)², σ = (√(rows − 1) +
    √cols)(1/√(rows − 1) + 1/√cols)^{1/3}. Returns √(μ + σ·E TW1)/√rows, the finite-size mean of the
    top singular value of G/√rows (its limit is 1 + √(cols/rows))."""
    rows, cols = check_positive_int("rows", rows), check_positive_int("cols", cols)
    if rows < 2:
        raise ValueError(f"rows must be an integer >= 2, got {rows!r}")
    r = math.sqrt(rows - 1) + math.sqrt(cols)
    mu, sigma = r * r, r * (1 / math.sqrt(rows - 1) + 1 / math.sqrt(cols)) ** (1 / 3)
    return math.sqrt(mu + sigma * TW1_MEAN) / math.sqrt(rows)


def spike_run(point, rng):
    """One large step on W (σ = tanh, f* = ReLU, β* ∝ [−1; 1]): singular values of W0, W1 and an
    independent W0', the top d-side singular vector's overlap² with β*, and the rank-one strength
    θ = η μ̂1 ‖Xᵀy/n‖ ‖a‖/√N with u = Xᵀy/‖Xᵀy‖ (⟨u, β*⟩² returned), μ̂1 = mean of σ'(XW0)."""
    d = int(point["d"])
    n, N = int(round(point["psi"] * d)), int(round(point["ratio"] * d))
    eta = point["eta_c"] * (math.sqrt(N) if point["scale"] == "sqrtN" else 1.0)
    W0 = sphere_columns(d, N, rng)
    Wn = sphere_columns(d, N, rng)
    a = rng.standard_normal(N) / math.sqrt(N)
    X, y = sample(n, d, point.get("link", "relu"), rng)
    W1 = one_step(W0, a, X, y, eta)
    Uw, s1, _ = np.linalg.svd(W1, full_matrices=False)
    s0 = np.linalg.svd(W0, compute_uv=False)
    sn = np.linalg.svd(Wn, compute_uv=False)
    beta = teacher(d)
    g = X.T @ y / n
    mu1_hat = float(np.mean(ACTS["tanh"][1](X @ W0)))
    theta = eta * mu1_hat * np.linalg.norm(g) * np.linalg.norm(a) / math.sqrt(N)
    # remainder of the rank-one model: by Weyl, |s_1(W1) − s_1(W0 + θuvᵀ)| <= ‖R‖_op
    R = W1 - W0 - eta * mu1_hat * np.outer(g, a) / math.sqrt(N)
    return dict(s1=s1, s0=s0, sn=sn, overlap2=float((Uw[:, 0] @ beta) ** 2),
                remainder=float(np.linalg.norm(R, 2)), mu1_hat=mu1_hat,
                u_beta2=float((g @ beta) ** 2 / (g @ g)), theta=float(theta))


def planted_rank_one(point, rng):
    """BGN 2012 setting: X (n×m, entries N(0, 1/m), n <= m) + θ u vᵀ; top singular value and the
    squared overlaps of the top left (short side) and right (long side) singular vectors."""
    nn, m, th = int(point["n"]), int(point["m"]), float(point["theta"])
    X = rng.standard_normal((nn, m)) / math.sqrt(m)
    u = rng.standard_normal(nn); u /= np.linalg.norm(u)
    v = rng.standard_normal(m); v /= np.linalg.norm(v)
    U, s, Vt = np.linalg.svd(X + th * np.outer(u, v), full_matrices=False)
    return dict(top=float(s[0]), ou=float((U[:, 0] @ u) ** 2), ov=float((Vt[0] @ v) ** 2))


def max_overlap(point, rng):
    """max_i ⟨w_i, β*⟩ over N columns uniform on S^{d−1} (β* = e_1 by rotation invariance), `reps` draws."""
    d, N, reps = int(point["d"]), int(point["N"]), int(point["reps"])
    out = np.empty(reps)
    for r in range(reps):   # ⟨w, e1⟩ = g/√(g² + χ²_{d−1}) for w = G/‖G‖, G ~ N(0, I_d)
        g = rng.standard_normal(N)
        out[r] = np.max(g / np.sqrt(g**2 + rng.chisquare(d - 1, N)))
    return out


def max_overlap_mean_d3(m) -> float:
    """E max of m overlaps ⟨w_i, β*⟩ of uniform unit vectors in d = 3, exactly: by Archimedes'
    hat-box theorem ⟨w, β*⟩ is uniform on [−1, 1], and the mean of the largest of m uniforms on
    [−1, 1] is (m − 1)/(m + 1)."""
    m = check_positive_int("m", m)
    return (m - 1) / (m + 1)


def gaussian_max_mean(m, prec: int = 30):
    """E max of m independent N(0, 1) (the d → ∞ limit of √d·max_i ⟨w_i, β*⟩), by quadrature of
    m x φ(x) Φ(x)^{m−1} at ``prec`` digits over panels around the bulk of the maximum (√(2 ln m))."""
    import mpmath

    m = check_positive_int("m", m)
    with mpmath.workdps(prec + 10):
        a = mpmath.sqrt(2 * mpmath.log(m)) if m > 1 else mpmath.mpf(0)

        def f(x):
            return x * m * mpmath.npdf(x) * mpmath.ncdf(x) ** (m - 1)
        pts = [-mpmath.inf, a - 8, a - 4, a - 2, a - 1, a, a + 1, a + 2, a + 4, a + 8, mpmath.inf]
        return mpmath.mpf(mpmath.quad(f, pts))


def warm_start_cosine(point, rng):
    """cos(ĝ, β) of the first empirical gradient ĝ = (1/n) Σ x_j σ'(⟨x_j, w⟩) y_j of one tanh neuron
    (w uniform on S^{d−1}) on spiked data x ~ N(0, I + θμμᵀ), θ = d^{γ2}, ⟨μ, β⟩ = d^{−γ1},
    y = ⟨x, β⟩/‖Σ^{1/2}β‖ (He1 link), n = psi·d (002 slide 'Insufficiency of One Gradient Step')."""
    d, g1, g2 = int(point["d"]), float(point["gamma1"]), float(point["gamma2"])
    check_in("gamma1", g1, 0, 0.5), check_in("gamma2", g2, 0, 1)
    n = int(round(point["psi"] * d))
    theta, a = d**g2, d**(-g1)
    beta = np.zeros(d); beta[0] = 1.0
    mu = np.zeros(d); mu[0], mu[1] = a, math.sqrt(1 - a * a)
    X = rng.standard_normal((n, d))
    X += (math.sqrt(1 + theta) - 1) * np.outer(X @ mu, mu)     # Σ^{1/2} = I + (√(1+θ) − 1)μμᵀ
    y = X @ beta / math.sqrt(1 + theta * a * a)
    w = rng.standard_normal(d); w /= np.linalg.norm(w)
    g = X.T @ (ACTS["tanh"][1](X @ w) * y) / n
    return float(g @ beta / np.linalg.norm(g))
