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
