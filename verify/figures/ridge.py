"""Figures 4 and 5 of paper 000: the normalized min-norm error R̂0/βᵀΣβ, theory against networks.

Figure 5's points are networks trained by the reduced fast path (numerics.linear_network_training,
checked against full-matrix GD in verify/test_ridge.py). Results are cached on disk, keyed by every
parameter and the seed, so regenerating the report does not retrain finished groups.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402

from numerics.linear_network_training import network_risks_reduced  # noqa: E402
from theory import CLAIMS  # noqa: E402
from theory.symbols import A, gamma, rho, sigma2  # noqa: E402

from . import figure  # noqa: E402

FIG5_GAMMAS = (1.5, 2, 3, 5, 10)
FIG5_RHOS = (0, 5, 20, 100)          # panel (a), A = 0.5
FIG5_ALIGNS = (0, 0.3, 0.5, 0.8, 1)  # panel (b), ρ = 20
PAPER_D, PAPER_TRIALS = 3000, 10
DEFAULT_D, DEFAULT_TRIALS = 500, 10


def _normalized(printed: bool = False):
    claim = CLAIMS["ridge.R0_hat"]
    expr = (claim.as_printed if printed else claim.expr) / CLAIMS["ridge.signal_variance"].expr
    # σ² = 1 as in the paper's figures (the printed form is not σ²-homogeneous)
    return sp.lambdify((rho, A, gamma), sp.simplify(expr.subs(sigma2, 1)), "numpy")


def cache_dir(outdir: Path | None) -> Path:
    """$SPIKED_AUDIT_CACHE if set, else <outdir>/.cache/ridge, else a directory under the temp dir."""
    if "SPIKED_AUDIT_CACHE" in os.environ:
        return Path(os.environ["SPIKED_AUDIT_CACHE"])
    if outdir is None:
        return Path(tempfile.gettempdir()) / "spiked-audit-cache" / "ridge"
    return Path(outdir) / ".cache" / "ridge"


def _cached(outdir: Path, key: dict, compute):
    path = cache_dir(outdir) / (hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:20]
                                + ".npz")
    if path.exists():
        with np.load(path) as f:
            return f["risks"], f["steps"]
    risks, steps = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, risks=risks, steps=np.asarray(steps), key=json.dumps(key))
    return risks, np.asarray(steps)


def figure5_data(outdir: Path | None, *, d: int, trials: int, seed: int, progress: bool = True,
                 gammas=None):
    """Normalized network errors for both panels: {(γ, ρ, A): (risks/βᵀΣβ per trial)}, plus the
    number of GD steps per group and the wall time."""
    gammas = FIG5_GAMMAS if gammas is None else gammas
    groups = [(g, r, (0.5,) if r != 20 else FIG5_ALIGNS) for g in gammas for r in FIG5_RHOS]
    out, steps, t0 = {}, {}, time.perf_counter()
    for i, (g, r, aligns) in enumerate(groups, 1):
        n = int(round(d / g))
        key = dict(fig="000.fig5", d=d, n=n, rho=r, A=list(aligns), trials=trials, seed=seed,
                   sigma2=1.0, tol=1e-10, path="reduced-dual-balanced")
        # one generator per group, derived from the seed and the group's parameters
        rng = np.random.default_rng([seed, n, int(r * 1000)])
        risks, st = _cached(outdir, key, lambda: network_risks_reduced(1.0, r, aligns, d=d, n=n,
                                                                        trials=trials, rng=rng))
        for j, a in enumerate(aligns):
            out[(g, r, a)] = risks[:, j] / (1.0 + r * a * a)
            steps[(g, r, a)] = int(st[j])
        if progress:
            done = int(30 * i / len(groups))
            print(f"\rfig5 d={d} [{'#' * done}{'.' * (30 - done)}] {i}/{len(groups)} "
                  f"{time.perf_counter() - t0:6.1f}s", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return out, steps, time.perf_counter() - t0


@figure("000.fig4", "Normalized min-norm error over alignment A and spike ρ (γ = 3)",
        claims=("ridge.R0_normalized", "ridge.R0_hat", "ridge.normalized_decreases_with_rho",
                "ridge.normalized_decreases_with_A", "ridge.no_benefit_orthogonal"),
        caption="Left: R̂0/βᵀΣβ (derived Eq. 27) over A ∈ [0, 1] and ρ ∈ [0.1, 1000] at γ = 3: the error "
        "falls with ρ and with A and is 1 − 1/γ = 2/3 along A = 0. Right: cuts at fixed ρ, derived "
        "(solid) against Eq. (27) as printed (dashed, κ = σ²(γ − 1)), which ignores ρ.",
        order=4.0)
def fig4(outdir: Path, *, paper_scale: bool, seed: int) -> Path:
    f, fp = _normalized(), _normalized(printed=True)
    aa = np.linspace(0, 1, 201)
    rr = np.logspace(-1, 3, 201)
    Ag, Rg = np.meshgrid(aa, rr)
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(11, 4.2))
    im = ax0.pcolormesh(Ag, Rg, f(Rg, Ag, 3.0), shading="auto", cmap="viridis", vmin=0, vmax=0.7)
    ax0.contour(Ag, Rg, f(Rg, Ag, 3.0), levels=np.arange(0.1, 0.7, 0.1), colors="w", linewidths=0.6)
    ax0.set_yscale("log")
    ax0.set_xlabel("spike-target alignment A")
    ax0.set_ylabel("spike magnitude ρ")
    ax0.set_title("R̂0 / βᵀΣβ at γ = 3")
    fig.colorbar(im, ax=ax0)
    for r, c in zip((0, 5, 20, 100), ("k", "C0", "C1", "C2")):
        ax1.plot(aa, f(r, aa, 3.0) * np.ones_like(aa), color=c, label=f"ρ = {r}")
        ax1.plot(aa, fp(r, aa, 3.0) * np.ones_like(aa), color=c, ls="--", lw=0.8)
    ax1.set_xlabel("A")
    ax1.set_ylabel("normalized error")
    ax1.set_title("solid: derived Eq. (27); dashed: as printed")
    ax1.legend()
    fig.tight_layout()
    path = Path(outdir) / "000_fig4_normalized_error.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


@figure("000.fig5", "Normalized error against γ = d/n: theory and trained linear networks",
        claims=("ridge.R0_normalized", "ridge.R0_hat", "ridge.R0_hat_finite"),
        caption="Curves: derived Eq. (27) over the signal variance (solid) and the printed form (dotted). "
        "Points: two-layer linear networks from small initialization trained to loss 1e-10 (reduced fast "
        "path), mean ± standard deviation over 10 trials; d = 500 by default, d = m = 3000 at paper scale. "
        "The points follow the derived curves to within their error bars and miss the printed ones.",
        order=5.0)
def fig5(outdir: Path, *, paper_scale: bool, seed: int) -> Path:
    d, trials = (PAPER_D, PAPER_TRIALS) if paper_scale else (DEFAULT_D, DEFAULT_TRIALS)
    data, _, wall = figure5_data(outdir, d=d, trials=trials, seed=seed)
    f, fp = _normalized(), _normalized(printed=True)
    gg = np.linspace(1.05, 10.5, 300)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    panels = ((axes[0], [(r, 0.5, f"ρ = {r}") for r in FIG5_RHOS], "(a) A = 0.5"),
              (axes[1], [(20, a, f"A = {a}") for a in FIG5_ALIGNS], "(b) ρ = 20"))
    for ax, curves, title in panels:
        for k, (r, a, label) in enumerate(curves):
            c = f"C{k}"
            ax.plot(gg, f(r, a, gg) * np.ones_like(gg), color=c, label=label)
            ax.plot(gg, fp(r, a, gg) * np.ones_like(gg), color=c, ls=":", lw=0.8)
            pts = np.array([data[(g, r, a)] for g in FIG5_GAMMAS])
            ax.errorbar(FIG5_GAMMAS, pts.mean(1), yerr=pts.std(1, ddof=1), fmt="o", color=c, ms=4,
                        capsize=2)
        ax.set_xscale("log")
        ax.set_xlabel("γ = d / n")
        ax.set_title(title)
        ax.legend(fontsize=8)
    axes[0].set_ylabel("R / βᵀΣβ")
    # the wall time goes to the terminal, not into the figure, so the same run draws the same PNG
    print(f" ({wall:.0f} s incl. cache)", end="", file=sys.stderr, flush=True)
    fig.suptitle(f"networks: d = m = {d}, {trials} trials, mean ± sd (points); solid: derived R̂0, "
                 "dotted: Eq. (27) as printed", fontsize=9)
    fig.tight_layout()
    path = Path(outdir) / f"000_fig5_networks_d{d}.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
