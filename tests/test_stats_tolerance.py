"""verify.stats and verify.tolerance: the shared toolbox gives the textbook numbers and rejects bad input."""

import math

import numpy as np
import pytest
from scipy import stats

from verify import stats as vs
from verify import tolerance as vt


def test_t_quantiles_are_scipy_not_typed():
    assert vs.t_quantile(0.975, 2) == pytest.approx(4.302652729749462, rel=1e-9)
    assert vs.t_quantile(0.995, 5) == pytest.approx(float(stats.t.ppf(0.995, 5)))
    assert vs.bonferroni_z(100) == pytest.approx(float(stats.norm.ppf(1 - 0.05 / 200)))
    assert vs.t_matching_z(3.0, 10) == pytest.approx(float(stats.t.ppf(stats.norm.cdf(3.0), 10)))


@pytest.mark.parametrize("bad", [0, -1, 1.5, float("nan")])
def test_bad_dof_is_refused(bad):
    with pytest.raises(ValueError, match="dof"):
        vs.t_quantile(0.975, bad)


@pytest.mark.parametrize("bad", [0.5, 1.0, 0.2, float("nan")])
def test_bad_level_is_refused(bad):
    with pytest.raises(ValueError, match="level"):
        vs.t_quantile(bad, 3)


def test_mean_se():
    m, se = vs.mean_se([1.0, 2.0, 3.0, 4.0])
    assert m == 2.5 and se == pytest.approx(np.std([1, 2, 3, 4], ddof=1) / 2)
    with pytest.raises(ValueError, match="at least 2"):
        vs.mean_se([1.0])


def test_loglog_fit_recovers_an_exact_power_and_its_se_matches_linregress():
    x = np.array([1.0, 2, 4, 8, 16])
    fit = vs.loglog_fit(x, 3 * x**-1.5)
    assert fit.slope == pytest.approx(-1.5, abs=1e-12) and fit.dof == 3
    rng = np.random.default_rng(0)
    y = np.exp(-x / 10 + 0.01 * rng.standard_normal(5))
    res = stats.linregress(np.log(x), np.log(y))
    fit = vs.loglog_fit(x, y)
    assert fit.se == pytest.approx(res.stderr) and fit.half_width() == pytest.approx(
        stats.t.ppf(0.975, 3) * res.stderr)


def test_weighted_fit_se_from_stated_noise_and_inflation():
    x = np.arange(5.0)
    y = 2 * x + np.array([0.1, -0.1, 0.1, -0.1, 0.1])
    w = np.full(5, 1e4)  # σ = 0.01, far below the misfit
    plain, inflated = vs.linear_fit(x, y, weights=w), vs.linear_fit(x, y, weights=w, inflate=True)
    assert plain.se == pytest.approx(0.01 / math.sqrt(10))
    assert inflated.se > 5 * plain.se


def test_per_trial_slopes():
    logx = np.log([1.0, 10, 100])
    vals = np.array([[0, 1, 2], [0, 1.1, 2.2], [0, 0.9, 1.8]]) * np.log(10)
    fit = vs.per_trial_slopes(logx, vals)
    assert fit.slope == pytest.approx(1.0) and fit.dof == 2
    with pytest.raises(ValueError, match="trials"):
        vs.per_trial_slopes(logx, vals[:, :2])


def test_tolerance_constructors_fill_agree_kwargs():
    mc = vt.monte_carlo(0.01, 4, allowance=0.002, allowance_why="finite-d gap")
    kw = mc.kwargs()
    assert kw["stderr"] == 0.01 and kw["z"] == 4 and kw["allowance"] == 0.002
    assert "finite-d gap" in kw["why_tol"] and mc.total == pytest.approx(0.042)
    assert vt.precision(30, 5, scale=2.0).atol == pytest.approx(2e-25)
    fit = vs.SlopeFit(1.0, 0.1, 3)
    assert vt.fitted(fit).atol == pytest.approx(stats.t.ppf(0.975, 3) * 0.1)
    assert "integrator" in vt.integrator(1e-10).why_tol


@pytest.mark.parametrize("call", [
    lambda: vt.monte_carlo(-1, 4), lambda: vt.monte_carlo(0.1, float("nan")),
    lambda: vt.monte_carlo(0.1, 4, allowance=0.1),  # allowance without its reason
    lambda: vt.precision(0), lambda: vt.precision(10, 10), lambda: vt.integrator(float("inf")),
])
def test_bad_tolerance_input_is_refused(call):
    with pytest.raises(ValueError):
        call()


def test_a_tol_goes_straight_into_agree(monkeypatch):
    from verify import agreement
    monkeypatch.setattr(agreement, "ROWS", [])
    row = agreement.agree("reference.toolbox", {}, theory=1.0, numeric=1.03, role="reference",
                          **vt.monte_carlo(0.01, 4).kwargs())
    assert row.verdict == "pass" and row.tolerance == pytest.approx(0.04)
