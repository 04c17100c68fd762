"""``python -m verify.report``: run the audit (or read an earlier tolerance report) and write
``report/REPORT.md`` with a table per claim, the errata and the figures.

    python -m verify.report                       # run pytest verify/, draw figures, write the report
    python -m verify.report --from-json FILE      # render from an earlier --tolerance-report
    python -m verify.report --paper-scale         # include the paper-scale checks and figures
    python -m verify.report --paper-scale --workers 4             # sweeps on 4 local processes
    python -m verify.report --paper-scale --scheduler tcp://h:8786  # sweeps on a dask cluster

The report is a pure function of the rows, the registry and the figures: the same command with the
same seed writes the same REPORT.md (timings go to the terminal, not into the report).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
import traceback
from collections import defaultdict
from pathlib import Path

from .plugin import DEFAULT_SEED

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path("report")


def run_audit(json_path: Path, *, paper_scale: bool, seed: int | None, pytest_args=()) -> int:
    """Run ``pytest verify/`` with a tolerance report; returns pytest's exit code."""
    cmd = [sys.executable, "-m", "pytest", str(REPO / "verify"), "-q", "-p", "no:cacheprovider",
           f"--tolerance-report={json_path}", *pytest_args]
    if paper_scale:
        cmd.append("--paper-scale")
    if seed is not None:
        cmd.append(f"--audit-seed={seed}")
    print("report: running", " ".join(cmd[2:]), flush=True)
    return subprocess.call(cmd, cwd=REPO)


def load_rows(json_path: Path) -> dict:
    data = json.loads(Path(json_path).read_text())
    if not isinstance(data, dict) or "rows" not in data:
        raise ValueError(f"{json_path} is not a tolerance report (no 'rows')")
    return data


# -- figures ----------------------------------------------------------------------------------
def draw_figures(outdir: Path, *, paper_scale: bool, seed: int, only=None) -> list[dict]:
    """Call every registered figure; a figure that raises is reported, not fatal."""
    from .figures import load_all

    outdir.mkdir(parents=True, exist_ok=True)
    results = []
    figures = load_all()
    for i, fig in enumerate(figures.values(), 1):
        if only and fig.id not in only:
            continue
        print(f"report: figure {i}/{len(figures)} {fig.id} ...", end=" ", flush=True)
        start = time.perf_counter()
        try:
            paths = fig.func(outdir, paper_scale=paper_scale, seed=seed)
            paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
            results.append({"figure": fig, "paths": [Path(p) for p in paths], "error": None})
            print(f"{time.perf_counter() - start:.1f} s", flush=True)
        except Exception:  # noqa: BLE001 - a broken figure must not lose the rest of the report
            results.append({"figure": fig, "paths": [], "error": traceback.format_exc(limit=3)})
            print("FAILED", flush=True)
    return results


# -- rendering --------------------------------------------------------------------------------
def _ratio(row) -> float:
    tol, err = row["tolerance"], row["abs_err"]
    if row.get("verdict") == "measured":
        return math.nan
    if isinstance(err, str) or isinstance(tol, str):
        return math.inf
    if tol:
        return err / tol
    return 0.0 if err == 0 else math.inf


def _fmt(x, digits=3) -> str:
    if x is None:
        return "—"
    if isinstance(x, str):
        return x
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if x == 0:
        return "0"
    if math.isnan(x):
        return "—"
    if not math.isfinite(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{digits}g}"


def _err(err, tol) -> str:
    """An error rendered to the resolution its tolerance gives it: an error far below the
    tolerance (working-precision noise, whose last digits vary with summation order) is shown as
    ``< 10^k`` with 10^k the tolerance's power of ten, so the report does not change with them."""
    if isinstance(err, (int, float)) and isinstance(tol, (int, float)) and tol and math.isfinite(tol) \
            and math.isfinite(err) and err > 0:
        floor = 10.0 ** math.floor(math.log10(tol))
        if err < floor:
            return f"< {floor:.0e}"
    return _fmt(err)


def _ratio_fmt(row) -> str:
    err, tol = row["abs_err"], row["tolerance"]
    if isinstance(err, (int, float)) and isinstance(tol, (int, float)) and tol and math.isfinite(tol) \
            and math.isfinite(err) and err > 0:
        floor = 10.0 ** math.floor(math.log10(tol))
        if err < floor:
            return f"< {_fmt(floor / tol, 2)}"
    return _fmt(_ratio(row))


def _rel_tol(row):
    tol, th = row["tolerance"], row["theory"]
    if isinstance(tol, (int, float)) and isinstance(th, (int, float)) and th:
        return tol / abs(th)
    return None


