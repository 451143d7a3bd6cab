"""Input files by content: find the files a unit's arguments name, and point them elsewhere.

A remote worker cannot read the client's disk. Every ``Path`` in a unit's
arguments that names a file (a photo, a font, a logo, a voice-over) is sent by
its SHA-256 and kept in a content-addressed folder on the worker; before the
unit runs there, its arguments are rebuilt with each such path replaced by the
worker's copy. Only ``Path`` objects are followed (a binary named by a ``str``,
such as an ffmpeg override, is not a file to send), through dataclasses,
mappings, sequences and claimreel's own objects.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping

from ..files import file_sha256

__all__ = ["Digests", "input_files", "relocate", "stored_name"]


def _walk(value: Any, visit: Callable[[Path], Path | None], seen: dict[int, Any]) -> Any:
    """``value`` with every Path ``p`` for which ``visit(p)`` is not None replaced by that; objects
    with nothing replaced are returned as they are (shared, not copied)."""
    if isinstance(value, Path):
        found = visit(value)
        return value if found is None else found
    if isinstance(value, (str, bytes, int, float, bool, type(None))) or isinstance(value, type):
        return value
    key = id(value)
    if key in seen:
        return seen[key]
    seen[key] = value  # a cycle resolves to the original
    out: Any = value
    if isinstance(value, (tuple, list)):
        items = [_walk(v, visit, seen) for v in value]
        if any(a is not b for a, b in zip(items, value)):
            out = type(value)(items) if not hasattr(value, "_fields") else type(value)(*items)
    elif isinstance(value, (dict, MappingProxyType)):
        items = {k: _walk(v, visit, seen) for k, v in value.items()}
        if any(items[k] is not value[k] for k in value):
            out = MappingProxyType(items) if isinstance(value, MappingProxyType) else type(value)(items)
    elif dataclasses.is_dataclass(value):
        changed = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = _walk(old, visit, seen) if f.init else old
            if new is not old:
                changed[f.name] = new
        if changed:
            out = copy.copy(value)
            for name, new in changed.items():
                object.__setattr__(out, name, new)
            for f in dataclasses.fields(value):  # caches derived from the old paths start empty
                if not f.init and f.default_factory is not dataclasses.MISSING:
                    object.__setattr__(out, f.name, f.default_factory())
    elif type(value).__module__.startswith("claimreel.") and hasattr(value, "__dict__"):
        state = {k: _walk(v, visit, seen) for k, v in vars(value).items()}
        if any(state[k] is not v for k, v in vars(value).items()):
            out = copy.copy(value)
            out.__dict__.update(state)
    seen[key] = out
    return out


class Digests:
    """SHA-256 of files, remembered by (path, size, mtime) so a batch hashes each file once."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int, int], str] = {}

    def __call__(self, path: Path) -> str:
        st = os.stat(path)
        key = (str(path), st.st_size, st.st_mtime_ns)
        digest = self._known.get(key)
        if digest is None:
            digest = self._known[key] = file_sha256(path)
        return digest


def input_files(args: Any, digests: Callable[[Path], str]) -> dict[str, str]:
    """Every file ``args`` names by a Path: its path (as text) -> its SHA-256."""
    found: dict[str, str] = {}

    def visit(path: Path) -> None:
        text = str(path)
        if text not in found and path.is_file():
            found[text] = digests(path)
        return None

    _walk(args, visit, {})
    return found


def stored_name(path: str, digest: str) -> str:
    """A stored copy's file name: the content's digest and the original suffix."""
    return digest + Path(path).suffix.lower()


def relocate(args: Any, where: Mapping[str, Path]) -> Any:
    """``args`` with each Path whose text is a key of ``where`` replaced by its value."""
    if not where:  # a unit without input files (speech): nothing to walk for
        return args
    return _walk(args, lambda path: where.get(str(path)), {})
