"""Case table of paper 000 §3 and Appendix A (Eqs. 28-33): closed forms against the explicit
d-dimensional construction, and printed forms against their re-derivation.

The theory side evaluates each printed closed form at 50 digits; the numeric side
(numerics.spiked.appendix_a) builds μ, β ∈ R^8 in a random orthonormal frame, the matrix Σ,
Σxy = Σβ and the basis v1, v2 of §3.2 at 65 working digits, and takes plain inner products.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import mpmath
import sympy as sp

from numerics.spiked import GUARD_DIGITS, appendix_a
from theory import linear_dynamics as _ld
from theory.symbols import A, rho, sigma2

from . import Derivation, Pointwise
from ..tolerance import Tol

PREC = 50
#: σ² ≠ 1 included; ρ from isotropic to 10⁴; A at both ends, 10⁻⁸ from both ends, and inside
SIGMA2 = ("1", "0.25", "3.7")
RHO = ("0", "0.5", "20", "10000")
ALIGN = ("0", "1e-8", "0.3", "0.5", "0.99999999", "1")
GRID = [dict(sigma2=s2, rho=r, A=a) for s2, r, a in itertools.product(SIGMA2, RHO, ALIGN)]

APPENDIX_A = {  # claim id -> attribute of numerics.spiked.AppendixA
    "linear_dynamics.sigma_xy_norm": "sigma_xy_norm",
    "linear_dynamics.mu_dot_v1": "mu_dot_v1",
    "linear_dynamics.mu_dot_v2": "mu_dot_v2",
    "linear_dynamics.lambda1": "lambda1",
    "linear_dynamics.lambda2": "lambda2",
    "linear_dynamics.nu": "nu",
}

# Both sides carry >= 50 significant digits (SymPy's evalf is adaptive; the construction runs at
# 50 + 15 guard digits). The construction's inner products cancel terms of size up to σ²(1 + ρ)
# against results as small as 10⁻⁸·ρ-scaled values: at most 12 digits lost on this grid.
RTOL = 10.0 ** -(PREC - GUARD_DIGITS)
WHY_RTOL = (f"precision: both sides at >= {PREC} digits, <= 12 digits lost to cancellation in the "
            f"construction (ρ <= 1e4, A >= 1e-8); rtol = 1e-{PREC - GUARD_DIGITS}")
WHY_ATOL = (f"exact zeros (ν, μᵀv1, μᵀv2 in the parallel case) are matched to 1e-{PREC} relative "
            "to the largest entry σ²(1 + ρ) of Σ")


def _scale(point) -> float:
    return float(mpmath.mpf(point["sigma2"]) * (1 + mpmath.mpf(point["rho"])))


def construction_tol(point) -> Tol:
    return Tol(rtol=RTOL, atol=10.0 ** -PREC * _scale(point), why_tol=WHY_RTOL + "; " + WHY_ATOL)


def block_tol(power: int):
    return lambda point: Tol(rtol=RTOL, atol=10.0 ** -PREC * _scale(point) ** power, why_tol=WHY_RTOL)


@lru_cache(maxsize=None)
def _construction(sigma2_, rho_, A_, v2_choice="span", seed=0):
    return appendix_a(sigma2_, rho_, A_, d=8, seed=seed, prec=PREC, v2_choice=v2_choice)


def built(attr: str, v2_choice: str = "span"):
    """numeric side: one attribute of the explicit construction at the case's point."""
    def numeric(*, sigma2, rho, A):
        return getattr(_construction(sigma2, rho, A, v2_choice), attr)
    numeric.__qualname__ = f"built({attr!r}, {v2_choice!r})"
    return numeric


def _parallel_note(point) -> str:
    built_ = _construction(point["sigma2"], point["rho"], point["A"])
    return "parallel case, v2 = continuous extension" if built_.parallel else ""


