"""Machinery of ``python -m verify.mutate`` (issue 13, item 2): the mutant generator, the
equivalence filter, installation through SPIKED_AUDIT_MUTANT, and the killed / survived / error
classification on a tiny audit."""

import json
import random

import sympy as sp

from theory.claims import Claim
from theory.symbols import SYMBOLS
from verify import mutate

sigma2, rho = SYMBOLS["sigma2"], SYMBOLS["rho"]


def _toy(expr):
    return Claim(id="toy.expr", expr=expr, params=("sigma2", "rho"), source="toy", statement="toy")


def test_generator_produces_every_kind_on_a_toy_expression():
    expr = 2 * sigma2**2 + rho / 3
    sites = mutate.mutation_sites(expr, ("sigma2", "rho"))
    kinds = {s[2] for s in sites}
    assert kinds == set(mutate.KINDS)
    built = {mutate.apply_site(expr, s) for s in sites}
    want = {
        3 * sigma2**2 + rho / 3,                 # const 2 -> 3
        -2 * sigma2**2 + rho / 3,                # sign of a term
        2 * sigma2**3 + rho / 3,                 # exponent + 1
        2 * sigma2 + rho / 3,                    # exponent - 1
        2 * rho**2 + rho / 3,                    # sigma2 -> rho
        2 * sigma2**2 + rho,                     # factor 1/3 dropped
        2 * sigma2**2 + sp.Rational(2, 3) * rho,  # Rational p/q -> (p+1)/q
    }
    assert want <= built, want - built
    assert expr not in built


def test_equivalent_mutants_are_dropped():
    # cos is even: the constant 2 -> -2 gives cos(-2 sigma2), which SymPy folds back to the original
    claim = _toy(sp.cos(2 * sigma2) + rho)
    gen = mutate.generate(claim, None, random.Random(0))
    assert gen["dropped"].get("equivalent", 0) >= 1
    assert all(m["expr"] != claim.expr for m in gen["mutants"])
    assert gen["mutants"], "the distinct mutants are kept"
    # an identity SymPy only proves by simplify
    x = sp.cos(sigma2)**2 + sp.sin(sigma2)**2
    assert mutate.classify_equivalence(_toy(x), x, sp.Integer(1) + 0 * rho, random.Random(1)) == "equivalent"
    assert mutate.classify_equivalence(_toy(x), x, sp.Integer(2), random.Random(1)) == "distinct"


def test_mutant_undefined_on_the_whole_domain_is_dropped():
    claim = _toy(sp.sqrt(sigma2 + rho))
    assert mutate.classify_equivalence(claim, claim.expr, sp.sqrt(-sigma2 - rho - 1),
                                       random.Random(0)) == "undefined"


def test_the_environment_value_round_trips_every_registered_expression():
    from theory import CLAIMS

    for cid, claim in CLAIMS.items():
        if mutate.is_expression(claim.expr):
            assert mutate.decode(mutate.encode(cid, claim.expr)) == (cid, claim.expr, ""), cid
    # the readable srepr alone is accepted too
    assert mutate.decode(json.dumps({"claim": "x", "srepr": sp.srepr(sigma2 + 1)}))[1] == sigma2 + 1


INSTALLED = """
from theory import CLAIMS

def test_installed():
    assert CLAIMS["ridge.signal_variance"].evaluate(sigma2=3, rho=2, A="1/2") == 42 * 3
"""


def test_mutant_from_the_environment_is_what_evaluate_returns(pytester, monkeypatch):
    mutant = 42 * SYMBOLS["sigma2"]
    monkeypatch.setenv(mutate.ENV_VAR, mutate.encode("ridge.signal_variance", mutant, "toy"))
    pytester.makepyfile(test_installed=INSTALLED)
    result = pytester.runpytest_subprocess("-p", "verify.plugin")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*mutant of ridge.signal_variance installed*"])


TINY_AUDIT = """
from theory import CLAIMS
from verify.agreement import agree

def test_signal_variance():
    v = CLAIMS["ridge.signal_variance"].evaluate(sigma2=1, rho=2, A="1/2")
    agree("ridge.signal_variance", {"sigma2": 1, "rho": 2, "A": 0.5}, theory=v, numeric=1.5,
          atol=1e-12, why_tol="exact arithmetic on both sides", evidence="symbolic")
"""


