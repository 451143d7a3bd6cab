"""Command line: ``claimreel COMMAND ...``; each command is a module with ``add_parser`` and ``run``.

``main(argv) -> int`` never raises for a user's mistake: a :class:`ClaimreelError`
becomes its message on stderr and its exit code (2 bad input, 1 render failure).
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from ..errors import ClaimreelError
from .flags import command_flags, with_flags

__all__ = ["main"]

COMMANDS = ("validate", "render", "schema", "new", "doctor", "lint", "storyboard", "jobs", "export", "studio",
            "verify")


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="claimreel", description="Render a scripted fact-check into an explainer video and its publishing package."
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f".{name}", __name__)
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        return int(args.run(args) or 0)
    except ClaimreelError as exc:
        text = with_flags(str(exc), exc.options, command_flags(parser, args))
        print(f"claimreel: {text}" if "\n" not in text else text, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("claimreel: interrupted; nothing was replaced in the output folder", file=sys.stderr)
        return 130
    except Exception as exc:  # an unexpected failure: say so plainly, traceback only on request
        if getattr(args, "debug", False):
            raise
        print(f"claimreel: internal error: {type(exc).__name__}: {exc} (run again with --debug for details)",
              file=sys.stderr)
        return 1
