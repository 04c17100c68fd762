"""The claim registry: API, evaluation precision and domain errors."""

import math
import re
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

import theory
from theory import CLAIMS
from theory.symbols import SYMBOLS


def test_public_api_of_a_claim():
    claim = CLAIMS["linear_dynamics.lambda2"]
    assert claim.id == "linear_dynamics.lambda2"
    assert claim.params == ("sigma2", "rho", "A")
    assert claim.source == "000 Eq. (32)"
    assert claim.statement and claim.as_printed is None
    assert isinstance(claim.latex(), str) and r"\rho" in claim.latex()
    from theory.linear_dynamics import lambda2
    assert lambda2 is claim.expr


def test_evaluate_returns_mpmath_numbers_at_the_requested_precision():
    # at A = 0 the closed form is exactly σ²(1 + ρ)
    value = CLAIMS["linear_dynamics.lambda2"].evaluate(sigma2="0.3", rho=7, A=0)
    assert isinstance(value, mpmath.mpf)
    with mpmath.workdps(60):
        assert abs(value - mpmath.mpf("2.4")) < mpmath.mpf(10) ** -49
    v60 = CLAIMS["linear_dynamics.nu"].evaluate(prec=60, sigma2=1, rho=20, A=Fraction(3, 10))
    exact = sp.Rational(1) * 20 * 21 * sp.Rational(3, 10) * sp.sqrt(1 - sp.Rational(9, 100)) / (
        1 + (21**2 - 1) * sp.Rational(9, 100))
    with mpmath.workdps(70):
        assert abs(v60 - mpmath.mpf(sp.N(exact, 70)._mpf_)) < mpmath.mpf(10) ** -58


def test_tuple_claims_evaluate_to_tuples():
    trace, det = CLAIMS["linear_dynamics.covariance_block"].evaluate(sigma2=2, rho=3, A="0.5")
    assert trace == 10 and det == 16


@pytest.mark.parametrize("params, name", [
    (dict(sigma2=1, rho=1, A=1.5), "A"),
    (dict(sigma2=1, rho=1, A=-0.1), "A"),
    (dict(sigma2=0, rho=1, A=0.5), "sigma2"),
    (dict(sigma2=-1, rho=1, A=0.5), "sigma2"),
    (dict(sigma2=1, rho=-1e-9, A=0.5), "rho"),
    (dict(sigma2=1, rho=float("nan"), A=0.5), "rho"),
    (dict(sigma2=float("inf"), rho=1, A=0.5), "sigma2"),
    (dict(sigma2=1, rho=True, A=0.5), "rho"),
    (dict(sigma2=1, rho="lots", A=0.5), "rho"),
    (dict(sigma2=1, rho=1), "A"),
    (dict(sigma2=1, rho=1, A=0.5, gamma=2), "gamma"),
])
def test_out_of_domain_or_misnamed_parameters_raise_naming_the_parameter(params, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        CLAIMS["linear_dynamics.lambda2"].evaluate(**params)


def test_printed_form_is_refused_when_there_is_none():
    with pytest.raises(ValueError, match="no printed form"):
        CLAIMS["linear_dynamics.nu"].evaluate(printed=True, sigma2=1, rho=1, A=0.5)


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_every_claim_is_well_formed(claim_id):
    claim = CLAIMS[claim_id]
    assert re.fullmatch(r"[a-z_]+\.[A-Za-z0-9_]+", claim.id)
    assert re.match(r"^00\d\b", claim.source), "source must cite a seed file and equation"
    assert claim.statement.strip()
    exprs = claim.expr if isinstance(claim.expr, tuple) else (claim.expr,)
    free = set().union(*(sp.sympify(e).free_symbols for e in exprs))
    # state variables (w1, w2, matrices) may stay free; a shared parameter may not go unlisted
    unlisted = (free & set(SYMBOLS.values())) - {SYMBOLS[p] for p in claim.params}
    assert not unlisted, f"{claim.id} depends on parameters {unlisted} it does not list"
    for dep in claim.derived_from:
        assert dep in CLAIMS, f"{claim.id} derives from unknown claim {dep}"


def test_ids_are_unique():
    with pytest.raises(ValueError, match="twice"):
        theory.register(CLAIMS["linear_dynamics.nu"])


def test_float_arguments_take_the_fast_path_and_keep_the_precision():
    """A double such as 0.9 becomes a 2^-52 fraction; it is substituted as a 80-digit Float, which
    holds it exactly, so the result equals the one for the exact fraction to the full precision."""
    claim = CLAIMS["linear_dynamics.nu"]
    from_float = claim.evaluate(sigma2=1.0, rho=20.0, A=0.9)
    from theory.symbols import A, rho, sigma2
    exact = sp.N(claim.expr.subs({sigma2: 1, rho: 20, A: sp.Rational(0.9)}), 60)
    with mpmath.workdps(60):
        assert abs(from_float - mpmath.mpf(exact._mpf_)) < mpmath.mpf(10) ** -48


def test_definite_integrals_are_evaluated_by_quadrature():
    """A claim holding a definite Integral evaluates through mpmath.quad (theory.claims
    _integrals_by_quadrature) to its working precision, betainc_regularized included."""
    import mpmath
    import sympy as sp

    from theory.claims import _to_mpmath

    t, a = sp.Symbol("t", positive=True), sp.Symbol("a", positive=True)
    val = _to_mpmath("x.poly", sp.Integral(t**2 * a, (t, 0, 1)), {a: 3}, 30)
    assert abs(val - 1) < mpmath.mpf(10) ** -28
    beta = sp.Integral(sp.betainc_regularized(sp.Rational(1, 2), a, 0, t), (t, 0, 1))
    # ∫_0^1 I_t(1/2, 1) dt = ∫_0^1 √t dt = 2/3
    val = _to_mpmath("x.beta", beta, {a: 1}, 30)
    with mpmath.workdps(30):
        assert abs(val - mpmath.mpf(2) / 3) < mpmath.mpf(10) ** -25
