"""``python -m verify.mutate``: how much of theory/ would the audit notice if it broke?

For each registered claim whose ``expr`` is a SymPy expression, mutants are generated mechanically
at the SymPy level (issue 13, item 2):

  const   each numeric constant c -> c+1, 2c, -c; a Rational p/q also -> (p+1)/q
  sign    each term of an Add negated
  pow     each exponent of a Pow changed by +1 and -1
  swap    each parameter symbol swapped for another parameter of the claim
  drop    each factor of a Mul dropped

Mutants SymPy proves equal to the original are discarded (structural identity, then agreement at
random points of the claim's domain followed by ``sp.simplify(m - e) == 0`` under a time limit;
a mutant that agrees at every sampled point but that simplify cannot settle within the limit is
counted as "equivalent (numerically)" and dropped as well). Mutants that are undefined (not a finite
real) at every sampled point where the original is defined are dropped as "undefined".

A seeded sample of K mutants per claim (``--per-claim``, default 3; ``--all`` for every one) is run
against the checks that guard the claim: the test node ids whose comparison rows cite the claim in
a tolerance report (``report/tolerance.json``, or one written by running ``pytest verify/`` once).
The mutant is installed by the audit's plugin from the environment variable
``SPIKED_AUDIT_MUTANT`` (JSON ``{"claim": id, "srepr": ...}``): it replaces the claim's ``expr`` in
:data:`theory.CLAIMS` before any test module is imported. Outcome of one mutant:

  killed    pytest exit 1 (a check failed; ``how`` says whether a comparison row failed or a test raised)
  survived  pytest exit 0 (every guarding check passed with the mutant in place)
  error     any other exit (collection or import error, usage error) or the per-mutant timeout

A survivor is a blind spot. A common reason: the check computes the claim from a module-level
SymPy expression or a function of theory/ rather than through ``CLAIMS[id].expr``/``evaluate``, so
a mutant of the registry entry never reaches it.

    python -m verify.mutate ridge. --per-claim 2 --seed 1 --workers 2 --out report/mutation.json
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import pickle
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import sympy as sp

REPO = Path(__file__).resolve().parent.parent
ENV_VAR = "SPIKED_AUDIT_MUTANT"
KINDS = ("const", "sign", "pow", "swap", "drop")
DEFAULT_PER_CLAIM = 3
DEFAULT_TIMEOUT = 300.0
SIMPLIFY_SECONDS = 5


# -- installing a mutant ----------------------------------------------------------------------
def _namespace() -> dict:
    """Names ``eval`` needs to rebuild a srepr: SymPy plus the classes theory/ defines (custom
    functions such as TanhMoment)."""
    import theory

    ns = dict(vars(sp))  # public SymPy names win over same-named classes of submodules
    for mod in list(sys.modules.values()):
        name = getattr(mod, "__name__", "")
        if name == "theory" or name.startswith(("theory.", "sympy.")):
            for key, val in vars(mod).items():
                if isinstance(val, type) and not key.startswith("_"):
                    ns.setdefault(key, val)
    del theory
    return ns


def to_srepr(expr) -> str:
    if isinstance(expr, tuple):
        return "(" + ", ".join(sp.srepr(e) for e in expr) + ",)"
    return sp.srepr(expr)


def from_srepr(text: str):
    return eval(text, _namespace())  # noqa: S307 - our own srepr, written by this module


def encode(claim_id: str, expr, label: str = "") -> str:
    """The value of SPIKED_AUDIT_MUTANT for one mutant: JSON with the claim, a readable srepr and
    a base64 pickle (the pickle is what is installed: srepr does not round-trip matrix
    expressions such as linear_dynamics.conservation_law)."""
    blob = base64.b64encode(pickle.dumps(expr)).decode("ascii")
    return json.dumps({"claim": claim_id, "label": label, "srepr": to_srepr(expr), "pickle": blob})


def decode(raw: str):
    try:
        spec = json.loads(raw)
        claim_id = spec["claim"]
        if "pickle" in spec:
            expr = pickle.loads(base64.b64decode(spec["pickle"]))  # noqa: S301 - written by encode
        else:
            expr = from_srepr(spec["srepr"])
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{ENV_VAR} must be JSON {{\"claim\": id, \"srepr\": text}} "
                         f"(optionally \"pickle\"): {err}") from None
    return claim_id, expr, spec.get("label", "")


def install(claim_id: str, expr) -> None:
    """Replace ``CLAIMS[claim_id].expr`` in place (every holder of the Claim object sees it)."""
    from theory import CLAIMS

    if claim_id not in CLAIMS:
        raise ValueError(f"{ENV_VAR}: claim {claim_id!r} is not registered")
    object.__setattr__(CLAIMS[claim_id], "expr", expr)


def install_from_env(environ=os.environ) -> str | None:
    """Install the mutant named by ``SPIKED_AUDIT_MUTANT``, if set; returns a one-line description."""
    raw = environ.get(ENV_VAR)
    if not raw:
        return None
    claim_id, expr, label = decode(raw)
    install(claim_id, expr)
    return f"mutant of {claim_id} installed: {label}"


# -- generating mutants -----------------------------------------------------------------------
def _sites(e, params: tuple, path=()):
    """Yield (path, kind, label, replacement) for every mutation site of ``e``."""
    if isinstance(e, sp.Number):
        if e.is_finite:
            seen = set()
            cands = [("c+1", e + 1), ("2c", 2 * e), ("-c", -e)]
            if e.is_Rational and not e.is_Integer:
                cands.append(("(p+1)/q", sp.Rational(e.p + 1, e.q)))
            for lab, new in cands:
                if new != e and new not in seen:
                    seen.add(new)
                    yield path, "const", f"{e} -> {new}", new
        return
    if isinstance(e, sp.Symbol):
        if e.name in params:
            from theory.symbols import SYMBOLS

            for other in params:
                if other != e.name:
                    yield path, "swap", f"{e} -> {other}", SYMBOLS[other]
        return
    if isinstance(e, sp.Add):
        for i, term in enumerate(e.args):
            new = sp.Add(*[(-a if j == i else a) for j, a in enumerate(e.args)])
            yield path, "sign", f"flip sign of term {term}", new
    if isinstance(e, sp.Pow):
        base, ex = e.args
        for d in (1, -1):
            yield path, "pow", f"exponent {ex} -> {ex + d}", sp.Pow(base, ex + d)
    if isinstance(e, sp.Mul) and len(e.args) > 1:
        for i, fac in enumerate(e.args):
            if fac == -1:
                continue  # dropping -1 is the sign flip of the Add above
            yield path, "drop", f"drop factor {fac}", sp.Mul(*[a for j, a in enumerate(e.args) if j != i])
    for i, arg in enumerate(getattr(e, "args", ())):
        if isinstance(e, (sp.Integral, sp.Sum)) and i > 0:
            # limits: mutate the bounds only, never the integration variable
            var, *bounds = arg.args
            for k, b in enumerate(bounds):
                for p, kind, lab, new in _sites(b, params, ()):
                    yield (path + ((i, k + 1),) + p), kind, lab, new
            continue
        if isinstance(arg, sp.Basic):
            yield from _sites(arg, params, path + (i,))


def _rebuild(e, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(head, tuple):  # integral limits
        i, k = head
        lim = list(e.args[i].args)
        lim[k] = _rebuild(lim[k], rest, new)
        args = list(e.args)
        args[i] = sp.Tuple(*lim)
        return e.func(*args)
    args = list(e.args)
    args[head] = _rebuild(args[head], rest, new)
    return e.func(*args)


def mutation_sites(expr, params: tuple) -> list[tuple]:
    """Every site of ``expr`` (a SymPy expression or a tuple of them): (index into the tuple or
    None, path, kind, label, replacement)."""
    parts = list(expr) if isinstance(expr, tuple) else [expr]
    out = []
    for idx, part in enumerate(parts):
        for path, kind, label, new in _sites(part, params):
            out.append((idx if isinstance(expr, tuple) else None, path, kind, label, new))
    return out


def apply_site(expr, site):
    idx, path, _, _, new = site
    if idx is None:
        return _rebuild(expr, path, new)
    parts = list(expr)
    parts[idx] = _rebuild(parts[idx], path, new)
    return tuple(parts)


# -- equivalence ------------------------------------------------------------------------------
class _Timeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    """SIGALRM guard around a SymPy call (main thread only; elsewhere no limit is applied)."""
    try:
        old = signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(_Timeout()))
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _sample_point(claim, rng: random.Random) -> dict:
    point = {}
    for name in claim.params:
        dom = claim.domain(name)
        lo = dom.lo if math.isfinite(dom.lo) else -2.0
        hi = dom.hi if math.isfinite(dom.hi) else lo + 3.0
        if dom.integer:
            point[name] = sp.Integer(int(lo) + rng.randint(1, 6))
            continue
        span = hi - lo
        x = lo + span * rng.uniform(0.1, 0.9)
        point[name] = sp.Rational(round(x * 1000), 1000) if dom.contains(x) else sp.Rational(lo + hi, 2)
    return point


def _numeric(expr, subs, extra, prec=30):
    """A finite real number (or list of them) or None where it is not one."""
    parts = list(expr) if isinstance(expr, tuple) else [expr]
    vals = []
    for part in parts:
        if isinstance(part, sp.Basic) and part.is_Relational and hasattr(part, "lhs"):
            part = part.lhs - part.rhs
        if not isinstance(part, sp.Basic):
            vals.append(part)
            continue
        try:
            with _time_limit(SIMPLIFY_SECONDS):
                v = sp.N(part.subs(subs).subs(extra), prec)
        except (_Timeout, Exception):  # noqa: BLE001 - any failure means "no number here"
            return None
        if isinstance(v, sp.Basic) and (v.free_symbols or not v.is_number):
            return None
        try:
            c = complex(v)
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(c.real) and abs(c.imag) <= 1e-20 * max(1.0, abs(c.real))):
            return None
        vals.append(c.real)
    return vals


def classify_equivalence(claim, original, mutant, rng: random.Random, points: int = 4) -> str:
    """"distinct", "equivalent" (proved or structurally equal), "equivalent (numerically)" or
    "undefined" (not a finite real at any sampled point where the original is one)."""
    if mutant == original:
        return "equivalent"
    free = set()
    for part in (original if isinstance(original, tuple) else (original,)):
        free |= getattr(part, "free_symbols", set())
    names = set(claim.params)
    extra = {s: sp.Rational(rng.randint(3, 17), 10) for s in free
             if isinstance(s, sp.Symbol) and s.name not in names}
    from theory.symbols import SYMBOLS

    compared = undefined = 0
    for _ in range(points * 3):
        if compared + undefined >= points:
            break
        subs = {SYMBOLS[k]: v for k, v in _sample_point(claim, rng).items()}
        base = _numeric(original, subs, extra)
        if base is None:
            continue
        mut = _numeric(mutant, subs, extra)
        if mut is None:
            undefined += 1
            continue
        compared += 1
        if any(abs(a - b) > 1e-12 * max(1.0, abs(a)) for a, b in zip(base, mut)):
            return "distinct"
    if compared == 0 and undefined > 0:
        return "undefined"
    # numerically indistinguishable (or no numbers at all): ask SymPy
    try:
        with _time_limit(SIMPLIFY_SECONDS):
            pairs = zip(original, mutant) if isinstance(original, tuple) else [(original, mutant)]
            proved = all(sp.simplify(_diff(a, b)) == 0 for a, b in pairs)
    except (_Timeout, Exception):  # noqa: BLE001
        proved = False
    if proved:
        return "equivalent"
    return "equivalent (numerically)" if compared else "distinct"


def _diff(a, b):
    if isinstance(a, sp.Basic) and a.is_Relational and hasattr(a, "lhs"):
        return (a.lhs - a.rhs) - (b.lhs - b.rhs)
    return a - b


def is_expression(expr) -> bool:
    """A SymPy expression, relation or tuple of them (the shapes a mutant can be built from)."""
    parts = expr if isinstance(expr, tuple) else (expr,)
    return bool(parts) and all(isinstance(p, sp.Basic) for p in parts)


def generate(claim, k: int | None, rng: random.Random) -> dict:
    """Sample up to ``k`` non-equivalent mutants (all with ``k=None``) of one claim."""
    sites = mutation_sites(claim.expr, claim.params)
    order = list(range(len(sites)))
    rng.shuffle(order)
    kept, dropped, seen = [], defaultdict(int), set()
    for i in order:
        if k is not None and len(kept) >= k:
            break
        site = sites[i]
        try:
            mutant = apply_site(claim.expr, site)
        except Exception:  # noqa: BLE001 - a rebuild SymPy refuses is not a mutant
            dropped["unbuildable"] += 1
            continue
        key = to_srepr(mutant)
        if key in seen:  # the same expression reached from two sites (2 -> -2 is also a sign flip)
            dropped["duplicate"] += 1
            continue
        seen.add(key)
        verdict = classify_equivalence(claim, claim.expr, mutant, rng)
        if verdict != "distinct":
            dropped[verdict] += 1
            continue
        kept.append({"kind": site[2], "label": site[3], "expr": mutant})
    return {"sites": len(sites), "mutants": kept, "dropped": dict(dropped)}


# -- which checks guard a claim ---------------------------------------------------------------
def guards_from_report(path: Path, skip_symbolic: bool = False) -> dict[str, list[str]]:
    """claim id -> sorted test node ids whose (non-reference) rows cite it; with
    ``skip_symbolic`` only tests with at least one non-symbolic row for the claim (so an exact
    "expr equals its derivation" check alone does not count as a guard)."""
    data = json.loads(Path(path).read_text())
    out = defaultdict(set)
    for row in data["rows"]:
        if row.get("role", "claim") == "reference" or not row.get("test"):
            continue
        if skip_symbolic and row.get("evidence") == "symbolic":
            continue
        out[row["claim"]].add(row["test"])
    return {c: sorted(t) for c, t in out.items()}


def ensure_report(path: Path | None, seed: int | None) -> Path:
    if path and Path(path).exists():
        return Path(path)
    path = Path(path or REPO / "report" / "tolerance.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(REPO / "verify"),
           f"--tolerance-report={path}"]
    if seed is not None:
        cmd.append(f"--audit-seed={seed}")
    print("mutate: no tolerance report; running", " ".join(cmd[2:]), flush=True)
    subprocess.call(cmd, cwd=REPO)
    if not path.exists():
        raise SystemExit(f"mutate: the audit did not write {path}")
    return path


# -- running one mutant -----------------------------------------------------------------------
def run_mutant(claim_id: str, mutant: dict, tests: list[str], *, seed: int | None, timeout: float,
               cwd: Path = REPO, extra_args=()) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tol = Path(tmp) / "tol.json"
        env = dict(os.environ)
        env[ENV_VAR] = encode(claim_id, mutant["expr"], mutant["label"])
        env["PYTHONPATH"] = str(cwd) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               f"--tolerance-report={tol}", *extra_args, *tests]
        if seed is not None:
            cmd.append(f"--audit-seed={seed}")
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
            code = proc.returncode
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
        except subprocess.TimeoutExpired:
            code, tail = None, [f"timeout after {timeout:g} s"]
        seconds = round(time.perf_counter() - start, 1)
        how, first = None, None
        if code == 1 and tol.exists():
            data = json.loads(tol.read_text())
            failed_rows = [r for r in data["rows"] if r["verdict"] == "FAIL"]
            failed = [t["test"] for t in data["tests"] if t["outcome"] == "failed"]
            first = failed[0] if failed else None
            how = "a comparison row failed" if failed_rows else "a test raised or asserted"
    outcome = "killed" if code == 1 else "survived" if code == 0 else "error"
    return {"kind": mutant["kind"], "label": mutant["label"], "expr": str(mutant["expr"])[:400],
            "outcome": outcome, "exit": code, "how": how, "failed_test": first,
            "seconds": seconds, "tail": tail if outcome == "error" else []}


# -- the command ------------------------------------------------------------------------------
def summarize(results: dict) -> dict:
    per_module = defaultdict(lambda: {"mutants": 0, "killed": 0, "survived": 0, "errors": 0})
    total = {"mutants": 0, "killed": 0, "survived": 0, "errors": 0}
    for cid, res in results.items():
        runs = res.get("runs", [])
        counts = {"mutants": len(runs), "killed": sum(r["outcome"] == "killed" for r in runs),
                  "survived": sum(r["outcome"] == "survived" for r in runs),
                  "errors": sum(r["outcome"] == "error" for r in runs)}
        res.update(counts)
        mod = cid.split(".")[0]
        for key, n in counts.items():
            per_module[mod][key] += n
            total[key] += n
    for bucket in list(per_module.values()) + [total]:
        decided = bucket["killed"] + bucket["survived"]
        bucket["kill_rate"] = round(bucket["killed"] / decided, 4) if decided else None
    return {"per_module": dict(sorted(per_module.items())), "overall": total}


def module_aliases(claim_id: str) -> list[str]:
    """Module-level names of theory/ bound to the same expression as ``CLAIMS[claim_id].expr``
    (e.g. ``theory.ridge.kappa_equation``): a check that reads one of them bypasses the registry."""
    import importlib

    from theory import CLAIMS

    expr = CLAIMS[claim_id].expr
    mod = importlib.import_module("theory." + claim_id.split(".")[0])
    out = []
    for name, val in vars(mod).items():
        if name.startswith("_") or not isinstance(val, (sp.Basic, tuple)):
            continue
        try:
            same = val is expr or val == expr
        except Exception:  # noqa: BLE001
            same = False
        if same:
            out.append(f"{mod.__name__}.{name}")
    return sorted(out)


def rows_by_claim(path: Path) -> dict[str, list[dict]]:
    """claim id -> its agreement rows (expected to agree, numeric theory and tolerance) of a
    tolerance report: the points where the audit actually compares the claim."""
    out = defaultdict(list)
    for row in json.loads(Path(path).read_text())["rows"]:
        if (row.get("kind") == "equality" and row.get("expect") == "agree"
                and row.get("role", "claim") == "claim" and isinstance(row.get("theory"), (int, float))
                and isinstance(row.get("tolerance"), (int, float)) and row["tolerance"] > 0):
            out[row["claim"]].append(row)
    return dict(out)


def resolution(claim_id: str, expr, rows: list[dict], limit: int = 200) -> dict | None:
    """How far the mutant ``expr`` moves the claim at the points its checks visit, in units of each
    row's tolerance: evaluated (with the mutant installed, then restored) at every row whose
    parameters name all of the claim's inputs. None when no row can be evaluated."""
    from theory import CLAIMS

    claim = CLAIMS[claim_id]
    original = claim.expr
    worst, worst_rel, n = 0.0, 0.0, 0
    try:
        install(claim_id, expr)
        for row in rows[:limit]:
            params = row.get("params", {})
            if not all(k in params for k in claim.params):
                continue
            try:
                value = complex(claim.evaluate(prec=15, **{k: params[k] for k in claim.params}))
            except Exception:  # noqa: BLE001 - outside the mutant's domain: no comparison there
                continue
            if value.imag or not math.isfinite(value.real):
                continue
            shift = abs(value.real - row["theory"])
            n += 1
            worst = max(worst, shift / row["tolerance"])
            worst_rel = max(worst_rel, shift / abs(row["theory"]) if row["theory"] else 0.0)
    finally:
        install(claim_id, original)
    return {"rows": n, "max_shift_over_tol": round(worst, 4), "max_rel_shift": round(worst_rel, 4)} if n else None


