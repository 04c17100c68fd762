"""The pytest plugin of the audit: options, the rows of every comparison, the JSON tolerance
report and the terminal summary. Loaded by the repository's root ``conftest.py``.

Options
  --tolerance-report PATH   write every comparison row (and each test's outcome) as JSON
  --paper-scale             run the checks marked ``paper_scale`` (paper-size simulations)
  --audit-seed N            the seed every random draw of the audit derives from (default 20251123)
"""

from __future__ import annotations

import json
import math
import platform
import sys
from pathlib import Path

import pytest

from . import agreement

DEFAULT_SEED = 20251123
_outcomes: list[dict] = []


def pytest_addoption(parser):
    group = parser.getgroup("audit", "spiked-covariance audit")
    group.addoption("--tolerance-report", metavar="PATH", default=None,
                    help="write one JSON row per comparison to PATH")
    group.addoption("--paper-scale", action="store_true", default=False,
                    help="also run the paper-scale simulations (slow)")
    group.addoption("--audit-seed", type=int, default=DEFAULT_SEED,
                    help=f"seed of every random draw in the audit (default {DEFAULT_SEED})")


def pytest_configure(config):
    config.addinivalue_line("markers", "paper_scale: runs only with --paper-scale")
    agreement.ROWS.clear()
    _outcomes.clear()


def pytest_collection_modifyitems(config, items):
    if config.getoption("--paper-scale"):
        return
    skip = pytest.mark.skip(reason="paper-scale run: pass --paper-scale")
    for item in items:
        if "paper_scale" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def audit_seed(request) -> int:
    """The audit's base seed; derive per-check generators from it, never from the clock."""
    return request.config.getoption("--audit-seed")


@pytest.fixture(scope="session")
def paper_scale(request) -> bool:
    return request.config.getoption("--paper-scale")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    agreement._current_test = item.nodeid
    try:
        yield
    finally:
        agreement._current_test = None


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _outcomes.append({"test": report.nodeid, "outcome": report.outcome,
                          "duration": round(report.duration, 4)})


def _meta(config) -> dict:
    import mpmath
    import numpy
    import scipy
    import sympy

    return {
        "seed": config.getoption("--audit-seed"),
        "paper_scale": config.getoption("--paper-scale"),
        "python": platform.python_version(),
        "versions": {"numpy": numpy.__version__, "scipy": scipy.__version__,
                     "sympy": sympy.__version__, "mpmath": mpmath.__version__},
        "args": [str(a) for a in config.invocation_params.args],
    }


def pytest_sessionfinish(session, exitstatus):
    path = session.config.getoption("--tolerance-report")
    if not path:
        return
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"meta": {**_meta(session.config), "exitstatus": int(exitstatus)},
               "rows": [row.to_json() for row in agreement.ROWS],
               "tests": list(_outcomes)}
    out.write_text(json.dumps(payload, indent=1, allow_nan=False) + "\n")


def is_margin(row) -> bool:
    """A row whose margin says how close a check came to failing: not a measured row, not an
    exact symbolic reduction, not a bound met with equality (slack within its atol)."""
    if row.verdict == "FAIL":
        return True
    if row.verdict == "measured" or math.isnan(row.margin) or row.evidence == "symbolic":
        return False
    if row.kind == "bound" and abs(row.theory - row.numeric) <= row.atol:
        return False
    return True


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    rows = agreement.ROWS
    if not rows:
        return
    tr = terminalreporter
    claims = sorted({r.claim for r in rows})
    counts = {v: sum(r.verdict == v for r in rows) for v in agreement.VERDICTS}
    tr.write_sep("=", "claims audit")
    tr.write_line(f"{len(rows)} comparisons over {len(claims)} claims: "
                  + ", ".join(f"{n} {v}" for v, n in counts.items() if n))
    tr.write_line("claims checked: " + ", ".join(claims))
    tr.write_line("ten smallest margins (margin = 1 - err/tol for agreements; < 0 failed; exact "
                  "symbolic rows, bounds met with equality and measured rows are not margins):")
    tr.write_line(f"  {'margin':>9}  {'err/tol':>9}  {'claim':<40} {'abs err':>10} {'tolerance':>10}"
                  "  params")
    for r in sorted(filter(is_margin, rows), key=lambda r: r.margin)[:10]:
        params = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                           for k, v in r.params.items())
        ratio = r.abs_err / r.tolerance if r.tolerance else (0.0 if r.abs_err == 0 else math.inf)
        tr.write_line(f"  {r.margin:>9.4f}  {ratio:>9.2e}  {r.claim:<40} {r.abs_err:>10.3g} "
                      f"{r.tolerance:>10.3g}  {params}")
    path = config.getoption("--tolerance-report")
    if path:
        tr.write_line(f"tolerance report written to {path}")
    sys.stdout.flush()
