"""Speed targets of the dynamics numerics (pytest-benchmark; disabled by default, still run once)."""

import numpy as np

from numerics import linear_network as net
from numerics.reduced_ode import Coefficients, reduced_scipy


def _paper_network():
    problem = net.spiked_problem(1.0, 20.0, 0.3, 30, np.random.default_rng(0))
    W0, a0 = net.init_weights(50, 30, 1e-5, np.random.default_rng(1))
    return problem, W0, a0


def test_bench_full_network_gradient_flow_paper_scale(benchmark):
    """Figure 1 scale (m = 50, d = 30, s = 1e-5), population flow to t = 12τ."""
    problem, W0, a0 = _paper_network()
    traj = benchmark(net.gradient_flow, W0, a0, problem.population, 1.0, np.linspace(0, 12, 121))
    assert traj.t[-1] == 12


def test_bench_full_network_gradient_descent_on_samples(benchmark):
    """Figure 1 scale on n = 10⁴ samples: 1200 GD steps (η = 0.005, t = 12τ)."""
    problem, W0, a0 = _paper_network()
    data = net.sample(problem, 10_000, np.random.default_rng(2))
    traj = benchmark(net.gradient_descent, W0, a0, data.moments, 0.005, 1200, every=100)
    assert len(traj.t) == 13


def test_bench_reduced_ode(benchmark):
    c = Coefficients(6.37, 20.55, 1.448, 2.96)
    path = benchmark(reduced_scipy, 1e-6, 0.0, c, 1.0, 40.0)
    assert abs(path.w1[-1] - 0.4394) < 1e-3