def survivor_reason(cid: str, tests: list[str], res: dict | None = None) -> str:
    if not tests:
        return "no check cites this claim"
    if res:
        if res["max_shift_over_tol"] < 1:
            return (f"below resolution: at the {res['rows']} points where its checks compare the claim "
                    f"the mutant moves it by at most {res['max_shift_over_tol']:.2g} of the row's "
                    f"tolerance (relative shift <= {res['max_rel_shift']:.2g}); a subleading change "
                    "that the claim's own allowance covers")
    files = sorted({t.split("::")[0] for t in tests})
    used = []
    for alias in module_aliases(cid):
        attr = alias.rsplit(".", 1)[1]
        for f in files:
            path = REPO / f
            if path.exists() and re.search(rf"\.{re.escape(attr)}\b", path.read_text()):
                used.append(f"{alias} (read in {f})")
    if used:
        return ("the guarding checks read the module-level expression " + ", ".join(used)
                + " rather than CLAIMS[id].expr/evaluate, so the registry mutant never reaches them")
    return ("every guarding check passed with the mutant installed in CLAIMS: at their parameter "
            "points the checks do not discriminate this change, or they compute the claim through a "
            "function of theory/ rather than CLAIMS[id]")


def print_table(payload: dict, out=sys.stdout) -> None:
    w = out.write
    w(f"{'claim':<46} {'sites':>5} {'mut':>4} {'kill':>4} {'surv':>4} {'err':>4}\n")
    for cid, res in payload["claims"].items():
        if "skipped" in res:
            continue
        w(f"{cid:<46} {res['sites']:>5} {res['mutants']:>4} {res['killed']:>4} {res['survived']:>4} "
          f"{res['errors']:>4}\n")
    for mod, b in payload["summary"]["per_module"].items():
        w(f"module {mod}: {b['killed']}/{b['killed'] + b['survived']} killed "
          f"(kill rate {b['kill_rate']}), {b['errors']} errors\n")
    o = payload["summary"]["overall"]
    w(f"overall: {o['killed']}/{o['killed'] + o['survived']} killed (kill rate {o['kill_rate']}), "
      f"{o['errors']} errors, {o['mutants']} mutants\n")
    for cid, res in payload["claims"].items():
        for r in res.get("runs", []):
            if r["outcome"] != "killed":
                w(f"  {r['outcome'].upper()} {cid} [{r['kind']}] {r['label']}: {r['expr'][:160]}\n")
    skipped = [c for c, r in payload["claims"].items() if "skipped" in r]
    if skipped:
        w("skipped: " + ", ".join(f"{c} ({payload['claims'][c]['skipped']})" for c in skipped) + "\n")


