"""The shared symbols of the suite: one SymPy symbol per parameter name, with its assumptions,
its LaTeX spelling and its default domain.

Every claim's ``params`` are names from this table. Where the papers reuse a letter, the names
here disambiguate: ``gamma`` is the aspect ratio d/n of paper 000 §4, ``gamma1``/``gamma2`` are the
alignment and spike exponents of papers 001/002, ``lam`` is the ridge penalty λ (not an eigenvalue),
``theta`` is the spike magnitude of papers 001/002 (``rho`` is paper 000's).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Domain:
    """An interval of admissible values, with the words used in error messages."""

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False

    def contains(self, x) -> bool:
        if self.integer and x != int(x):
            return False
        above = x > self.lo if self.lo_open else x >= self.lo
        below = x < self.hi if self.hi_open else x <= self.hi
        return bool(above and below)

    def describe(self) -> str:
        if self.integer:
            return f"an integer >= {self.lo:g}" if self.hi == math.inf else \
                f"an integer in [{self.lo:g}, {self.hi:g}]"
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        lo = "-inf" if self.lo == -math.inf else f"{self.lo:g}"
        hi = "inf" if self.hi == math.inf else f"{self.hi:g}"
        return f"{left}{lo}, {hi}{right}"


POSITIVE = Domain(0, math.inf, lo_open=True, hi_open=True)
NONNEGATIVE = Domain(0, math.inf, hi_open=True)
UNIT = Domain(0, 1)

sigma2 = sp.Symbol("sigma2", positive=True)
rho = sp.Symbol("rho", nonnegative=True)
A = sp.Symbol("A", nonnegative=True)
gamma = sp.Symbol("gamma", positive=True)
lam = sp.Symbol("lam", positive=True)
tau = sp.Symbol("tau", positive=True)
s = sp.Symbol("s", positive=True)
u0 = sp.Symbol("u0", positive=True)
t = sp.Symbol("t", nonnegative=True)
delta = sp.Symbol("delta", positive=True)
d = sp.Symbol("d", positive=True, integer=True)
n = sp.Symbol("n", positive=True, integer=True)
m = sp.Symbol("m", positive=True, integer=True)
k = sp.Symbol("k", positive=True, integer=True)
gamma1 = sp.Symbol("gamma1", nonnegative=True)
gamma2 = sp.Symbol("gamma2", nonnegative=True)
theta = sp.Symbol("theta", nonnegative=True)
eps = sp.Symbol("eps", positive=True)
kappa = sp.Symbol("kappa", positive=True)
omega = sp.Symbol("omega", real=True)
zeta = sp.Symbol("zeta", nonnegative=True)
nu_exp = sp.Symbol("nu_exp", nonnegative=True)
alpha_exp = sp.Symbol("alpha_exp", nonnegative=True)
scale_exp = sp.Symbol("scale_exp", positive=True)
noise_var = sp.Symbol("noise_var", nonnegative=True)
lam_jac = sp.Symbol("lam_jac", nonnegative=True)
ell = sp.Symbol("ell", nonnegative=True, integer=True)
deg_p = sp.Symbol("deg_p", positive=True, integer=True)
ratio_c = sp.Symbol("ratio_c", positive=True)
alpha_par = sp.Symbol("alpha_par", nonnegative=True)
n_unl = sp.Symbol("n_unl", positive=True, integer=True)

#: name -> (symbol, LaTeX, default domain, meaning)
PARAMETERS: dict[str, tuple[sp.Symbol, str, Domain, str]] = {
    "sigma2": (sigma2, r"\sigma^{2}", POSITIVE, "noise-free input variance scale σ² of Σ = σ²(I + ρμμᵀ)"),
    "rho": (rho, r"\rho", NONNEGATIVE, "spike magnitude ρ of paper 000"),
    "A": (A, r"A", UNIT, "spike-target alignment A = μᵀβ (sign of μ chosen so A ≥ 0)"),
    "gamma": (gamma, r"\gamma", POSITIVE, "aspect ratio γ = d/n of paper 000 §4"),
    "lam": (lam, r"\lambda", POSITIVE, "ridge penalty λ"),
    "tau": (tau, r"\tau", POSITIVE, "time constant τ = 1/(2η)"),
    "s": (s, r"s", POSITIVE, "initialization scale s"),
    "u0": (u0, r"u_{0}", POSITIVE, "initial magnitude u(0) of the early-phase solution"),
    "t": (t, r"t", NONNEGATIVE, "time"),
    "delta": (delta, r"\delta", POSITIVE, "later-phase completion level δ: w2 reaches (1 − e^{−δ}) w2*"),
    "d": (d, r"d", Domain(1, math.inf, integer=True), "input dimension"),
    "n": (n, r"n", Domain(1, math.inf, integer=True), "number of samples"),
    "m": (m, r"m", Domain(1, math.inf, integer=True), "network width"),
    "k": (k, r"k", Domain(1, math.inf, integer=True), "information exponent"),
    "gamma1": (gamma1, r"\gamma_{1}", Domain(0, 0.5), "alignment exponent: ⟨μ, β⟩ ≍ d^{−γ1}"),
    "gamma2": (gamma2, r"\gamma_{2}", Domain(0, 1), "spike exponent: θ ≍ d^{γ2}"),
    "theta": (theta, r"\theta", NONNEGATIVE, "spike magnitude θ of papers 001/002"),
    "eps": (eps, r"\varepsilon", Domain(0, 1, lo_open=True, hi_open=True), "target accuracy ε"),
    "kappa": (kappa, r"\kappa", POSITIVE, "κ(λ) of paper 000 Eq. (24), the unknown of the ridge equations"),
    "omega": (omega, r"\omega", Domain(-1, 1), "overlap ω = ⟨w, β⟩ of unit vectors (papers 001/002, slide ζ(ω))"),
    "zeta": (zeta, r"\zeta", NONNEGATIVE, "spike strength ζ of paper 003: per-sample spike coordinate ζ·z_i, z_i ~ N(0, 1)"),
    "nu_exp": (nu_exp, r"\nu", Domain(0, 1), "spike exponent of paper 003: ζ = n^ν (not paper 000's ν)"),
    "alpha_exp": (alpha_exp, r"\alpha", NONNEGATIVE, "bulk spectral decay of paper 003: λ_k ∝ k^{−α}"),
    "scale_exp": (scale_exp, r"p", Domain(0.5, 1), "output scaling c_m = m^{−p}: p = 1 mean-field, p = 1/2 NTK"),
    "noise_var": (noise_var, r"s^{2}", NONNEGATIVE, "input-noise variance s² (x → x + sξ, ξ ~ N(0, I))"),
    "ell": (ell, r"\ell", Domain(0, math.inf, integer=True), "largest Hermite degree KRR learns (slide 'Theorem ([BES+23] ... KRR)')"),
    "deg_p": (deg_p, r"p", Domain(1, math.inf, integer=True), "degree p of the link σ* (002)"),
    "ratio_c": (ratio_c, r"c", Domain(0, 1, lo_open=True), "aspect ratio c = short/long side of a rectangular matrix (BGN 2012)"),
    "lam_jac": (lam_jac, r"\lambda_{J}", NONNEGATIVE, "Jacobian-penalty strength λ_J"),
    "alpha_par": (alpha_par, r"\alpha", Domain(0, 1, hi_open=True), "anisotropy exponent of 002 'Classifying Sparse Parity Functions': x_i/x_j ≍ d^{α/2}, i ∈ I_k"),
    "n_unl": (n_unl, r"n'", Domain(1, math.inf, integer=True), "number of unlabeled samples for Σ̂ (001 §4.1)"),
}

SYMBOLS: dict[str, sp.Symbol] = {name: entry[0] for name, entry in PARAMETERS.items()}
LATEX_NAMES: dict[sp.Symbol, str] = {entry[0]: entry[1] for entry in PARAMETERS.values()}
DOMAINS: dict[str, Domain] = {name: entry[2] for name, entry in PARAMETERS.items()}
