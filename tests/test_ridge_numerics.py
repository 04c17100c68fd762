"""Unit tests of theory.ridge / numerics.ridge / numerics.linear_network_training: input
validation, the exact same-draw reduction, and the figure functions at toy size."""

from __future__ import annotations

import numpy as np
import pytest

from numerics import linear_network_training as lnt
from numerics import ridge as nr
from theory import CLAIMS
from theory import ridge as tr


@pytest.mark.parametrize("claim_id", ["ridge.R0_hat", "ridge.kappa0", "ridge.dkappa0", "ridge.R0_normalized",
                                      "ridge.R0_isotropic", "ridge.R0_hat_finite"])
@pytest.mark.parametrize("g", [1, 0.5, "1"])
def test_ridgeless_claims_reject_gamma_at_most_one(claim_id, g):
    claim = CLAIMS[claim_id]
    params = dict(sigma2=1, rho=2, A="0.5", gamma=g, d=100)
    with pytest.raises(ValueError, match="gamma"):
        claim.evaluate(**{k: v for k, v in params.items() if k in claim.params})


@pytest.mark.parametrize("claim_id", sorted(c for c in CLAIMS if c.startswith("ridge.")))
def test_claims_use_only_their_params(claim_id):
    import sympy as sp

    from theory.symbols import SYMBOLS

    claim = CLAIMS[claim_id]
    assert sp.sympify(claim.expr).free_symbols <= {SYMBOLS[p] for p in claim.params}
    if claim.as_printed is not None:
        assert sp.sympify(claim.as_printed).free_symbols <= {SYMBOLS[p] for p in claim.params}


@pytest.mark.parametrize("name, value", [("lam", -0.1), ("A", 1.5), ("A", -0.1), ("d", 0), ("d", 2.5)])
def test_claims_reject_out_of_domain(name, value):
    claim = CLAIMS["ridge.R_lambda_hat"] if name == "lam" else CLAIMS["ridge.R0_hat_finite"]
    params = dict(sigma2=1, rho=2, A="0.5", gamma=3, d=100, lam="0.1")
    params[name] = value
    with pytest.raises(ValueError, match=name):
        claim.evaluate(**{k: v for k, v in params.items() if k in claim.params})


def test_finite_ridge_rejects_bad_input():
    with pytest.raises(ValueError, match="lam"):
        tr.R_lambda_hat_finite(sigma2=1, rho=2, A=0.5, gamma=3, d=100, lam=-1)
    with pytest.raises(ValueError, match="d"):
        tr.R_lambda_hat_finite(sigma2=1, rho=2, A=0.5, gamma=3, d=0, lam=1)


@pytest.mark.parametrize("kwargs, name", [
    (dict(d=100, n=0), "n"), (dict(d=0, n=10), "d"), (dict(d=100, n=10.5), "n"),
    (dict(d=100, n=10, lam=-1.0), "lam"), (dict(d=100, n=99), "n"), (dict(d=100, n=10, trials=0), "trials"),
])
def test_monte_carlo_rejects_bad_sizes(kwargs, name):
    args = {"trials": 2, "rng": np.random.default_rng(0), **kwargs}
    with pytest.raises(ValueError, match=name):
        nr.risks_spectral(1.0, 2.0, 0.5, **args)


@pytest.mark.parametrize("name, value", [("A", 1.2), ("rho", -1), ("sigma2", 0)])
def test_monte_carlo_rejects_bad_model(name, value):
    p = dict(sigma2=1.0, rho=2.0, A=0.5)
    p[name] = value
    with pytest.raises(ValueError, match=name):
        nr.risks_spectral(p["sigma2"], p["rho"], p["A"], d=50, n=10, trials=2, rng=np.random.default_rng(0))


def test_kappa_root_rejects_bad_input():
    with pytest.raises(ValueError, match="lam"):
        nr.kappa_root([1.0, 2.0], 1, -0.5)
    with pytest.raises(ValueError, match="d > n"):
        nr.kappa_root([1.0, 2.0], 3, 0)
    with pytest.raises(ValueError, match="n"):
        nr.kappa_root([1.0, 2.0], 0, 1)


