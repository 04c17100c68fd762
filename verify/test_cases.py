"""The drivers: every case of every table in verify/cases/, one parametrized test per kind.
Test ids name the kind, the claim and the point; a failure prints the row and the command that
reproduces it (``python -m verify.cases "<id>"``)."""

from __future__ import annotations

import pytest

from .cases import Bound, Derivation, MonteCarlo, Pointwise, Rate, cases_of, run


@pytest.mark.parametrize("case", cases_of(Derivation))
def test_derivation(case, audit_seed):
    run(case, audit_seed)


@pytest.mark.parametrize("case", cases_of(Pointwise))
def test_pointwise(case, audit_seed):
    run(case, audit_seed)


@pytest.mark.parametrize("case", cases_of(MonteCarlo))
def test_monte_carlo(case, audit_seed):
    run(case, audit_seed)


@pytest.mark.parametrize("case", cases_of(Rate))
def test_rate(case, audit_seed):
    run(case, audit_seed)


@pytest.mark.parametrize("case", cases_of(Bound))
def test_bound(case, audit_seed):
    run(case, audit_seed)