def _worst(rows) -> str:
    """The largest err/tol of some rows, rendered as :func:`_ratio_fmt` renders that row."""
    if not rows:
        return "—"
    return _ratio_fmt(max(rows, key=_ratio))


def _params(p: dict) -> str:
    return ", ".join(f"{k}={_fmt(v, 6) if isinstance(v, float) else v}" for k, v in p.items())


EVIDENCE_ORDER = ("symbolic", "high-precision", "trained network", "Monte-Carlo", "fitted rate",
                  "consistency only", "measured only")


def row_evidence(row) -> str:
    ev = row.get("evidence")
    if ev:
        return ev
    if row.get("verdict") == "measured":
        return "measured only"
    return "Monte-Carlo" if row.get("stderr") is not None else "consistency only"


def claim_evidence(rows) -> str:
    """The strongest kind of evidence among the rows that carry a verdict (pass or confirmed-miss)."""
    kinds = {row_evidence(r) for r in rows if r["verdict"] != "FAIL"}
    for kind in EVIDENCE_ORDER:
        if kind in kinds:
            return kind
    return "—"


def claim_verdict(claim, rows) -> str:
    if not rows:
        return "not checked"
    if any(r["verdict"] == "FAIL" for r in rows):
        return "FAIL"
    if all(r["verdict"] == "measured" for r in rows):
        return "measured (no verdict)"
    if claim is not None and claim.as_printed is not None:
        return "pass (erratum: printed form refuted)" if any(
            r["verdict"] == "confirmed-miss" for r in rows) else "pass (printed form differs)"
    if any(r["verdict"] == "confirmed-miss" for r in rows):
        return "pass (with confirmed caveats)"
    return "pass"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(data: dict, figures: list[dict] | None, outdir: Path) -> str:
    from theory import CLAIMS

    rows = data["rows"]
    meta = data.get("meta", {})
    by_claim: dict[str, list[dict]] = defaultdict(list)
    references: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row.get("role", "claim") == "reference":
            references[row["claim"]].append(row)
        else:
            by_claim[row["claim"]].append(row)
    # by paper (the seed number that opens each source), then in registration order
    registered = sorted(CLAIMS, key=lambda c: (CLAIMS[c].source[:3], list(CLAIMS).index(c)))
    claim_ids = registered + sorted(set(by_claim) - set(CLAIMS))
    counts = defaultdict(int)
    for row in rows:
        counts[row["verdict"]] += 1
    failed_tests = [t for t in data.get("tests", []) if t["outcome"] == "failed"]

    out = ["# Claims versus simulation: the spiked-covariance audit", ""]
    out += ["Generated by `python -m verify.report` from the rows of `pytest verify/` "
            "(tolerance report `tolerance.json` beside this file). Do not edit by hand.", ""]
    out += [f"- audit seed: `{meta.get('seed')}`; paper scale: `{meta.get('paper_scale')}`; "
            f"Python {meta.get('python')}; "
            + ", ".join(f"{k} {v}" for k, v in sorted(meta.get("versions", {}).items())),
            f"- {len(CLAIMS)} claims registered, {sum(1 for c in claim_ids if by_claim.get(c))} checked; "
            f"{len(rows)} comparisons: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())),
            f"- tests that failed: {len(failed_tests)}"
            + ("" if not failed_tests else " — " + ", ".join(f"`{t['test']}`" for t in failed_tests)),
            ""]
    out += ["## How to read this", "",
            "Each comparison pits a closed form from `theory` against an independent computation "
            "from `numerics`. `err/tol` is the absolute error divided by the stated tolerance "
            "(below 1 passes). *confirmed-miss* rows assert a known disagreement — a printed "
            "formula that its derivation or the simulations refute, or a formula that holds only "
            "for one choice the paper leaves free — and pass when the miss is larger than the "
            "tolerance. Bounds record the measured value against the bound; the margin is the "
            "slack relative to the bound.", ""]

    out += ["## Summary", "",
            "`evidence` is the strongest kind of comparison behind the verdict: *symbolic* (an exact "
            "SymPy reduction), *high-precision* (an mpmath construction at a stated working "
            "precision), *trained network*, *Monte-Carlo* (with standard errors), *fitted rate* (a "
            "fitted exponent with its interval), *consistency only* (a bound or a comparison with a "
            "derived finite-size allowance), *measured only* (a number shown beside its prediction, "
            "not asserted).", "",
            "| claim | source | points | rows | worst err/tol | evidence | verdict |",
            "|---|---|---:|---:|---:|---|---|"]
    for cid in claim_ids:
        claim = CLAIMS.get(cid)
        crow = by_claim.get(cid, [])
        agreeing = [r for r in crow if r["expect"] == "agree" and r["verdict"] != "measured"]
        worst = _worst(agreeing)
        points = len({json.dumps(r["params"], sort_keys=True) for r in crow})
        source = claim.source if claim else (crow[0]["source"] if crow else "")
        out.append(f"| [`{cid}`](#{_anchor(cid)}) | {source} | {points} | {len(crow)} | "
                   f"{worst} | {claim_evidence(crow) if crow else '—'} | "
                   f"{claim_verdict(claim, crow)} |")
    out.append("")
    if references:
        out += ["### Reference checks", "",
                "Comparisons of one numeric path against another (a fast model against the "
                "brute-force one, two integrators). They are asserted like any row but count "
                "toward no claim's verdict.", "",
                "| reference | rows | worst err/tol | verdict |", "|---|---:|---:|---|"]
        for rid in sorted(references):
            rrows = references[rid]
            verdict = "FAIL" if any(r["verdict"] == "FAIL" for r in rrows) else "pass"
            out.append(f"| `{rid}` | {len(rrows)} | {_worst(rrows)} | {verdict} |")
        out.append("")

    errata = [c for c in claim_ids if CLAIMS.get(c) is not None and CLAIMS[c].as_printed is not None]
    out += ["## Errata: printed forms that differ from their derivation", ""]
    if not errata:
        out += ["No registered claim has a printed form that differs from its re-derived form.", ""]
    for cid in errata:
        claim = CLAIMS[cid]
        misses = [r for r in by_claim.get(cid, []) if r["expect"] == "disagree"]
        out += [f"### `{cid}` ({claim.source})", "", claim.statement, "",
                "Printed:", "", f"$$ {claim.latex(printed=True)} $$", "",
                "Derived (what the suite encodes):", "", f"$$ {claim.latex()} $$", ""]
        if misses:
            out += ["Comparisons that decide between them (the printed form against the "
                    "simulations):", "", "| parameters | theory (printed) | numeric | abs err | "
                    "tolerance | verdict |", "|---|---:|---:|---:|---:|---|"]
            for r in misses[:20]:
                out.append(f"| {_params(r['params'])} | {_fmt(r['theory'], 6)} | "
                           f"{_fmt(r['numeric'], 6)} | {_err(r['abs_err'], r['tolerance'])} | "
                           f"{_fmt(r['tolerance'])} | {r['verdict']} |")
            out.append("")
        else:
            out += ["No comparison in this run tests the printed form against simulation.", ""]

    caveats = [c for c in claim_ids if CLAIMS.get(c) is not None and CLAIMS[c].conditions]
    if caveats:
        out += ["## Conditions and caveats", "",
                "Claims that hold only under an assumption, or only for one choice the paper "
                "leaves free. Rows marked *confirmed-miss* show the claim failing when the "
                "condition is dropped.", ""]
        for cid in caveats:
            misses = [r for r in by_claim.get(cid, []) if r["expect"] == "disagree"]
            line = f"- **`{cid}`** ({CLAIMS[cid].source}): {CLAIMS[cid].conditions}"
            if misses:
                line += (f" — {len(misses)} confirmed miss(es) without the condition, e.g. "
                         f"{_params(misses[0]['params'])}: theory {_fmt(misses[0]['theory'], 6)} vs "
                         f"numeric {_fmt(misses[0]['numeric'], 6)}.")
            out.append(line)
        out.append("")

    if figures:
        out += ["## Figures", ""]
        for res in figures:
            fig = res["figure"]
            out += [f"### {fig.title}", ""]
            if res["error"]:
                out += ["**This figure failed to render:**", "", "```", res["error"].strip(), "```", ""]
                continue
            for p in res["paths"]:
                rel = p.relative_to(outdir) if p.is_absolute() and outdir.resolve() in p.parents else p
                out.append(f"![{fig.title}]({rel.as_posix()})")
            out += ["", fig.caption, ""]
            if fig.claims:
                out += ["Claims shown: " + ", ".join(f"`{c}`" for c in fig.claims), ""]

    out += mutation_section(outdir)
    out += ["## Claims", ""]
    for cid in claim_ids:
        claim = CLAIMS.get(cid)
        crow = by_claim.get(cid, [])
        out += [f"### {cid}", ""]
        if claim is not None:
            out += [f"{claim.statement}", "", f"- source: {claim.source}",
                    f"- parameters: {', '.join(f'`{p}`' for p in claim.params)}"]
            if claim.derived_from:
                out.append(f"- derived from: {', '.join(f'`{d}`' for d in claim.derived_from)}")
            if claim.conditions:
                out.append(f"- conditions: {claim.conditions}")
            if claim.as_printed is not None:
                out.append("- **the printed form differs; see Errata**")
            out += ["", f"$$ {claim.latex()} $$", ""]
        else:
            out += ["(rows recorded under an id that is not in the registry)", ""]
        if not crow:
            out += ["No comparison recorded in this run.", ""]
            continue
        out += [f"Verdict: **{claim_verdict(claim, crow)}** over {len(crow)} comparisons at "
                f"{len({json.dumps(r['params'], sort_keys=True) for r in crow})} parameter points.", ""]
        out += ["| kind | expect | parameters | theory | numeric | abs err | rel err | tolerance | "
                "err/tol | evidence | verdict | test |", "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|"]

        def tightness(r):
            if r["verdict"] == "measured":
                return (1, 0.0)
            return (0, -_ratio(r) if r["expect"] == "agree" else _ratio(r))

        shown = sorted(crow, key=tightness)[:5]
        shown += [r for r in crow if r["verdict"] == "measured" and r not in shown][:5]
        for r in shown:
            test = (r.get("test") or "").replace("verify/", "")
            out.append(f"| {r['kind']} | {r['expect']} | {_params(r['params'])} | {_fmt(r['theory'], 6)} "
                       f"| {_fmt(r['numeric'], 6)} | {_err(r['abs_err'], r['tolerance'])} | "
                       f"{_err(r['rel_err'], _rel_tol(r))} | "
                       f"{_fmt(r['tolerance'])} | {_ratio_fmt(r)} | {row_evidence(r)} | "
                       f"{r['verdict']} | `{_md_escape(test)}` |")
        out += ["", f"(the {len(shown)} tightest of {len(crow)} rows; all rows are in tolerance.json)", ""]
        reasons = sorted({r["why_tol"] for r in crow})
        out += ["Tolerances:"] + [f"- {_md_escape(w)}" for w in reasons] + [""]
        notes = sorted({r["note"] for r in crow if r.get("note")})
        if notes:
            out += ["Notes:"] + [f"- {_md_escape(n)}" for n in notes[:10]] + [""]
    return "\n".join(out).rstrip() + "\n"


