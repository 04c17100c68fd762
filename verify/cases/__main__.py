"""``python -m verify.cases "<case id>" [--audit-seed N]``: run one case and print its rows."""

from __future__ import annotations

import argparse
import sys

from . import all_cases, run
from .. import agreement
from ..plugin import DEFAULT_SEED


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m verify.cases", description=__doc__)
    ap.add_argument("case_id", nargs="?", help="a case id as printed by pytest (omit to list them)")
    ap.add_argument("--audit-seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    cases = {c.id: c for c in all_cases()}
    if not args.case_id:
        print("\n".join(cases))
        return 0
    if args.case_id not in cases:
        raise SystemExit(f"unknown case id {args.case_id!r}; list them with python -m verify.cases")
    status = 0
    try:
        run(cases[args.case_id], args.audit_seed)
    except AssertionError as exc:
        print(exc, file=sys.stderr)
        status = 1
    for row in agreement.ROWS:
        print(row.describe())
    return status


if __name__ == "__main__":
    raise SystemExit(main())
