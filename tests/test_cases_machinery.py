"""verify.cases: case records, their drivers, ids, failure messages and the one-case command."""

import subprocess
import sys

import pytest

from theory import CLAIMS
from verify import agreement
from verify.cases import Bound, Derivation, Pointwise, all_cases, domain_spots, run
from verify.tolerance import Tol


@pytest.fixture(autouse=True)
def _fresh_rows(monkeypatch):
    monkeypatch.setattr(agreement, "ROWS", [])


def test_case_ids_are_unique_and_name_kind_claim_and_point():
    cases = all_cases()
    assert len({c.id for c in cases}) == len(cases)
    c = cases[0]
    assert c.id.startswith(type(c).__name__ + ":" + c.claim + "[")


def test_a_failing_case_prints_its_row_and_how_to_reproduce_it():
    lam = "linear_dynamics.lambda1"
    case = Pointwise(lam, dict(sigma2="1", rho="20", A="0.3"), numeric=lambda **p: 0.0,
                     tol=lambda p: Tol(rtol=1e-10, why_tol="test"))
    with pytest.raises(AssertionError) as err:
        run(case, 1)
    msg = str(err.value)
    assert "comparison failed" in msg and lam in msg
    assert f'python -m verify.cases "{case.id}" --audit-seed 1' in msg


def test_expect_disagree_turns_a_miss_into_a_confirmed_miss():
    case = Pointwise("linear_dynamics.lambda1", dict(sigma2="1", rho="20", A="0.3"),
                     numeric=lambda **p: 0.0, tol=lambda p: Tol(rtol=1e-10, why_tol="test"),
                     expect="disagree")
    assert run(case, 1).verdict == "confirmed-miss"


def test_a_broken_expression_turns_its_derivation_case_red(monkeypatch):
    import dataclasses
    cid = "linear_dynamics.lambda1"
    monkeypatch.setitem(CLAIMS, cid, dataclasses.replace(CLAIMS[cid], expr=2 * CLAIMS[cid].expr))
    with pytest.raises(AssertionError):
        run(Derivation(cid), 0)


def test_domain_spots_lie_inside_the_claims_domains():
    for cid, claim in CLAIMS.items():
        for point in domain_spots(cid, 3):
            for sym, value in point.items():
                assert claim.domain(str(sym)).contains(float(value)), (cid, sym, value)


def test_bound_case():
    case = Bound("linear_dynamics.lambda1", {}, label="toy", measure=lambda p: (1.0, 2.0),
                 why_tol="exact")
    assert run(case, 0).verdict == "pass"


def test_bad_case_fields_are_refused():
    with pytest.raises(ValueError, match="expect"):
        Pointwise("linear_dynamics.lambda1", {}, expect="maybe")._check()
    with pytest.raises(ValueError, match="not registered"):
        Pointwise("no.such.claim", {})._check()


def test_one_case_command_lists_and_runs():
    listed = subprocess.run([sys.executable, "-m", "verify.cases"], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    assert any(line.startswith("Derivation:") for line in listed)
    case_id = next(line for line in listed if line.startswith("Pointwise:"))
    out = subprocess.run([sys.executable, "-m", "verify.cases", case_id], capture_output=True, text=True)
    assert out.returncode == 0 and "pass" in out.stdout
