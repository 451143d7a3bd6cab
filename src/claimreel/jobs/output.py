"""Writing outputs so that a failed render never leaves a half-written set.

A render builds its files in a staging folder beside the output, then swaps it
in with two renames. A lock file keeps two renders from writing the same folder.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import OutputLocked

__all__ = ["atomic_write_bytes", "atomic_write_text", "output_lock", "staged_output"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
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


@contextmanager
def output_lock(out_root: Path, script_id: str) -> Iterator[None]:
    """Hold an exclusive lock on ``OUT/<id>`` for the length of a render."""
    out_root.mkdir(parents=True, exist_ok=True)
    lock_path = out_root / f".{script_id}.lock"
    with open(lock_path, "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputLocked(out_root / script_id) from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


@contextmanager
def staged_output(out_root: Path, script_id: str, keep: tuple[str, ...] = ()) -> Iterator[Path]:
    """A staging folder that replaces ``OUT/<id>`` only if the block completes.

    Sub-folders of the previous output named in ``keep`` (formats not rendered
    this time) are carried over by hard link, so earlier outputs stay intact.
    """
    final = out_root / script_id
    staging = Path(tempfile.mkdtemp(prefix=f".{script_id}.staging-", dir=out_root))
    staging.chmod(0o777 & ~_umask())
    try:
        for name in keep:
            previous = final / name
            if previous.is_dir():
                shutil.copytree(previous, staging / name, copy_function=_link_or_copy)
        yield staging
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{script_id}.old-", dir=out_root))
            os.replace(final, old / script_id)
        os.replace(staging, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
