"""``claimreel verify FILE...``: read each file's Content Credentials and say whether they are intact.

Exit 0 when every file is intact, 1 when any was altered (or is unsigned), 2 when one cannot be
read at all. A signer outside the trust list (a self-made certificate) is said, not failed:
``--trust ANCHORS.pem`` adds the CAs to trust.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import ClaimreelError

HELP = "check the Content Credentials (C2PA) of videos and images: who signed, from what, intact or not"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object per file, as a list")
    parser.add_argument("--trust", type=Path, default=None, metavar="ANCHORS.pem",
                        help="CA certificates (PEM) to trust as signers' roots, e.g. the newsroom's own CA")


def run(args: argparse.Namespace) -> int:
    from ..publish.credentials.verify import check_file, read_context

    trust = None
    if args.trust is not None:
        try:
            trust = args.trust.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise ClaimreelError(f"{args.trust}: cannot read the trust anchors (--trust): {exc}") from None
        if "-----BEGIN CERTIFICATE-----" not in trust:
            raise ClaimreelError(f"{args.trust}: not a PEM file of CA certificates (--trust)")
    context = read_context(trust)
    verdicts, status = [], 0
    for path in args.files:
        try:
            verdict = check_file(path, context)
        except ClaimreelError as exc:
            print(f"claimreel: {exc}", file=sys.stderr)
            status = 2
            continue
        verdicts.append(verdict)
        if verdict.status != "intact":
            status = max(status, 1)
    if args.json:
        print(json.dumps([v.as_json() for v in verdicts], indent=2, ensure_ascii=False))
    else:
        for verdict in verdicts:
            print(verdict.text())
    return status