@pytest.mark.parametrize("lam", [0.0, 0.3])
@pytest.mark.parametrize("rho, A", [(0, 0.3), (20, 0.5), (100, 1.0), (5, 0.0)])
def test_woodbury_reduction_equals_brute_force_on_the_same_draw(rho, A, lam):
    rng = np.random.default_rng(11)
    d, n, s2 = 80, 30, 1.7
    z = rng.standard_normal((n, d))
    mu, beta = np.eye(d)[0], A * np.eye(d)[0] + np.sqrt(1 - A * A) * np.eye(d)[1]
    X = nr.sample_inputs(s2, rho, mu, n, rng, z=z)
    brute = nr.population_risk(nr.ridge_estimator(X, X @ beta, lam), beta, s2, rho, mu)
    assert nr.risk_explicit(z, s2, rho, A, lam) == pytest.approx(brute, rel=1e-10)


def test_sampling_through_the_spike_has_the_spiked_covariance():
    rng = np.random.default_rng(3)
    mu, _ = nr.spike_and_target(0.5, 6, rng)
    X = nr.sample_inputs(2.0, 3.0, mu, 200_000, rng)
    cov = X.T @ X / len(X)
    target = 2.0 * (np.eye(6) + 3.0 * np.outer(mu, mu))
    assert np.abs(cov - target).max() < 6 * 8.0 / np.sqrt(200_000)  # 6 SE of the largest entry


def test_stacked_tridiagonal_blocks_do_not_couple():
    draw = nr.spectral_draw(40, 12, 3, np.random.default_rng(1))
    assert np.all(draw.T[0, ::12] == 0)
    v = np.zeros(36)
    v[11] = 1.0
    assert np.all(draw.gram_matvec(v)[12:] == 0)


def test_dual_training_on_an_explicit_design_interpolates():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((10, 25))
    y = X @ rng.standard_normal(25)
    K = X @ X.T
    res = lnt.train_dual(lambda v: np.einsum("ij,bjr->bir", K, v), y[None, :, None], n=10,
                         eta=lnt.stable_eta(np.linalg.eigvalsh(K)[-1], 10), tol=1e-14)
    b = X.T @ res.phi[0, :, 0]
    np.testing.assert_allclose(b, np.linalg.pinv(X) @ y, rtol=1e-5, atol=1e-6)


def test_figures_write_pngs(tmp_path, monkeypatch):
    from verify.figures import ridge as fr

    monkeypatch.setattr(fr, "DEFAULT_D", 60)
    monkeypatch.setattr(fr, "DEFAULT_TRIALS", 2)
    monkeypatch.setattr(fr, "FIG5_GAMMAS", (2, 5))
    monkeypatch.setattr(fr, "FIG5_RHOS", (0, 20))
    monkeypatch.setenv("SPIKED_AUDIT_CACHE", str(tmp_path / "cache"))
    p4 = fr.fig4(tmp_path, paper_scale=False, seed=1)
    p5 = fr.fig5(tmp_path, paper_scale=False, seed=1)
    assert p4.stat().st_size > 10_000 and p5.stat().st_size > 10_000
    # one stored result per (γ, ρ) group (numerics.sweep's joblib.Memory entries)
    assert len(list((tmp_path / "cache").rglob("output.pkl"))) == 4
    fr.fig5(tmp_path, paper_scale=False, seed=1)  # second call is served from the cache
    assert len(list((tmp_path / "cache").rglob("output.pkl"))) == 4


def test_tridiagonal_wishart_has_the_wishart_moments():
    """T = BBᵀ stands for ZZᵀ, Z n×p Gaussian: E tr T = np and E tr T² = np(n + p + 1)."""
    n, p, K = 20, 48, 4000
    draw = nr.spectral_draw(p + 2, n, K, np.random.default_rng(9))
    diag, off = draw.T[1].reshape(K, n), draw.T[0].reshape(K, n)
    tr1 = diag.sum(1)
    tr2 = (diag**2).sum(1) + 2 * (off**2).sum(1)
    for sample, exact in ((tr1, n * p), (tr2, n * p * (n + p + 1))):
        assert abs(sample.mean() - exact) < 5 * sample.std(ddof=1) / np.sqrt(K)
