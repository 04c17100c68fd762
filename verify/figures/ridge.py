"""Figures 4 and 5 of paper 000: the normalized min-norm error R̂0/βᵀΣβ, theory against networks.

Figure 5's points are full two-layer networks f(x) = aᵀWx (d = m, W₀ ~ N(0, s²/d), a₀ ~ N(0, s²/m),
s = 1e-5 as in the paper's Fig. 1 procedure) trained by exact gradient descent on explicit spiked
designs (numerics.linear_network_training.train_exact, checked step for step against textbook
full-matrix GD in tests/ and verify/test_ridge_network.py). Nothing assumes a start in the row space of X.
The groups run through numerics.sweep.run: cached per group on disk (keyed by every parameter, the
seed and the code of numerics/), so regenerating the report does not retrain finished groups, and
spread over local processes or a dask cluster with --workers / --scheduler.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402

from numerics import sweep  # noqa: E402
from numerics.figure_sweeps import fig5_group  # noqa: E402
from theory import CLAIMS  # noqa: E402
from theory.symbols import A, gamma, rho, sigma2  # noqa: E402

from . import figure, save  # noqa: E402

FIG5_GAMMAS = (1.5, 2, 3, 5, 10)
FIG5_RHOS = (0, 5, 20, 100)          # panel (a), A = 0.5
FIG5_ALIGNS = (0, 0.3, 0.5, 0.8, 1)  # panel (b), ρ = 20
PAPER_D, PAPER_TRIALS = 3000, 10
DEFAULT_D, DEFAULT_TRIALS = 500, 10
INIT_SCALE = 1e-5          # s of the Fig. 1 caption ("the initialization procedure is the same")
TRAIN_TOL = 1e-10          # training stops when the loss is below 1e-10 of its initial value


def _normalized(printed: bool = False):
    claim = CLAIMS["ridge.R0_hat"]
    expr = (claim.as_printed if printed else claim.expr) / CLAIMS["ridge.signal_variance"].expr
    # σ² = 1 as in the paper's figures (the printed form is not σ²-homogeneous)
    return sp.lambdify((rho, A, gamma), sp.simplify(expr.subs(sigma2, 1)), "numpy")


def figure5_data(outdir: Path | None, *, d: int, trials: int, seed: int, progress: bool | None = None,
                 gammas=None):
    """Normalized errors of trained networks for both panels: ({(γ, ρ, A): risks/βᵀΣβ per trial},
    {(γ, ρ, A): GD steps of the group}, {(γ, ρ, A): min-norm risks/βᵀΣβ of the same draws},
    {(γ, ρ, A): per-trial arrays gap, a_norm, resid, risks, min_norm (unnormalized)}, wall time).
    Width m = d; one design per trial shared by the group's alignments.

    The groups run through :func:`numerics.sweep.run` (one point per (n, ρ) group, its generator
    from the seed and the group's parameters; workers / dask scheduler from ``--workers`` /
    ``--scheduler`` or ``SPIKED_AUDIT_SCHEDULER``; cached per group in ``$SPIKED_AUDIT_CACHE`` or
    ``<project>/.cache/``, keyed by the code of ``numerics/``). ``outdir`` is unused (kept for the
    callers); ``progress`` None shows a bar only on a terminal."""
    gammas = FIG5_GAMMAS if gammas is None else gammas
    groups = [(g, r, (0.5,) if r != 20 else FIG5_ALIGNS) for g in gammas for r in FIG5_RHOS]
    points = [dict(d=d, m=d, n=int(round(d / g)), rho=float(r), A=[float(a) for a in aligns],
                   trials=trials, sigma2=1.0, s=INIT_SCALE, tol=TRAIN_TOL,
                   runs_per_call=None if d <= 1000 else len(aligns)) for g, r, aligns in groups]
    t0 = time.perf_counter()
    results = sweep.run(fig5_group, points, seed=seed, desc=f"fig5 d={d}", progress=progress)
    out, steps, mins, extra = {}, {}, {}, {}
    for (g, r, aligns), res in zip(groups, results):
        for j, a in enumerate(aligns):
            out[(g, r, a)] = res["risks"][:, j] / (1.0 + r * a * a)
            mins[(g, r, a)] = res["min_norm"][:, j] / (1.0 + r * a * a)
            steps[(g, r, a)] = int(np.max(res["steps"]))
            extra[(g, r, a)] = {k: res[k][:, j] for k in ("gap", "a_norm", "resid", "risks", "min_norm")}
    return out, steps, mins, extra, time.perf_counter() - t0


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
    return save(fig, outdir, "000_fig4_normalized_error.png", dpi=110)


@figure("000.fig5", "Normalized error against γ = d/n: theory and trained linear networks",
        claims=("ridge.R0_normalized", "ridge.R0_hat", "ridge.R0_hat_finite", "ridge.implicit_bias"),
        caption="Curves: derived Eq. (27) over the signal variance (solid) and the printed form (dotted). "
        "Points: full two-layer linear networks f(x) = aᵀWx, width m = d, initialized W_ij ~ N(0, s²/d), "
        "a_i ~ N(0, s²/m) with s = 1e-5 and trained by exact full-batch gradient descent on the loss "
        "(1/n)‖XWᵀa − y‖² to 1e-10 of its initial value; mean ± standard deviation over 10 trials; "
        "d = m = 500 by default, d = m = 3000 at paper scale. The figure's title line gives the GD "
        "steps and the largest network-vs-min-norm risk gap, computed from the plotted data.",
        order=5.0)
def fig5(outdir: Path, *, paper_scale: bool, seed: int) -> Path:
    d, trials = (PAPER_D, PAPER_TRIALS) if paper_scale else (DEFAULT_D, DEFAULT_TRIALS)
    data, steps, mins, _, wall = figure5_data(outdir, d=d, trials=trials, seed=seed)
    gap = max(float(np.max(np.abs(data[k] / mins[k] - 1))) for k in data)
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
    fig.suptitle(f"trained networks (exact GD, s = {INIT_SCALE:g}): d = m = {d}, {trials} trials, mean ± sd; "
                 f"{min(steps.values())}-{max(steps.values())} GD steps; max |R_net/R_min-norm − 1| = "
                 f"{gap:.1e}; solid: derived R̂0, dotted: Eq. (27) as printed", fontsize=8)
    return save(fig, outdir, f"000_fig5_networks_d{d}.png", dpi=110)
