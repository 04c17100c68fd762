"""Rule 2, automated for the dynamics claims: each check goes red when the formula it guards is
broken. Each mutant replaces one attribute of theory.linear_dynamics (a sign, a constant, a power)
and runs the verify check that guards it; the check must raise. Rows of these runs are discarded.
(Slow mutants — the conservation law and checkodesol, whose SymPy simplification of a non-zero
residual takes 20-100 s — were run by hand; see the branch report.)"""

import dataclasses

import pytest
import sympy as sp

from theory import CLAIMS
from theory import linear_dynamics as ld
from theory.symbols import A, delta, rho, s, tau
from verify import agreement
from verify import linear_dynamics_common as common
from verify import test_linear_dynamics_appendix_c as _appendix_c
from verify import test_linear_dynamics_derivations as _derivations
from verify import test_linear_dynamics_eq20 as _eq20
from verify import test_linear_dynamics_network as _network_checks
from verify import test_linear_dynamics_precision as _precision

#: every check of the paper 000 §3 files, by name
checks = type("Checks", (), {k: staticmethod(v) if callable(v) else v
                             for m in (_derivations, _precision, _network_checks, _eq20, _appendix_c)
                             for k, v in vars(m).items() if k.startswith("test_") or k.isupper()})

G, L1, L2, NU = ld.sigma_xy_norm, ld.lambda1, ld.lambda2, ld.nu
R2 = ld.w1**2 + ld.w2**2


def _bound_half_tau(c, L):
    e = 1 - sp.exp(-delta)
    return tau / (2 * L) * (c * sp.atan(c * e) + sp.log(1 + (c * e) ** 2) / 2 + delta)


def _bound_atan_e(c, L):
    e = 1 - sp.exp(-delta)
    return tau / L * (c * sp.atan(e) + sp.log(1 + (c * e) ** 2) / 2 + delta)


def _anti_plus_log(c, L):
    return (1 / (L * ld.w1s**2 * (1 + c**2))
            * (c * sp.atan(ld.x / ld.w1s) + sp.log(ld.x**2 + ld.w1s**2) / 2 + sp.log(c * ld.w1s - ld.x)))


_DECOMPOSED_PLUS_NU = ld.decomposed_rhs_of(
    sp.MatrixSymbol("a", ld._mm, 1), sp.MatrixSymbol("w_1", ld._mm, 1), sp.MatrixSymbol("w_2", ld._mm, 1),
    sp.MatrixSymbol("R", ld._mm, ld._dd), G=G, l1=L1, l2=L2, nu_=-NU, s2=ld.sigma2)
_a, _W = sp.MatrixSymbol("a", ld._mm, 1), sp.MatrixSymbol("W", ld._mm, ld._dd + 2)
_g = sp.MatrixSymbol("g", ld._dd + 2, 1)


def _deviation_flipped(*args, printed=False, **kw):
    return ld.__dict__["_orig_deviation"](*args, printed=not printed, **kw)


_REM = sp.Rational(1, 2) * ld.sigma2 * ld.restq_abs
_C_DEV = G - (L1 * ld.p1 - NU * ld.p2)
_K_DEV = -NU * ld.p1 + L2 * ld.p2

def _gronwall_case(audit_seed):
    """the Derivation case of verify/cases/linear_dynamics.py guarding Eq. (50)'s order"""
    from verify.cases import Derivation, all_cases, run
    (case,) = [c for c in all_cases() if type(c) is Derivation
               and c.claim == "linear_dynamics.alignment_gronwall_order" and not c.printed]
    run(case, audit_seed)


