"""numerics.sample_complexity: the n* sweep is the per-trial bisection, whatever runs it."""

import pytest

from numerics import sample_complexity as sc


def test_sweep_equals_the_direct_bisection_and_is_cache_independent(tmp_path):
    got = sc.measure_n_stars(2, 0.5, 0.0, [16], 2, 7, cache=tmp_path)
    again = sc.measure_n_stars(2, 0.5, 0.0, [16], 2, 7, cache=tmp_path)  # from the cache
    direct = [sc.n_star_point(dict(k=2, g1=0.5, g2=0.0, d=16, trial=t, seed=7, method="gf",
                                   preconditioner="inverse empirical")) for t in range(2)]
    assert got == again == {16: direct}


def test_bad_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        sc.measure_n_stars(2, 0.5, 0.0, [16], 1, 0, method="adam")
