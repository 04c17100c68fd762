"""numerics.linear_network_runs: the shared network runs of paper 000 §3 (matched start, basis, flows)."""

import numpy as np
import pytest

from numerics import linear_network as net
from numerics import linear_network_runs as runs


def test_matched_start_has_the_networks_growing_amplitude():
    # w1 = |w2| sinh(Gt + c) has growing amplitude |w2| e^c / 2 = u0 at w1(0) = u0 − w2²/(4u0)
    u0_, w2 = 1e-3, 4e-4
    w10, w20 = runs.matched_initial_conditions(u0_, w2)
    c = np.arcsinh(w10 / abs(w20))
    assert abs(w20) * np.exp(c) / 2 == pytest.approx(u0_, rel=1e-12) and w20 == w2


@pytest.mark.parametrize("u0_", [0.0, -1.0, float("nan"), float("inf")])
def test_matched_start_rejects_bad_u0(u0_):
    with pytest.raises(ValueError, match="u0"):
        runs.matched_initial_conditions(u0_, 0.1)


def test_spike_basis_is_orthonormal_and_starts_with_v1_v2():
    rng = np.random.default_rng(0)
    problem = net.spiked_problem(1.0, 20.0, 0.3, 8, rng)
    V = runs.spike_basis(problem, rng)
    assert np.allclose(V.T @ V, np.eye(8), atol=1e-12)
    assert np.allclose(V[:, 0], problem.v1) and np.allclose(V[:, 1], problem.v2)


def test_population_flow_rejects_bad_scale():
    with pytest.raises(ValueError, match="s must"):
        runs.population_flow(20.0, 0.3, float("nan"), 0, m=5, d=4, horizon=1.0, rtol=1e-8)


def test_deviations_shrink_with_s():
    small = runs.deviations_from_reduced(*runs.population_flow(20.0, 0.3, 1e-4, 3, m=6, d=5, horizon=8.0,
                                                               rtol=1e-11), rtol=1e-11)
    large = runs.deviations_from_reduced(*runs.population_flow(20.0, 0.3, 1e-2, 3, m=6, d=5, horizon=8.0,
                                                               rtol=1e-11), rtol=1e-11)
    assert small["‖P⊥a‖"] < 0.1 * large["‖P⊥a‖"]
