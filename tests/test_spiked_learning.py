"""Machinery tests of numerics.spiked_learning (small and fast)."""

import math

import numpy as np
import pytest

from numerics.spiked_learning import krr_risk, link, nn_one_step_risk, sample_aligned, stratified_risk


def test_link_is_orthonormal_hermite():
    z, w = np.polynomial.hermite_e.hermegauss(30)
    w = w / w.sum()
    for i in (1, 2, 3):
        for j in (1, 2, 3):
            g = float(w @ (link(z, {i: 1.0}) * link(z, {j: 1.0})))
            assert g == pytest.approx(1.0 if i == j else 0.0, abs=1e-10)


def test_sample_aligned_covariance():
    X, z = sample_aligned(20000, 5, 4.0, np.random.default_rng(0))
    assert np.var(X[:, 0]) == pytest.approx(5.0, rel=0.05)
    assert np.var(X[:, 1]) == pytest.approx(1.0, rel=0.05)
    assert np.var(z) == pytest.approx(1.0, rel=0.05)


def test_stratified_risk_of_zero_predictor_is_norm():
    risk, se = stratified_risk(lambda T: np.zeros(len(T)), {2: 1.0, 3: 1.0}, 4, 1.0,
                               np.random.default_rng(1), 400)
    assert risk == pytest.approx(2.0, abs=1e-9) and se == pytest.approx(0.0, abs=1e-9)


def test_krr_learns_linear_and_nn_runs():
    r = krr_risk(dict(d=60, gamma2=0.0, coeffs={1: 1.0}, n_test=400), np.random.default_rng(2))
    assert r["risk"] < 0.3
    out = nn_one_step_risk(dict(d=60, gamma2=0.9, coeffs={2: 1.0}, n_test=400), np.random.default_rng(3))
    assert math.isfinite(out["risk"]) and 0 <= out["overlap"] <= 1


@pytest.mark.parametrize("bad,name", [(dict(d=0), "d"), (dict(gamma2=1.5), "gamma2"), (dict(coeffs={0: 1}), "coeffs"),
                                      (dict(lam=-1.0), "lam"), (dict(psi=0.0), "psi")])
def test_bad_input(bad, name):
    base = dict(d=10, gamma2=0.5, coeffs={1: 1.0}, n_test=40)
    with pytest.raises(ValueError, match=name):
        krr_risk({**base, **bad}, np.random.default_rng(0))


def test_nn_bad_eps():
    with pytest.raises(ValueError, match="eps"):
        nn_one_step_risk(dict(d=10, gamma2=0.5, coeffs={1: 1.0}, eps=2.0), np.random.default_rng(0))
