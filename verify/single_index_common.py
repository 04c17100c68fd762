"""Shared helpers of the papers 001/002 checks (test_single_index_*.py): the per-point generator
and the weighted slope fit (verify.stats)."""

from __future__ import annotations

import numpy as np

from . import stats
from .tolerance import Z_ROW

Z95 = stats.z_quantile(0.975)
Z_MC = Z_ROW  # per-row z for Monte-Carlo (verify.tolerance)


def rng_for(audit_seed: int, offset: int) -> np.random.Generator:
    return np.random.default_rng([audit_seed, offset])


def fit_slope(x, y, se=None):
    """Weighted least-squares slope of y on x and its standard error (from the given per-point
    standard errors, or from the residuals when none are given)."""
    if se is None:
        fit = stats.linear_fit(x, y)
    else:
        fit = stats.linear_fit(x, y, weights=1 / np.asarray(se, float) ** 2)
    return fit.slope, fit.se


def _branches(pw):
    """The expressions of a Piecewise claim, in order."""
    return [e for e, _ in pw.args]