def mutation_section(outdir: Path) -> list[str]:
    """"How much the audit would notice": rendered from ``mutation.json`` (``python -m
    verify.mutate``) and ``seeds.json`` (``python -m verify.seeds --out``) beside the report, when
    they exist. Numbers only: kill rates with their counts, survivors with their reasons."""
    mpath, spath = Path(outdir) / "mutation.json", Path(outdir) / "seeds.json"
    if not mpath.exists() and not spath.exists():
        return []
    out = ["## How much the audit would notice", ""]
    if mpath.exists():
        mut = json.loads(mpath.read_text())
        meta, summ = mut.get("meta", {}), mut.get("summary", {})
        k = meta.get("per_claim")
        out += [f"Mutants of each claim's SymPy expression (`python -m verify.mutate "
                f"{meta.get('prefix') or ''}`; {'every mutant' if k is None else f'{k} sampled per claim'}, "
                f"sample seed `{meta.get('seed')}`, audit seed `{meta.get('audit_seed') or 'default'}`), "
                "each run against the checks whose rows cite the claim"
                + (" (non-symbolic rows only: exact identities such as expr == derivation() left out)"
                   if meta.get("skip_symbolic") else "")
                + ". *killed*: a check failed; "
                "*error*: the run could not start or timed out (not counted as killed).", "",
                "| module | mutants | killed | survived | errors | kill rate |", "|---|---:|---:|---:|---:|---:|"]
        rows = list(summ.get("per_module", {}).items()) + [("**overall**", summ.get("overall", {}))]
        for mod, b in rows:
            rate = b.get("kill_rate")
            out.append(f"| {mod} | {b.get('mutants', 0)} | {b.get('killed', 0)} | {b.get('survived', 0)} | "
                       f"{b.get('errors', 0)} | {'—' if rate is None else f'{100 * rate:.1f}%'} |")
        out += ["", "| claim | mutants | killed | survived | errors |", "|---|---:|---:|---:|---:|"]
        for cid, res in sorted(mut.get("claims", {}).items()):
            if "runs" in res and res["runs"]:
                out.append(f"| `{cid}` | {res.get('mutants', 0)} | {res.get('killed', 0)} | "
                           f"{res.get('survived', 0)} | {res.get('errors', 0)} |")
        blind = [(cid, r) for cid, res in sorted(mut.get("claims", {}).items())
                 for r in res.get("runs", []) if r["outcome"] != "killed"]
        if blind:
            out += ["", "Blind spots (mutants no check caught) and errors:", ""]
            for cid, r in blind:
                out.append(f"- `{cid}` {r['outcome']} [{r['kind']}] {_md_escape(r['label'])}: "
                           f"`{r['expr'][:200]}` — {_md_escape(r.get('reason') or ' '.join(r.get('tail') or []))}")
        skipped = sorted(c for c, res in mut.get("claims", {}).items() if "skipped" in res)
        if skipped:
            out += ["", "Not mutated: " + ", ".join(f"`{c}` ({mut['claims'][c]['skipped']})" for c in skipped)]
        out.append("")
    if spath.exists():
        seeds = json.loads(spath.read_text())
        res = seeds.get("results", [])
        bad = [r for r in res if r.get("exit") != 0]
        out += [f"Seeds run (`python -m verify.seeds`, base `{seeds.get('base')}`): "
                + ", ".join(f"`{r['seed']}`" for r in res)
                + f"; {len(res) - len(bad)} of {len(res)} passed every check.", ""]
        for r in bad:
            claims = sorted({f["claim"] for f in r.get("failed_rows", [])})
            out.append(f"- seed `{r['seed']}`: failed " + (", ".join(f"`{c}`" for c in claims) or
                                                            ", ".join(f"`{t}`" for t in r.get("failed_tests", []))))
        out.append("")
    return out


