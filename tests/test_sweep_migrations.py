"""The Eq. (20) grid and the §4 Monte-Carlo grid run through numerics.sweep: same values as the
direct computation, and independent of the number of workers."""

import numpy as np

from numerics import later_phase as lp
from numerics import ridge_sweeps, sweep
from numerics.ridge import risks_spectral


def test_later_phase_point_is_the_direct_computation():
    pts = [{"rho": "20", "A": "0.5"}, {"rho": "100", "A": "0.1"}]
    got = sweep.run(lp.later_phase_point, pts, seed=0, cache=False)
    assert got == [lp.later_phase(p["rho"], p["A"]) for p in pts]


def test_min_norm_grid_point_matches_direct_and_ignores_workers():
    pts = [{"gamma": g, "d": 40, "trials": 5, "rhos": [0, 20], "aligns": [0.3, 1]} for g in (2, 4)]
    one = sweep.run(ridge_sweeps.min_norm_grid_point, pts, seed=3, workers=1, cache=False)
    two = sweep.run(ridge_sweeps.min_norm_grid_point, pts, seed=3, workers=2, cache=False)
    for p, a, b in zip(pts, one, two):
        np.testing.assert_array_equal(a, b)
        direct = risks_spectral(1.0, p["rhos"], p["aligns"], d=40, n=int(round(40 / p["gamma"])),
                                trials=5, rng=sweep.point_rng(3, p))
        np.testing.assert_array_equal(a, direct)
        assert a.shape == (5, 2, 2)


def test_min_norm_risk_point_is_the_mean_and_se_of_the_direct_draws():
    pts = [{"rho": 20, "align": 0.5, "d": d, "n": d // 3, "trials": 6} for d in (30, 60)]
    got = sweep.run(ridge_sweeps.min_norm_risk_point, pts, seed=5, workers=1, cache=False)
    for p, (mean, se) in zip(pts, got):
        risks = risks_spectral(1.0, 20, 0.5, d=p["d"], n=p["n"], trials=6, rng=sweep.point_rng(5, p))
        assert mean == float(risks.mean())
        assert se == float(risks.std(ddof=1) / np.sqrt(6))