CASES = []
for claim_id, attr in APPENDIX_A.items():
    CASES += [Pointwise(claim_id, p, numeric=built(attr), tol=construction_tol, seed=0,
                        note=_parallel_note) for p in GRID]
for p in GRID:  # [[λ1, −ν], [−ν, λ2]] has trace σ²(2 + ρ) and determinant σ⁴(1 + ρ)
    CASES += [Pointwise("linear_dynamics.covariance_block", p, numeric=built("block_trace"), index=0,
                        tags={"entry": "trace"}, tol=block_tol(1), seed=0),
              Pointwise("linear_dynamics.covariance_block", p, numeric=built("block_det"), index=1,
                        tags={"entry": "determinant"}, tol=block_tol(2), seed=0)]

# In the parallel case §3.2 allows any unit v2 ⊥ v1. Eqs. (30) and (32) then hold only for the
# continuous extension; with a random admissible v2 they miss, while (28), (29), (31), (33) hold.
CHOICE = [  # point, claim, expected outcome with a random admissible v2
    (dict(sigma2="1", rho="20", A="0"), "linear_dynamics.mu_dot_v2", "disagree"),
    (dict(sigma2="1", rho="20", A="0"), "linear_dynamics.lambda2", "disagree"),
    (dict(sigma2="1", rho="20", A="0"), "linear_dynamics.nu", "agree"),
    (dict(sigma2="1", rho="20", A="0"), "linear_dynamics.lambda1", "agree"),
    (dict(sigma2="1", rho="0", A="0.3"), "linear_dynamics.mu_dot_v2", "disagree"),
    (dict(sigma2="1", rho="0", A="0.3"), "linear_dynamics.lambda2", "agree"),
    (dict(sigma2="1", rho="0", A="0.3"), "linear_dynamics.nu", "agree"),
    (dict(sigma2="1", rho="3", A="1"), "linear_dynamics.mu_dot_v2", "agree"),
    (dict(sigma2="1", rho="3", A="1"), "linear_dynamics.lambda2", "agree"),
]
CASES += [Pointwise(cid, p, numeric=built(APPENDIX_A[cid], "random"), tol=construction_tol, seed=0,
                    expect=expect, label="v2 random, " + ",".join(f"{k}={v}" for k, v in p.items()),
                    note="parallel case, v2 a random unit vector orthogonal to v1")
          for p, cid, expect in CHOICE]

#: Eqs. (28)-(33) re-derived from Eq. (1), Eq. (3) and the §3.2 basis
#: (theory.linear_dynamics.derive_appendix_a) equal the printed closed forms
SPOTS = ({sigma2: sp.Rational(37, 10), rho: 20, A: sp.Rational(3, 10)},
         {sigma2: 1, rho: sp.Rational(1, 2), A: sp.Rational(9, 10)})
CASES += [Derivation(cid, spots=SPOTS, note="printed vs re-derived")
          for cid in [*APPENDIX_A, "linear_dynamics.covariance_block"]]

#: the Grönwall order of Appendix C equals its re-derivation (theory.linear_dynamics.
#: derive_gronwall_order: log of Eq. (37)'s growth u_sat/u0, differentiated in log u0); the printed
#: factor 1 equals the derivation run with factor 1. The fixed point (Eq. 41) and the later-phase
#: bound (Eq. 20) stay hand-written in verify/test_linear_dynamics_derivations.py: SymPy cannot
#: denest Eq. (41)'s radicals (compared squared there), and Eq. (20) reduces in seconds only in the
#: generic c = ν/λ2, λ2 (50 s through the claim's own parameters).
CASES.append(Derivation("linear_dynamics.alignment_gronwall_order", note="encoded (factor 2) vs re-derived"))
CASES.append(Derivation("linear_dynamics.alignment_gronwall_order", printed=True,
                        derive=lambda: _ld.derive_gronwall_order(1),
                        note="printed factor 1 vs the derivation run with factor 1"))
