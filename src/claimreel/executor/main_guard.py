"""Refuse to start worker processes from an unguarded script, with a message instead of a broken pool.

claimreel's workers are spawned: each one imports the caller's ``__main__`` file again before it
takes any work (that is how :mod:`multiprocessing` rebuilds the parent's namespace). A script
that calls ``claimreel.render`` at its top level, outside ``if __name__ == "__main__":``, would
run that call once more in every worker; the worker then fails while starting and the caller
sees only ``BrokenProcessPool`` (or, for a queue, the same job submitted once per worker).

The parent can tell beforehand: the module-level statement of ``__main__`` that is running now
is what a worker would run too, unless it is an ``if`` on ``__name__``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from types import FrameType

__all__ = ["check_main_guard"]


def check_main_guard() -> None:
    """Raise :class:`ClaimreelError` when starting workers now would re-run the caller's script in them."""
    main = sys.modules.get("__main__")
    path = _reimported_file(main)
    if path is None:
        return
    line = _running_top_level_line(vars(main))
    if line is None or _guarded(path, line):
        return
    from ..errors import ClaimreelError

    raise ClaimreelError(
        f"{path}:{line}: claimreel starts worker processes, and each one imports this file again, "
        f"which would run this line once more in every worker; put the code that renders under "
        f"`if __name__ == \"__main__\":` (see the Python API page of the manual)")


def _reimported_file(main: object) -> Path | None:
    """The file a spawned worker runs again, or None (interactive, ``-c``, ``python -m pkg``)."""
    spec = getattr(main, "__spec__", None)
    if spec is not None and (spec.name == "__main__" or spec.name.endswith(".__main__")):
        return None  # multiprocessing skips a package's __main__ module
    file = getattr(main, "__file__", None)
    if not file or not Path(file).is_file():
        return None
    return Path(file)


def _running_top_level_line(main_globals: dict) -> int | None:
    """The line of ``__main__``'s module-level code that is running now, if any frame shows it."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_globals is main_globals and frame.f_code.co_name == "<module>":
            return frame.f_lineno
        frame = frame.f_back
    return None


def _guarded(path: Path, line: int) -> bool:
    """Whether the top-level statement holding ``line`` is an ``if`` that tests ``__name__``."""
    try:
        tree = ast.parse(path.read_bytes(), str(path))
    except (OSError, SyntaxError, ValueError):
        return True  # cannot tell: let multiprocessing speak for itself
    for node in tree.body:
        if node.lineno <= line <= (node.end_lineno or node.lineno):
            return isinstance(node, ast.If) and any(
                isinstance(n, ast.Name) and n.id == "__name__" for n in ast.walk(node.test))
    return True
