"""numerics.two_layer_gradient_sweeps: the paper 003 seed loops are reproducible per seed and check input."""

import numpy as np
import pytest

from numerics import two_layer_gradient_sweeps as sw


def test_same_seed_same_rows_and_seeds_are_consecutive():
    a = sw.spike_energies("relu", "ntk", 2.0, 7, 2, n=30, d=40, m=20)
    b = sw.spike_energies("relu", "ntk", 2.0, 7, 2, n=30, d=40, m=20)
    assert [r["S"] for r in a] == [r["S"] for r in b] and [r["seed"] for r in a] == [7, 8]


def test_energies_table_shape_and_split_rows():
    t = sw.energies_with_control_variates("tanh", "mf", 1.5, 0.0, 3, 3, n=30, d=40, m=20)
    assert t.shape == (3, 9) and np.all(t[:, :3] > 0)
    rows = sw.split_measurements("relu", "ntk", 1.5, 0.0, 3, 2, n=30, d=40, m=20)
    assert len(rows) == 2 and rows[0]["seed"] == 3 and 0 < rows[0]["F2"] <= 1


@pytest.mark.parametrize("kw", [dict(n=0), dict(seeds=1.5), dict(reg="l1")])
def test_bad_input_is_refused(kw):
    args = dict(n=30, d=40, m=20, seeds=2)
    reg = kw.pop("reg", "none")
    args.update(kw)
    seeds = args.pop("seeds")
    with pytest.raises(ValueError):
        sw.split_measurements("relu", "ntk", 1.5, 0.0, 3, seeds, reg=reg, **args)
