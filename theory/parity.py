"""002 slide 'Classifying Sparse Parity Functions' (Theorem [SWO+23] Mean-field Learning of
Anisotropic Parity): the sample-complexity exponent of noisy-GD mean-field networks on the
anisotropic k-parity, and the isotropic CSQ exponent it is contrasted with."""

from __future__ import annotations

import sympy as sp

from .claims import Claim, register
from .symbols import alpha_par, d, k

_C = sp.Symbol("C", positive=True)   # the constant Θ hides


def _exponent_of_d(expr):
    """lim_{d→∞} log(expr)/log d: the exponent of d that Θ(·) keeps."""
    return sp.limit(sp.log(expr) / sp.log(d), d, sp.oo)


_SLIDE = "002 slide 'Classifying Sparse Parity Functions', Theorem ([SWO+23] Mean-field Learning of Anisotropic Parity)"

#: n = Θ(d^{1−α}): the exponent of d, independent of k
parity_exponent = 1 - alpha_par

register(Claim(
    id="parity.sample_complexity_exponent", expr=parity_exponent, params=("alpha_par", "k"),
    source=_SLIDE,
    statement="A two-layer network trained by noisy gradient descent (mean-field Langevin) learns the "
    "anisotropic k-parity y = sign(∏_{i∈I_k} z_i), x = Az, with n = Θ(d^{1−α}) samples: the exponent "
    "of d is 1 − α for every k ('sample complexity independent of information exponent (leap) k').",
    conditions="Read from the slide text 'n = Θ(d^{1−α}), N = exp(d^{1−α}), t = exp(d^{1−α})' and "
    "'for i ∈ I_k, j ∉ I_k we have x_i/x_j ≍ d^{α/2}' (printed 'x_i/x_i', read as x_i/x_j: the ratio "
    "of a relevant to an irrelevant coordinate). Θ hides constants, so only the exponent is encoded; "
    "the width and time exp(d^{1−α}) are the theorem's sufficient sizes, not part of the exponent. "
    "The expression does not depend on k (k is a parameter so the independence is explicit).",
    derivation=lambda: _exponent_of_d(_C * d ** (1 - alpha_par)),
))

register(Claim(
    id="parity.isotropic_csq_exponent", expr=k - 1, params=("k",), source=_SLIDE,
    statement="Isotropic contrast A = I: the CSQ lower bound n ≍ d^{k−1} (k = 2: XOR).",
    conditions="Slide bullet 'When A = I (isotropic), CSQ lower bound n ≍ d^{k−1}'. A lower bound for "
    "correlational-query learners; the mean-field theorem at α = 0 gives n = Θ(d) instead (noisy GD "
    "is not CSQ-limited in that theorem), so the contrast checked is only 'A = I needs more samples "
    "at the same d than α > 0'.",
    derivation=lambda: _exponent_of_d(_C * d ** (k - 1)),
))
