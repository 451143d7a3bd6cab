"""File helpers every stage shares: content hashes, atomic writes, and results kept per file version."""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
import threading
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

__all__ = ["atomic_write_bytes", "atomic_write_text", "current_umask", "file_sha256", "file_version", "files_digest",
           "keep_if_possible", "per_file_version", "temp_beside"]

_Result = TypeVar("_Result")


def file_sha256(path: Path | str) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def files_digest(paths: Iterable[Path], salt: str) -> str:
    """A short digest of ``salt`` and the bytes of ``paths`` in order: the version of some code, for a cache key."""
    digest = hashlib.sha256(salt.encode())
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def temp_beside(path: Path) -> Path:
    """A temp name beside ``path`` carrying the writer's pid (``.<stem>.<pid>-<hex>.partial<suffix>``),
    so what a killed process left can be told apart and swept (pipeline.segment_cache.sweep_partials)."""
    return path.with_name(f".{path.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}.partial{path.suffix}")


def current_umask() -> int:
    """The process umask (read without changing it for long)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes, *, prefix: str | None = None) -> None:
    """Write ``data`` to a temp file beside ``path``, fsync it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix or f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def keep_if_possible(path: Path, data: bytes) -> None:
    """Keep ``data`` at ``path`` for later (written whole, then renamed); a cache that cannot be
    written (a cluster worker's view of a client's folder) is left alone: what it would hold is
    worked out again."""
    try:
        atomic_write_bytes(path, data)
    except OSError:
        pass


def file_version(path: Path | str) -> tuple[int, ...] | None:
    """What tells one version of a file from another without reading it: its size, change times and
    inode (an atomic write is a new inode); None when there is no such file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def per_file_version(keep: int = 256) -> Callable[[Callable[..., _Result]], Callable[..., _Result]]:
    """Keep the results of ``fn(path, *args, **kwargs)`` while the file at ``path`` is unchanged (see
    :func:`file_version`): for reading a theme, checking a photo or probing a clip again and again in
    a long-running process (the studio checks the script on every keystroke). Only for results nobody
    changes (frozen, or read only); a call that raises, or for a file that is missing, is not kept."""

    def wrap(fn: Callable[..., _Result]) -> Callable[..., _Result]:
        kept: OrderedDict[tuple[Any, ...], tuple[tuple[int, ...], _Result]] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def call(path: Path | str, *args: Any, **kwargs: Any) -> _Result:
            version = file_version(path)
            if version is None:
                return fn(path, *args, **kwargs)
            key = (os.path.abspath(path), *args, *sorted(kwargs.items()))
            with lock:
                found = kept.get(key)
                if found is not None and found[0] == version:
                    kept.move_to_end(key)
                    return found[1]
            result = fn(path, *args, **kwargs)
            with lock:
                kept[key] = (version, result)
                kept.move_to_end(key)
                while len(kept) > keep:
                    kept.popitem(last=False)
            return result

        call.forget = kept.clear  # type: ignore[attr-defined]
        return call

    return wrap
