"""Figures for paper 002's aligned spiked model: the KRR risk against the spike exponent γ with the
plateaus ‖P_{>ℓ}f*‖² (BES+23 KRR theorem), and the NN + one-step learned fraction against γ with
the sufficient threshold 1 − 1/k."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from numerics import sweep  # noqa: E402
from numerics.spiked_learning import krr_risk, nn_one_step_risk  # noqa: E402
from theory import CLAIMS  # noqa: E402

from . import figure, save  # noqa: E402

TARGET = {1: 3 ** -0.5, 2: 3 ** -0.5, 3: 3 ** -0.5}


def _curve(fn, base, gammas, reps, seed):
    pts = [{**base, "gamma2": float(g), "rep": r} for g in gammas for r in range(reps)]
    R = np.array([o["risk"] for o in sweep.run(fn, pts, seed=seed, cache=False, progress=False)])
    R = R.reshape(len(gammas), reps)
    return R.mean(axis=1), R.std(axis=1, ddof=1) / np.sqrt(reps)


@figure("002.krr_plateaus", "KRR risk vs spike exponent γ (aligned spike, n = d)",
        claims=("spiked_learning.plateau_level", "single_index.krr_learnable_degree"),
        caption="exp inner-product kernel, λ = 1e-3, σ* = (h1+h2+h3)/√3; dashed: ‖P_{>ℓ}f*‖² with "
                "ℓ = ⌊1/(1−γ)⌋. Plateaus sharpen with d only like d^{−1/(2ℓ+1)}.", order=10)
def krr_plateaus(outdir: Path, *, paper_scale: bool, seed: int):
    gammas = np.linspace(0.05, 0.9, 12)
    dims = (250, 1000, 2000) if paper_scale else (150, 600)
    fig, ax = plt.subplots(figsize=(6, 4))
    for d in dims:
        m, se = _curve(krr_risk, dict(d=d, coeffs=TARGET, n_test=2000), gammas, 2, seed + d)
        ax.errorbar(gammas, m, yerr=se, marker="o", ms=3, label=f"d = {d}")
    fine = np.linspace(0.0, 0.899, 400)
    plateau = CLAIMS["spiked_learning.plateau_level"]
    lev = [float(plateau.evaluate(ell=int(np.floor(1 / (1 - g))))) for g in fine]
    ax.plot(fine, lev, "k--", label="‖P_{>ℓ}f*‖²")
    ax.set_xlabel("γ (θ = d^γ)"), ax.set_ylabel("test risk"), ax.legend()
    return save(fig, outdir, "002_krr_plateaus.png")


@figure("002.nn_threshold", "NN + one GD step: learned fraction vs γ (f* = h_k, n = 2d)",
        claims=("single_index.nn_threshold_exponent",),
        caption="ReLU, b ~ N(0,1), N = ⌈√d⌉, one step η = √N, ridge on a; vertical: 1 − 1/k.", order=11)
def nn_threshold(outdir: Path, *, paper_scale: bool, seed: int):
    gammas = np.linspace(0.0, 0.95, 14)
    dims = (250, 1000, 4000) if paper_scale else (250, 1000)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
    nn = CLAIMS["single_index.nn_threshold_exponent"]
    for ax, kk in zip(axes, (2, 3)):
        for d in dims:
            m, se = _curve(nn_one_step_risk, dict(d=d, coeffs={kk: 1.0}), gammas, 2, seed + 10 * d + kk)
            ax.errorbar(gammas, 1 - m, yerr=se, marker="o", ms=3, label=f"d = {d}")
        ax.axvline(float(nn.evaluate(k=kk)), color="k", ls="--")
        ax.set_title(f"k = {kk}"), ax.set_xlabel("γ (θ = d^γ)")
    axes[0].set_ylabel("learned fraction 1 − R/‖f*‖²"), axes[0].legend()
    return save(fig, outdir, "002_nn_threshold.png")