def test_killed_survived_and_error_are_told_apart(pytester):
    pytester.makepyfile(test_tiny=TINY_AUDIT)
    A = SYMBOLS["A"]
    tests = ["test_tiny.py::test_signal_variance"]
    run = lambda cid, expr: mutate.run_mutant(  # noqa: E731
        cid, {"kind": "toy", "label": "toy", "expr": expr}, tests, seed=None, timeout=120,
        cwd=pytester.path, extra_args=("-p", "verify.plugin"))
    killed = run("ridge.signal_variance", sigma2 * (A**3 * rho + 1))     # 1.25 != 1.5
    survived = run("ridge.signal_variance", sigma2**2 * (A**2 * rho + 1))  # equal at sigma2 = 1
    error = run("ridge.no_such_claim", sigma2)                            # cannot be installed
    assert killed["outcome"] == "killed" and killed["how"] == "a comparison row failed", killed
    assert survived["outcome"] == "survived", survived
    assert error["outcome"] == "error" and error["exit"] not in (0, 1), error


def test_summary_counts_kill_rate_per_module():
    runs = lambda *o: [{"outcome": x} for x in o]  # noqa: E731
    claims = {"a.x": {"runs": runs("killed", "survived")}, "a.y": {"runs": runs("killed", "error")},
              "b.z": {"runs": runs("killed")}}
    summary = mutate.summarize(claims)
    assert summary["per_module"]["a"] == {"mutants": 4, "killed": 2, "survived": 1, "errors": 1,
                                          "kill_rate": round(2 / 3, 4)}
    assert summary["overall"]["kill_rate"] == 0.75
    assert claims["a.x"]["survived"] == 1


def test_report_section_renders_kill_rates_and_blind_spots(tmp_path):
    from verify.report import mutation_section

    assert mutation_section(tmp_path) == []
    claims = {"a.x": {"sites": 3, "tests": ["t"], "runs": [
        {"kind": "const", "label": "2 -> 3", "expr": "3*x", "outcome": "killed"},
        {"kind": "pow", "label": "exponent 2 -> 3", "expr": "x**3", "outcome": "survived",
         "reason": "the check does not go through CLAIMS"}]},
        "a.y": {"skipped": "not a SymPy expression with structure to mutate"}}
    payload = {"meta": {"prefix": "a.", "per_claim": 2, "seed": 1, "audit_seed": None},
               "claims": claims, "summary": mutate.summarize(claims)}
    (tmp_path / "mutation.json").write_text(json.dumps(payload))
    text = "\n".join(mutation_section(tmp_path))
    assert "## How much the audit would notice" in text
    assert "| **overall** | 2 | 1 | 1 | 0 | 50.0% |" in text
    assert "`a.x` survived [pow] exponent 2 -> 3: `x**3` — the check does not go through CLAIMS" in text
    assert "Not mutated: `a.y`" in text


def test_seeds_are_derived_from_the_base_and_bad_counts_are_refused():
    import pytest

    from verify.seeds import derived_seeds

    seeds = derived_seeds(4, base=7)
    assert seeds[0] == 7 and len(set(seeds)) == 4 and seeds == derived_seeds(4, base=7)
    with pytest.raises(ValueError, match="number of seeds"):
        derived_seeds(0)


def test_survivor_reason_names_a_module_level_expression_the_check_reads():
    reason = mutate.survivor_reason("ridge.kappa_equation", ["verify/test_ridge_symbolic.py::test_x"])
    assert "theory.ridge.kappa_equation (read in verify/test_ridge_symbolic.py)" in reason
    assert "theory.ridge.kappa_equation_spiked" not in reason
    assert mutate.survivor_reason("ridge.kappa_equation", []) == "no check cites this claim"


def test_resolution_measures_a_survivor_in_units_of_the_rows_tolerance():
    """A mutant is charged against the rows where the audit compares the claim: shift / tolerance
    at each row point (mutant installed, then restored)."""
    from theory import CLAIMS

    cid = "linear_dynamics.lambda2"
    claim = CLAIMS[cid]
    point = {"sigma2": "1", "rho": "2", "A": "0.5"}
    theory = float(claim.evaluate(**point))
    rows = [{"claim": cid, "params": {**point, "check": "x"}, "theory": theory, "tolerance": 0.1},
            {"claim": cid, "params": {"sigma2": "1"}, "theory": 1.0, "tolerance": 0.1}]  # not evaluable
    near = claim.expr * (1 + sp.Rational(1, 10**6))
    far = claim.expr * 2
    res = mutate.resolution(cid, near, rows)
    assert res["rows"] == 1 and res["max_shift_over_tol"] < 1
    assert "below resolution" in mutate.survivor_reason(cid, ["t.py::t"], res)
    assert mutate.resolution(cid, far, rows)["max_shift_over_tol"] > 1
    assert claim.expr is not near and claim.expr is not far          # restored
    assert float(claim.evaluate(**point)) == theory
    assert mutate.resolution(cid, far, rows[1:]) is None
