"""Machinery of numerics.two_layer_gradient and theory.gradient_rank: bad input raises ValueError
naming the argument; known cases; the fast split agrees with the brute-force construction."""

from __future__ import annotations

import numpy as np
import pytest

from numerics import two_layer_gradient as tl
from theory import CLAIMS
from theory.gradient_rank import moments


@pytest.mark.parametrize("kwargs, name", [
    (dict(n=0), "n"), (dict(d=-3), "d"), (dict(m=0), "m"), (dict(zeta=-0.1), "zeta"),
    (dict(activation="gelu"), "activation"), (dict(scaling="muP"), "scaling"),
    (dict(alpha=-1.0), "alpha"), (dict(noise_var=-1.0), "noise_var"), (dict(n=2.5), "n"),
    (dict(zeta=float("nan")), "zeta"),
])
def test_bad_input_names_the_argument(kwargs, name):
    args = dict(n=10, d=8, m=6, zeta=1.0, seed=0)
    args.update({k: v for k, v in kwargs.items() if k in args})
    opts = {k: v for k, v in kwargs.items() if k not in args}
    with pytest.raises(ValueError, match=name):
        tl.sample(args["n"], args["d"], args["m"], args["zeta"], args["seed"], **opts)


def test_regularizer_strengths_are_validated():
    data, net, _ = tl.sample(10, 8, 6, 1.0, 0)
    with pytest.raises(ValueError, match="lam"):
        tl.weight_decay_gradient(net, -1.0)
    with pytest.raises(ValueError, match="lam_jac"):
        tl.jacobian_penalty_gradient(data, net, -1.0)


def test_theory_rejects_unknown_activation_and_bad_domains():
    with pytest.raises(ValueError, match="activation"):
        moments("gelu")
    claim = CLAIMS["gradient_rank.spike_energy_relu"]
    good = dict(n=100, d=100, m=100, zeta=1, scale_exp=0.5, alpha_exp=0, noise_var=0)
    with pytest.raises(ValueError, match="zeta"):
        claim.evaluate(prec=15, **{**good, "zeta": -1})
    with pytest.raises(ValueError, match="scale_exp"):
        claim.evaluate(prec=15, **{**good, "scale_exp": 2})
    with pytest.raises(ValueError, match="n"):
        claim.evaluate(prec=15, **{**good, "n": 0})


def test_relu_centring_constant_and_tanh_moments_by_quadrature():
    """κ = 1/2 for ReLU at any variance; the tanh moments of theory (mpmath quad) equal the
    numerics' Gauss-Hermite values."""
    assert np.all(tl.derivative_mean("relu", np.array([0.1, 1.0, 10.0])) == 0.5)
    import sympy as sp

    for var in (1, 2):
        th = float(sp.N(moments("tanh", sp.Integer(var))["kappa"], 20))
        num = float(tl.derivative_mean("tanh", np.array([float(var)]))[0])
        assert abs(th - num) < 1e-8  # Gauss-Hermite limited by tanh's poles: ~1e-9 at var <= 2


def test_power_bulk_is_normalized():
    lam = tl.bulk_spectrum(50, 1.0)
    assert abs(lam.sum() - 50) < 1e-10 and np.all(np.diff(lam) < 0)
    assert np.allclose(tl.bulk_spectrum(7, 0.0), 1.0)


def test_split_matches_brute_force_per_neuron_loop():
    """The vectorized split against an explicit loop over neurons and samples."""
    data, net, _ = tl.sample(15, 7, 5, 2.0, 3, activation="tanh", scaling="mf")
    parts = tl.split(data, net)
    r = tl.residual(data, net)
    n = 15
    S = np.zeros_like(net.W)
    E = np.zeros_like(net.W)
    for j in range(5):
        for i in range(n):
            dp = tl.act("tanh", np.array(net.W[j] @ data.X[i]), 1) - parts.kappa[j]
            S[j] += net.c_m / n * net.a[j] * dp * r[i] * data.zeta * data.z[i] * data.q
            E[j] += net.c_m / n * net.a[j] * dp * r[i] * data.XB[i]
    assert np.abs(S - parts.S).max() < 1e-13 and np.abs(E - parts.E).max() < 1e-13


def test_paired_samples_share_the_network():
    """Input noise changes the data, not the network drawn from the same seed."""
    _, net0, _ = tl.sample(20, 10, 8, 1.0, 5)
    _, net1, _ = tl.sample(20, 10, 8, 1.0, 5, noise_var=1.0)
    assert np.array_equal(net0.W, net1.W) and np.array_equal(net0.a, net1.a)


@pytest.mark.parametrize("activation", tl.ACTIVATIONS)
def test_term_energies_match_the_split(activation):
    data, net, _ = tl.sample(40, 30, 20, 2.0, 3, activation=activation, alpha=1.0, noise_var=0.5)
    parts = tl.split(data, net, noise_var=0.5)
    want = [np.sum(parts.R**2), np.sum(parts.S**2), np.sum(parts.E**2)]
    np.testing.assert_allclose(tl.term_energies(data, net, noise_var=0.5), want, rtol=1e-12)


def test_control_variates_have_mean_zero():
    """Each centred statistic averages to 0 over many draws (within 4 SE)."""
    rows = []
    for s in range(400):
        data, net, _ = tl.sample(20, 15, 10, 1.5, s, alpha=1.0, noise_var=0.3)
        rows.append(tl.control_variates(data, net, noise_var=0.3))
    rows = np.array(rows)
    se = rows.std(axis=0, ddof=1) / np.sqrt(len(rows))
    assert np.all(np.abs(rows.mean(axis=0)) <= 4 * se + 1e-12)


def test_control_variates_need_beta():
    data, net, _ = tl.sample(10, 8, 6, 1.0, 0)
    bare = tl.SpikedData(X=data.X, XB=data.XB, z=data.z, q=data.q, y=data.y, bulk=data.bulk,
                         zeta=data.zeta)
    with pytest.raises(ValueError, match="beta"):
        tl.control_variates(bare, net)