MUTANTS = [
    ("Eq. 48 claim: factor 2 dropped (attained state)", {}, {
        "linear_dynamics.alignment_energy_inequality": ld.alignment_rate / 2 * ld.E_dev + _REM},
     checks.test_factor_two_of_the_energy_inequality_is_attained),
    ("Eq. 48 claim: ν -> ν/√(1 − A²) in |k| (attained state)", {}, {
        "linear_dynamics.alignment_energy_inequality": 2 * (sp.Abs(_C_DEV) + sp.Abs(_K_DEV.subs(
            NU, NU / sp.sqrt(1 - A**2))) + ld.sigma2 * ld.rest_abs / 2) * ld.E_dev + _REM},
     checks.test_factor_two_of_the_energy_inequality_is_attained),
    ("Eq. 48 claim: factor 2 dropped (along the flow)", {}, {
        "linear_dynamics.alignment_energy_inequality": ld.alignment_rate / 2 * ld.E_dev + _REM},
     lambda: checks.test_energy_inequality_along_the_network_flow(0)),
    ("Eq. 48 claim: factor 2 dropped (Grönwall exponent)", {}, {
        "linear_dynamics.alignment_energy_inequality": ld.alignment_rate / 2 * ld.E_dev + _REM},
     lambda: checks.test_gronwall_factor_and_the_deviations_against_the_proofs_order(0)),
    ("Eq. 49 claim: |·| on c dropped", {}, {
        "linear_dynamics.alignment_energy_inequality":
            2 * (_C_DEV + sp.Abs(_K_DEV) + ld.sigma2 * ld.rest_abs / 2) * ld.E_dev + _REM},
     lambda: checks.test_energy_inequality_along_the_network_flow(0)),
    ("Eq. 50: wrong exponent (−1, 1/2) as the derived order", {}, {
        "linear_dynamics.alignment_gronwall_order": (sp.Integer(-1), sp.Rational(1, 2))},
     lambda: checks.test_gronwall_factor_and_the_deviations_against_the_proofs_order(0)),
    ("Eq. 50: wrong exponent vs its derivation", {}, {
        "linear_dynamics.alignment_gronwall_order": (sp.Integer(-1), sp.Rational(1, 2))},
     lambda: _gronwall_case(0)),
    ("Eq. 45: derived sign of the i ≥ 3 term flipped", {"deviation_rhs_of": _deviation_flipped}, {},
     checks.test_deviation_dynamics_are_the_projected_decomposed_dynamics),
    # (label, {attribute: replacement}, {claim id: replacement expr}, check to run)
    ("Eq. 18: +νw2r² -> −νw2r²", {}, {"linear_dynamics.reduced_rhs": (
        G * sp.sqrt(R2) - L1 * ld.w1 * R2 - NU * ld.w2 * R2, ld.reduced_rhs[1])},
     checks.test_reduced_rhs_from_decomposed_under_alignment),
    ("Eq. 18: G√r² -> G r²", {}, {"linear_dynamics.reduced_rhs": (
        G * R2 - L1 * ld.w1 * R2 + NU * ld.w2 * R2, ld.reduced_rhs[1])},
     checks.test_reduced_rhs_from_decomposed_under_alignment),
    ("Eq. 19: λ2 -> λ1", {}, {"linear_dynamics.reduced_rhs": (
        ld.reduced_rhs[0], NU * ld.w1 * R2 - L1 * ld.w2 * R2)},
     checks.test_reduced_rhs_from_decomposed_under_alignment),
    ("Eq. 41: w1* without the square root", {"w1_star": 1 / (1 + ld.nu_over_lambda2**2)}, {},
     checks.test_fixed_point_eq41),
    ("ν/λ2: 1 + ρA² -> 1 + ρA", {"nu_over_lambda2": rho * A * sp.sqrt(1 - A**2) / (1 + rho * A)}, {},
     checks.test_nu_over_lambda2_in_lowest_terms),
    ("Eq. 20: τ/λ2 -> τ/(2λ2)", {"later_phase_bound_in": _bound_half_tau}, {},
     checks.test_eq40_antiderivative_and_eq20),
    ("Eq. 20: arctan(cε) -> arctan(ε)", {"later_phase_bound_in": _bound_atan_e}, {},
     checks.test_eq40_antiderivative_and_eq20),
    ("Eq. 40: −log -> +log", {"later_phase_antiderivative_in": _anti_plus_log}, {},
     checks.test_eq40_antiderivative_and_eq20),
    ("Eq. 9 claim: −ν -> +ν", {}, {"linear_dynamics.decomposed_rhs": _DECOMPOSED_PLUS_NU},
     checks.test_decomposed_dynamics_rederived_from_gradient_flow),
    ("Eq. 9 claim: −ν -> +ν (network gradient)", {}, {"linear_dynamics.decomposed_rhs": _DECOMPOSED_PLUS_NU},
     lambda: checks.test_decomposed_rhs_matches_the_loss_gradient(0)),
    ("Eq. 45 claim: derived sign of the i ≥ 3 term flipped (network gradient)", {}, {
        "linear_dynamics.deviation_rhs": CLAIMS["linear_dynamics.deviation_rhs"].as_printed},
     lambda: checks.test_deviation_dynamics_against_the_loss_gradient(0)),
    ("conservation law claim: g dropped from τ d(WWᵀ)/dt", {}, {"linear_dynamics.conservation_law": (
        CLAIMS["linear_dynamics.conservation_law"].expr[0], _W * _a.T + _a * _g.T * _W.T)},
     checks.test_conservation_law_holds_identically),
    ("Eq. 35: sign of the decaying mode in a(t)",
     {}, {"linear_dynamics.early_linear_solution": (
        ld.early_linear_solution[0], ld.r10 * sp.exp(G * ld.t / tau) + ld.q10 * sp.exp(-G * ld.t / tau))},
     checks.test_eq35_solves_eq34),
    ("early timescale: s² -> s", {}, {"linear_dynamics.early_timescale": tau / (2 * G) * sp.log(G / (L1 * s))},
     checks.test_early_timescale_is_where_the_initial_term_of_eq37_reaches_one),
    ("Eq. 20 on the grid: τ/λ2 -> τ/(2λ2)", {}, {
        "linear_dynamics.later_phase_bound": _bound_half_tau(ld.nu_over_lambda2, L2)},
     lambda: checks.test_later_phase_bound_on_the_grid("1", "0.9")),
    ("Eq. 37 vs network: −1 -> +1 in the denominator", {}, {
        "linear_dynamics.bernoulli_u": sp.sqrt(G / L1 / (1 + ((G / L1) / ld.u0**2 + 1)
                                                         * sp.exp(-2 * G * ld.t / tau)))},
     lambda: checks.test_bernoulli_solution_matches_high_precision_ode(checks.MP_POINTS[0])),
]


