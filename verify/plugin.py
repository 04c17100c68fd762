"""The pytest plugin of the audit: options, the rows of every comparison, the JSON tolerance
report and the terminal summary. Loaded by the repository's root ``conftest.py``.

Options
  --tolerance-report PATH   write every comparison row (and each test's outcome) as JSON
  --paper-scale             run the checks marked ``paper_scale`` (paper-size simulations)
  --audit-seed N            the seed every random draw of the audit derives from (default 20251123)
  --workers N               processes for the sweeps run through numerics.sweep (default 1)
  --scheduler ADDR          run those sweeps on a dask.distributed cluster (tcp://host:8786, or
                            "local" for a LocalCluster of --workers processes); default
                            $SPIKED_AUDIT_SCHEDULER, else local joblib processes

Mutants: when the environment variable ``SPIKED_AUDIT_MUTANT`` holds JSON ``{"claim": id, "srepr":
text}`` (written by ``python -m verify.mutate``), the claim's ``expr`` in ``theory.CLAIMS`` is replaced
by that expression at configure time, before any test module is imported. Several seeds: ``python
-m verify.seeds N`` (``./suite test --audit-seeds N``) runs the audit once per derived seed.

Rows travel with the test reports: the rows a test records in each phase are serialized into that
phase's ``report.user_properties`` (key ``audit_rows``), and the process that writes the tolerance
report collects them from the reports it sees. Serially that is the same process; under
pytest-xdist (``pytest -n 2``) the workers record and the controller collects, writes the JSON and
prints the summary once. Rows are written in a canonical order, test id then call order, so a
serial run and a parallel one give the same rows.
"""

from __future__ import annotations

import json
import math
import platform
import sys
from pathlib import Path

import pytest

from numerics import sweep

from . import agreement

DEFAULT_SEED = 20251123
ROWS_KEY = "audit_rows"
_outcomes: list[dict] = []
_collected: list[tuple[str, int, dict]] = []  # (test id, call order, row as JSON)
_mark = 0  # index into the session's row list of the first row not yet attached to a report
_session_rows: list = []  # agreement.ROWS as the session began; a test may swap in a private list
_SWEEP_BEFORE = pytest.StashKey[dict]()  # numerics.sweep's defaults before this session configured them


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_addoption(parser):
    group = parser.getgroup("audit", "spiked-covariance audit")
    group.addoption("--tolerance-report", metavar="PATH", default=None,
                    help="write one JSON row per comparison to PATH")
    group.addoption("--paper-scale", action="store_true", default=False,
                    help="also run the paper-scale simulations (slow)")
    group.addoption("--audit-seed", type=int, default=DEFAULT_SEED,
                    help=f"seed of every random draw in the audit (default {DEFAULT_SEED})")
    group.addoption("--workers", type=int, default=None, metavar="N",
                    help="processes for the parameter sweeps (numerics.sweep; default 1)")
    group.addoption("--scheduler", default=None, metavar="ADDR",
                    help="dask.distributed scheduler for the sweeps (tcp://host:8786 or 'local'; "
                         "default $SPIKED_AUDIT_SCHEDULER)")


def pytest_configure(config):
    config.addinivalue_line("markers", "paper_scale: runs only with --paper-scale")
    config.stash[_SWEEP_BEFORE] = sweep.settings()  # restored at unconfigure (pytester runs nest)
    try:  # every sweep of the session (numerics.sweep.run) reads these defaults
        sweep.configure(workers=config.getoption("--workers"), scheduler=config.getoption("--scheduler"))
    except ValueError as exc:
        raise pytest.UsageError(f"--workers/--scheduler: {exc}") from None
    global _mark, _session_rows
    agreement.ROWS.clear()
    _session_rows = agreement.ROWS
    _outcomes.clear()
    _collected.clear()
    _mark = 0
    from .mutate import install_from_env

    config._audit_mutant = install_from_env()


def pytest_report_header(config):
    note = getattr(config, "_audit_mutant", None)
    return [f"audit: {note}"] if note else []


