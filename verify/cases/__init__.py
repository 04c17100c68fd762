"""Claims as cases: one entry per claim and kind of check, run by one driver per kind.

A topic's table (``verify/cases/<topic>.py``) is a list of case records; ``verify/test_cases.py``
runs every case of every table through the driver of its kind, with test ids naming the claim
and the point. Modelled on SciPy's ``special/tests/test_data.py`` (``data(f, file, cols, rtol=…)``
entries run by one parametrized test) and SymPy's ODE example dicts.

Kinds
  Derivation  the claim's expression (or its printed form) equals its re-derivation: a symbolic
              reduction plus spot points at 40 digits, the points drawn from the claim's domains.
  Pointwise   the claim's value at one point against a high-precision construction in numerics/.
  MonteCarlo  the claim's value against an estimator with a standard error (z·SE + allowance).
  Rate        a fitted exponent against the predicted one (t-interval + allowance).
  Bound       a measured value against a limit (<= or >=) up to a stated atol.

Fields shared by all kinds: ``expect="disagree"`` (a known miss, kept in the table), ``printed``
(check the paper's printed form), ``paper_scale`` (only with --paper-scale), ``role="reference"``
(a numeric path against another: counts toward no claim), ``note`` and ``label``.

A failing case prints its row and the one line that reproduces it:
``python -m verify.cases "<case id>" [--audit-seed N]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
import pytest
import sympy as sp

from theory import CLAIMS
from theory.symbols import SYMBOLS

from ..agreement import agree, bound
from ..symbolic import identity
from ..tolerance import Z_ROW, Tol

__all__ = ["Case", "Derivation", "Pointwise", "MonteCarlo", "Rate", "Bound", "all_cases",
           "cases_of", "run", "domain_spots", "reproduce_command"]


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


@dataclass(frozen=True)
class Case:
    claim: str
    point: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""
    expect: str = "agree"
    printed: bool = False
    paper_scale: bool = False
    role: str = "claim"
    note: Any = ""          # text, or a function of the point evaluated when the case runs
    source: str | None = None
    tags: Mapping[str, Any] = field(default_factory=dict)   # extra row parameters (not claim inputs)

    @property
    def id(self) -> str:
        where = self.label or ",".join(f"{k}={_fmt(v)}" for k, v in {**self.point, **self.tags}.items()) or "-"
        return f"{type(self).__name__}:{self.claim}[{where}{',printed' if self.printed else ''}]"

    def params(self) -> dict:
        out = {**self.point, **self.tags}
        if self.printed:
            out["form"] = "as printed"
        return out

    def note_text(self) -> str:
        return self.note(self.point) if callable(self.note) else self.note

    def _check(self):
        if self.expect not in ("agree", "disagree"):
            raise ValueError(f"case {self.id}: expect must be 'agree' or 'disagree'")
        if self.role == "claim" and self.claim not in CLAIMS:
            raise ValueError(f"case {self.id}: claim {self.claim!r} is not registered")


def _claim_expr(case: Case):
    claim = CLAIMS[case.claim]
    expr = claim.as_printed if case.printed else claim.expr
    if expr is None:
        raise ValueError(f"case {case.id}: claim has no printed form")
    return expr


def domain_spots(claim_id: str, k: int = 2, seed: int = 0) -> list[dict]:
    """``k`` exact rational points inside the claim's parameter domains (seeded, reproducible):
    spot points for identities that do not come from the test's author."""
    claim = CLAIMS[claim_id]
    rng = np.random.default_rng([seed, *claim_id.encode()])
    points = []
    for _ in range(k):
        point = {}
        for name in claim.params:
            dom = claim.domain(name)
            lo = dom.lo if math.isfinite(dom.lo) else -3.0
            hi = dom.hi if math.isfinite(dom.hi) else max(lo, 0) + 20.0
            if dom.integer:
                value = sp.Integer(int(rng.integers(int(lo), int(max(lo + 1, min(hi, lo + 20))) + 1)))
            else:
                u = rng.uniform(0.1, 0.9)
                value = sp.Rational(int(round((lo + u * (hi - lo)) * 100)), 100)
                if not dom.contains(float(value)):
                    value = sp.Rational(int(round((lo + hi) / 2 * 100)), 100)
            point[SYMBOLS[name]] = value
        points.append(point)
    return points


@dataclass(frozen=True)
class Derivation(Case):
    """expr (or as_printed) == derivation(); tuple claims compared entry by entry."""

    spots: tuple = ()
    n_spots: int = 2
    derive: Callable[[], Any] | None = None   # defaults to the claim's own derivation

    def run(self, audit_seed: int):
        claim = CLAIMS[self.claim]
        derive = self.derive or claim.derivation
        if derive is None:
            raise ValueError(f"case {self.id}: claim has no derivation")
        encoded, derived = _claim_expr(self), derive()
        spots = list(self.spots) or domain_spots(self.claim, self.n_spots)
        pairs = (zip(encoded, derived) if isinstance(encoded, (tuple, list)) else [(encoded, derived)])
        rows = []
        for e, d in pairs:
            syms = set(getattr(e, "free_symbols", ())) | set(getattr(d, "free_symbols", ()))
            pts = [{s: v for s, v in p.items() if s in syms} for p in spots]
            rows += identity(self.claim, e, d, spot_points=pts, expect=self.expect, source=self.source,
                             note=self.note_text() or ("printed vs re-derived" if self.printed else "encoded vs re-derived"))
        return rows


