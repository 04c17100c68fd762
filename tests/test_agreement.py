"""verify.agreement: verdicts, tolerances, margins and the failing message."""

import math

import mpmath
import pytest

from verify import agreement
from verify.agreement import agree, bound


@pytest.fixture(autouse=True)
def private_rows(monkeypatch):
    monkeypatch.setattr(agreement, "ROWS", [])


def test_agreement_within_tolerance_records_a_passing_row():
    row = agree("linear_dynamics.nu", {"A": 0.5}, theory=1.0, numeric=1.0 + 1e-12, rtol=1e-10,
                why_tol="test")
    assert row.verdict == "pass" and row.source == "000 Eq. (33)"
    assert row.abs_err == pytest.approx(1e-12) and row.tolerance == pytest.approx(1e-10)
    assert row.margin == pytest.approx(0.99)
    assert agreement.ROWS == [row]


def test_monte_carlo_tolerance_adds_z_standard_errors_and_the_allowance():
    row = agree("x.y", {}, theory=0.0, numeric=0.25, stderr=0.1, z=2.0, allowance=0.06,
                why_tol="z=2 SE + 0.06 finite size", source="test")
    assert row.tolerance == pytest.approx(0.26) and row.verdict == "pass"
    with pytest.raises(ValueError, match="stderr and z"):
        agree("x.y", {}, theory=0, numeric=0, stderr=0.1, why_tol="t", source="test")


def test_a_failing_comparison_raises_with_the_whole_row():
    with pytest.raises(AssertionError) as info:
        agree("linear_dynamics.lambda2", {"sigma2": 1, "rho": 20, "A": 0}, theory=21, numeric=20,
              rtol=1e-30, why_tol="precision 1e-30", seed=7)
    message = str(info.value)
    for field in ("FAIL", "linear_dynamics.lambda2", "000 Eq. (32)", "rho", "abs_err", "tolerance",
                  "precision 1e-30", "seed"):
        assert field in message
    assert agreement.ROWS[-1].verdict == "FAIL", "the failing row is recorded before raising"


def test_expected_disagreement_passes_only_when_the_miss_exceeds_the_tolerance():
    row = agree("x.y", {}, theory=1.0, numeric=2.0, atol=0.1, why_tol="t", expect="disagree", source="s")
    assert row.verdict == "confirmed-miss" and row.margin == pytest.approx(9)
    with pytest.raises(AssertionError, match="expect"):
        agree("x.y", {}, theory=1.0, numeric=1.05, atol=0.1, why_tol="t", expect="disagree", source="s")


def test_high_precision_errors_survive():
    with mpmath.workdps(60):
        a = mpmath.mpf(1) / 3
        b = a + mpmath.mpf(10) ** -55
    row = agree("x.y", {}, theory=a, numeric=b, rtol=1e-50, why_tol="t", source="s")
    assert 1e-56 < row.abs_err < 1e-54 and row.theory_repr.startswith("0.33333")


def test_nan_never_passes():
    with pytest.raises(AssertionError):
        agree("x.y", {}, theory=1.0, numeric=math.nan, rtol=0.1, why_tol="t", source="s")
    assert agree("x.y", {}, theory=1.0, numeric=math.nan, rtol=1.0, why_tol="t",
                 source="s").verdict == "measured"


def test_bound_records_slack_and_fails_when_violated():
    row = bound("x.y", {}, value=0.8, limit=1.0, why_tol="exact", source="s")
    assert row.verdict == "pass" and row.margin == pytest.approx(0.2) and row.kind == "bound"
    with pytest.raises(AssertionError):
        bound("x.y", {}, value=1.2, limit=1.0, why_tol="exact", source="s")
    miss = bound("x.y", {}, value=1.2, limit=1.0, why_tol="exact", source="s", expect="disagree")
    assert miss.verdict == "confirmed-miss"


def test_unregistered_claim_needs_a_source_and_tolerance_needs_a_reason():
    with pytest.raises(KeyError, match="no registered claim"):
        agree("nowhere.nothing", {}, theory=0, numeric=0, why_tol="t")
    with pytest.raises(ValueError, match="why_tol"):
        agree("linear_dynamics.nu", {}, theory=0, numeric=0, why_tol=" ")


def test_a_loose_claim_tolerance_is_never_a_pass_and_measure_records_without_asserting():
    loose = agree("x.y", {"d": 10}, theory=0.1, numeric=0.3, stderr=0.1, z=3.0, why_tol="loose",
                  source="test")
    assert loose.verdict == "measured" and "exceeds 0.3" in loose.why_tol
    row = agree("x.y", {"d": 10}, theory=0.1, numeric=0.3, atol=0.25, why_tol="a path check",
                source="test", role="reference")
    assert row.verdict == "pass" and row.role == "reference"
    row = agreement.measure("x.y", {"d": 10}, theory=0.1, numeric=0.3, why="not resolvable",
                            source="test")
    assert row.verdict == "measured" and row.evidence == "measured only" and math.isnan(row.margin)
    with pytest.raises(ValueError, match="evidence"):
        agree("x.y", {}, theory=1, numeric=1, why_tol="t", source="test", evidence="vibes")


def test_a_bound_met_within_its_atol_has_no_negative_margin():
    row = bound("x.y", {}, value=1.0 + 1e-14, limit=1.0, atol=1e-12, why_tol="precision",
                source="test")
    assert row.verdict == "pass" and row.margin == 0.0


def test_a_nan_never_confirms_an_expected_miss(monkeypatch):
    """A diverged computation (NaN, inf) must not pass a negative control."""
    from verify import agreement as ag
    monkeypatch.setattr(ag, "ROWS", [])
    for bad in (float("nan"), float("inf")):
        with pytest.raises(AssertionError):
            ag.agree("reference.nan", {}, theory=1.0, numeric=bad, rtol=0.1, why_tol="t",
                     expect="disagree", role="reference")
        with pytest.raises(AssertionError):
            ag.bound("reference.nan", {}, value=bad, limit=1.0, why_tol="t", expect="disagree",
                     role="reference")
        with pytest.raises(AssertionError):
            ag.bound("reference.nan", {}, value=bad, limit=1.0, why_tol="t", role="reference")