def finish(claims: dict, meta: dict, out: Path) -> dict:
    for cid, res in claims.items():
        for r in res.get("runs", []):
            if r["outcome"] == "survived":
                r["reason"] = survivor_reason(cid, res.get("tests", []), r.get("resolution"))
    payload = {"meta": meta, "claims": dict(sorted(claims.items())), "summary": summarize(claims)}
    out = out if out.is_absolute() else Path.cwd() / out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=1) + "\n")
    print_table(payload)
    print(f"mutate: wrote {out}")
    return payload


def merge(paths, out: Path) -> int:
    claims, metas = {}, []
    for path in paths:
        data = json.loads(Path(path).read_text())
        claims.update(data["claims"])
        metas.append(data["meta"])
    keys = ("per_claim", "seed", "audit_seed", "skip_symbolic")
    meta = {k: metas[0].get(k) for k in keys if all(m.get(k) == metas[0].get(k) for m in metas)}
    meta["prefix"] = " ".join(m.get("prefix") or "(all)" for m in metas)
    meta["seconds"] = round(sum(m.get("seconds", 0) for m in metas), 1)
    finish(claims, meta, out)
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m verify.mutate", description=__doc__.split("\n\n")[0])
    p.add_argument("prefix", nargs="?", default="", help="only claims whose id starts with this")
    p.add_argument("--per-claim", type=int, default=DEFAULT_PER_CLAIM, metavar="K",
                   help=f"mutants sampled per claim (default {DEFAULT_PER_CLAIM})")
    p.add_argument("--all", action="store_true", help="every non-equivalent mutant")
    p.add_argument("--seed", type=int, default=0, help="seed of the mutant sample (default 0)")
    p.add_argument("--audit-seed", type=int, default=None, help="audit seed passed to the checks")
    p.add_argument("--workers", type=int, default=2, help="mutants run in parallel (default 2)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per mutant")
    p.add_argument("--tolerance-report", type=Path, default=None,
                   help="tolerance report mapping claims to tests (default report/tolerance.json; "
                        "written by running pytest verify/ when absent)")
    p.add_argument("--out", type=Path, default=Path("report/mutation.json"))
    p.add_argument("--skip-symbolic", action="store_true",
                   help="guard each claim only by tests with non-symbolic rows (numerics against "
                        "theory), not by exact symbolic identities such as expr == derivation()")
    p.add_argument("--merge", type=Path, nargs="+", metavar="JSON",
                   help="merge earlier mutation.json files into --out (survivor reasons recomputed)")
    p.add_argument("--dry-run", action="store_true", help="generate and list mutants, run nothing")
    args = p.parse_args(argv)
    if args.per_claim < 1:
        p.error(f"--per-claim must be an integer >= 1, got {args.per_claim}")
    if args.workers < 1:
        p.error(f"--workers must be an integer >= 1, got {args.workers}")
    if args.timeout <= 0:
        p.error(f"--timeout must be > 0 seconds, got {args.timeout}")

    if args.merge:
        return merge(args.merge, args.out)
    from theory import CLAIMS

    chosen = [c for c in CLAIMS if c.startswith(args.prefix)]
    if not chosen:
        p.error(f"no registered claim id starts with {args.prefix!r}")
    guards = {} if args.dry_run else guards_from_report(ensure_report(args.tolerance_report, args.audit_seed),
                                                       args.skip_symbolic)
    claims, jobs = {}, []
    for cid in chosen:
        claim = CLAIMS[cid]
        if not is_expression(claim.expr):
            claims[cid] = {"skipped": "not a SymPy expression with structure to mutate"}
            continue
        rng = random.Random(f"{args.seed}:{cid}")
        gen = generate(claim, None if args.all else args.per_claim, rng)
        tests = guards.get(cid, [])
        claims[cid] = {"sites": gen["sites"], "dropped": gen["dropped"], "tests": tests, "runs": []}
        if not gen["mutants"]:
            claims[cid]["skipped"] = "no non-equivalent mutant"
            continue
        if not tests and not args.dry_run:
            claims[cid]["runs"] = [{"kind": m["kind"], "label": m["label"], "expr": str(m["expr"])[:400],
                                    "outcome": "survived", "exit": None, "how": None,
                                    "failed_test": None, "seconds": 0.0, "tail": []}
                                   for m in gen["mutants"]]
            continue
        for m in gen["mutants"]:
            jobs.append((cid, m, tests))
    print(f"mutate: {len(jobs)} mutants over {sum(1 for c in claims.values() if c.get('tests'))} "
          f"claims, {args.workers} workers", flush=True)
    if args.dry_run:
        for cid, m, _ in jobs:
            print(f"  {cid} [{m['kind']}] {m['label']}")
        return 0
    from joblib import Parallel, delayed

    start = time.perf_counter()
    results = Parallel(n_jobs=args.workers, backend="threading")(
        delayed(run_mutant)(cid, m, tests, seed=args.audit_seed, timeout=args.timeout)
        for cid, m, tests in jobs)
    rows = rows_by_claim(ensure_report(args.tolerance_report, args.audit_seed))
    for (cid, m, _), res in zip(jobs, results):
        if res["outcome"] == "survived":
            res["resolution"] = resolution(cid, m["expr"], rows.get(cid, []))
        claims[cid]["runs"].append(res)
    meta = {"prefix": args.prefix, "per_claim": None if args.all else args.per_claim,
            "seed": args.seed, "audit_seed": args.audit_seed, "skip_symbolic": args.skip_symbolic,
            "seconds": round(time.perf_counter() - start, 1)}
    finish(claims, meta, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
