"""``python -m verify.seeds N``: run the audit under N seeds and print the failures per claim
(issue 13, item 3). Also ``./suite test --audit-seeds N``.

Seed i is derived from the base seed (``--base``, default the plugin's DEFAULT_SEED): seed 0 is the
base itself, seed i > 0 is the first word of ``numpy.random.SeedSequence([base, i])``, so the list
is fixed by (base, N) and never depends on the clock. A check that fails for some seed is a defect
to fix (more samples, a derived tolerance), never a reason to pin the seed.

    python -m verify.seeds 5                          # pytest verify/ five times
    python -m verify.seeds 3 -- verify/test_ridge_symbolic.py -n 2   # a subset, extra pytest options after --
    python -m verify.seeds 20 --out report/seeds.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from .plugin import DEFAULT_SEED

REPO = Path(__file__).resolve().parent.parent


def derived_seeds(n: int, base: int = DEFAULT_SEED) -> list[int]:
    if n < 1:
        raise ValueError(f"the number of seeds must be an integer >= 1, got {n}")
    import numpy as np

    return [base] + [int(np.random.SeedSequence([base, i]).generate_state(1)[0]) for i in range(1, n)]


def run_seed(seed: int, pytest_args: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tol = Path(tmp) / "tol.json"
        targets = pytest_args or [str(REPO / "verify")]
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               f"--tolerance-report={tol}", f"--audit-seed={seed}", *targets]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        seconds = round(time.perf_counter() - start, 1)
        if not tol.exists():
            return {"seed": seed, "exit": proc.returncode, "seconds": seconds, "rows": 0,
                    "failed_rows": [], "failed_tests": [],
                    "error": "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-5:])}
        data = json.loads(tol.read_text())
    failed_rows = [{"claim": r["claim"], "test": r["test"], "params": r["params"],
                    "abs_err": r["abs_err"], "tolerance": r["tolerance"]}
                   for r in data["rows"] if r["verdict"] == "FAIL"]
    failed_tests = [t["test"] for t in data["tests"] if t["outcome"] == "failed"]
    return {"seed": seed, "exit": proc.returncode, "seconds": seconds, "rows": len(data["rows"]),
            "failed_rows": failed_rows, "failed_tests": failed_tests, "error": None}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    p = argparse.ArgumentParser(prog="python -m verify.seeds", description=__doc__.split("\n\n")[0])
    p.add_argument("n", type=int, help="number of seeds (>= 1)")
    p.add_argument("--base", type=int, default=DEFAULT_SEED, help=f"base seed (default {DEFAULT_SEED})")
    p.add_argument("--out", type=Path, default=None, help="also write the results as JSON here")
    args, unknown = p.parse_known_args(argv)
    extra = unknown + extra
    if args.n < 1:
        p.error(f"n must be an integer >= 1, got {args.n}")
    seeds = derived_seeds(args.n, args.base)
    results = []
    for i, seed in enumerate(seeds, 1):
        res = run_seed(seed, extra)
        results.append(res)
        state = ("ok" if res["exit"] == 0 else f"exit {res['exit']}: {len(res['failed_tests'])} failed "
                 f"tests, {len(res['failed_rows'])} failed rows")
        print(f"seeds: {i}/{len(seeds)} seed {seed}: {res['rows']} rows, {state} ({res['seconds']} s)",
              flush=True)
        if res["error"]:
            print("  " + res["error"].replace("\n", "\n  "))
    per_claim = defaultdict(lambda: defaultdict(list))
    for res in results:
        for row in res["failed_rows"]:
            per_claim[row["claim"]][res["seed"]].append(row["test"])
        for test in res["failed_tests"]:
            if not any(test in r["test"] for r in res["failed_rows"]):
                per_claim["(a test failed without a failing row)"][res["seed"]].append(test)
    if per_claim:
        print("failures per claim:")
        for claim in sorted(per_claim):
            for seed, tests in sorted(per_claim[claim].items()):
                print(f"  {claim}  seed {seed}: " + ", ".join(sorted(set(tests))))
    else:
        print(f"seeds: every check passed under all {len(seeds)} seeds")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"base": args.base, "seeds": seeds, "pytest_args": extra,
                                        "results": results}, indent=1) + "\n")
    return 0 if all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
