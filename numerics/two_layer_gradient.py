"""First-layer gradient of a two-layer network on spiked data, computed from its definition
(paper 003; the suite's own set-up, since 003 is only an abstract).

Data X = X_B + ζ z qᵀ ∈ R^{n×d}: bulk rows x_B ~ N(0, Σ_b) with Σ_b = diag(λ), λ_k ∝ k^{−α},
tr Σ_b = d; spike direction q a seeded random unit vector; latent z ~ N(0, I_n). Target
y = βᵀx_B / √(βᵀΣ_bβ) (bulk only, so E[y z] = 0). Network f(x) = c_m Σ_j a_j σ(w_jᵀx) with rows
w_j ~ N(0, I_d/d), a_j = ±1, c_m = m^{−p}. Loss (1/2n) Σ (f − y)² (+ regularizers).
G = ∂L/∂W ∈ R^{m×d} (the transpose of the paper's d×m G).

Everything here is computed from these definitions (never from the closed forms of ``theory``):
the gradient by two routes, the three terms of the split each from its own formula, the
Gaussian moments of the activation by Gauss-Hermite quadrature, and spectra with ARPACK.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse.linalg import svds

from ._validate import check_in, check_positive_int

ACTIVATIONS = ("relu", "tanh")
#: name -> exponent p of c_m = m^{-p}
SCALINGS = {"mf": 1.0, "ntk": 0.5}
BULKS = ("isotropic", "power")


def check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    return activation


def check_scaling(scaling: str) -> str:
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {tuple(SCALINGS)}, got {scaling!r}")
    return scaling


def output_scale(m: int, scaling: str) -> float:
    """c_m = m^{-p}: p = 1 mean-field, p = 1/2 NTK."""
    check_positive_int("m", m)
    return float(m) ** (-SCALINGS[check_scaling(scaling)])


def act(activation: str, h: np.ndarray, order: int = 0) -> np.ndarray:
    """σ, σ′ or σ″ (order 0, 1, 2) elementwise; for ReLU σ″ = 0 away from the kink."""
    check_activation(activation)
    if activation == "relu":
        if order == 0:
            return np.maximum(h, 0.0)
        if order == 1:
            return (h > 0).astype(float)
        return np.zeros_like(h)
    t = np.tanh(h)
    if order == 0:
        return t
    if order == 1:
        return 1.0 - t * t
    return -2.0 * t * (1.0 - t * t)


_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(120)
_GH_W = _GH_W / _GH_W.sum()


def gaussian_mean(func, var: np.ndarray) -> np.ndarray:
    """E[func(√var·g)], g ~ N(0, 1), by 120-point Gauss-Hermite quadrature (per entry of var).
    tanh's poles at ±iπ/2 limit the rule's convergence: about 1e-9 relative at var <= 2 (checked
    against mpmath in tests/). ReLU moments are not computed this way (its kink would converge
    slowly); :func:`derivative_mean` returns the closed form 1/2."""
    var = np.asarray(var, dtype=float)
    pts = np.sqrt(var)[..., None] * _GH_X
    return (func(pts) * _GH_W).sum(axis=-1)


def activation_mean(activation: str, var: np.ndarray) -> np.ndarray:
    """E σ(h), h ~ N(0, var): ReLU √(var/2π) (the half-normal mean), tanh 0 (odd σ)."""
    var = np.asarray(var, dtype=float)
    if check_activation(activation) == "relu":
        return np.sqrt(var / (2 * np.pi))
    return np.zeros_like(var)


def control_variates(data: SpikedData, net: Network, noise_var: float = 0.0) -> np.ndarray:
    """Statistics of one draw whose expectations are known exactly from the sampling laws alone
    (each returned centred, mean 0), for control-variate estimates of the gradient energies:

    - (c_m Σ_k a_k μ_k)² − c_m² Σ_k μ_k², μ_k = E σ(w_kᵀx) at the population variance: the squared
      mean output, centred over the signs a_k = ±1 (given W);
    - ‖Λ u‖² − c_m² m Σλ²/d with u = c_m Wᵀa (Λ = Σ_b + s² I): the network's linear part seen
      through the bulk, centred over w_k ~ N(0, I/d);
    - (βᵀΛ_b²β − Σλ²)/Σλ and the cross term βᵀΛ_bΛu (β ~ N(0, I), independent of u);
    - mean(y²) − 1 and mean(z²) − 1 (y | β and z are N(0, 1) per sample).
    """
    if data.beta is None:
        raise ValueError("data.beta is None: control variates need data from spiked_data()")
    lam = data.bulk
    lam_in = lam + noise_var
    d, m = net.W.shape[1], net.W.shape[0]
    mu = activation_mean(net.activation, preactivation_variance(data, net, noise_var))
    cf = (net.c_m * float(net.a @ mu)) ** 2 - net.c_m**2 * float(mu @ mu)
    u = net.c_m * (net.W.T @ net.a)
    cu = float(np.sum((lam_in * u) ** 2)) - net.c_m**2 * m * float(np.sum(lam_in**2)) / d
    b = data.beta
    cb = (float(b @ (lam**2 * b)) - float(lam @ lam)) / float(lam.sum())
    cx = float(b @ (lam * lam_in * u))
    return np.array([cf, cu, cb, cx, float(np.mean(data.y**2)) - 1.0, float(np.mean(data.z**2)) - 1.0])


def derivative_mean(activation: str, var: np.ndarray) -> np.ndarray:
    """κ = E σ′(h), h ~ N(0, var): the centring constant of each neuron."""
    if check_activation(activation) == "relu":
        return np.full_like(np.asarray(var, dtype=float), 0.5)  # P(h > 0) for symmetric h
    return gaussian_mean(lambda h: act("tanh", h, 1), var)


# -- data and network ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SpikedData:
    X: np.ndarray  # n×d, X_B + ζ z qᵀ
    XB: np.ndarray
    z: np.ndarray
    q: np.ndarray
    y: np.ndarray
    bulk: np.ndarray  # eigenvalues λ of Σ_b (diagonal)
    zeta: float
    beta: np.ndarray | None = None  # the raw N(0, I_d) draw behind y (for control variates)


def bulk_spectrum(d: int, alpha: float) -> np.ndarray:
    """λ_k ∝ k^{−α}, normalized to tr Σ_b = d (α = 0 is isotropic)."""
    check_positive_int("d", d)
    check_in("alpha", alpha, 0, np.inf)
    lam = np.arange(1, d + 1, dtype=float) ** (-float(alpha))
    return lam * d / lam.sum()


def spiked_data(n: int, d: int, zeta: float, rng: np.random.Generator, *, alpha: float = 0.0,
                noise_var: float = 0.0) -> SpikedData:
    """Sample X = X_B + ζ z qᵀ and the bulk target. ``noise_var`` > 0 adds input noise sξ to the
    network's inputs (one draw, data augmentation); the target stays the clean y.

    n, d positive integers; zeta >= 0; alpha >= 0; noise_var >= 0.
    """
    check_positive_int("n", n)
    check_positive_int("d", d)
    check_in("zeta", zeta, 0, np.inf)
    check_in("noise_var", noise_var, 0, np.inf)
    lam = bulk_spectrum(d, alpha)
    XB = rng.standard_normal((n, d)) * np.sqrt(lam)
    q = rng.standard_normal(d)
    q /= np.linalg.norm(q)
    z = rng.standard_normal(n)
    beta = rng.standard_normal(d)
    y = XB @ beta / np.sqrt(beta @ (lam * beta))
    if noise_var > 0:
        XB = XB + np.sqrt(noise_var) * rng.standard_normal((n, d))
    X = XB + float(zeta) * np.outer(z, q)
    return SpikedData(X=X, XB=XB, z=z, q=q, y=y, bulk=lam, zeta=float(zeta), beta=beta)


@dataclass(frozen=True)
class Network:
    W: np.ndarray  # m×d
    a: np.ndarray  # m, entries ±1
    c_m: float
    activation: str


def init_network(m: int, d: int, rng: np.random.Generator, *, scaling: str = "ntk",
                 activation: str = "relu") -> Network:
    """Rows w_j ~ N(0, I_d/d), a_j uniform on {±1}, c_m = m^{-p}."""
    check_positive_int("m", m)
    check_positive_int("d", d)
    c_m = output_scale(m, scaling)
    check_activation(activation)
    W = rng.standard_normal((m, d)) / np.sqrt(d)
    a = rng.choice([-1.0, 1.0], size=m)
    return Network(W=W, a=a, c_m=c_m, activation=activation)


def residual(data: SpikedData, net: Network) -> np.ndarray:
    """r = f(X) − y: the derivative of the per-sample loss ½(f − y)² in f."""
    return net.c_m * act(net.activation, data.X @ net.W.T) @ net.a - data.y


def preactivation_variance(data: SpikedData, net: Network, noise_var: float = 0.0) -> np.ndarray:
    """q_j = w_jᵀ Σ w_j with Σ = Σ_b (+ s² I) + ζ² q qᵀ, the population variance of w_jᵀx."""
    return ((net.W**2) @ (data.bulk + noise_var) + data.zeta**2 * (net.W @ data.q) ** 2)


# -- the gradient, two routes -------------------------------------------------------------------
def gradient(data: SpikedData, net: Network) -> np.ndarray:
    """G = (c_m/n) diag(a) σ′(XWᵀ)ᵀ diag(r) X, by matrix products."""
    n = data.X.shape[0]
    r = residual(data, net)
    dphi = act(net.activation, data.X @ net.W.T, 1)
    return (net.c_m / n) * net.a[:, None] * (dphi.T @ (r[:, None] * data.X))


def gradient_by_samples(data: SpikedData, net: Network) -> np.ndarray:
    """The same G as a plain sum of per-sample chain rules: ∂ℓ_i/∂w_j = r_i c_m a_j σ′(w_jᵀx_i) x_i."""
    n = data.X.shape[0]
    G = np.zeros_like(net.W)
    for i in range(n):
        x = data.X[i]
        h = net.W @ x
        f = net.c_m * float(net.a @ act(net.activation, h))
        G += np.outer((f - data.y[i]) * net.c_m * net.a * act(net.activation, h, 1), x)
    return G / n


def loss(data: SpikedData, net: Network, W: np.ndarray | None = None, *, lam: float = 0.0,
         lam_jac: float = 0.0) -> float:
    """(1/2n)‖f − y‖² + (λ/2)‖W‖²_F + λ_J (1/n) Σ_i ‖∇_x f(x_i)‖²."""
    W = net.W if W is None else W
    h = data.X @ W.T
    r = net.c_m * act(net.activation, h) @ net.a - data.y
    value = 0.5 * np.mean(r**2) + 0.5 * lam * np.sum(W**2)
    if lam_jac:
        U = net.c_m * act(net.activation, h, 1) * net.a  # n×m, rows u_i
        value += lam_jac * np.mean(np.sum((U @ W) ** 2, axis=1))
    return float(value)


def finite_difference_gradient(data: SpikedData, net: Network, entries, *, step: float = 1e-5,
                               lam: float = 0.0, lam_jac: float = 0.0) -> np.ndarray:
    """Central differences of :func:`loss` at the given (j, k) entries of W."""
    out = []
    for j, k in entries:
        Wp, Wm = net.W.copy(), net.W.copy()
        Wp[j, k] += step
        Wm[j, k] -= step
        out.append((loss(data, net, Wp, lam=lam, lam_jac=lam_jac)
                    - loss(data, net, Wm, lam=lam, lam_jac=lam_jac)) / (2 * step))
    return np.array(out)


# -- the split ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Split:
    """G = R + S + E with R, S rank one: R = r_left r_rightᵀ, S = s_left qᵀ."""

    R: np.ndarray
    S: np.ndarray
    E: np.ndarray
    kappa: np.ndarray  # centring constants κ_j
    r_left: np.ndarray  # (c_m/n)·(a ⊙ κ)
    r_right: np.ndarray  # Xᵀr
    s_left: np.ndarray  # (c_m ζ/n)·a ⊙ σ′⊥ᵀ(r ⊙ z)
    residue_bulk: np.ndarray  # X_Bᵀr


def split(data: SpikedData, net: Network, kappa: np.ndarray | None = None,
          noise_var: float = 0.0) -> Split:
    """Residue, spike and remainder terms, each from its own formula. κ_j defaults to the
    population mean E σ′(w_jᵀx) at the pre-activation variance of :func:`preactivation_variance`."""
    n = data.X.shape[0]
    if kappa is None:
        kappa = derivative_mean(net.activation, preactivation_variance(data, net, noise_var))
    r = residual(data, net)
    dperp = act(net.activation, data.X @ net.W.T, 1) - kappa  # σ′⊥, n×m
    r_left = (net.c_m / n) * net.a * kappa
    r_right = data.X.T @ r
    s_left = (net.c_m * data.zeta / n) * net.a * (dperp.T @ (r * data.z))
    E = (net.c_m / n) * net.a[:, None] * (dperp.T @ (r[:, None] * data.XB))
    return Split(R=np.outer(r_left, r_right), S=np.outer(s_left, data.q), E=E, kappa=kappa,
                 r_left=r_left, r_right=r_right, s_left=s_left, residue_bulk=data.XB.T @ r)


def term_energies(data: SpikedData, net: Network, noise_var: float = 0.0) -> np.ndarray:
    """(‖R‖²_F, ‖S‖²_F, ‖E‖²_F) of :func:`split` without forming R and S (they are rank one:
    ‖uvᵀ‖²_F = ‖u‖²‖v‖², and ‖q‖ = 1) and with one product XWᵀ; for Monte-Carlo sweeps."""
    n = data.X.shape[0]
    kappa = derivative_mean(net.activation, preactivation_variance(data, net, noise_var))
    H = data.X @ net.W.T
    r = net.c_m * act(net.activation, H) @ net.a - data.y
    dperp = act(net.activation, H, 1) - kappa
    r_left = (net.c_m / n) * net.a * kappa
    r_right = data.X.T @ r
    s_left = (net.c_m * data.zeta / n) * net.a * (dperp.T @ (r * data.z))
    E = (net.c_m / n) * net.a[:, None] * (dperp.T @ (r[:, None] * data.XB))
    return np.array([float(r_left @ r_left) * float(r_right @ r_right), float(s_left @ s_left),
                     float(np.sum(E * E))])


# -- regularizer gradients ----------------------------------------------------------------------
def weight_decay_gradient(net: Network, lam: float) -> np.ndarray:
    """∂/∂W of (λ/2)‖W‖²_F."""
    check_in("lam", lam, 0, np.inf)
    return float(lam) * net.W


def jacobian_penalty_gradient(data: SpikedData, net: Network, lam_jac: float) -> np.ndarray:
    """∂/∂W of λ_J (1/n) Σ_i ‖Wᵀu_i‖², u_i = c_m a ⊙ σ′(W x_i): the chain rule through W and
    through u_i, 2λ_J/n Σ_i [u_i u_iᵀ W + diag(c_m a ⊙ σ″(W x_i)) W Wᵀ u_i x_iᵀ]."""
    check_in("lam_jac", lam_jac, 0, np.inf)
    n = data.X.shape[0]
    h = data.X @ net.W.T
    U = net.c_m * act(net.activation, h, 1) * net.a
    V = net.c_m * act(net.activation, h, 2) * net.a
    first = U.T @ U @ net.W
    second = (V * (U @ net.W @ net.W.T)).T @ data.X
    return (2.0 * lam_jac / n) * (first + second)


# -- spectra ------------------------------------------------------------------------------------
def top_singular(M: np.ndarray, k: int, rng: np.random.Generator):
    """Top-k singular triplets (descending) by ARPACK with a seeded start vector."""
    v0 = rng.standard_normal(min(M.shape))
    u, s, vt = svds(M, k=k, v0=v0, tol=1e-10)
    order = np.argsort(s)[::-1]
    return u[:, order], s[order], vt[order]


def subspace_overlap(basis_rows: np.ndarray, v: np.ndarray) -> float:
    """‖P v‖²/‖v‖² for the span of orthonormal rows ``basis_rows``."""
    v = v / np.linalg.norm(v)
    return float(np.sum((basis_rows @ v) ** 2))


@dataclass(frozen=True)
class Measurement:
    norm_G: float
    norm_R: float
    norm_S: float
    norm_E: float
    op_E: float
    sv: tuple  # top-3 singular values of G
    top2_fraction: float
    overlap_spike: float  # ‖P_{V2} q‖²
    overlap_residue: float  # ‖P_{V2} Xᵀr‖²/‖Xᵀr‖²
    overlap_left_a: float  # ‖P_{U2} a‖²/m
    f_mean: float


def measure(data: SpikedData, net: Network, rng: np.random.Generator, *,
            extra: np.ndarray | None = None, noise_var: float = 0.0) -> Measurement:
    """Norms of the split, spectrum and top-2 overlaps of G (+ ``extra``, a regularizer gradient)."""
    parts = split(data, net, noise_var=noise_var)
    G = parts.R + parts.S + parts.E
    if extra is not None:
        G = G + extra
    u, s, vt = top_singular(G, 3, rng)
    norm_G = float(np.linalg.norm(G))
    op_E = float(top_singular(parts.E, 1, rng)[1][0])
    f = residual(data, net) + data.y
    return Measurement(
        norm_G=norm_G, norm_R=float(np.linalg.norm(parts.r_left) * np.linalg.norm(parts.r_right)),
        norm_S=float(np.linalg.norm(parts.s_left)), norm_E=float(np.linalg.norm(parts.E)),
        op_E=op_E, sv=tuple(float(x) for x in s),
        top2_fraction=float((s[0] ** 2 + s[1] ** 2) / norm_G**2),
        overlap_spike=subspace_overlap(vt[:2], data.q),
        overlap_residue=subspace_overlap(vt[:2], parts.r_right),
        overlap_left_a=subspace_overlap(u[:, :2].T, net.a), f_mean=float(np.mean(f)),
    )


def sample(n: int, d: int, m: int, zeta: float, seed: int, *, scaling: str = "ntk",
           activation: str = "relu", alpha: float = 0.0, noise_var: float = 0.0):
    """One seeded draw of data and network from independent child streams of ``seed``, so that
    the same seed gives the same network whatever the data options (paired comparisons); the
    returned generator is a third stream for later draws (e.g. ARPACK start vectors)."""
    check_scaling(scaling)
    check_activation(activation)
    rng_data, rng_net, rng = np.random.default_rng(seed).spawn(3)
    data = spiked_data(n, d, zeta, rng_data, alpha=alpha, noise_var=noise_var)
    net = init_network(m, d, rng_net, scaling=scaling, activation=activation)
    return data, net, rng