def pytest_unconfigure(config):
    before = config.stash.get(_SWEEP_BEFORE, None)
    if before is not None:
        sweep.configure(**before)


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
def sweep_options(request) -> dict:
    """{"workers": N or None, "scheduler": ADDR or None} as given on the command line."""
    return {"workers": request.config.getoption("--workers"),
            "scheduler": request.config.getoption("--scheduler")}


@pytest.fixture(scope="session")
def paper_scale(request) -> bool:
    return request.config.getoption("--paper-scale")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Rows recorded in any phase of a test (fixtures included) carry its id."""
    agreement._current_test = item.nodeid
    try:
        yield
    finally:
        agreement._current_test = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the rows recorded since the last report (this phase's) to the phase's report."""
    global _mark
    outcome = yield
    report = outcome.get_result()
    rows = _session_rows[_mark:]
    _mark = len(_session_rows)
    if rows:
        report.user_properties.append((ROWS_KEY, [row.to_json() for row in rows]))


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _outcomes.append({"test": report.nodeid, "outcome": report.outcome,
                          "duration": round(report.duration, 4)})
    for key, rows in report.user_properties:
        if key == ROWS_KEY:
            for row in rows:
                _collected.append((report.nodeid, len(_collected), row))


def collected_rows() -> list[dict]:
    """Every row of the session in canonical order: test id, then the order it was recorded."""
    return [row for _, _, row in sorted(_collected, key=lambda item: (item[0], item[1]))]


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
    if not path or _is_worker(session.config):
        return
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"meta": {**_meta(session.config), "exitstatus": int(exitstatus)},
               "rows": collected_rows(),
               "tests": sorted(_outcomes, key=lambda t: t["test"])}
    out.write_text(json.dumps(payload, indent=1, allow_nan=False) + "\n")


def is_margin(row: dict) -> bool:
    """A row whose margin says how close a check came to failing: not a measured row, not an
    exact symbolic reduction, not a bound met with equality (slack within its atol)."""
    if row["verdict"] == "FAIL":
        return True
    if row["verdict"] == "measured" or row["margin"] is None or row.get("evidence") == "symbolic":
        return False
    if isinstance(row["margin"], float) and math.isnan(row["margin"]):
        return False
    if row["kind"] == "bound" and abs(row["theory"] - row["numeric"]) <= row["atol"]:
        return False
    return True


def _num(x) -> float:
    return x if isinstance(x, (int, float)) else (math.inf if x == "inf" else -math.inf if x == "-inf"
                                                  else math.nan)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _is_worker(config):
        return
    rows = collected_rows()
    if not rows:
        return
    tr = terminalreporter
    claims = sorted({r["claim"] for r in rows})
    counts = {v: sum(r["verdict"] == v for r in rows) for v in agreement.VERDICTS}
    tr.write_sep("=", "claims audit")
    tr.write_line(f"{len(rows)} comparisons over {len(claims)} claims: "
                  + ", ".join(f"{n} {v}" for v, n in counts.items() if n))
    tr.write_line("claims checked: " + ", ".join(claims))
    tr.write_line("ten smallest margins (margin = 1 - err/tol for agreements; < 0 failed; exact "
                  "symbolic rows, bounds met with equality and measured rows are not margins):")
    tr.write_line(f"  {'margin':>9}  {'err/tol':>9}  {'claim':<40} {'abs err':>10} {'tolerance':>10}"
                  "  params")
    for r in sorted(filter(is_margin, rows), key=lambda r: _num(r["margin"]))[:10]:
        params = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                           for k, v in r["params"].items())
        err, tol = _num(r["abs_err"]), _num(r["tolerance"])
        ratio = err / tol if tol else (0.0 if err == 0 else math.inf)
        tr.write_line(f"  {_num(r['margin']):>9.4f}  {ratio:>9.2e}  {r['claim']:<40} {err:>10.3g} "
                      f"{tol:>10.3g}  {params}")
    path = config.getoption("--tolerance-report")
    if path:
        tr.write_line(f"tolerance report written to {path}")
    sys.stdout.flush()