@dataclass(frozen=True)
class Pointwise(Case):
    """The claim at ``point`` (entry ``index`` of a tuple claim) against ``numeric(**point)``, with
    the tolerance ``tol(point)`` (a verify.tolerance.Tol)."""

    numeric: Callable[..., Any] = None
    tol: Callable[[Mapping], Tol] = None
    prec: int = 50
    index: int | None = None
    seed: int | None = None
    evidence: str = "high-precision"

    def run(self, audit_seed: int):
        claim = CLAIMS[self.claim]
        value = claim.evaluate(prec=self.prec, printed=self.printed, **self.point)
        if self.index is not None:
            value = value[self.index]
        tol = self.tol(self.point)
        return agree(self.claim, self.params(), theory=value, numeric=self.numeric(**self.point),
                     seed=self.seed, expect=self.expect, note=self.note_text(), source=self.source,
                     evidence=self.evidence, role=self.role, **tol.kwargs())


@dataclass(frozen=True)
class MonteCarlo(Case):
    """The claim against ``estimator(point, rng) -> (mean, se)`` with z·SE plus ``allowance(point)
    -> (value, why)``; the generator comes from the audit seed, ``offset`` and the point."""

    estimator: Callable[[Mapping, np.random.Generator], tuple] = None
    z: float = Z_ROW
    allowance: Callable[[Mapping], tuple] | None = None
    offset: int = 0
    prec: int = 30

    def run(self, audit_seed: int):
        from ..tolerance import monte_carlo
        seed = audit_seed + self.offset
        rng = np.random.default_rng([seed, *self.id.encode()])
        mean, se = self.estimator(self.point, rng)
        theory = CLAIMS[self.claim].evaluate(prec=self.prec, printed=self.printed, **self.point)
        allow, why = self.allowance(self.point) if self.allowance else (0.0, "")
        tol = monte_carlo(se, self.z, allowance=allow, allowance_why=why)
        return agree(self.claim, self.params(), theory=theory, numeric=mean, seed=seed,
                     expect=self.expect, note=self.note_text(), source=self.source, evidence="Monte-Carlo",
                     role=self.role, **tol.kwargs())


@dataclass(frozen=True)
class Rate(Case):
    """A fitted exponent ``fit(point, rng) -> SlopeFit`` against ``predicted`` (a number, or the
    claim evaluated at the point when None), within the t-interval plus ``allowance``."""

    fit: Callable[[Mapping, np.random.Generator], Any] = None
    predicted: float | None = None
    level: float = 0.975
    allowance: float = 0.0
    allowance_why: str = ""
    offset: int = 0

    def run(self, audit_seed: int):
        from ..tolerance import fitted
        seed = audit_seed + self.offset
        f = self.fit(self.point, np.random.default_rng([seed, *self.id.encode()]))
        theory = (self.predicted if self.predicted is not None
                  else CLAIMS[self.claim].evaluate(prec=20, printed=self.printed, **self.point))
        tol = fitted(f, level=self.level, allowance=self.allowance, allowance_why=self.allowance_why)
        return agree(self.claim, self.params(), theory=theory, numeric=f.slope, seed=seed,
                     expect=self.expect, note=self.note_text(), source=self.source, evidence="fitted rate",
                     role=self.role, extra={"se": f.se, "dof": f.dof}, **tol.kwargs())


@dataclass(frozen=True)
class Bound(Case):
    """``measure(point) -> (value, limit)`` with value <= limit (``sense``) up to ``atol``."""

    measure: Callable[[Mapping], tuple] = None
    sense: str = "<="
    atol: float = 0.0
    why_tol: str = ""
    evidence: str = "consistency only"

    def run(self, audit_seed: int):
        value, limit = self.measure(self.point)
        return bound(self.claim, self.params(), value=value, limit=limit, sense=self.sense,
                     atol=self.atol, why_tol=self.why_tol, expect=self.expect, note=self.note_text(),
                     source=self.source, evidence=self.evidence, role=self.role)


# -- the tables -----------------------------------------------------------------------------------
TOPICS = ("linear_dynamics", "ridge", "single_index", "spiked_learning", "random_features", "parity",
          "gradient_rank")


def all_cases() -> list[Case]:
    import importlib
    out = []
    for topic in TOPICS:
        out += importlib.import_module(f"{__name__}.{topic}").CASES
    ids = [c.id for c in out]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ValueError(f"case ids must be unique; repeated: {sorted(dup)[:5]}")
    for c in out:
        c._check()
    return out


def cases_of(kind: type) -> list:
    """pytest params of every case of one kind, with ids and the paper_scale mark."""
    return [pytest.param(c, id=c.id, marks=[pytest.mark.paper_scale] if c.paper_scale else [])
            for c in all_cases() if type(c) is kind]


def reproduce_command(case: Case) -> str:
    return f'python -m verify.cases "{case.id}"'


def run(case: Case, audit_seed: int):
    """Run one case; on failure the assertion carries the row and the reproducing command."""
    try:
        return case.run(audit_seed)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nreproduce: {reproduce_command(case)} --audit-seed {audit_seed}") from None
