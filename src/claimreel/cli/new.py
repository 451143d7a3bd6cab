"""``claimreel new ID [--from PAGE]``: scaffold a script that validates, in ``scripts/``; or start
it from a published fact-check's ClaimReview."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..errors import ClaimreelError

HELP = "create scripts/ID.yaml from a template, or from a published fact-check's ClaimReview"

#: A saved fact-check page is rarely over a few megabytes; more is not a page.
MAX_PAGE_BYTES = 20_000_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="lower-case letters, digits and dashes, e.g. vaccine-claim-2024")
    parser.add_argument("--dir", type=Path, default=Path("scripts"), help="where to write it (default scripts/)")
    parser.add_argument("--from", dest="source", metavar="PAGE",
                        help="a saved fact-check page (HTML) or its ClaimReview JSON-LD, or - for standard input: "
                             "the claim, speaker, dates, rating, outlet and address are filled from it")
    parser.add_argument("--pick", type=int, metavar="N",
                        help="which ClaimReview to use when the page has several (1 for the first)")
    parser.add_argument("--theme", default="default",
                        help="the theme whose rating scale the page's rating is mapped onto (default: default)")


def read_page(source: str) -> str:
    """The text of ``source`` (a file, or ``-`` for standard input), refused when it is no text page."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
    else:
        path = Path(source)
        if not path.is_file():
            raise ClaimreelError(f"{source}: no such file; save the fact-check page (HTML) or its JSON-LD, "
                                 "and give its path")
        with path.open("rb") as handle:
            data = handle.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise ClaimreelError(f"{source}: larger than {MAX_PAGE_BYTES // 1_000_000} MB; that is not a saved page")
    from ..script.claimreview import decode_page

    return decode_page(data)


def run(args: argparse.Namespace) -> int:
    from ..script.fields import ID_PATTERN
    from ..script.template import new_script_text, script_text_from_page
    from ..pipeline.output import atomic_write_text

    if not re.match(ID_PATTERN, args.id):
        raise ClaimreelError(f"{args.id!r}: an id is lower-case letters, digits and dashes (e.g. vaccine-claim-2024)")
    path = args.dir / f"{args.id}.yaml"
    if path.exists():
        raise ClaimreelError(f"{path}: already exists; choose another id or edit that file")
    questions: list[str] = []
    if args.source:
        text, questions = script_text_from_page(args.id, read_page(args.source), args.source, pick=args.pick,
                                                theme=args.theme, workspace=Path.cwd())
    else:
        text = new_script_text(args.id)
    for folder in (args.dir, Path("assets") / "photos", Path("render") / "out"):
        folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text)
    print(f"{path}: created; edit it, then run: claimreel validate {path}")
    for question in questions:
        print(f"{path}: {question}", file=sys.stderr)
    return 0
