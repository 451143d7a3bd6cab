"""The command line's spelling of the options an error names.

The library names options as the Python API and job files do (``formats``, ``max_text``;
see :class:`~claimreel.errors.ClaimreelError`); a user of the command line typed flags, so
the message it prints says ``--format`` and ``--max-text`` where the command has them.

An option is spelled as its flag where the message says ``the NAME option``, and where the
name stands alone: at the start of a line or after ``: ``, ``(``, ``, `` or ``/``, and before
``:``, a space, ``)``, ``,``, ``/`` or the end (``cuts: ...``, ``(max_text or ...)``).
"""

from __future__ import annotations

import argparse
import re

__all__ = ["command_flags", "with_flags"]

# Options whose flag's destination is not the API's name for them.
_DEST = {"formats": "format"}


def command_flags(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, str]:
    """The flags of the command ``args`` ran (sub-commands followed), by destination name."""
    flags: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen = action.choices.get(getattr(args, action.dest, None) or "")
            if chosen is not None:
                flags.update(command_flags(chosen, args))
            continue
        long = [o for o in action.option_strings if o.startswith("--")]
        if long:
            flags.setdefault(action.dest, long[0])
    return flags


def with_flags(message: str, options: tuple[str, ...], flags: dict[str, str]) -> str:
    """``message`` with each of ``options`` it names spelled as its flag, where the command has one."""
    for option in options:
        flag = flags.get(_DEST.get(option, option))
        if flag is None:
            continue
        message = message.replace(f"the {option} option", flag)
        message = re.sub(rf"(^|: |\(|, |/){re.escape(option)}(?=$|[: ),/])", rf"\g<1>{flag}", message, flags=re.M)
    return message
