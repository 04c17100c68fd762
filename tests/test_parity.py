"""numerics.parity and numerics.preconditioning: small and fast."""

import math

import numpy as np
import pytest

from numerics import parity as P
from numerics import preconditioning as PC


def test_sample_labels_and_scale():
    X, y = P.sample(16, 3, 0.5, 500, np.random.default_rng(0))
    assert X.shape == (500, 16)
    assert np.allclose(np.abs(X[:, :3]), 16 ** 0.25) and np.allclose(np.abs(X[:, 3:]), 1.0)
    assert np.array_equal(y, np.sign(np.prod(X[:, :3], axis=1)))
    assert abs(y.mean()) < 0.2


@pytest.mark.parametrize("bad", [dict(d=0), dict(k=20), dict(alpha=1.0), dict(alpha=-0.1), dict(n=0)])
def test_sample_bad_input(bad):
    kw = dict(d=16, k=2, alpha=0.5, n=10) | bad
    name = "k" if "k" in bad else next(iter(bad))
    with pytest.raises(ValueError, match=name):
        P.sample(rng=np.random.default_rng(0), **kw)


def test_train_learns_xor_and_not_noise():
    rng = np.random.default_rng(1)
    X, y = P.sample(8, 2, 0.5, 256, rng)
    Xt, yt = P.sample(8, 2, 0.5, 1000, rng)
    assert P.accuracy(P.train(X, y, rng), Xt, yt) > 0.95
    # labels independent of x: test accuracy at chance
    assert abs(P.accuracy(P.train(X, rng.permutation(y), rng), Xt, yt) - 0.5) < 0.1


def test_n_star_search():
    assert P.n_star(lambda n: n >= 100, 8) == float(round(8 * 2 ** (15 / 4)))
    assert P.n_star(lambda n: True, 8) == 8.0
    assert P.n_star(lambda n: False, 8, n_max=64) == math.inf
    with pytest.raises(ValueError, match="n0"):
        P.n_star(lambda n: True, 0)


def test_preconditioned_overlap_limits():
    rng = np.random.default_rng(2)
    ex, est, raw = PC.overlaps(10, 20000, [11, 10**6], 0.25, 0.5, rng)
    assert ex > 0.98 and est[1] > 0.98 and est[0] < ex and raw < ex
    with pytest.raises(ValueError, match="n_unl"):
        PC.overlaps(10, 100, [5], 0.25, 0.5, rng)
    with pytest.raises(ValueError, match="gamma1"):
        PC.spiked(10, 0.7, 0.5, rng)
