"""Unit tests of the single-index numerics: known cases, input validation, fast path against the
brute-force reference, and the figures (each writes a PNG)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.polynomial.hermite_e import hermeval

from numerics import hermite as nh
from numerics.initial_overlap import initial_overlaps, second_moment
from numerics.single_index_flows import Neuron, make_problem, population_flow, spherical_escape_threshold
from numerics.single_index_gradients import concentration_error, first_step_cosines, normalized_hermite


@pytest.mark.parametrize("i", range(8))
def test_hermite_recurrence_matches_numpy(i):
    x = np.linspace(-3, 3, 13)
    c = np.zeros(i + 1); c[i] = 1
    np.testing.assert_allclose(nh.he(i, x), hermeval(x, c), rtol=1e-13, atol=1e-12)


def test_relu_partials_match_finite_differences():
    g = lambda u: nh.h(4, u)
    dv, dc = nh.relu_pair_partials(g, 1.3, 0.4)
    h = 1e-6
    fd_v = (nh.relu_pair_expectation(g, 1.3 + h, 0.4) - nh.relu_pair_expectation(g, 1.3 - h, 0.4)) / (2 * h)
    fd_c = (nh.relu_pair_expectation(g, 1.3, 0.4 + h) - nh.relu_pair_expectation(g, 1.3, 0.4 - h)) / (2 * h)
    assert abs(dv - fd_v) < 1e-8 and abs(dc - fd_c) < 1e-8


def test_reduced_delta0_sampler_matches_the_full_construction():
    rng = np.random.default_rng(7)
    a, b = second_moment(300, 50.0, 0.2, 100_000, rng)
    c, e = second_moment(300, 50.0, 0.2, 5_000, rng, method="full")
    assert abs(a - c) <= 4 * math.hypot(b, e)


@pytest.mark.parametrize("call, name", [
    (lambda: initial_overlaps(2, 1.0, 0.1, 10, np.random.default_rng(0)), "d"),
    (lambda: initial_overlaps(10, -1.0, 0.1, 10, np.random.default_rng(0)), "theta"),
    (lambda: initial_overlaps(10, 1.0, 1.5, 10, np.random.default_rng(0)), "a"),
    (lambda: initial_overlaps(10, 1.0, 0.1, 0, np.random.default_rng(0)), "size"),
    (lambda: make_problem(10, float("nan"), 0.1, np.random.default_rng(0)), "theta"),
    (lambda: make_problem(10, 1.0, 0.1, np.random.default_rng(0), scale=0.0), "scale"),
    (lambda: concentration_error(1, 10, normalized_hermite(1), normalized_hermite(1), 2,
                                 np.random.default_rng(0)), "d"),
    (lambda: first_step_cosines(10, 1.0, 2.0, 10, 2, normalized_hermite(1), normalized_hermite(1),
                                np.random.default_rng(0)), "a"),
    (lambda: nh.pair_expectation(np.sin, np.cos, -1.0, 0.0), "var_v"),
    (lambda: normalized_hermite(0), "k"),
])
def test_bad_input_raises_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_flow_rejects_bad_kind_and_shape():
    rng = np.random.default_rng(0)
    p = make_problem(5, 1.0, 0.5, rng)
    neuron = Neuron(lambda v: nh.h(1, v), lambda u: nh.h(1, u))
    with pytest.raises(ValueError, match="kind"):
        population_flow(p, neuron, np.ones(5), "sideways", 1.0)
    with pytest.raises(ValueError, match="w0"):
        population_flow(p, neuron, np.ones(4), "normalized", 1.0)
    with pytest.raises(ValueError, match="t_max"):
        population_flow(p, neuron, np.ones(5), "normalized", 0.0)


def test_escape_threshold_brackets_a_sign_change():
    neuron = Neuron("relu", lambda u: -nh.h(4, u))
    th = spherical_escape_threshold(1e-2, neuron, scale_of=lambda t: 1 / (1 + t))
    assert 100 < th < 1000


@pytest.mark.parametrize("fig_id", ["002.phase_diagram", "002.flows", "002.delta0"])
def test_figure_writes_a_png(fig_id, tmp_path):
    from verify.figures import load_all

    fig = load_all()[fig_id]
    out = fig.func(tmp_path, paper_scale=False, seed=1)
    assert out.exists() and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sphere_overlap_average_and_vectorized_gradient_norm():
    from numerics.single_index_gradients import (hermite_series, population_gradient_norm,
                                                 population_gradient_norm_sq_many, sphere_overlap_average)
    for d in (3, 10, 1000):  # E ω² = 1/d, E ω⁴ = 3/(d(d+2)) on S^{d−1}
        assert math.isclose(sphere_overlap_average(lambda o: o * o, d), 1 / d, rel_tol=1e-12)
        assert math.isclose(sphere_overlap_average(lambda o: o**4, d), 3 / (d * (d + 2)), rel_tol=1e-12)
    with pytest.raises(ValueError, match="d must be"):
        sphere_overlap_average(lambda o: o, 2)
    act, link = hermite_series([0, 1, 0.5, 0.2]), normalized_hermite(3)
    om = np.array([-0.7, 0.0, 0.05, 0.4])
    np.testing.assert_allclose(population_gradient_norm_sq_many(act, link, om),
                               [population_gradient_norm(act, link, o, nodes=12) ** 2 for o in om], rtol=1e-12)
