"""Case table of paper 003 (abstract; suite derivation Step 3): the three energies ‖R‖², ‖S‖², ‖E‖²
at *discriminating* points, against control-variate Monte-Carlo of the two-layer gradient.

The hand-written checks (verify/test_gradient_rank_energies.py) sweep ν, α and the scaling at
(n, d, m) = (300, 400, 500) with no input noise, where n, d, m are close to one another and
ζ = 1 at ν = 0: a claim with d and m exchanged, or without its (1 + s²) factor, moves by less than
the Step 3 allowance there (``./suite mutate gradient_rank`` found such survivors). These points
separate every parameter: m = 4d or m = d/2, n = 3d/4 or 3d, input noise s² = 1/2 or 1, a
power-law bulk α = 1/2 and ζ = 2 or 3, all inside the regime ζ²/d ≤ 1/√d where Step 3 applies.
"""

from __future__ import annotations

from numerics import two_layer_gradient as tl
from numerics import two_layer_gradient_sweeps as sweeps

from . import MonteCarlo
from .. import gradient_rank_common as common
from ..stats import control_variate_mean
from ..tolerance import Z_SEED_MEAN

SEEDS = 24
#: (scaling, point): scale_exp is the scaling's exponent (mf 1, ntk 1/2)
POINTS = (
    ("mf", dict(n=300, d=400, m=1600, zeta=2.0, scale_exp=1.0, alpha_exp=0.5, noise_var=0.5)),
    ("ntk", dict(n=1200, d=400, m=200, zeta=3.0, scale_exp=0.5, alpha_exp=0.0, noise_var=1.0)),
)
TERMS = ("residue", "spike", "remainder")


def neglected_order(point) -> float:
    """One unit of each relative order Step 3 neglects (verify.gradient_rank_common), at this
    point's sizes."""
    return common.neglected_order(point["d"], point["m"], point["zeta"], point["alpha_exp"])


def _energy(activation, scaling, col):
    def estimator(point, rng):
        seed = int(rng.integers(2**31))
        table = sweeps.energies_with_control_variates(
            activation, scaling, point["zeta"], point["alpha_exp"], seed, SEEDS, n=point["n"],
            d=point["d"], m=point["m"], noise_var=point["noise_var"])
        mean, se = control_variate_mean(table[:, col], table[:, 3:])
        return float(mean), float(se)
    estimator.__qualname__ = f"energy({activation!r}, {scaling!r}, {TERMS[col]!r})"
    return estimator


def _allowance(claim_id):
    def allowance(point):
        unit = neglected_order(point)
        theory = abs(common._theory(claim_id, **point))
        return unit * theory, (f"one unit of each relative order Step 3 neglects, (1/√m + √(t₂/d) + "
                               f"ζ²/d) = {unit:.3f}, times |theory|")
    return allowance


CASES = []
for activation in tl.ACTIVATIONS:
    for scaling, point in POINTS:
        for col, term in enumerate(TERMS):
            cid = f"gradient_rank.{term}_energy_{activation}"
            CASES.append(MonteCarlo(
                cid, point, estimator=_energy(activation, scaling, col), z=Z_SEED_MEAN, offset=common.OFFSET["energy"],
                allowance=_allowance(cid), tags={"activation": activation, "scaling": scaling},
                note=f"discriminating point: n, d, m apart, s² > 0, ζ ≠ 1; {SEEDS} seeds, control variates"))
