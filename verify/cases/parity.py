"""Case table of 002 'Classifying Sparse Parity Functions' and 001 §4.1 preconditioning: each claim
equals its re-derivation (the exponent Θ(·) keeps; n′ from n′^{−1/2} = 1/n; κ(Σ)'s exponent). The
learning checks are story tests: verify/test_parity_samples.py, verify/test_parity_preconditioning.py."""

from __future__ import annotations

import sympy as sp

from theory.symbols import alpha_par, gamma2, k, n

from . import Derivation

CASES = [
    Derivation("parity.sample_complexity_exponent",
               spots=({alpha_par: sp.Rational(1, 2), k: 2}, {alpha_par: sp.Rational(3, 4), k: 3}),
               note="exponent of d in Θ(d^{1−α})"),
    Derivation("parity.isotropic_csq_exponent", spots=({k: 2}, {k: 3}), note="exponent of d in d^{k−1}"),
    Derivation("preconditioning.unlabeled_samples", spots=({n: 100}, {n: 400}),
               note="n′ solving n′^{−1/2} = 1/n"),
    Derivation("preconditioning.saving_exponent", spots=({gamma2: sp.Rational(1, 2)}, {gamma2: sp.Rational(1, 4)}),
               note="exponent of κ(Σ) = 1 + d^{γ2}"),
]
