"""One comparison, one record.

Every agreement check ends in :func:`agree` (theory value against an independent numeric value) or
:func:`bound` (a measured quantity against an inequality the theory states). Each call decides the
verdict, appends one :class:`Row` to :data:`ROWS` (collected by :mod:`verify.plugin` into the
tolerance report) and raises ``AssertionError`` showing the whole row when the check fails.

Tolerance of an equality: ``atol + rtol·|theory| + z·stderr + allowance``; every part is stated in
``why_tol``. A check may also assert a known *disagreement* (``expect="disagree"``), e.g. a printed
formula that the simulations refute: it passes when the error exceeds the tolerance, and the row
keeps the size of the miss.

Three further rules make a row mean what it says:

- **Evidence.** Each row names the kind of evidence it is (:data:`EVIDENCE`, strongest first);
  the report gives each claim the strongest kind among its rows. Rows that do not say are
  classified from their tolerance (``stderr`` given: Monte-Carlo; a bound: consistency only).
- **Reference rows.** ``role="reference"`` files a comparison of one numeric path against
  another (reduced vs full gradient descent, two integrators): it is recorded and asserted, but
  counts toward no claim's verdict.
- **No wide tolerances.** A claim row that expects agreement may not have a tolerance above
  ``MAX_REL_TOL``·|theory| (theory ≠ 0): such a comparison could not fail, so :func:`agree`
  records it as :func:`measure` does (verdict ``measured``: shown with the prediction, not
  asserted, never a pass).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

import mpmath

ROWS: list["Row"] = []
_current_test: str | None = None

VERDICTS = ("pass", "confirmed-miss", "measured", "FAIL")
EVIDENCE = ("symbolic", "high-precision", "trained network", "Monte-Carlo", "fitted rate",
            "consistency only", "measured only")
ROLES = ("claim", "reference")
MAX_REL_TOL = 0.3


@dataclass
class Row:
    claim: str
    source: str
    kind: str  # "equality" | "bound"
    params: dict[str, Any]
    theory: float
    numeric: float
    abs_err: float
    rel_err: float | None
    tolerance: float
    rtol: float
    atol: float
    stderr: float | None
    z: float | None
    allowance: float
    why_tol: str
    expect: str  # "agree" | "disagree"
    verdict: str
    margin: float  # > 0 passes: 1 − err/tol for agreements, err/tol − 1 for confirmed misses
    seed: int | None
    test: str | None
    theory_repr: str = ""
    numeric_repr: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    evidence: str = ""
    role: str = "claim"

    def to_json(self) -> dict[str, Any]:
        return {key: _jsonable(val) for key, val in asdict(self).items()}

    def describe(self) -> str:
        width = max(len(k) for k in asdict(self))
        lines = [f"{self.verdict}: {self.claim} ({self.source})"]
        for key, val in asdict(self).items():
            if key in ("verdict", "claim", "source", "extra") or val in ("", None, {}):
                continue
            lines.append(f"  {key:<{width}} = {val}")
        return "\n".join(lines)


def _jsonable(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (mpmath.mpf, )):
        return float(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    return value


def _source(claim_id: str, source: str | None) -> str:
    if source is not None:
        return source
    from theory import CLAIMS  # verify may import both sides; the lookup is only for the citation

    claim = CLAIMS.get(claim_id)
    if claim is None:
        raise KeyError(f"no registered claim {claim_id!r}; pass source= for an unregistered check")
    return claim.source


def _plain_params(params: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for key, val in params.items():
        if isinstance(val, mpmath.mpf):
            val = float(val)
        elif hasattr(val, "item") and callable(val.item):
            val = val.item()
        out[key] = val
    return out


def _repr(x) -> str:
    if isinstance(x, mpmath.mpf):
        return mpmath.nstr(x, 25)
    return repr(x)


def _check_labels(evidence: str | None, role: str) -> None:
    if evidence is not None and evidence not in EVIDENCE:
        raise ValueError(f"evidence must be one of {EVIDENCE}, got {evidence!r}")
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")


def _reference_source(claim_id: str, source: str | None, role: str) -> str:
    if role == "reference" and source is None:
        return "reference (numeric path vs numeric path)"
    return _source(claim_id, source)


def agree(claim_id: str, params: Mapping[str, Any], *, theory, numeric, rtol: float = 0.0,
          atol: float = 0.0, stderr: float | None = None, z: float | None = None,
          allowance: float = 0.0, why_tol: str, seed: int | None = None, expect: str = "agree",
          source: str | None = None, note: str = "", extra: Mapping[str, Any] | None = None,
          evidence: str | None = None, role: str = "claim") -> Row:
    """Compare a theory value with an independent numeric value and record the comparison."""
    if expect not in ("agree", "disagree"):
        raise ValueError(f"expect must be 'agree' or 'disagree', got {expect!r}")
    _check_labels(evidence, role)
    if (stderr is None) != (z is None):
        raise ValueError("stderr and z go together: a Monte-Carlo tolerance needs both")
    if not why_tol.strip():
        raise ValueError("why_tol must say where the tolerance comes from")
    with mpmath.workdps(80):
        th, num = mpmath.mpf(theory), mpmath.mpf(numeric)
        abs_err = abs(th - num)
        rel_err = abs_err / abs(th) if th != 0 else None
    tolerance = atol + rtol * abs(float(th)) + (z * stderr if stderr is not None else 0.0) + allowance
    if (role == "claim" and expect == "agree" and th != 0 and math.isfinite(float(th))
            and tolerance > MAX_REL_TOL * abs(float(th))):
        # a comparison this loose could not fail: shown with the prediction, never a pass
        return measure(claim_id, params, theory=theory, numeric=numeric, stderr=stderr, seed=seed,
                       source=source, extra=extra,
                       why=f"no verdict: the available tolerance {tolerance:.3g} exceeds "
                           f"{MAX_REL_TOL}·|theory| ({why_tol})", note=note)
    if evidence is None:
        evidence = "Monte-Carlo" if stderr is not None else (
            "high-precision" if tolerance <= 1e-8 * max(abs(float(th)), 1e-300) or tolerance == 0
            else "consistency only")
    abs_err_f = float(abs_err)
    if not math.isfinite(float(th)) or not math.isfinite(float(num)):
        ratio = math.inf
    elif tolerance > 0:
        ratio = abs_err_f / tolerance
    else:
        ratio = 0.0 if abs_err == 0 else math.inf
    within = ratio <= 1
    finite = math.isfinite(float(th)) and math.isfinite(float(num))
    if expect == "agree":
        verdict, margin = ("pass" if within else "FAIL"), 1 - ratio
    else:
        # a NaN or an overflow is a broken computation, never the confirmed miss a control expects
        verdict, margin = ("confirmed-miss" if (finite and not within) else "FAIL"), ratio - 1
    row = Row(
        claim=claim_id, source=_reference_source(claim_id, source, role), kind="equality",
        params=_plain_params(params), theory=float(th), numeric=float(num), abs_err=abs_err_f,
        rel_err=None if rel_err is None else float(rel_err), tolerance=tolerance, rtol=rtol,
        atol=atol, stderr=stderr, z=z, allowance=allowance, why_tol=why_tol, expect=expect,
        verdict=verdict, margin=margin, seed=seed, test=_current_test,
        theory_repr=_repr(theory), numeric_repr=_repr(numeric), note=note, extra=dict(extra or {}),
        evidence=evidence, role=role,
    )
    return _record(row)


def measure(claim_id: str, params: Mapping[str, Any], *, theory, numeric, why: str,
            stderr: float | None = None, seed: int | None = None, source: str | None = None,
            note: str = "", extra: Mapping[str, Any] | None = None) -> Row:
    """Record a measured number beside the paper's prediction without asserting anything.

    For comparisons no tolerance can be derived for (an asymptotic statement at sizes that do
    not resolve it, a constant the paper leaves unstated). ``why`` says why there is no
    verdict; the row's verdict is ``measured`` and its evidence ``measured only``."""
    if not why.strip():
        raise ValueError("why must say why the number is recorded without a verdict")
    th, num = float(theory), float(numeric)
    abs_err = abs(th - num) if math.isfinite(th) and math.isfinite(num) else math.inf
    row = Row(
        claim=claim_id, source=_source(claim_id, source), kind="measured",
        params=_plain_params(params), theory=th, numeric=num, abs_err=abs_err,
        rel_err=abs_err / abs(th) if th != 0 and math.isfinite(th) else None, tolerance=math.nan,
        rtol=0.0, atol=0.0, stderr=stderr, z=None, allowance=0.0, why_tol=why, expect="measure",
        verdict="measured", margin=math.nan, seed=seed, test=_current_test,
        theory_repr=_repr(theory), numeric_repr=_repr(numeric), note=note,
        extra=dict(extra or {}), evidence="measured only", role="claim",
    )
    return _record(row)


