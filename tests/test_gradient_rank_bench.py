"""Speed of the gradient, its split and the top-3 spectrum at the verify size (n, d, m) =
(300, 400, 500): pytest-benchmark, disabled by default (runs once)."""

from __future__ import annotations

import numpy as np

from numerics import two_layer_gradient as tl


def _setup():
    return tl.sample(300, 400, 500, 300**0.35, 0)


def test_bench_split(benchmark):
    data, net, _ = _setup()
    parts = benchmark(tl.split, data, net)
    assert parts.E.shape == (500, 400)


def test_bench_measure(benchmark):
    data, net, rng = _setup()
    meas = benchmark(tl.measure, data, net, rng)
    assert 0 < meas.top2_fraction <= 1


def test_bench_top3_arpack_vs_dense(benchmark):
    data, net, rng = _setup()
    G = tl.gradient(data, net)
    _, s, _ = benchmark(tl.top_singular, G, 3, rng)
    assert np.allclose(s, np.linalg.svd(G, compute_uv=False)[:3], rtol=1e-9)
