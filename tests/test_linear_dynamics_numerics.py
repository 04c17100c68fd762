"""Unit tests of the dynamics numerics on known cases: the loss gradient against finite
differences and against the brute-force sample path, the structured Σ against the dense one, the
§3.2 basis, gradient descent against the flow, input validation, and the figures."""

from __future__ import annotations

import math

import numpy as np
import pytest

from numerics import linear_network as net
from numerics.reduced_ode import Coefficients, bernoulli_mp, reduced_scipy


@pytest.fixture
def problem():
    return net.spiked_problem(1.3, 5.0, 0.4, 7, np.random.default_rng(0))


def test_basis_is_orthonormal_and_signed(problem):
    V = np.column_stack([problem.v1, problem.v2])
    assert np.allclose(V.T @ V, np.eye(2), atol=1e-14)
    assert problem.nu > 0
    Sigma = problem.dense_population.Sigma
    assert np.allclose(Sigma @ problem.beta, problem.G * problem.v1, atol=1e-13)
    assert abs(problem.mu @ problem.beta - 0.4) < 1e-14


def test_gradient_matches_finite_differences(problem):
    rng = np.random.default_rng(1)
    W, a = net.init_weights(4, 7, 0.8, rng)
    gW, ga = net.gradients(W, a, problem.population)
    h = 1e-6
    for (i, j) in [(0, 0), (2, 5), (3, 6)]:
        E = np.zeros_like(W)
        E[i, j] = h
        fd = (net.loss(W + E, a, problem.population) - net.loss(W - E, a, problem.population)) / (2 * h)
        assert fd == pytest.approx(gW[i, j], rel=1e-6, abs=1e-9)
    e = np.zeros_like(a)
    e[1] = h
    fd = (net.loss(W, a + e, problem.population) - net.loss(W, a - e, problem.population)) / (2 * h)
    assert fd == pytest.approx(ga[1], rel=1e-6, abs=1e-9)


def test_structured_sigma_matches_dense(problem):
    W, a = net.init_weights(4, 7, 0.8, np.random.default_rng(2))
    for x, y in zip(net.gradients(W, a, problem.population), net.gradients(W, a, problem.dense_population)):
        assert np.allclose(x, y, rtol=1e-13, atol=1e-14)


def test_moment_path_matches_sample_path(problem):
    data = net.sample(problem, 500, np.random.default_rng(3))
    W, a = net.init_weights(4, 7, 0.8, np.random.default_rng(4))
    assert net.loss(W, a, data.moments) == pytest.approx(net.loss_on_samples(W, a, data.X, data.y), rel=1e-12)
    for x, y in zip(net.gradients(W, a, data.moments), net.gradients_on_samples(W, a, data.X, data.y)):
        assert np.allclose(x, y, rtol=1e-11, atol=1e-13)


def test_gradient_descent_approaches_the_flow(problem):
    W0, a0 = net.init_weights(4, 7, 0.3, np.random.default_rng(5))
    flow = net.gradient_flow(W0, a0, problem.population, 1 / (2 * 1e-3), [0.0, 400.0])
    gd = net.gradient_descent(W0, a0, problem.population, 1e-3, 400, every=400)
    assert np.max(np.abs(gd.W[-1] - flow.W[-1])) < 5e-3


def test_bernoulli_mp_known_case():
    """G = λ1 = 1, τ = 1: u(t)² = 1/(1 + (1/u0² − 1)e^{−2t})."""
    c = Coefficients(1, 1, 1, 0)
    u = bernoulli_mp(0.1, c, 1, [1], dps=30)[0]
    assert abs(float(u) - math.sqrt(1 / (1 + 99 * math.exp(-2)))) < 1e-15


def test_reduced_path_with_nu_zero_keeps_w2_decaying():
    path = reduced_scipy(1e-3, 1e-3, Coefficients(2.0, 3.0, 1.5, 0.0), 1.0, 10.0)
    assert np.all(np.abs(path.w2) <= 1e-3 * (1 + 1e-9))


