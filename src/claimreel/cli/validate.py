"""``claimreel validate SCRIPT...``: check scripts without rendering."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ClaimreelError

HELP = "check scripts (fields, ratings, assets, fonts, contrast, layout); exit 2 on problems"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scripts", nargs="+", type=Path, metavar="SCRIPT")
    parser.add_argument("--format", default=None,
                        help="formats whose layouts to check: a comma list or all (default: the script's formats)")


def run(args: argparse.Namespace) -> int:
    from ..api import load_script, validate

    status = 0
    for path in args.scripts:
        try:
            findings = validate(path, formats=args.format or None)
        except ClaimreelError as exc:  # a usage mistake (unknown format) or a failure that is not the script's
            print(str(exc), file=sys.stderr)
            status = max(status, exc.exit_code)
            continue
        for finding in findings:  # errors and warnings on stderr; notes (what a render will do) on stdout
            print(str(finding), file=sys.stdout if finding.severity == "note" else sys.stderr)
        if any(f.severity == "error" for f in findings):
            status = max(status, 2)
            continue
        print(f"{path}: ok ({len(load_script(path).script.body)} body blocks)")
    return status
