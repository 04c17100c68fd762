"""The drivers: every case of every table in verify/cases/, one parametrized test per kind.
Test ids name the kind, the claim and the point; a failure prints the row and the command that
reproduces it (``python -m verify.cases "<id>"``)."""

from __future__ import annotations

import pytest

from .cases import Bound, Derivation, MonteCarlo, Pointwise, Rate, cases_of, run


def _driver(kind):
    @pytest.mark.parametrize("case", cases_of(kind))
    def driver(case, audit_seed):
        run(case, audit_seed)

    driver.__doc__ = f"every {kind.__name__} case of verify/cases/"
    return driver


test_derivation = _driver(Derivation)
test_pointwise = _driver(Pointwise)
test_monte_carlo = _driver(MonteCarlo)
test_rate = _driver(Rate)
test_bound = _driver(Bound)
