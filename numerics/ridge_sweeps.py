"""Per-point functions of the paper 000 §4 Monte-Carlo sweeps, in the form
:func:`numerics.sweep.run` takes: ``fn(point, rng)`` with ``point`` a dict of parameters."""

from __future__ import annotations

import numpy as np

from .ridge import risks_spectral


def min_norm_grid_point(point: dict, rng: np.random.Generator) -> np.ndarray:
    """Min-norm risks (reduced model, :func:`numerics.ridge.risks_spectral`, σ² = 1) at one γ:
    keys gamma, d, trials, rhos, aligns; n = round(d/γ). Shape (trials, len(rhos), len(aligns)),
    all (ρ, A) sharing each draw."""
    d = point["d"]
    return risks_spectral(1.0, point["rhos"], point["aligns"], d=d, n=int(round(d / point["gamma"])),
                          trials=point["trials"], rng=rng)


def min_norm_risk_point(point: dict, rng: np.random.Generator) -> tuple[float, float]:
    """Mean min-norm risk and its standard error (reduced model, σ² = 1) at one (ρ, A, d, n):
    keys rho, align, d, n, trials. The 1/d-gap sweep of paper 000 §4 runs one such point per d."""
    risks = risks_spectral(1.0, point["rho"], point["align"], d=point["d"], n=point["n"],
                           trials=point["trials"], rng=rng)
    return float(risks.mean()), float(risks.std(ddof=1) / np.sqrt(len(risks)))
