"""The report: rendering from a JSON, errata, verdicts, figures that fail, and the CLI."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from theory import CLAIMS, Claim
from theory.symbols import A, rho, sigma2
from verify import report
from verify.figures import FIGURES, Figure

ROOT = Path(__file__).resolve().parent.parent


def _row(claim, verdict="pass", expect="agree", err=1e-40, tol=1e-35, **params):
    return {"claim": claim, "source": CLAIMS[claim].source if claim in CLAIMS else "000 Eq. (99)",
            "kind": "equality", "params": params or {"A": 0.5}, "theory": 1.0, "numeric": 1.0 + err,
            "abs_err": err, "rel_err": err, "tolerance": tol, "rtol": tol, "atol": 0.0, "stderr": None,
            "z": None, "allowance": 0.0, "why_tol": "precision", "expect": expect, "verdict": verdict,
            "margin": 1 - err / tol, "seed": 0, "test": "t", "theory_repr": "1", "numeric_repr": "1",
            "note": "", "extra": {}}


@pytest.fixture
def printed_claim(monkeypatch):
    fake = Claim(id="ridge.fake_R0", expr=sigma2 * (1 - rho * A), params=("sigma2", "rho", "A"),
                 source="000 Eq. (27)", statement="A claim whose printed form has a typo.",
                 as_printed=sigma2 * (1 + rho * A))
    monkeypatch.setitem(CLAIMS, fake.id, fake)
    return fake


def test_render_shows_tables_errata_and_unchecked_claims(printed_claim, tmp_path):
    data = {"meta": {"seed": 11, "paper_scale": False, "versions": {"sympy": "x"}},
            "rows": [_row("linear_dynamics.nu"), _row("linear_dynamics.nu", A=0.1),
                     _row("ridge.fake_R0", err=0.3, tol=0.01, expect="disagree", verdict="confirmed-miss"),
                     _row("linear_dynamics.lambda2", err=1.0, tol=1e-3, verdict="FAIL")],
            "tests": [{"test": "verify/x.py::t", "outcome": "failed"}]}
    text = report.render(data, None, tmp_path)
    assert "| [`linear_dynamics.nu`](#linear_dynamicsnu) | 000 Eq. (33) | 2 | 2 |" in text
    assert "seed: `11`" in text and "tests that failed: 1" in text
    assert "## Errata" in text and "### `ridge.fake_R0` (000 Eq. (27))" in text
    assert sp.latex(printed_claim.as_printed, symbol_names={sigma2: r"\sigma^{2}", rho: r"\rho"}) in text
    assert "pass (erratum: printed form refuted)" in text
    assert "| FAIL |" in text
    assert "not checked" in text  # e.g. linear_dynamics.mu_dot_v1 has no rows here


def test_report_is_deterministic_and_cli_renders_from_json(tmp_path):
    src = tmp_path / "rows.json"
    src.write_text(json.dumps({"meta": {"seed": 1}, "rows": [_row("linear_dynamics.nu")], "tests": []}))
    out = tmp_path / "out"
    status = report.main(["--from-json", str(src), "--out", str(out), "--no-figures"])
    first = (out / "REPORT.md").read_text()
    report.main(["--from-json", str(src), "--out", str(out), "--no-figures"])
    assert status == 0 and first == (out / "REPORT.md").read_text()


def test_failing_rows_make_the_command_fail(tmp_path):
    src = tmp_path / "rows.json"
    src.write_text(json.dumps({"rows": [_row("linear_dynamics.nu", err=1, tol=1e-3, verdict="FAIL")]}))
    assert report.main(["--from-json", str(src), "--out", str(tmp_path), "--no-figures"]) == 1


def test_a_broken_figure_is_reported_not_fatal(tmp_path, monkeypatch):
    def broken(outdir, *, paper_scale, seed):
        raise RuntimeError("no data")

    def fine(outdir, *, paper_scale, seed):
        path = outdir / "fine.png"
        path.write_bytes(b"png")
        return path

    monkeypatch.setattr("verify.figures.load_all", lambda: {
        "t.broken": Figure("t.broken", "Broken", (), "", broken),
        "t.fine": Figure("t.fine", "Fine", ("linear_dynamics.nu",), "It agrees.", fine)})
    results = report.draw_figures(tmp_path / "figures", paper_scale=False, seed=0)
    text = report.render({"rows": []}, results, tmp_path)
    assert "This figure failed to render" in text and "RuntimeError: no data" in text
    assert "![Fine](figures/fine.png)" in text and "It agrees." in text


def test_bad_json_is_a_clear_error(tmp_path):
    src = tmp_path / "x.json"
    src.write_text("[]")
    with pytest.raises(ValueError, match="not a tolerance report"):
        report.load_rows(src)


def test_module_cli_help_runs():
    result = subprocess.run([sys.executable, "-m", "verify.report", "--help"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert "--from-json" in result.stdout and "--paper-scale" in result.stdout


def test_every_registered_figure_names_known_claims():
    from verify.figures import load_all
    for fig in load_all().values():
        assert set(fig.claims) <= set(CLAIMS), f"figure {fig.id} cites unknown claims"


def test_single_figure_mode_rejects_unknown_ids(tmp_path):
    with pytest.raises(SystemExit):
        report.main(["--figure", "000.nope", "--out", str(tmp_path)])


def test_errors_below_the_tolerances_resolution_render_the_same_whatever_their_last_digits(tmp_path):
    """Precision noise (7.77e-16 one run, 5.55e-16 the next) renders as "< 1e-14" against a
    tolerance of 7e-14, so two runs that differ only there give the same bytes."""
    def data(err):
        return {"meta": {"seed": 1}, "rows": [_row("linear_dynamics.nu", err=err, tol=7e-14)]}
    first, second = (report.render(data(e), None, tmp_path) for e in (7.77e-16, 5.55e-16))
    assert first == second and "< 1e-14" in first
    assert report.render(data(3e-14), None, tmp_path) != first  # a real error is shown as it is


def test_the_report_of_an_audit_is_byte_identical_across_two_runs(pytester):
    """Two runs of the same audit with the same seed write the same REPORT.md, byte for byte."""
    pytester.makepyfile(test_small_audit="""
        import numpy as np
        from verify.agreement import agree

        def test_mc(audit_seed):
            rng = np.random.default_rng([audit_seed, 7])
            x = rng.standard_normal((400, 60))
            cov = x.T @ x / 400
            agree("linear_dynamics.nu", {"d": 60}, theory=1.0, numeric=float(np.trace(cov)) / 60,
                  stderr=float(np.sqrt(2 / 400 / 60)), z=4.0, why_tol="z=4 SE", seed=audit_seed)
            agree("linear_dynamics.lambda2", {"d": 60}, theory=float(np.trace(cov)),
                  numeric=float(np.linalg.eigvalsh(cov).sum()), rtol=1e-12, why_tol="precision")
    """)
    texts = []
    for i in range(2):
        out = pytester.path / f"r{i}"
        result = pytester.runpytest_subprocess("-p", "verify.plugin", f"--tolerance-report={out}.json",
                                              "--audit-seed=5")
        result.assert_outcomes(passed=1)
        texts.append(report.render(report.load_rows(Path(f"{out}.json")), None, pytester.path))
    assert texts[0] == texts[1]
