"""The paper 003 figures render to PNG files (default size)."""

from __future__ import annotations

import pytest

from verify.figures import load_all


@pytest.mark.parametrize("fig_id", ["003.fig_singular_values", "003.fig_overlaps", "003.fig_regularizers"])
def test_figure_writes_png(fig_id, tmp_path):
    fig = load_all()[fig_id]
    path = fig.func(tmp_path, paper_scale=False, seed=20251123)
    assert path.exists() and path.stat().st_size > 10_000
