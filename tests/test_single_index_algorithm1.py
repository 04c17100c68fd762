"""Unit tests of numerics.single_index_algorithm1 (002 Algorithm 1 and one-pass SGD): input
validation, the Euler step against a finite-difference gradient of R_n, known end states, the
bisection, and the preconditioning mutant of verify/test_single_index_sample_complexity.py."""

from __future__ import annotations

import math

import numpy as np
import pytest

from numerics import single_index_algorithm1 as a1
from numerics.single_index_gradients import normalized_hermite

H2 = normalized_hermite(2)


@pytest.mark.parametrize("kw, name", [(dict(d=1, gamma1=0.1, gamma2=0.1), "d"),
                                      (dict(d=8, gamma1=0.6, gamma2=0.1), "gamma1"),
                                      (dict(d=8, gamma1=0.1, gamma2=1.5), "gamma2"),
                                      (dict(d=8, gamma1=-0.1, gamma2=0.1), "gamma1")])
def test_make_problem_rejects_bad_input(kw, name):
    with pytest.raises(ValueError, match=name):
        a1.make_problem(rng=np.random.default_rng(0), **kw)


def test_training_rejects_bad_input():
    rng = np.random.default_rng(0)
    p = a1.make_problem(8, 0.5, 0.5, rng)
    with pytest.raises(ValueError, match="n must exceed d"):
        a1.gradient_flow(p, 8, H2, H2, rng)
    with pytest.raises(ValueError, match="lr"):
        a1.gradient_flow(p, 20, H2, H2, rng, lr=0.0)
    with pytest.raises(ValueError, match="steps"):
        a1.gradient_flow(p, 20, H2, H2, rng, steps=0)
    with pytest.raises(ValueError, match="preconditioner"):
        a1.gradient_flow(p, 20, H2, H2, rng, preconditioner="diag")
    with pytest.raises(ValueError, match="n must exceed d"):
        a1.one_pass_sgd(p, 4, H2, H2, rng)


def test_problem_geometry_and_label_scale():
    rng = np.random.default_rng(1)
    d, g1, g2 = 50, 0.25, 0.5
    p = a1.make_problem(d, g1, g2, rng)
    assert p.mu @ p.beta == pytest.approx(d**-g1, abs=1e-12)
    assert p.theta == pytest.approx(d**g2)
    assert p.kappa == pytest.approx(1 + d**g2 * d ** (-2 * g1))
    assert a1.whitened_overlap(p, p.beta) == pytest.approx(1.0, abs=1e-12)
    X, _ = a1.sample(p, 40000, normalized_hermite(1), rng)
    z = X @ p.beta / math.sqrt(p.kappa)
    # Var of a standard normal from 4e4 draws: SE = √(2/n) ≈ 0.007; 5 SE
    assert np.var(z) == pytest.approx(1.0, abs=5 * math.sqrt(2 / 40000))


def test_euler_step_is_minus_eta_precond_gradient_of_the_empirical_risk():
    """_direction_step = normalize(w − lr·η(w)·Σ̂⁻¹∇R_n(w)) with ∇R_n by central differences."""
    rng = np.random.default_rng(2)
    d, n = 6, 200
    p = a1.make_problem(d, 0.5, 0.5, rng)
    X, y = a1.sample(p, n, H2, rng)
    S = X.T @ X / n
    P = np.linalg.inv(S)
    w = rng.standard_normal(d)
    w /= math.sqrt(w @ S @ w)
    risk = lambda v: float(np.mean((y - H2(X @ v / math.sqrt(v @ S @ v))) ** 2))
    h = 1e-6
    grad = np.array([(risk(w + h * e) - risk(w - h * e)) / (2 * h) for e in np.eye(d)])
    lr = 0.05
    expect = w - lr * (w @ S @ w) * (P @ grad)
    expect /= math.sqrt(expect @ S @ expect)
    got = a1._direction_step(X, y, w, S, P, H2, H2.deriv(), lr)
    np.testing.assert_allclose(got, expect, atol=1e-7)


def test_flow_and_sgd_align_at_large_n():
    d = 32
    rng = np.random.default_rng(3)
    p = a1.make_problem(d, 0.5, 0.0, rng)
    w, *_ = a1.gradient_flow(p, 40 * d, H2, H2, rng, steps=150, lr=0.1)
    assert abs(a1.whitened_overlap(p, w)) > 0.99
    p = a1.make_problem(16, 0.5, 0.0, rng)
    w = a1.one_pass_sgd(p, 256 * 16, H2, H2, rng, lr=0.1 / 16)
    assert abs(a1.whitened_overlap(p, w)) > 0.9


def test_ridge_on_the_true_direction_fits_h2():
    rng = np.random.default_rng(4)
    p = a1.make_problem(32, 0.5, 0.0, rng)
    X, y = a1.sample(p, 4000, H2, rng)
    risk = a1.ridge_second_layer(p, p.beta, X, y, X.T @ X / 4000, rng, link=H2, lam=1e-9)
    # 128 random-knot ReLUs on [−5, 5]: what is left is the tail z < −5 and the knot spacing
    assert risk < 0.01


def test_n_star_bisection():
    grid = list(range(10, 200, 10))
    assert a1.n_star(lambda n: n >= 73, grid) == 80
    assert a1.n_star(lambda n: True, grid) == 10
    with pytest.raises(ValueError, match="never reaches"):
        a1.n_star(lambda n: False, grid)


def test_dropping_the_preconditioner_turns_the_k1_check_red():
    """Mutant: Σ̂⁻¹ replaced by I. With θ = d^{0.75} the Euler step along μ is (1 + θ)× too large,
    the flow does not settle, and the top of the n grid fails: the check raises."""
    d = 128
    succeeded = []
    for pre in ("inverse empirical", "identity"):
        rng = np.random.default_rng([5, d])
        p = a1.make_problem(d, 0.5, 0.75, rng)
        act = (normalized_hermite(1) + normalized_hermite(3)) * (2 ** -0.5)
        w, *_ = a1.gradient_flow(p, 48 * d, act, act, rng, steps=int(math.ceil(4 * math.log(d) / 0.1)),
                                 lr=0.1, preconditioner=pre)
        succeeded.append(abs(a1.whitened_overlap(p, w)) >= 0.9)
    assert succeeded == [True, False]


def test_wrong_exponent_turns_the_k1_check_red(monkeypatch):
    """Mutant: exponent 1 + k·e (k for k − 1) = 1.5 at (γ1, γ2) = (0.5, 0.75) instead of 1; the
    fitted slope of Algorithm 1 (≈ 1.09 ± 0.17 at the default seed) must reject it."""
    from verify import agreement
    from verify.test_single_index_sample_complexity import record_k1

    monkeypatch.setattr(agreement, "ROWS", [])
    with pytest.raises(AssertionError, match="comparison failed"):
        record_k1(0.5, 0.75, [16, 32, 64, 128, 256], 6, 20251123, predicted=1.5)
