"""Speed of the single-index numerics (pytest-benchmark; disabled by default, still run once):
the reduced δ0 sampler against the explicit d-dimensional one, and one velocity evaluation."""

import numpy as np

from numerics import hermite as nh
from numerics.initial_overlap import initial_overlaps
from numerics.single_index_flows import Neuron, make_problem, velocity


def test_bench_delta0_reduced(benchmark):
    rng = np.random.default_rng(0)
    benchmark(initial_overlaps, 1000, 100.0, 0.1, 20_000, rng)


def test_bench_delta0_full(benchmark):
    rng = np.random.default_rng(0)
    benchmark(initial_overlaps, 1000, 100.0, 0.1, 20_000, rng, method="full")


def test_bench_normalized_velocity_relu(benchmark):
    rng = np.random.default_rng(0)
    p = make_problem(2000, 100.0, 1.0, rng, scale=1 / 101)
    w = rng.standard_normal(2000)
    benchmark(velocity, p, Neuron("relu", lambda u: -nh.h(4, u)), w, "normalized")
