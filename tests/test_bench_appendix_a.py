"""Benchmarks (pytest-benchmark; disabled by default, run with --benchmark-enable)."""

from numerics.spiked import appendix_a
from theory import CLAIMS


def test_bench_appendix_a_construction_at_50_digits(benchmark):
    q = benchmark(appendix_a, 1, 20, "0.3", d=8, prec=50)
    assert q.nu > 0


def test_bench_claim_evaluate_at_50_digits(benchmark):
    value = benchmark(CLAIMS["linear_dynamics.lambda2"].evaluate, sigma2=1, rho=20, A="0.3")
    assert value > 1
