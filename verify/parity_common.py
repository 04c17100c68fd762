"""Shared runs of the parity checks and figure (numerics.parity through numerics.sweep.run)."""

from __future__ import annotations

import math

import numpy as np

from numerics import parity as npar

from . import stats

DEFAULT = dict(dims=(16, 24, 32, 48), seeds=3, alphas=(0.5, 0.75), ks=(2, 3), contrast_d=32)
PAPER = dict(dims=(16, 32, 64, 128, 256), seeds=6, alphas=(0.5, 0.75), ks=(2, 3), contrast_d=64)


def n_stars(k, alpha, dims, seeds, audit_seed, **run_kw) -> dict:
    return npar.measure_n_stars(k, alpha, dims, seeds, audit_seed, progress=False, **run_kw)


def loglog(ns: dict) -> stats.SlopeFit:
    """Slope of log n* on log d over every (d, seed) point (a seed that never reached the level
    within N_MAX makes the fit undefined: raises)."""
    xs, ys = [], []
    for dim, vals in ns.items():
        for v in vals:
            if not math.isfinite(v):
                raise AssertionError(f"n* not reached within n <= {npar.N_MAX} at d = {dim}")
            xs.append(math.log(dim)), ys.append(math.log(v))
    return stats.linear_fit(np.array(xs), np.array(ys))


def slope_difference(a: stats.SlopeFit, b: stats.SlopeFit) -> stats.SlopeFit:
    """a − b for independent fits: SE added in quadrature, the smaller dof (conservative)."""
    return stats.SlopeFit(a.slope - b.slope, math.hypot(a.se, b.se), min(a.dof, b.dof))
