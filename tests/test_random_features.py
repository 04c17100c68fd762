"""numerics.random_features on known cases: shapes, the teacher, ridge, KS, planted BBP, bad input."""

import math

import numpy as np
import pytest

from numerics import random_features as rf


def test_sphere_columns_and_teacher():
    W = rf.sphere_columns(50, 7, np.random.default_rng(0))
    assert W.shape == (50, 7) and np.allclose(np.linalg.norm(W, axis=0), 1)
    b = rf.teacher(10)
    assert math.isclose(np.linalg.norm(b), 1) and np.all(b[:5] < 0) and np.all(b[5:] > 0)


def test_ridge_recovers_linear_target():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((400, 5)); beta = np.arange(5.0)
    pred = rf.ridge_fit_predict(X, X @ beta + 3.0, X[:10], lam=1e-8)
    assert np.allclose(pred, X[:10] @ beta + 3.0, atol=1e-5)


def test_ks_distance_known_values():
    assert rf.ks_distance(np.array([0.0, 1.0]), np.array([0.0, 1.0])) == 0
    assert rf.ks_distance(np.array([0.0, 1.0]), np.array([2.0, 3.0])) == 1


def test_planted_rank_one_large_theta_aligns():
    r = rf.planted_rank_one(dict(n=100, m=200, theta=20.0), np.random.default_rng(2))
    assert r["ou"] > 0.99 and r["ov"] > 0.99 and abs(r["top"] - 20) < 1


def test_one_step_zero_eta_is_identity():
    rng = np.random.default_rng(3)
    W0 = rf.sphere_columns(20, 10, rng); a = rng.standard_normal(10)
    X, y = rf.sample(30, 20, "relu", rng)
    assert np.array_equal(rf.one_step(W0, a, X, y, 0.0), W0)


def test_risks_and_spike_run_small():
    rng = np.random.default_rng(4)
    p = dict(d=20, psi=2.0, ratio=1.0, link="relu", lam=0.01)
    assert 0 < rf.rf_risk(p, rng) < 1 and 0 < rf.krr_risk(p, rng) < 1
    r = rf.spike_run(dict(d=20, psi=2.0, ratio=0.5, eta_c=5.0, scale="sqrtN"), rng)
    assert len(r["s1"]) == 10 and r["theta"] > 0 and 0 <= r["overlap2"] <= 1


def test_max_overlap_and_warm_start_ranges():
    rng = np.random.default_rng(5)
    x = rf.max_overlap(dict(d=50, N=100, reps=3), rng)
    assert x.shape == (3,) and np.all((x > 0) & (x < 1))
    c = rf.warm_start_cosine(dict(d=50, gamma1=0.25, gamma2=0.9, psi=2.0), rng)
    assert -1 <= c <= 1


@pytest.mark.parametrize("call, name", [
    (lambda: rf.sample(10, 5, "cubic", np.random.default_rng(0)), "link"),
    (lambda: rf.ridge_fit_predict(np.ones((3, 2)), np.ones(3), np.ones((1, 2)), lam=0), "lam"),
    (lambda: rf.sphere_columns(0, 3, np.random.default_rng(0)), "d"),
    (lambda: rf.warm_start_cosine(dict(d=10, gamma1=0.7, gamma2=0.5, psi=1.0), np.random.default_rng(0)), "gamma1"),
    (lambda: rf.features(np.ones((2, 2)), np.ones((2, 2)), act="relu"), "act"),
])
def test_bad_input_names_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_one_step_pair_shares_its_draws_and_rejects_bad_input():
    pt = dict(d=40, psi=2.0, psi2=4.0, ratio=1.0, link="relu", lam=1e-2, eta_large=5.0, eta_small=5.0)
    # η_small = 5 and η_large = 5√N differ, but with the same draws η_small = η_large·√N gives equal risks
    same = rf.one_step_pair(dict(pt, eta_small=5.0 * math.sqrt(40)), np.random.default_rng(3))
    assert same["large"] == same["small"]
    out = rf.one_step_pair(pt, np.random.default_rng(3))
    assert out["large"] != out["small"] and all(np.isfinite(v) and v > 0 for v in out.values())
    with pytest.raises(ValueError, match="eta_small"):
        rf.one_step_pair(dict(pt, eta_small=float("nan")), np.random.default_rng(0))
    with pytest.raises(ValueError, match="link"):
        rf.one_step_pair(dict(pt, link="cubic"), np.random.default_rng(0))


def test_gaussian_max_mean_small_m_exact_and_bad_input():
    import mpmath

    assert abs(rf.gaussian_max_mean(1)) < 1e-14                       # E g = 0
    assert abs(rf.gaussian_max_mean(2) - 1 / mpmath.sqrt(mpmath.pi)) < 1e-14   # E max(g1, g2) = 1/√π
    # E max of 3 = 3/(2√π)
    assert abs(rf.gaussian_max_mean(3) - 3 / (2 * mpmath.sqrt(mpmath.pi))) < 1e-14
    for bad in (0, -1, 2.5, "3", float("nan")):
        with pytest.raises(ValueError, match="m must"):
            rf.gaussian_max_mean(bad)


def test_max_overlap_d3_against_monte_carlo():
    rng = np.random.default_rng(3)
    x = rf.max_overlap(dict(d=3, N=10, reps=20000), rng)
    assert abs(x.mean() - rf.max_overlap_mean_d3(10)) < 5 * x.std() / np.sqrt(x.size)
    with pytest.raises(ValueError, match="m must"):
        rf.max_overlap_mean_d3(0)


def test_tracy_widom_top_singular_against_monte_carlo():
    rng = np.random.default_rng(4)
    rows, cols = 200, 100
    tops = [np.linalg.svd(rng.standard_normal((rows, cols)) / np.sqrt(rows), compute_uv=False)[0]
            for _ in range(200)]
    m, se = np.mean(tops), np.std(tops, ddof=1) / np.sqrt(len(tops))
    tw = rf.tracy_widom_top_singular(rows, cols)
    assert tw < 1 + np.sqrt(cols / rows)                  # TW1 has negative mean: below the edge
    assert abs(m - tw) < 5 * se + 1 / rows
    with pytest.raises(ValueError, match="rows must"):
        rf.tracy_widom_top_singular(1, 3)
