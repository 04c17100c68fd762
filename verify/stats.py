"""The statistics the checks share: means with standard errors, log-log slope fits with their
standard errors and degrees of freedom, and the quantiles that turn them into intervals.

Every t- or z-quantile of the audit comes from here (``scipy.stats``), never typed by hand:
``t_quantile(0.975, 2)`` is 4.3027, not "4.30".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats


def _level(level: float) -> float:
    level = float(level)
    if not 0.5 < level < 1:
        raise ValueError(f"level must be a one-sided probability in (0.5, 1), got {level!r}")
    return level


def t_quantile(level: float, dof: int) -> float:
    """Student-t quantile ``t_{level}(dof)`` (one-sided level; 0.975 for a two-sided 95 % interval)."""
    if not (isinstance(dof, (int, np.integer)) or (isinstance(dof, float) and dof.is_integer())) or dof < 1:
        raise ValueError(f"dof must be an integer >= 1, got {dof!r}")
    return float(stats.t.ppf(_level(level), int(dof)))


def z_level(z: float) -> float:
    """The one-sided level Φ(z) of a z-multiplier (the level a t quantile must match)."""
    z = float(z)
    if not (math.isfinite(z) and z > 0):
        raise ValueError(f"z must be a finite number > 0, got {z!r}")
    return float(stats.norm.cdf(z))


def z_quantile(level: float) -> float:
    """Standard normal quantile (one-sided level)."""
    return float(stats.norm.ppf(_level(level)))


def bonferroni_z(family: int, alpha: float = 0.05) -> float:
    """Two-sided z for a family of ``family`` comparisons at family-wise level ``alpha``."""
    if int(family) != family or family < 1:
        raise ValueError(f"family must be an integer >= 1, got {family!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    return z_quantile(1 - alpha / (2 * int(family)))


def t_matching_z(z: float, dof: int) -> float:
    """The t-quantile with the same one-sided confidence as ``z`` standard errors of a normal."""
    return t_quantile(float(stats.norm.cdf(z)), dof)


def mean_se(values, axis: int = 0) -> tuple[np.ndarray | float, np.ndarray | float]:
    """Sample mean and its standard error s/√n (ddof = 1) along ``axis``."""
    x = np.asarray(values, dtype=float)
    n = x.shape[axis]
    if n < 2:
        raise ValueError(f"a standard error needs at least 2 values along axis {axis}, got {n}")
    mean = x.mean(axis=axis)
    se = x.std(axis=axis, ddof=1) / math.sqrt(n)
    if np.ndim(mean) == 0:
        return float(mean), float(se)
    return mean, se


@dataclass(frozen=True)
class SlopeFit:
    """A fitted slope with its standard error and the degrees of freedom behind it."""

    slope: float
    se: float
    dof: int
    intercept: float = math.nan
    intercept_se: float = math.nan
    residuals: tuple = field(default=(), repr=False)

    def t(self, level: float = 0.975) -> float:
        return t_quantile(level, self.dof)

    def half_width(self, level: float = 0.975) -> float:
        """Half-width of the t-interval (``level`` one-sided: 0.975 → two-sided 95 %)."""
        return self.t(level) * self.se

    def interval(self, level: float = 0.975) -> tuple[float, float]:
        h = self.half_width(level)
        return self.slope - h, self.slope + h


def linear_fit(x, y, *, weights=None, inflate: bool = False) -> SlopeFit:
    """Least-squares line y = b + a·x. Without ``weights`` the slope's SE comes from the residuals
    (n − 2 dof). With ``weights`` = 1/σ² of each y it is the weighted fit with SE from the given σ,
    multiplied by √(χ²/dof) when ``inflate`` and the misfit exceeds the stated noise."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-d arrays of one length, got {x.shape} and {y.shape}")
    if len(x) < 3:
        raise ValueError(f"a slope with a standard error needs >= 3 points, got {len(x)}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x and y must be finite")
    dof = len(x) - 2
    X = np.column_stack([np.ones_like(x), x])
    if weights is None:
        res = stats.linregress(x, y)
        resid = y - (res.intercept + res.slope * x)
        return SlopeFit(float(res.slope), float(res.stderr), dof, float(res.intercept),
                        float(res.intercept_stderr), tuple(resid))
    w = np.asarray(weights, float)
    if w.shape != x.shape or np.any(w <= 0) or not np.all(np.isfinite(w)):
        raise ValueError("weights must be positive, finite and one per point")
    cov = np.linalg.inv(X.T @ (w[:, None] * X))
    coef = cov @ X.T @ (w * y)
    resid = y - X @ coef
    scale = max(1.0, float(resid @ (w * resid)) / dof) if inflate else 1.0
    return SlopeFit(float(coef[1]), float(math.sqrt(cov[1, 1] * scale)), dof, float(coef[0]),
                    float(math.sqrt(cov[0, 0] * scale)), tuple(resid))


def loglog_fit(x, y, *, weights=None, inflate: bool = False) -> SlopeFit:
    """Slope of log y against log x (both positive); see :func:`linear_fit`."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("a log-log fit needs positive x and y")
    return linear_fit(np.log(x), np.log(y), weights=weights, inflate=inflate)


def per_trial_slopes(logx, values) -> SlopeFit:
    """Least-squares slopes of each trial's ``values`` (trials × len(logx)) on ``logx``, summarized
    by their mean and standard error (trials − 1 dof): common random numbers across x."""
    logx = np.asarray(logx, float)
    v = np.asarray(values, float)
    if v.ndim != 2 or v.shape[1] != len(logx):
        raise ValueError(f"values must be trials × {len(logx)}, got shape {v.shape}")
    xc = logx - logx.mean()
    slopes = (v - v.mean(axis=1, keepdims=True)) @ xc / float(xc @ xc)
    mean, se = mean_se(slopes)
    return SlopeFit(float(mean), float(se), len(slopes) - 1)


def control_variate_mean(y, C) -> tuple[float, float]:
    """Control-variate estimate of E y: the intercept of the least-squares fit y ≈ μ + γᵀC over
    seeds, where every column of C has mean exactly 0 (so μ̂ = ȳ − γ̂ᵀC̄ is unbiased up to O(1/k)).
    SE: the larger of the classical and the heteroskedasticity-robust (HC1 sandwich) SE of the
    intercept, since r²z²-type products are heavy-tailed. Constant columns (e.g. f̄ for tanh) drop."""
    keep = [j for j in range(C.shape[1]) if np.ptp(C[:, j]) > 0]
    A = np.column_stack([np.ones(len(y)), C[:, keep]])
    k, p = A.shape
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ coef
    inv = np.linalg.pinv(A.T @ A)
    classical = resid @ resid / (k - p) * inv[0, 0]
    meat = (A * resid[:, None] ** 2).T @ A
    robust = (inv @ meat @ inv)[0, 0] * k / (k - p)
    return float(coef[0]), float(np.sqrt(max(classical, robust)))
