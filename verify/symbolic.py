"""Exact identities between SymPy expressions, recorded like every other comparison.

An identity passes when SymPy reduces the difference to zero; the residual is also evaluated at
spot points at 30+ digits, so a simplification that fails silently still shows up as a number.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import mpmath
import sympy as sp

from .agreement import Row, agree

SPOT_DIGITS = 40
EXACT_WHY = ("exact: SymPy reduces the difference to 0; spot residuals at 40 digits must stay "
             "below 1e-30 relative to the terms")


def _is_zero(diff) -> bool:
    if diff == 0:
        return True
    for simplifier in (sp.simplify, lambda e: sp.simplify(sp.radsimp(sp.together(e)))):
        if simplifier(diff) == 0:
            return True
    return bool(diff.equals(0))


def identity(claim_id: str, lhs, rhs, *, spot_points: Iterable[Mapping[sp.Symbol, Any]] = (),
             source: str | None = None, note: str = "", expect: str = "agree") -> list[Row]:
    """Record that ``lhs == rhs`` holds identically (one row for the symbolic reduction, one per
    spot point). ``expect="disagree"`` asserts the two differ."""
    diff = sp.sympify(lhs) - sp.sympify(rhs)
    rows = [agree(claim_id, {"check": "symbolic"}, theory=0, numeric=0 if _is_zero(diff) else 1,
                  atol=0.0, why_tol="exact: SymPy reduces the difference to 0 (1 = it does not)",
                  evidence="symbolic",
                  source=source, note=note, expect=expect)]
    for point in spot_points:
        subs = {sym: sp.nsimplify(val) for sym, val in point.items()}
        scale = sp.N(abs(sp.sympify(lhs).subs(subs)) + abs(sp.sympify(rhs).subs(subs)), SPOT_DIGITS)
        resid = sp.N(diff.subs(subs), SPOT_DIGITS)
        with mpmath.workdps(SPOT_DIGITS):
            resid_m = mpmath.mpf(sp.Float(abs(resid), SPOT_DIGITS)._mpf_) if resid.is_real else mpmath.inf
        rows.append(agree(claim_id, {str(k): float(v) for k, v in point.items()}, theory=0,
                          numeric=resid_m, atol=1e-30 * max(float(scale), 1.0),
                          evidence="high-precision",
                          why_tol="spot check at 40 digits: residual below 1e-30 of the terms' size",
                          source=source, note=note, expect=expect))
    return rows
