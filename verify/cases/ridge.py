"""Case table of paper 000 §4 (Eqs. 23-27): each claim with a re-derivation equals it (Eq. (25)'s
root, Eq. (26) from Eq. (25), R̂λ and R̂0 from Eq. (23), the isotropic and A = 0 limits, the
implicit-bias gap), and the printed Eq. (27) does not."""

from __future__ import annotations

import sympy as sp

from theory import CLAIMS
from theory.symbols import SYMBOLS, A, gamma, lam, rho, sigma2

from . import Derivation

SPOTS = [{sigma2: sp.Rational(37, 10), rho: 20, A: sp.Rational(3, 10), gamma: 3},
         {sigma2: 1, rho: sp.Rational(1, 2), A: sp.Rational(9, 10), gamma: sp.Rational(3, 2)}]
#: parameters the two spot points above leave open, at values inside their domains
EXTRA = {"lam": (lam, sp.Rational(1, 7)), "s": (SYMBOLS["s"], sp.Rational(1, 10))}


def spots_for(claim_id: str) -> tuple:
    params = CLAIMS[claim_id].params
    out = []
    for p in SPOTS:
        point = {k: v for k, v in p.items() if str(k) in params}
        point.update({sym: v for name, (sym, v) in EXTRA.items() if name in params})
        out.append(point)
    return tuple(out)


DERIVED = [cid for cid, c in CLAIMS.items() if cid.startswith("ridge.") and c.derivation]
CASES = [Derivation(cid, spots=spots_for(cid), note="encoded vs re-derived") for cid in DERIVED]
CASES.append(Derivation("ridge.R0_hat", printed=True, expect="disagree", spots=spots_for("ridge.R0_hat")[:1],
                        note="printed Eq. (27) vs its derivation from Eqs. (23), (26)"))

# -- κ against high-precision root finding of Eq. (24) (numerics.ridge.kappa_root) -----------------
# The spiked spectrum σ²(1 + ρ) once and σ² with multiplicity d − 1, n = d/γ, roots at PREC + 10
# working digits. At d = 10³⁰ the spike's weight in Eq. (24) is 1/n ~ 1e-30: Eqs. (25)-(26) drop it.
import mpmath  # noqa: E402

from numerics import ridge as _nr  # noqa: E402

from . import Pointwise  # noqa: E402
from ..ridge_common import PREC  # noqa: E402
from ..tolerance import Tol  # noqa: E402

HUGE_D = mpmath.mpf(10) ** 30


def _root(s2, spike, d, gamma_, lam_, derivative=False):
    with mpmath.workdps(PREC + 10):
        s2 = mpmath.mpf(s2)
        spectrum, mult = [s2 * (1 + mpmath.mpf(spike)), s2], [1, int(d) - 1]
        n = mpmath.mpf(d) / mpmath.mpf(gamma_)
        f = _nr.kappa_derivative if derivative else _nr.kappa_root
        return f(spectrum, n, mpmath.mpf(lam_), multiplicities=mult, prec=PREC)


def kappa_spiked_root(*, sigma2, gamma, lam):
    """root of Eq. (24) with the spiked spectrum (ρ = 20) at d = 10³⁰."""
    return _root(sigma2, 20, HUGE_D, gamma, lam)


def kappa0_root(*, sigma2, gamma):
    """root of Eq. (24) at λ = 0, spiked spectrum (ρ = 5) at d = 10³⁰."""
    return _root(sigma2, 5, HUGE_D, gamma, 0)


def dkappa0_root(*, gamma):
    """numeric dκ/dλ at λ = 0 of Eq. (24), σ² = 2, spiked spectrum (ρ = 5) at d = 10³⁰."""
    return _root(2, 5, HUGE_D, gamma, 0, derivative=True)


def kappa0_finite_root(*, sigma2, rho, gamma, d):
    """root of Eq. (24) at λ = 0 with the exact finite-d spectrum."""
    return _root(sigma2, rho, d, gamma, 0)


def _rtol(rtol, why):
    return lambda point: Tol(rtol=rtol, why_tol=why)


WHY_HUGE = "precision: 40 digits; the spike's weight in Eq. (24) is 1/n ~ 1e-30, so rtol 1e-27"
WHY_DERIV = "precision: 40 digits, spike weight 1/n ~ 1e-30, numeric derivative to ~1e-20"
CASES += [Pointwise("ridge.kappa_spiked", p, numeric=kappa_spiked_root, tol=_rtol(1e-27, WHY_HUGE), prec=PREC)
          for p in (dict(sigma2="1", gamma="3", lam="0.5"), dict(sigma2="2.5", gamma="0.5", lam="0.01"),
                    dict(sigma2="0.3", gamma="1.5", lam="4"))]
for g in ("1.5", "3", "10"):
    CASES += [Pointwise("ridge.kappa0", dict(sigma2="2", gamma=g), numeric=kappa0_root,
                        tol=_rtol(1e-20, WHY_DERIV), prec=PREC),
              Pointwise("ridge.dkappa0", dict(gamma=g), numeric=dkappa0_root, tol=_rtol(1e-15, WHY_DERIV),
                        prec=PREC)]
CASES += [Pointwise("ridge.kappa0_finite", dict(sigma2="0.7", rho=r, gamma=g, d=d), numeric=kappa0_finite_root,
                    tol=_rtol(1e-30, "precision: both at >= 40 digits; rtol 1e-30"), prec=PREC)
          for d, g, r in ((30, "1.5", "20"), (500, "3", "100"), (3000, "2", "0"))]


def r0_finite_from_roots(*, sigma2, rho, A, gamma, d):
    """Eq. (23) at λ → 0⁺ with κ(0⁺) and κ'(0⁺) of Eq. (24) by root finding and numerical
    differentiation (numerics.ridge), the exact finite-d spectrum (σ²(1 + ρ) once carrying A², σ² once
    carrying 1 − A², σ² with multiplicity d − 2 carrying 0) and n = d/γ."""
    with mpmath.workdps(PREC + 10):
        s2, r, a2 = mpmath.mpf(sigma2), mpmath.mpf(rho), mpmath.mpf(A) ** 2
        k, dk = (_root(sigma2, rho, d, gamma, 0, derivative=der) for der in (False, True))
        return dk * k**2 * (s2 * (1 + r) * a2 / (k + s2 * (1 + r)) ** 2 + s2 * (1 - a2) / (k + s2) ** 2)


# rtol 1e-15 as for κ'(0⁺) above (mpmath.diff of the root at 50 digits); the O(1/d) structure of the
# finite-d form is what these points test, so they include small d (the form differs from R̂0 by ~1/d)
CASES += [Pointwise("ridge.R0_hat_finite", dict(sigma2="0.7", rho=r, A=a, gamma=g, d=d), numeric=r0_finite_from_roots,
                    tol=_rtol(1e-15, WHY_DERIV), prec=PREC)
          for d, g, r, a in ((30, "1.5", "20", "0.5"), (500, "3", "100", "0.3"), (3000, "2", "0", "0.8"))]
