"""The claim record and the registry ``CLAIMS`` (id -> Claim).

A claim is one closed-form statement of a source paper, encoded as a SymPy expression over the
shared symbols of :mod:`theory.symbols`. It carries its citation, the paper's printed form where that
differs from the re-derived one, an optional symbolic re-derivation, and ``evaluate``, which turns it
into mpmath numbers at a requested precision after checking every parameter against its domain.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Mapping

import mpmath
import sympy as sp

from .symbols import DOMAINS, LATEX_NAMES, SYMBOLS, Domain

CLAIMS: dict[str, "Claim"] = {}


@dataclass(frozen=True)
class Claim:
    """One citable closed-form claim.

    id          stable ``<module>.<name>``
    expr        SymPy expression, tuple of expressions, Piecewise or relation (the derived form)
    params      parameter names from :data:`theory.symbols.PARAMETERS`, in the order a reader
                would pass them
    source      file and equation, e.g. ``"000 Eq. (32)"``
    statement   one sentence saying what the expression is
    derived_from  ids of the claims it follows from
    as_printed  the paper's printed form when it differs from ``expr``, else ``None``
    conditions  where the claim holds only under an assumption or a choice the paper leaves free
    domains     per-claim domain overrides (e.g. gamma > 1 for a ridgeless formula)
    derivation  a function re-deriving ``expr`` from the definitions it follows from; the audit
                checks the two are identical
    """

    id: str
    expr: Any
    params: tuple[str, ...]
    source: str
    statement: str
    derived_from: tuple[str, ...] = ()
    as_printed: Any = None
    conditions: str = ""
    domains: Mapping[str, Domain] = field(default_factory=dict)
    derivation: Callable[[], Any] | None = None

    def __post_init__(self):
        unknown = [p for p in self.params if p not in SYMBOLS]
        if unknown:
            raise ValueError(f"claim {self.id}: parameter names {unknown} are not in theory.symbols")

    # -- presentation -------------------------------------------------------------------------
    def latex(self, printed: bool = False) -> str:
        """LaTeX of the derived form, or of the printed form with ``printed=True``."""
        expr = self.as_printed if printed else self.expr
        if expr is None:
            raise ValueError(f"claim {self.id} has no printed form that differs from its derived one")
        if isinstance(expr, tuple):
            return r",\quad ".join(sp.latex(e, symbol_names=LATEX_NAMES) for e in expr)
        return sp.latex(expr, symbol_names=LATEX_NAMES)

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(SYMBOLS[p] for p in self.params)

    def domain(self, name: str) -> Domain:
        return self.domains.get(name, DOMAINS[name])

    # -- evaluation ---------------------------------------------------------------------------
    def check_params(self, params: Mapping[str, Any]) -> dict[str, sp.Rational]:
        """Validate names and domains; return the values as exact SymPy rationals."""
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            raise ValueError(f"{self.id}: unknown parameter {unknown[0]!r}; "
                             f"it takes {', '.join(self.params)}")
        missing = [p for p in self.params if p not in params]
        if missing:
            raise ValueError(f"{self.id}: missing parameter {missing[0]!r}; "
                             f"it takes {', '.join(self.params)}")
        exact = {}
        for name in self.params:
            dom = self.domain(name)
            try:
                value = _exact(name, params[name])
            except ValueError as err:
                raise ValueError(f"{self.id}: {err}; its domain is {dom.describe()}") from None
            if not dom.contains(value):
                raise ValueError(f"{self.id}: parameter {name} = {params[name]!r} is outside its "
                                 f"domain {dom.describe()}")
            exact[name] = value
        return exact

    def evaluate(self, prec: int = 50, printed: bool = False, **params):
        """Evaluate at ``prec`` significant digits; returns mpmath numbers (a tuple for tuples,
        a bool for relations). Floats are taken at their exact binary value; pass strings or
        fractions for exact decimals. ``printed=True`` evaluates the paper's printed form."""
        exact = self.check_params(params)
        expr = self.as_printed if printed else self.expr
        if expr is None:
            raise ValueError(f"claim {self.id} has no printed form that differs from its derived one")
        subs = {SYMBOLS[name]: _for_substitution(value, prec) for name, value in exact.items()}
        if isinstance(expr, tuple):
            return tuple(_to_mpmath(self.id, e, subs, prec) for e in expr)
        return _to_mpmath(self.id, expr, subs, prec)


