"""Figures for paper 002's isotropic baselines: the risks of random features, kernel ridge and the
one-step network against the floor ‖P>1 f*‖² over d, and the singular values of W before and after
one large step with the BBP location of the rank-one model."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from numerics import sweep  # noqa: E402
from numerics.random_features import krr_risk, one_step_pair, rf_risk, spike_run  # noqa: E402
from theory import CLAIMS  # noqa: E402

from ..stats import mean_se, z_quantile  # noqa: E402
from . import figure, save  # noqa: E402

SEEDS = 4


def _series(fn, base, dims, seed):
    pts = [dict(base, d=d, draw=i) for d in dims for i in range(SEEDS)]
    return sweep.run(fn, pts, seed=seed, cache=False, progress=False)


@figure("002.isotropic_floor", "Isotropic data: kernel models stay above ‖P>1 f*‖²; one large step goes lower",
        claims=("random_features.relu_linear_floor", "random_features.one_step_large_lr"),
        caption="σ = tanh, f* = ReLU(⟨x, β*⟩), x ~ N(0, I); RF (N = d) and exp-kernel ridge at n = 2d, "
                "λ = 0.01; one step on W (N = 2d, n = 4d) then ridge on a (n2 = 16d); 95 % intervals over "
                "seeds; dashed: the floor ‖P>1 f*‖².", order=12)
def isotropic_floor(outdir: Path, *, paper_scale: bool, seed: int):
    dims = (100, 200, 400, 800) if paper_scale else (100, 200, 400)
    z = z_quantile(0.975)
    fig, ax = plt.subplots(figsize=(6, 4))
    kern = dict(psi=2.0, ratio=1.0, link="relu", lam=1e-2)
    for label, fn in (("random features", rf_risk), ("kernel ridge", krr_risk)):
        out = np.array(_series(fn, kern, dims, seed)).reshape(len(dims), SEEDS)
        m, se = mean_se(out, axis=1)
        ax.errorbar(dims, m, yerr=z * se, marker="o", capsize=3, label=label)
    step = dict(psi=4.0, psi2=16.0, ratio=2.0, link="relu", lam=1e-2, eta_large=20.0, eta_small=1.0)
    runs = _series(one_step_pair, step, dims, seed)
    for key, label in (("small", "one step, η = 1"), ("large", "one step, η = 20√N")):
        out = np.array([r[key] for r in runs]).reshape(len(dims), SEEDS)
        m, se = mean_se(out, axis=1)
        ax.errorbar(dims, m, yerr=z * se, marker="s", capsize=3, label=label)
    ax.axhline(float(CLAIMS["random_features.relu_linear_floor"].evaluate()), color="k", ls="--",
               label="‖P>1 f*‖²")
    ax.set_xscale("log"), ax.set_xlabel("d"), ax.set_ylabel("test risk"), ax.legend(fontsize=8)
    return save(fig, outdir, "002_isotropic_floor.png")


@figure("002.weight_spike", "Singular values of W before and after one large step",
        claims=("random_features.mp_edge", "random_features.bbp_outlier"),
        caption="σ = tanh, f* = ReLU, β* ∝ [−1; 1], d = 400, N = d/2, n = 2d, η = 5√N (one run); dotted: "
                "the edge 1 + √c of the N×d model, red: the BBP location at the run's rank-one strength θ.",
        order=13)
def weight_spike(outdir: Path, *, paper_scale: bool, seed: int):
    d = 800 if paper_scale else 400
    (run,) = sweep.run(spike_run, [dict(d=d, psi=2.0, ratio=0.5, eta_c=5.0, scale="sqrtN", draw=0)],
                       seed=seed, cache=False, progress=False)
    c = "1/2"
    fig, ax = plt.subplots(figsize=(6, 3.6))
    bins = np.linspace(0, max(run["s1"][0], run["s0"][0]) * 1.05, 60)
    ax.hist(run["s0"], bins=bins, alpha=0.5, label="W0")
    ax.hist(run["s1"], bins=bins, alpha=0.5, label="W1 (after one step)")
    ax.axvline(float(CLAIMS["random_features.mp_edge"].evaluate(ratio_c=c)), color="k", ls=":")
    ax.axvline(float(CLAIMS["random_features.bbp_outlier"].evaluate(theta=run["theta"], ratio_c=c)),
               color="r", label=f"BBP at θ = {run['theta']:.2f}")
    ax.set_xlabel("singular value"), ax.set_ylabel("count"), ax.legend(fontsize=8)
    return save(fig, outdir, "002_weight_spike.png")
