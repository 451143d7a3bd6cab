"""``claimreel new ID``: scaffold a script that validates, in ``scripts/``."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..errors import ClaimreelError

HELP = "create scripts/ID.yaml from a template"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="lower-case letters, digits and dashes, e.g. vaccine-claim-2024")
    parser.add_argument("--dir", type=Path, default=Path("scripts"), help="where to write it (default scripts/)")


def run(args: argparse.Namespace) -> int:
    from ..script.model import ID_PATTERN
    from ..script.template import new_script_text
    from ..pipeline.output import atomic_write_text

    if not re.match(ID_PATTERN, args.id):
        raise ClaimreelError(f"{args.id!r}: an id is lower-case letters, digits and dashes (e.g. vaccine-claim-2024)")
    path = args.dir / f"{args.id}.yaml"
    if path.exists():
        raise ClaimreelError(f"{path}: already exists; choose another id or edit that file")
    for folder in (args.dir, Path("assets") / "photos", Path("render") / "out"):
        folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, new_script_text(args.id))
    print(f"{path}: created; edit it, then run: claimreel validate {path}")
    return 0
