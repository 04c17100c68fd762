"""002 slide 'Classifying Sparse Parity Functions' (Theorem [SWO+23]): sample size n* at which a
mean-field two-layer network trained by noisy GD reaches test accuracy 0.9 on the anisotropic
k-parity, over a d grid, for k = 2, 3 and two anisotropies α; the isotropic A = I contrast.

Sizes: width N = 64 particles, 400 noisy-GD steps (numerics.parity), d ≤ 48 by default, d ≤ 256 under
--paper-scale. The theorem's sufficient width and time exp(d^{1−α}) (e^{7} at d = 48, α = 1/2) are not
used: what is measured is the scaling of the sample size of a fixed training procedure and its
k-independence (the slide's 'sample complexity independent of information exponent k'). Both the
slopes (beside 1 − α) and the difference of the k = 3 and k = 2 slopes (beside 0, with its t-interval)
are recorded as measured: the fixed width/time procedure is not the theorem's regime, so a miss
cannot falsify the theorem. Asserted: the isotropic contrast (A = I needs more samples at the same
d, paired over seeds)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from theory import CLAIMS
from theory.symbols import alpha_par, k

from . import stats
from .agreement import bound, measure
from .parity_common import DEFAULT, PAPER, loglog, n_stars, slope_difference
from .tolerance import Z_ROW

CID = "parity.sample_complexity_exponent"


def _theory(kk, a):
    return float(CLAIMS[CID].expr.subs({k: kk, alpha_par: sp.nsimplify(a)}))


def _run(cfg, audit_seed, sweep_options):
    fits, raw = {}, {}
    for a in cfg["alphas"]:
        for kk in cfg["ks"]:
            raw[(kk, a)] = n_stars(kk, a, cfg["dims"], cfg["seeds"], audit_seed, **sweep_options)
            fits[(kk, a)] = loglog(raw[(kk, a)])
    return fits, raw


def _check_exponents(cfg, audit_seed, sweep_options):
    fits, raw = _run(cfg, audit_seed, sweep_options)
    for (kk, a), fit in fits.items():
        lo, hi = fit.interval()
        measure(CID, dict(k=kk, alpha_par=a, dims=list(cfg["dims"]), seeds=cfg["seeds"]),
                theory=_theory(kk, a), numeric=fit.slope, stderr=fit.se, seed=audit_seed,
                why="fixed width N = 64 and 400 steps, not the theorem's exp(d^{1−α}): the slope of "
                    f"this procedure at d ≤ {max(cfg['dims'])} (95 % t-interval [{lo:.3f}, {hi:.3f}]) is "
                    "shown beside 1 − α, not asserted",
                extra=dict(n_star={str(dd): v for dd, v in raw[(kk, a)].items()}))
    for a in cfg["alphas"]:
        diff = slope_difference(fits[(3, a)], fits[(2, a)])
        lo, hi = diff.interval()
        measure(CID, dict(alpha_par=a, k="3 − 2", dims=list(cfg["dims"]), seeds=cfg["seeds"]),
                theory=_theory(3, a) - _theory(2, a), numeric=diff.slope, stderr=diff.se,
                seed=audit_seed,
                why="k-independence, slope(k = 3) − slope(k = 2) of log n* vs log d, 95 % t-interval "
                    f"[{lo:.3f}, {hi:.3f}] ({diff.dof} dof): the procedure (N = 64, 400 steps) is not "
                    "the theorem's (N, t = exp(d^{1−α})), so a miss cannot falsify the theorem; shown, "
                    "not asserted",
                extra=dict(slope_k2=fits[(2, a)].slope, se_k2=fits[(2, a)].se,
                           slope_k3=fits[(3, a)].slope, se_k3=fits[(3, a)].se))
    return fits


def _check_contrast(cfg, audit_seed, sweep_options):
    """A = I (α = 0) needs more samples than α > 0 at the same d: mean over seeds of
    log n*(α = 0) − log n*(α), paired by seed, minus Z_ROW SE must be > 0, for each k."""
    dim = cfg["contrast_d"]
    a = min(cfg["alphas"])
    for kk in cfg["ks"]:
        iso = n_stars(kk, 0.0, (dim,), cfg["seeds"], audit_seed, **sweep_options)[dim]
        ani = n_stars(kk, a, (dim,), cfg["seeds"], audit_seed, **sweep_options)[dim]
        gap = np.log(np.minimum(iso, 1e300)) - np.log(ani)
        mean, se = stats.mean_se(gap)
        bound("parity.isotropic_csq_exponent", dict(k=kk, d=dim, alpha_par=a, seeds=cfg["seeds"]),
              value=float(mean - Z_ROW * se), limit=0.0, sense=">=", seed=audit_seed,
              why_tol=f"mean log n*(A = I) − log n*(α = {a}) over seeds minus z·SE, z = {Z_ROW:g}",
              note="isotropic contrast: A = I needs more samples at the same d",
              extra=dict(n_iso=list(iso), n_aniso=list(ani)), evidence="trained network")


def test_parity_k_independence(audit_seed, sweep_options):
    _check_exponents(DEFAULT, audit_seed, sweep_options)


def test_parity_isotropic_contrast(audit_seed, sweep_options):
    _check_contrast(DEFAULT, audit_seed, sweep_options)


@pytest.mark.paper_scale
def test_parity_k_independence_paper(audit_seed, sweep_options):
    _check_exponents(PAPER, audit_seed, sweep_options)


@pytest.mark.paper_scale
def test_parity_isotropic_contrast_paper(audit_seed, sweep_options):
    _check_contrast(PAPER, audit_seed, sweep_options)
