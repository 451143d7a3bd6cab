"""One error hierarchy for everything a user can see.

Every error carries the facts as attributes and builds a message that says
what went wrong, where, and how to fix it. ``exit_code`` is what the command
line returns for it: 2 for bad input or usage, 1 for a failure while rendering.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from typing import Self

__all__ = [
    "AssetError",
    "AssetNotFound",
    "ClaimreelError",
    "FFmpegError",
    "FontCoverageError",
    "LayoutError",
    "NarrationError",
    "OutputLocked",
    "Problem",
    "QueueError",
    "RenderError",
    "ScriptError",
    "TaskCancelled",
    "ThemeError",
    "in_file_order",
    "problems_in",
]

# A field path such as ``body.2.caption`` or ``fonts.regular`` at the head of a message.
_FIELD_PATH = re.compile(r"[A-Za-z_][\w-]*(?:\.[\w-]+)*")


class ClaimreelError(Exception):
    """Base of every error claimreel reports to a user.

    A message names the options it is about as the Python API and job files do, never as
    command-line flags: at its start (``formats: unknown format ...``) or as ``the max_text
    option``; :meth:`naming` lists them in :attr:`options`, and the command line, which knows its
    flags, says ``--format`` or ``--max-text`` there instead.
    """

    exit_code: int = 2
    options: tuple[str, ...] = ()  # the options (API names) the message names

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def naming(self, *options: str) -> Self:
        """This error, noting that its message names ``options`` (see the class's docstring)."""
        self.options = options
        return self

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Errors raised in worker processes are pickled back to the parent; the
        # subclasses' constructors take other arguments than the message, so
        # rebuild from the attributes instead of calling __init__ again.
        return _rebuild, (type(self), self.message, dict(self.__dict__))


def _rebuild(cls: type[ClaimreelError], message: str, state: dict[str, object]) -> ClaimreelError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a script, pinned to a place in its file when it has one.

    A problem found after reading (a cap on the whole script, a colour pair of its theme) has no
    line: ``line`` and ``column`` are ``None`` and it reads ``FILE: [FIELD: ]message``.
    """

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        if self.line is None:
            text = ": ".join(part for part in (self.file, self.path, self.message) if part)
        else:
            text = f"{self.file}:{self.line}:{self.column or 1}: {self.path or '<script>'}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def in_file_order(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    """``problems`` by file and place; those without a line keep their order, after the placed ones."""
    return tuple(sorted(problems, key=lambda p: (p.file, p.line is None, p.line or 0, p.column or 0,
                                                 p.path if p.line is not None else "")))


def problems_in(error: ClaimreelError, script: str) -> list[Problem]:
    """The problems an input error about ``script`` reports: a :class:`ScriptError`'s own, else one
    per line of its message, read as ``FILE: [FIELD: ]message`` (the words unchanged)."""
    if isinstance(error, ScriptError):
        return list(error.problems)
    if isinstance(error, LayoutError) and error.problem is not None:
        return [error.problem]
    return [_unplaced(line, script) for line in str(error).splitlines() if line.strip()]


def _unplaced(text: str, script: str) -> Problem:
    head, sep, rest = text.partition(": ")
    if script and text.startswith(f"{script}: "):
        file, rest = script, text[len(script) + 2:]
    elif sep and Path(head).is_file():  # e.g. the theme file, for a problem in the theme
        file = head
    else:
        file, rest = "", text
    field, sep, message = rest.partition(": ")
    if sep and _FIELD_PATH.fullmatch(field):
        return Problem(file, None, None, field, message)
    return Problem(file, None, None, "", rest)


class ScriptError(ClaimreelError):
    """A script that cannot be used; holds every problem found, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = in_file_order(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ThemeError(ScriptError):
    """A theme file that cannot be used; every problem pinned to ``file:line:col`` in it."""


class AssetError(ClaimreelError):
    """An image, audio or font file named by a script that cannot be used."""

    def __init__(self, path: Path | str, problem: str, fix: str, *, where: str = "") -> None:
        self.path = Path(path)
        self.problem = problem
        self.fix = fix
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{self.path}: {problem}; {fix}")


class AssetNotFound(AssetError, FileNotFoundError):
    """A referenced file does not exist."""

    def __init__(self, path: Path | str, *, where: str = "", fix: str = "") -> None:
        super().__init__(
            path,
            "file not found",
            fix or "check the path; asset paths are relative to the workspace root (the folder holding assets/)",
            where=where,
        )


class FontCoverageError(ClaimreelError):
    """Text holds characters that no font of the theme can draw."""

    def __init__(self, characters: str, fonts: Sequence[str], *, where: str = "") -> None:
        self.characters = characters
        self.fonts = tuple(fonts)
        listed = " ".join(f"{c!r} (U+{ord(c):04X})" for c in characters)
        prefix = f"{where}: " if where else ""
        super().__init__(
            f"{prefix}no font covers {listed}; tried {', '.join(self.fonts)}; "
            "add a font that covers them to the theme or change the text"
        )


class LayoutError(ClaimreelError):
    """Text that cannot be laid out readably (too long even at the minimum size).

    ``field`` is the script field whose text does not fit (``body.3.text``,
    ``verdict.summary``), so the render can point at its line in the script; empty when
    no single field is to blame.
    """

    def __init__(self, message: str, *, field: str = "", problem: Problem | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.problem = problem  # the message pinned to the field's place in the script, when known


class RenderError(ClaimreelError):
    """A failure while rendering that is not the input's fault."""

    exit_code = 1


class NarrationError(RenderError):
    """A speech engine failed or is unavailable."""


class FFmpegError(RenderError):
    """ffmpeg exited with an error; carries the command, the tail of its stderr and a hint.

    ``where`` names what was being made (a scene of a format, a soundtrack) so a user can tell
    which part of the script failed; :meth:`located` adds it where the caller knows it.
    """

    def __init__(self, args: Sequence[str], returncode: int, stderr: str, hint: str = "", *,
                 where: str = "") -> None:
        self.args_used = tuple(args)
        self.returncode = returncode
        self.stderr_tail = "\n".join(stderr.strip().splitlines()[-12:])
        self.hint = hint
        self.where = where
        message = f"{where}: " if where else ""
        message += f"ffmpeg failed (exit {returncode})"
        if self.stderr_tail:
            message += ":\n" + self.stderr_tail
        if self.args_used:
            message += "\ncommand: " + shlex.join(self.args_used)
        if hint:
            message += f"\nhint: {hint}"
        super().__init__(message)

    def located(self, where: str) -> "FFmpegError":
        """The same failure, its message led by ``where`` (kept if it already names a place)."""
        if self.where:
            return self
        return FFmpegError(self.args_used, self.returncode, self.stderr_tail, self.hint, where=where)


class OutputLocked(ClaimreelError):
    """Another render is writing to the same output folder."""

    exit_code = 1

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(
            f"{folder}: another claimreel render is writing here; "
            "wait for it to finish or write to another output folder"
        )


class QueueError(ClaimreelError):
    """The job queue's database cannot be used (corrupt, locked too long, newer schema), or a job
    named on the command line is not in it."""


class TaskCancelled(RenderError):
    """A queued render was cancelled while it ran (``claimreel jobs cancel``)."""
