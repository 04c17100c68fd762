"""Bad input never passes: a property test over every registered claim and every parameter.

Any non-finite or non-real value, of any numeric type, and any value outside the parameter's
domain raises a ``ValueError`` that names the parameter. Any value inside every domain gives a
finite real number, or one of the documented ``ValueError``s of :data:`NOT_A_NUMBER` and
:data:`SINGULAR_INSIDE`.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from theory import CLAIMS

CLAIM_PARAMS = [(cid, p) for cid in sorted(CLAIMS) for p in CLAIMS[cid].params]

NON_FINITE = [float("nan"), float("inf"), -float("inf"), np.float64("nan"), np.float32("inf"),
              mpmath.mpf("nan"), mpmath.mpf("inf"), -mpmath.inf, sp.nan, sp.oo, -sp.oo, sp.zoo,
              Decimal("nan"), Decimal("inf"), Decimal("-inf"), "nan", "inf", "-inf", "Infinity"]
NON_REAL = [1j, complex(1, 0), np.complex128(0.5), mpmath.mpc(0.5, 1), sp.I, 1 + sp.I, "1+2j",
            "0.5i", None, True, [0.5], object()]

#: claims that are relations or right-hand sides in state variables: evaluate() says so
NOT_A_NUMBER = "keeps the free variables"
#: claims with in-domain points where they are not a finite number, and why; evaluate() raises a
#: ValueError saying "not a finite real number" there rather than returning one
SINGULAR_INSIDE: dict[str, str] = {
    "linear_dynamics.early_loss_midpoint":
        "needs u0² < (1 − 1/√2)‖Σxy‖/λ1, a joint condition of (σ², ρ, A, u0) that per-parameter "
        "intervals cannot state: beyond it the start is past the midpoint and the log's argument "
        "is ≤ 0",
    "gradient_rank.crossover_nu_relu":
        "ν* = log(…)/(2 log n) is 0/0-singular at n = 1: one sample has no n-scaling",
}


def interior(dom):
    """A point strictly inside a domain (an integer for integer domains)."""
    lo, hi = dom.lo, dom.hi
    if math.isinf(lo) and math.isinf(hi):
        x = 0.5
    elif math.isinf(hi):
        x = lo + 2
    elif math.isinf(lo):
        x = hi - 2
    else:
        x = (lo + hi) / 2
    return int(math.ceil(x)) if dom.integer else x


def base_point(claim):
    return {p: interior(claim.domain(p)) for p in claim.params}


def names(param):
    return rf"\b{re.escape(param)}\b"


@pytest.mark.parametrize("claim_id, param", CLAIM_PARAMS)
def test_non_finite_and_non_real_values_raise_naming_the_parameter(claim_id, param):
    claim = CLAIMS[claim_id]
    point = base_point(claim)
    for bad in NON_FINITE + NON_REAL:
        with pytest.raises(ValueError, match=names(param)):
            claim.check_params({**point, param: bad})


def test_the_mpmath_nan_example_of_the_issue_names_A():
    for bad in (mpmath.mpf("nan"), mpmath.mpf("inf")):
        with pytest.raises(ValueError, match=r"\bA\b.*finite"):
            CLAIMS["linear_dynamics.lambda2"].evaluate(sigma2=1, rho=2, A=bad)


def test_every_exact_type_is_accepted_at_one_value():
    claim = CLAIMS["linear_dynamics.lambda2"]
    values = [0.5, np.float64(0.5), np.float32(0.5), mpmath.mpf("0.5"), sp.Rational(1, 2),
              sp.Float(0.5), Fraction(1, 2), Decimal("0.5"), "0.5", "1/2", " 0.5 "]
    results = {claim.evaluate(sigma2=1, rho=2, A=v) for v in values}
    assert results == {mpmath.mpf("1.5")}


@st.composite
def outside(draw, dom):
    choices = []
    if math.isfinite(dom.lo):
        choices.append(st.floats(dom.lo - 1e6, dom.lo, exclude_max=not dom.lo_open))
    if math.isfinite(dom.hi):
        choices.append(st.floats(dom.hi, dom.hi + 1e6, exclude_min=not dom.hi_open))
    if dom.integer:
        lo = dom.lo if math.isfinite(dom.lo) else -1e3
        choices.append(st.floats(lo, lo + 1e3).filter(lambda x: x != int(x)))
    if not choices:
        return None
    return draw(st.one_of(choices))


@st.composite
def inside(draw, dom):
    lo = dom.lo if math.isfinite(dom.lo) else -1e3
    hi = dom.hi if math.isfinite(dom.hi) else lo + 1e3
    if dom.integer:
        return draw(st.integers(int(math.ceil(lo + (1 if dom.lo_open else 0))),
                                int(math.floor(hi - (1 if dom.hi_open else 0)))))
    return draw(st.floats(lo, hi, exclude_min=dom.lo_open, exclude_max=dom.hi_open,
                          allow_subnormal=False))


SETTINGS = settings(max_examples=8, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.mark.parametrize("claim_id, param", CLAIM_PARAMS)
@SETTINGS
@given(data=st.data())
def test_values_outside_the_domain_raise_naming_the_parameter(claim_id, param, data):
    claim = CLAIMS[claim_id]
    value = data.draw(outside(claim.domain(param)))
    if value is None:  # the whole real line is admissible
        return
    with pytest.raises(ValueError, match=names(param) + r".*outside its domain"):
        claim.check_params({**base_point(claim), param: value})


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_values_inside_every_domain_give_a_finite_real_or_a_documented_error(claim_id, data):
    claim = CLAIMS[claim_id]
    point = {p: data.draw(inside(claim.domain(p)), label=p) for p in claim.params}
    try:
        value = claim.evaluate(prec=20, **point)
    except ValueError as err:
        message = str(err)
        assert NOT_A_NUMBER in message or claim_id in SINGULAR_INSIDE, message
        return
    for v in value if isinstance(value, tuple) else (value,):
        if isinstance(v, bool):
            continue
        assert isinstance(v, mpmath.mpf) and mpmath.isfinite(v), (claim_id, point, v)
