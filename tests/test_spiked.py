"""numerics.spiked on cases whose answers are known without any closed form."""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from numerics.spiked import appendix_a, orthonormal_frame, spike_and_target, spiked_covariance


def test_frame_is_orthonormal_to_working_precision():
    with mpmath.workdps(40):
        frame = orthonormal_frame(6, 4, np.random.default_rng(1))
        for i, p in enumerate(frame):
            for j, q in enumerate(frame):
                assert abs(mpmath.fsum(a * b for a, b in zip(p, q)) - (i == j)) < mpmath.mpf(10) ** -38


@pytest.mark.parametrize("A", ["0", "0.3", "1"])
def test_spike_and_target_have_unit_norm_and_the_requested_overlap(A):
    with mpmath.workdps(40):
        mu, beta = spike_and_target(A, 5, np.random.default_rng(2))
        dot = lambda x, y: mpmath.fsum(a * b for a, b in zip(x, y))
        assert abs(dot(mu, mu) - 1) < 1e-38 and abs(dot(beta, beta) - 1) < 1e-38
        assert abs(dot(mu, beta) - mpmath.mpf(A)) < 1e-38


def test_covariance_has_spike_and_bulk_eigenvalues():
    with mpmath.workdps(30):
        mu, _ = spike_and_target("0.5", 4, np.random.default_rng(3))
        eig = sorted(mpmath.eigsy(spiked_covariance(mpmath.mpf(2), mpmath.mpf(3), mu))[0])
    assert [float(x) for x in eig] == pytest.approx([2, 2, 2, 8], rel=1e-25)


def test_isotropic_data_has_no_coupling_and_equal_variances():
    q = appendix_a(2, 0, "0.4")
    assert q.parallel
    assert float(q.lambda1) == pytest.approx(2, rel=1e-40)
    assert float(q.lambda2) == pytest.approx(2, rel=1e-40)
    assert abs(q.nu) < 1e-45 and float(q.sigma_xy_norm) == pytest.approx(2, rel=1e-40)


def test_aligned_target_learns_along_the_spike():
    q = appendix_a(1, 5, 1)
    assert float(q.mu_dot_v1) == pytest.approx(1, rel=1e-40) and abs(q.mu_dot_v2) < 1e-45
    assert float(q.lambda1) == pytest.approx(6, rel=1e-40)


def test_generic_case_sign_convention_makes_nu_positive():
    q = appendix_a(1, 20, "0.3", seed=5)
    assert not q.parallel and q.nu > 0 and q.mu_dot_v2 < 0


@settings(max_examples=25, deadline=None)
@given(sigma2=st.floats(0.01, 100), rho=st.floats(0, 1e3), A=st.floats(0, 1), seed=st.integers(0, 2**16))
def test_block_is_sigma_on_an_invariant_plane(sigma2, rho, A, seed):
    """trace/det (compared in float64) of [[λ1, −ν], [−ν, λ2]] equal the sum/product of the two eigenvalues σ²(1+ρ), σ²
    of Σ on span{μ, β} — a fact of linear algebra, independent of Appendix A."""
    q = appendix_a(sigma2, rho, A, d=4, seed=seed, prec=30)
    lam_spike, lam_bulk = sigma2 * (1 + rho), sigma2
    assert float(q.block_trace) == pytest.approx(lam_spike + lam_bulk, rel=1e-13)
    assert float(q.block_det) == pytest.approx(lam_spike * lam_bulk, rel=1e-13)


@pytest.mark.parametrize("kwargs, name", [
    (dict(sigma2=1, rho=1, A=1.5), "A"), (dict(sigma2=0, rho=1, A=0.5), "sigma2"),
    (dict(sigma2=1, rho=-2, A=0.5), "rho"), (dict(sigma2=1, rho=1, A=0.5, d=2), "d"),
    (dict(sigma2=1, rho=1, A=0.5, d=0), "d"), (dict(sigma2=1, rho=1, A=0.5, prec=0), "prec"),
    (dict(sigma2=1, rho=1, A=0.5, v2_choice="any"), "v2_choice"),
    (dict(sigma2=float("nan"), rho=1, A=0.5), "sigma2"),
])
def test_bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        appendix_a(**kwargs)
