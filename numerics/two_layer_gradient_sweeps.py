"""Seed loops over the two-layer network of paper 003 that the gradient-rank checks share:
per-seed measurements of the split G = R + S + E (energies, spectra, overlaps), the term
energies with their control variates, and the spike energy alone. Seeds are consecutive
integers from a base derived by the caller from the audit seed and the point; the same seeds at
every ζ (common random numbers) so ζ-to-ζ differences are not seed noise.

Each seed is one point of a :func:`numerics.sweep.run` sweep (the point carries its own data seed,
so results do not depend on the runner's generator): the loops run on local processes or a dask
cluster with ``--workers`` / ``--scheduler`` and are cached in ``.cache/`` by code.
"""

from __future__ import annotations

import numpy as np

from . import sweep
from . import two_layer_gradient as tl


def _check(n, d, m, seeds):
    for name, v in (("n", n), ("d", d), ("m", m), ("seeds", seeds)):
        if int(v) != v or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")


def split_measurement_point(point: dict, rng=None) -> dict:
    """One seed of :func:`split_measurements` (``point`` holds every argument and ``seed``)."""
    p = point
    n, m = p["n"], p["m"]
    data, net, rng_ = tl.sample(n, p["d"], m, p["zeta"], p["seed"], scaling=p["scaling"],
                                activation=p["activation"], alpha=p["alpha"], noise_var=p["noise_var"])
    extra = None
    if p["reg"] == "wd":
        extra = tl.weight_decay_gradient(net, p["reg_strength"])
    elif p["reg"] == "jac":
        extra = tl.jacobian_penalty_gradient(data, net, p["reg_strength"])
    meas = tl.measure(data, net, rng_, extra=extra, noise_var=p["noise_var"])
    c2m = net.c_m**2 * m
    r = tl.residual(data, net)
    rz2, r2 = (r * data.z) ** 2, r**2
    rel_S = float(rz2.std(ddof=1) / (np.sqrt(n) * rz2.mean()))
    rel_R = float(r2.std(ddof=1) / (np.sqrt(n) * r2.mean()))
    return dict(R=meas.norm_R**2 / c2m, S=meas.norm_S**2 / c2m, E=meas.norm_E**2 / c2m,
                opE2=meas.op_E**2 / c2m, G2=meas.norm_G**2 / c2m, sv=meas.sv,
                F2=meas.top2_fraction, ovq=meas.overlap_spike, ovr=meas.overlap_residue,
                ova=meas.overlap_left_a, c2m=c2m, rel_S=rel_S, rel_R=rel_R, seed=p["seed"])


def _seed_points(base_seed, seeds, **params):
    return [dict(params, seed=int(base_seed) + s) for s in range(int(seeds))]


def split_measurements(activation, scaling, zeta, alpha, base_seed, seeds, *, n, d, m, noise_var=0.0,
                       reg="none", reg_strength=0.0, **run_kw) -> list[dict]:
    """One dict per seed: ‖R‖², ‖S‖², ‖E‖², ‖E‖²_op, ‖G‖² over c_m² m, singular values, top-2
    fraction, the overlaps with the predicted directions, and the relative sampling SE of the
    sample means r²z² and r² the energies rest on. ``reg`` adds a regularizer's gradient:
    "wd" (weight decay) or "jac" (Jacobian penalty) of strength ``reg_strength``."""
    _check(n, d, m, seeds)
    if reg not in ("none", "wd", "jac"):
        raise ValueError(f"reg must be 'none', 'wd' or 'jac', got {reg!r}")
    pts = _seed_points(base_seed, seeds, activation=activation, scaling=scaling, zeta=float(zeta),
                       alpha=float(alpha), n=n, d=d, m=m, noise_var=float(noise_var), reg=reg,
                       reg_strength=float(reg_strength))
    return sweep.run(split_measurement_point, pts, seed=0, desc="003 split", **run_kw)


def energy_point(point: dict, rng=None) -> list:
    """One seed of :func:`energies_with_control_variates`."""
    p = point
    data, net, _ = tl.sample(p["n"], p["d"], p["m"], p["zeta"], p["seed"], scaling=p["scaling"],
                             activation=p["activation"], alpha=p["alpha"], noise_var=p["noise_var"])
    return [*(tl.term_energies(data, net, p["noise_var"]) / (net.c_m**2 * p["m"])),
            *tl.control_variates(data, net, p["noise_var"])]


def energies_with_control_variates(activation, scaling, zeta, alpha, base_seed, seeds, *, n, d, m,
                                   noise_var=0.0, **run_kw) -> np.ndarray:
    """seeds × 9 array: ‖R‖², ‖S‖², ‖E‖² over c_m² m, then the six centred control variates of
    numerics.two_layer_gradient.control_variates; from the split alone (no spectra)."""
    _check(n, d, m, seeds)
    pts = _seed_points(base_seed, seeds, activation=activation, scaling=scaling, zeta=float(zeta),
                       alpha=float(alpha), n=n, d=d, m=m, noise_var=float(noise_var))
    return np.array(sweep.run(energy_point, pts, seed=0, desc="003 energies", **run_kw))


def spike_energy_point(point: dict, rng=None) -> dict:
    """One seed of :func:`spike_energies`."""
    p = point
    data, net, _ = tl.sample(p["n"], p["d"], p["m"], p["zeta"], p["seed"], scaling=p["scaling"],
                             activation=p["activation"])
    parts = tl.split(data, net)
    rz2 = (tl.residual(data, net) * data.z) ** 2
    return dict(S=float(parts.s_left @ parts.s_left) / (net.c_m**2 * p["m"]),
                rel_S=float(rz2.std(ddof=1) / (np.sqrt(p["n"]) * rz2.mean())), seed=p["seed"])


def spike_energies(activation, scaling, zeta, base_seed, seeds, *, n, d, m, **run_kw) -> list[dict]:
    """‖S‖²/(c_m² m) alone (no spectra) per seed, with the relative SE of its r²z² mean."""
    _check(n, d, m, seeds)
    pts = _seed_points(base_seed, seeds, activation=activation, scaling=scaling, zeta=float(zeta),
                       n=n, d=d, m=m)
    return sweep.run(spike_energy_point, pts, seed=0, desc="003 spike energies", **run_kw)
