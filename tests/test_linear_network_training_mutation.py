"""Rule 2 for the network path of paper 000 §4 (Figure 5, the implicit-bias claim around Eq. 21):
each plausible bug in ``numerics.linear_network_training.train_exact`` turns at least one verify
check red.

A mutant is one textual edit of train_exact's source (the edited text must occur exactly once), compiled
in the module's namespace and monkeypatched in, so ``network_risks_full`` (which calls it by its
global name) trains with the mutant too. The checks of verify/test_ridge_network.py that guard the path run
against it: the step-for-step comparison with textbook GD (``test_exact_network_gd_equals_textbook_gd``),
the implicit-bias order and prefactor (``test_implicit_bias_gap_is_order_s``, with a cache of its own)
and the large-init negative control (``test_large_init_does_not_reach_min_norm``). Each mutant must
turn red every check listed for it in MUTANTS (observed outcomes in the branch report); the
unmutated source compiled the same way must pass all three. Rows of these runs are discarded.
"""

from __future__ import annotations

import inspect
from functools import lru_cache

import numpy as np
import pytest

from numerics import linear_network_training as lnt
from verify import agreement
from verify import test_ridge_network as checks

GD = "test_exact_network_gd_equals_textbook_gd"
IB = "test_implicit_bias_gap_is_order_s"
LARGE = "test_large_init_does_not_reach_min_norm"
CHECKS = (GD, IB, LARGE)

_B_LINE = "b = (a_full[:, None, :] @ W0)[:, 0, :] + (dual[:, None, :] @ X)[:, 0, :]"
#: name → (edits (old, new), the checks that must go red)
MUTANTS = {
    # (a) W₀'s part outside row(X) dropped: β_net = Π_row(W₀ᵀa) + XᵀK⁻¹(P − P₀)a, i.e. exactly min-norm
    "drop_W0_outside_row_space": ([(_B_LINE,
        "_v = (a_full[:, None, :] @ W0).transpose(0, 2, 1)\n"
        "    b = (np.linalg.solve(K, X @ _v).transpose(0, 2, 1) @ X)[:, 0, :] "
        "+ (dual[:, None, :] @ X)[:, 0, :]")], (GD, IB, LARGE)),
    # (b) the factor 2 of ∂L/∂f = (2/n) r dropped (a halved step in disguise)
    "drop_factor_2": ([("c = eta * 2.0 / n", "c = eta * 1.0 / n")], (GD,)),
    # (b') the 1/n dropped: the step is n times too large and GD diverges
    "drop_1_over_n": ([("c = eta * 2.0 / n", "c = eta * 2.0")], (GD, IB, LARGE)),
    # (c) a wrong step size: 10 % too large on both layers
    "step_10pc_too_large": ([("c = eta * 2.0 / n", "c = 1.1 * eta * 2.0 / n")], (GD,)),
    # (c') the second layer alone takes half the step
    "half_step_second_layer": ([("a -= Ptr", "a -= 0.5 * Ptr")], (GD,)),
    # (d) sequential instead of simultaneous updates: a's step uses the new P
    "sequential_update": ([("a -= Ptr", "a -= (r[:, None, :] @ P)[:, 0, :]")], (GD,)),
    # (e) width reduction without a₀ in the basis: a's part outside span(P₀ᵀ) is lost
    "basis_without_a0": ([("np.concatenate([P0.transpose(0, 2, 1), a0[:, :, None]], axis=2)",
                           "P0.transpose(0, 2, 1)")], (GD,)),
}


#: step cap for the mutants (a diverged run never meets its loss tolerance): 10 000 steps, 3.4× the
#: 2900 the unmutated path needs for the implicit-bias runs (d = 120, loss 1e-16)
MAX_STEPS = 10_000


def _compile(edits):
    src = inspect.getsource(lnt.train_exact)
    for old, new in edits:
        assert src.count(old) == 1, f"mutation site {old!r} must occur exactly once in train_exact"
        src = src.replace(old, new)
    ns = dict(vars(lnt))
    exec(compile(src, "<train_exact mutant>", "exec"), ns)
    mutant = ns["train_exact"]

    def capped(*args, max_steps: int = 10**6, **kw):
        return mutant(*args, max_steps=min(max_steps, MAX_STEPS), **kw)

    return capped


def _run_checks(monkeypatch, train_exact, seed) -> dict[str, str]:
    monkeypatch.setattr(agreement, "ROWS", [])
    monkeypatch.setattr(lnt, "train_exact", train_exact)
    # a cache of its own, so neither the mutant's runs nor the real ones leak across
    monkeypatch.setattr(checks, "_implicit_bias_runs", lru_cache(maxsize=None)(checks._implicit_bias_runs.__wrapped__))
    outcome = {}
    for name in CHECKS:
        try:
            getattr(checks, name)(seed)
            outcome[name] = "pass"
        except AssertionError:
            outcome[name] = "red"
        except (FloatingPointError, ValueError, ZeroDivisionError, OverflowError, np.linalg.LinAlgError) as e:
            outcome[name] = f"red ({type(e).__name__})"
    return outcome


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", list(MUTANTS))
def test_broken_network_path_turns_its_checks_red(name, monkeypatch, audit_seed):
    edits, must_fail = MUTANTS[name]
    outcome = _run_checks(monkeypatch, _compile(edits), audit_seed)
    print(f"\n{name}: {outcome}")
    survived = [c for c in must_fail if outcome[c] == "pass"]
    assert not survived, f"mutant {name} survived {survived} (outcomes {outcome})"


def test_unbroken_network_path_passes_the_same_checks(monkeypatch, audit_seed):
    outcome = _run_checks(monkeypatch, _compile([]), audit_seed)
    assert all(v == "pass" for v in outcome.values()), outcome