def _anchor(cid: str) -> str:
    return cid.replace(".", "").replace(" ", "-").lower()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verify.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--from-json", type=Path, metavar="FILE",
                        help="render from an earlier tolerance report instead of running the audit")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: report)")
    parser.add_argument("--paper-scale", action="store_true", help="paper-scale checks and figures")
    parser.add_argument("--audit-seed", type=int, default=None, help="seed of the audit's random draws")
    parser.add_argument("--no-figures", action="store_true", help="skip drawing the figures")
    parser.add_argument("--figure", action="append", metavar="ID",
                        help="only (re)draw this figure into OUT/figures; REPORT.md is left as it is")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="processes for the parameter sweeps of the audit and the figures "
                             "(numerics.sweep; default 1)")
    parser.add_argument("--scheduler", default=None, metavar="ADDR",
                        help="run the sweeps on a dask.distributed cluster: tcp://host:8786, or "
                             "'local' for a LocalCluster of --workers processes (default "
                             "$SPIKED_AUDIT_SCHEDULER)")
    args = parser.parse_args(argv)
    from numerics import sweep

    try:  # the figures drawn in this process; the audit's pytest gets the same options below
        sweep.configure(workers=args.workers, scheduler=args.scheduler)
    except ValueError as exc:
        parser.error(str(exc))
    sweep_args = ([f"--workers={args.workers}"] if args.workers is not None else []) + \
        ([f"--scheduler={args.scheduler}"] if args.scheduler is not None else [])

    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.figure:
        from .figures import load_all

        known = load_all()
        unknown = sorted(set(args.figure) - set(known))
        if unknown:
            parser.error(f"unknown figure id {unknown[0]!r}; known: {', '.join(known)}")
        results = draw_figures(out / "figures", paper_scale=args.paper_scale,
                               seed=args.audit_seed if args.audit_seed is not None else DEFAULT_SEED,
                               only=set(args.figure))
        for res in results:
            print(res["error"] or "\n".join(map(str, res["paths"])))
        return 1 if any(res["error"] for res in results) else 0
    status = 0
    if args.from_json:
        json_path = args.from_json
    else:
        json_path = out / "tolerance.json"
        status = run_audit(json_path, paper_scale=args.paper_scale, seed=args.audit_seed,
                           pytest_args=sweep_args)
        if not json_path.exists():
            print(f"report: the audit did not write {json_path} (pytest exit {status})", file=sys.stderr)
            return status or 1
    data = load_rows(json_path)
    seed = args.audit_seed if args.audit_seed is not None else data.get("meta", {}).get("seed", 0)
    figures = None if args.no_figures else draw_figures(out / "figures", paper_scale=args.paper_scale,
                                                         seed=seed, only=args.figure)
    text = render(data, figures, out)
    (out / "REPORT.md").write_text(text)
    failed = sum(r["verdict"] == "FAIL" for r in data["rows"])
    broken = sum(1 for f in figures or [] if f["error"])
    print(f"report: wrote {out / 'REPORT.md'} ({len(data['rows'])} comparisons, {failed} failed, "
          f"{broken} figure(s) failed)")
    return status or (1 if failed or broken else 0)


if __name__ == "__main__":
    sys.exit(main())