@pytest.mark.parametrize("call, name", [
    (lambda: net.init_weights(5, 4, 0.0, np.random.default_rng(0)), "s"),
    (lambda: net.init_weights(5, 4, -1e-5, np.random.default_rng(0)), "s"),
    (lambda: net.spiked_problem(1, 20, 1.5, 8, np.random.default_rng(0)), "A"),
    (lambda: net.spiked_problem(0, 20, 0.3, 8, np.random.default_rng(0)), "sigma2"),
    (lambda: net.gradient_descent(np.zeros((2, 3)), np.zeros(2), None, 0.0, 3), "eta"),
    (lambda: reduced_scipy(1e-3, 0, Coefficients(1, 1, 1, 0), 0.0, 1.0), "tau"),
    (lambda: reduced_scipy(1e-3, 0, Coefficients(1, 1, 1, 0), -1.0, 1.0), "tau"),
    (lambda: bernoulli_mp(0, Coefficients(1, 1, 1, 0), 1, [1]), "u0"),
    (lambda: bernoulli_mp(-0.1, Coefficients(1, 1, 1, 0), 1, [1]), "u0"),
    (lambda: Coefficients(1, 1, 1, -0.5), "nu"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()


def test_claims_reject_out_of_domain_parameters():
    from theory import CLAIMS
    for cid, params, bad in [
        ("linear_dynamics.early_timescale", dict(sigma2=1, rho=20, A="0.3", tau=1, s=0), "s"),
        ("linear_dynamics.early_timescale", dict(sigma2=1, rho=20, A="0.3", tau=0, s="1e-5"), "tau"),
        ("linear_dynamics.later_phase_bound", dict(sigma2=1, rho=20, A="0.3", tau=1, delta=0), "delta"),
        ("linear_dynamics.bernoulli_u", dict(sigma2=1, rho=20, A="0.3", tau=1, u0=0, t=1), "u0"),
    ]:
        with pytest.raises(ValueError, match=rf"parameter {bad} "):
            CLAIMS[cid].evaluate(prec=15, **params)


@pytest.mark.parametrize("fid", ["000.fig1", "000.fig2", "000.fig3", "000.eq20"])
def test_figure_writes_a_png(fid, tmp_path):
    from verify.figures import load_all
    fig = load_all()[fid]
    out = fig.func(tmp_path, paper_scale=False, seed=7)
    assert out.exists() and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert set(fig.claims) and fig.caption


def test_deviation_energy_derivative_matches_the_path(problem):
    """τ dE/dt computed from the loss gradient equals the derivative of E(t) read off the integrated
    path (central differences on a fine grid), and the completion basis is orthonormal."""
    from numerics.alignment_energy import completion_basis, deviation_energy
    V = completion_basis(problem)
    assert np.allclose(V.T @ V, np.eye(problem.d), atol=1e-13)
    assert np.allclose(V[:, :2], np.column_stack([problem.v1, problem.v2]))
    W0, a0 = net.init_weights(6, problem.d, 0.05, np.random.default_rng(3))
    te = np.linspace(0.0, 2.0, 2001)
    traj = net.gradient_flow(W0, a0, problem.population, 1.0, te, rtol=1e-12)
    de = deviation_energy(traj, problem, problem.population)
    fd = (de.E[2:] - de.E[:-2]) / (te[2] - te[0])
    assert np.max(np.abs(fd - de.tau_dE[1:-1])) < 1e-4 * np.max(np.abs(de.tau_dE))
    assert de.E[0] > 0 and de.aw_rest.shape == (len(te), problem.d - 2)


def test_deviation_energy_rejects_a_bad_direction(problem):
    from numerics.alignment_energy import deviation_energy
    W0, a0 = net.init_weights(6, problem.d, 0.05, np.random.default_rng(3))
    traj = net.gradient_flow(W0, a0, problem.population, 1.0, np.linspace(0, 0.1, 3))
    with pytest.raises(ValueError, match="rhat"):
        deviation_energy(traj, problem, problem.population, rhat=np.zeros(6))
    with pytest.raises(ValueError, match="rhat"):
        deviation_energy(traj, problem, problem.population, rhat=np.ones(5))