@pytest.mark.parametrize("label, attrs, claims, check", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_broken_formula_turns_its_check_red(label, attrs, claims, check, monkeypatch):
    monkeypatch.setattr(agreement, "ROWS", [])
    monkeypatch.setitem(ld.__dict__, "_orig_deviation", ld.deviation_rhs_of)
    for name, value in attrs.items():
        monkeypatch.setattr(ld, name, value)
    for cid, expr in claims.items():
        monkeypatch.setitem(CLAIMS, cid, dataclasses.replace(CLAIMS[cid], expr=expr))
    with pytest.raises(AssertionError):
        check()


@pytest.mark.parametrize("check", [checks.test_reduced_rhs_from_decomposed_under_alignment,
                                   checks.test_eq40_antiderivative_and_eq20,
                                   lambda: checks.test_later_phase_bound_on_the_grid("1", "0.9"),
                                   checks.test_factor_two_of_the_energy_inequality_is_attained,
                                   lambda: checks.test_energy_inequality_along_the_network_flow(0),
                                   lambda: checks.test_gronwall_factor_and_the_deviations_against_the_proofs_order(0),
                                   lambda: _gronwall_case(0)])
def test_unbroken_formulas_pass_the_same_harness(check, monkeypatch):
    """Control: the harness itself does not make a check fail."""
    monkeypatch.setattr(agreement, "ROWS", [])
    check()