def bound(claim_id: str, params: Mapping[str, Any], *, value, limit, sense: str = "<=",
          atol: float = 0.0, why_tol: str, seed: int | None = None, source: str | None = None,
          note: str = "", expect: str = "agree", extra: Mapping[str, Any] | None = None,
          evidence: str | None = None, role: str = "claim") -> Row:
    """Check ``value <= limit`` (or ``>=``) up to ``atol``; the margin is the slack relative to
    |limit| (a bound met within ``atol`` has margin 0, never a negative one). ``theory`` holds
    the limit, ``numeric`` the measured value. ``expect="disagree"`` asserts a known violation."""
    if sense not in ("<=", ">="):
        raise ValueError(f"sense must be '<=' or '>=', got {sense!r}")
    _check_labels(evidence, role)
    value_f, limit_f = float(value), float(limit)
    slack = (limit_f - value_f) if sense == "<=" else (value_f - limit_f)
    holds = slack >= -atol
    if not (math.isfinite(value_f) and math.isfinite(limit_f)):
        holds = expect != "agree"   # non-finite: FAIL whichever outcome was expected
    scale = abs(limit_f) if limit_f != 0 else 1.0
    if expect == "agree":
        verdict = "pass" if holds else "FAIL"
        margin = max(slack, 0.0) / scale if holds else slack / scale
    else:
        verdict = "confirmed-miss" if not holds else "FAIL"
        margin = -slack / scale
    row = Row(
        claim=claim_id, source=_reference_source(claim_id, source, role), kind="bound",
        params=_plain_params(params),
        theory=limit_f, numeric=value_f, abs_err=max(0.0, -slack), rel_err=max(0.0, -slack) / scale,
        tolerance=atol, rtol=0.0, atol=atol, stderr=None, z=None, allowance=0.0, why_tol=why_tol,
        expect=expect, verdict=verdict, margin=margin, seed=seed, test=_current_test,
        theory_repr=_repr(limit), numeric_repr=_repr(value), note=note or f"numeric {sense} theory",
        extra=dict(extra or {}), evidence=evidence or "consistency only", role=role,
    )
    return _record(row)


def _record(row: Row) -> Row:
    ROWS.append(row)
    if row.verdict == "FAIL":
        raise AssertionError("comparison failed\n" + row.describe())
    return row
