"""Per-point functions of the figures' sweeps, in the form :func:`numerics.sweep.run` takes:
``fn(point, rng)`` with ``point`` a dict of parameters.
"""

from __future__ import annotations

import numpy as np

from .linear_network_training import network_risks_full


def fig5_group(point: dict, rng: np.random.Generator) -> dict:
    """One group of paper 000's Figure 5: trained two-layer linear networks (exact full GD,
    :func:`numerics.linear_network_training.network_risks_full`) at one (d, m, n, ρ) for the
    alignments ``point["A"]``, ``point["trials"]`` trials (one design per trial shared by the
    alignments). Keys: d, m, n, rho, A (list), trials, sigma2, s (initialization scale), tol
    (relative loss at which GD stops), runs_per_call (None: all trials in one batched call).
    Returns network_risks_full's dict of (trials, len(A)) arrays plus ``steps``."""
    return network_risks_full(point["sigma2"], point["rho"], point["A"], d=point["d"], m=point["m"],
                              n=point["n"], trials=point["trials"], s=point["s"], rng=rng,
                              tol=point["tol"], runs_per_call=point.get("runs_per_call"))
