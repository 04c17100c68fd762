"""The pytest plugin: JSON tolerance report, failing rows, terminal summary, paper-scale skip."""

import json

CHECKS = '''
import pytest
from verify.agreement import agree

def test_good():
    agree("linear_dynamics.nu", {"A": 0.5}, theory=1.0, numeric=1.0, rtol=1e-12, why_tol="exact", seed=3)

def test_bad():
    agree("linear_dynamics.lambda2", {"A": 0.0}, theory=21.0, numeric=1.2, rtol=1e-12, why_tol="exact")

@pytest.mark.paper_scale
def test_slow():
    agree("linear_dynamics.nu", {"A": 0.1}, theory=1.0, numeric=1.0, why_tol="exact")
'''


def test_failing_comparison_is_written_as_a_failing_row(pytester):
    pytester.makepyfile(test_checks=CHECKS)
    out = pytester.path / "rows.json"
    result = pytester.runpytest_subprocess("-p", "verify.plugin", f"--tolerance-report={out}", "--audit-seed=5")
    result.assert_outcomes(passed=1, failed=1, skipped=1)
    data = json.loads(out.read_text())
    verdicts = {r["claim"]: r["verdict"] for r in data["rows"]}
    assert verdicts == {"linear_dynamics.nu": "pass", "linear_dynamics.lambda2": "FAIL"}
    bad = next(r for r in data["rows"] if r["verdict"] == "FAIL")
    assert bad["test"].endswith("test_bad") and bad["source"] == "000 Eq. (32)"
    assert bad["abs_err"] > bad["tolerance"]
    assert data["meta"]["seed"] == 5 and data["meta"]["exitstatus"] == 1
    assert {t["outcome"] for t in data["tests"]} >= {"passed", "failed"}
    result.stdout.fnmatch_lines(["*claims audit*", "*2 comparisons over 2 claims*",
                                 "*ten smallest margins*", "*linear_dynamics.lambda2*"])
    result.stdout.fnmatch_lines(["*AssertionError: comparison failed*"])


def test_paper_scale_option_runs_marked_checks(pytester):
    pytester.makepyfile(test_checks=CHECKS)
    result = pytester.runpytest_subprocess("-p", "verify.plugin", "--paper-scale", "-k", "slow")
    result.assert_outcomes(passed=1)


XDIST_AUDIT = '''
import numpy as np
import pytest
from verify.agreement import agree, bound

@pytest.mark.parametrize("i", range(6))
def test_point(audit_seed, i):
    rng = np.random.default_rng([audit_seed, i])
    x = rng.standard_normal(2000)
    agree("linear_dynamics.nu", {"i": i}, theory=0.0, numeric=float(x.mean()),
          stderr=float(x.std(ddof=1) / np.sqrt(x.size)), z=5.0, why_tol="z=5 SE", seed=audit_seed)
    bound("linear_dynamics.lambda2", {"i": i}, value=float(x.var()), limit=2.0, why_tol="exact")

@pytest.fixture
def recorded_in_setup():
    agree("linear_dynamics.nu", {"setup": 1}, theory=1.0, numeric=1.0, why_tol="exact")

def test_setup_rows_travel_too(recorded_in_setup):
    pass
'''


def test_rows_under_xdist_equal_the_serial_rows_and_the_summary_prints_once(pytester):
    """Workers record, the controller collects: ``-n 2`` writes the rows of a serial run, in the
    same canonical order, and prints the audit summary once."""
    pytester.makepyfile(test_audit=XDIST_AUDIT)
    rows = {}
    for mode, args in (("serial", ()), ("xdist", ("-n", "2"))):
        out = pytester.path / f"{mode}.json"
        result = pytester.runpytest_subprocess("-p", "verify.plugin", "-p", "xdist", *args,
                                               f"--tolerance-report={out}", "--audit-seed=9")
        result.assert_outcomes(passed=7)
        assert result.stdout.str().count("claims audit") == 1
        data = json.loads(out.read_text())
        rows[mode] = data["rows"]
        assert len(data["tests"]) == 7
    assert len(rows["serial"]) == 13
    assert rows["serial"] == rows["xdist"]
    assert all(r["test"] for r in rows["serial"])