def _exact(name: str, value) -> sp.Rational:
    """The exact rational value of one parameter, or a ValueError naming it: NaN, ±inf and
    non-real values of every numeric type (float, numpy, mpmath, SymPy, Fraction, Decimal,
    strings) are rejected, never passed on."""
    bad = f"parameter {name} must be a finite real number, got {value!r}"
    if isinstance(value, bool) or value is None:
        raise ValueError(bad)
    if isinstance(value, sp.Basic):
        if not value.is_number or value.is_real is not True or value.is_finite is not True:
            raise ValueError(bad)
        return value
    if isinstance(value, str):
        try:
            out = sp.Rational(value.strip())
        except (TypeError, ValueError, SyntaxError):
            raise ValueError(bad) from None
        if not (out.is_Rational and out.is_finite):
            raise ValueError(bad)
        return out
    if isinstance(value, mpmath.mpc):
        raise ValueError(bad)
    if isinstance(value, mpmath.mpf):
        if not mpmath.isfinite(value):
            raise ValueError(bad)
        man, exp = value.man_exp
        return sp.Integer(man) * sp.Integer(2) ** exp
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(bad)
        num, den = value.as_integer_ratio()
        return sp.Rational(num, den)
    if isinstance(value, numbers.Real):
        if not math.isfinite(float(value)):
            raise ValueError(bad)
        return sp.Rational(int(value)) if isinstance(value, numbers.Integral) else sp.Rational(float(value))
    raise ValueError(bad)


#: rationals with a numerator or denominator beyond this are substituted as high-precision Floats:
#: exact substitution of, say, a float's 2^-52 fractions into nested square roots sends SymPy into
#: integer factorization, while a Float with GUARD extra digits is exact for a double and accurate
#: far below the requested precision for anything else
EXACT_LIMIT = 10**12
GUARD = 30


def _for_substitution(value: sp.Rational, prec: int):
    if not value.is_Rational:  # an exact SymPy number such as sqrt(2)/2: substituted as it is
        return value
    if value.is_Integer or max(abs(value.p), value.q) <= EXACT_LIMIT:
        return value
    return sp.Float(value, prec + GUARD)


#: lambdify's mpmath printer has no betainc_regularized (it prints a wrong call silently)
_MPMATH_MODULES = [{"betainc_regularized": lambda a, b, x1, x2: mpmath.betainc(a, b, x1, x2, regularized=True)},
                   "mpmath"]
#: panels of the quadrature of a definite integral (mpmath.quad, tanh-sinh on each panel)
QUAD_PANELS = 8


def _integrals_by_quadrature(value, prec: int):
    """Evaluate each definite one-variable Integral with finite numeric limits by mpmath.quad of its
    lambdified integrand over QUAD_PANELS equal panels at prec + GUARD digits. SymPy's own
    Integral.evalf calls the integrand through SymPy at every node, which takes minutes for a
    Beta-CDF integrand (random_features.max_overlap_mean); integrals of any other shape are left to
    sp.N."""
    def quad(integral):
        if len(integral.limits) != 1 or len(integral.limits[0]) != 3:
            return integral
        var, a, b = integral.limits[0]
        if integral.function.free_symbols - {var} or not (a.is_number and b.is_number):
            return integral
        if not (a.is_finite and b.is_finite):
            return integral
        f = sp.lambdify(var, integral.function, _MPMATH_MODULES)
        with mpmath.workdps(prec + GUARD):
            nodes = mpmath.linspace(mpmath.mpf(sp.Float(a, prec + GUARD)), mpmath.mpf(sp.Float(b, prec + GUARD)),
                                    QUAD_PANELS + 1)
            return sp.Float(mpmath.quad(f, nodes), prec + GUARD)
    return value.replace(lambda e: isinstance(e, sp.Integral), quad)


def _to_mpmath(claim_id: str, expr, subs, prec: int):
    value = expr.subs(subs) if hasattr(expr, "subs") else expr
    if hasattr(value, "has") and value.has(sp.Integral):
        value = _integrals_by_quadrature(value, prec)
    if value in (sp.true, sp.false):
        return bool(value)
    if getattr(value, "free_symbols", None):
        raise ValueError(f"{claim_id}: the expression keeps the free variables "
                         f"{sorted(map(str, value.free_symbols))} beyond its parameters; it is a "
                         "relation or a right-hand side, evaluate it with SymPy's subs")
    value = sp.N(value, prec)
    if value.free_symbols or not value.is_number:
        raise ValueError(f"{claim_id}: the expression keeps the free variables "
                         f"{sorted(map(str, value.free_symbols))} beyond its parameters; it is a "
                         "relation or a right-hand side, evaluate it with SymPy's subs")
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not value.is_real:
        raise ValueError(f"{claim_id}: expression is not a finite real number here: {value}")
    with mpmath.workdps(prec):
        return mpmath.mpf(sp.Float(value, prec)._mpf_)


def register(claim: Claim) -> Claim:
    """Add a claim to :data:`CLAIMS`; ids are unique."""
    if claim.id in CLAIMS:
        raise ValueError(f"claim id {claim.id!r} is registered twice")
    CLAIMS[claim.id] = claim
    return claim
