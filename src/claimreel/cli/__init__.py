"""Command line: ``claimreel COMMAND ...``; each command is a module with ``add_parser`` and ``run``.

``main(argv) -> int`` never raises for a user's mistake: a :class:`ClaimreelError`
becomes its message on stderr and its exit code (2 bad input, 1 render failure).
:func:`run` is the ``claimreel`` program itself.
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from typing import Sequence

from ..errors import ClaimreelError
from .flags import command_flags, with_flags

__all__ = ["main", "run"]

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


def run() -> None:
    """The ``claimreel`` program: :func:`main`, and its exit status.

    The process ends once its exit handlers have run and its output is flushed, without the
    interpreter's teardown: freeing every module and array a render loaded takes about 0.2 s, the
    last thing a user waits for on every command. Every file the program writes is closed by then."""
    status: list[int] = []
    atexit.register(_end, status)  # registered first: runs after every handler registered later
    status.append(main())
    sys.exit(status[0])


def _end(status: list[int]) -> None:
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status[0] if status else 1)  # no status: main raised (its traceback is printed)
