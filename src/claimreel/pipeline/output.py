"""Writing outputs so that a failed render never leaves a half-written set.

A render builds its files in a staging folder beside the output, then swaps it
in: on Linux with one ``renameat2(RENAME_EXCHANGE)`` (the old and new folders
trade places atomically, so ``OUT/<id>`` always holds one complete set), elsewhere
with two renames. A render killed between those two renames leaves the previous
set in ``.<id>.old-*/<id>``; the next render of that id puts it back before
anything else (:func:`recover`), and removes staging and temp folders that
killed renders left behind. A lock file keeps two renders from writing the same
folder at once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..errors import OutputLocked
from ..files import current_umask, atomic_write_bytes, atomic_write_text
from .killpoint import kill_point

__all__ = ["atomic_write_bytes", "atomic_write_text", "exchange", "leftovers", "output_lock", "recover", "staged_output"]


@contextmanager
def output_lock(out_root: Path, script_id: str, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``OUT/<id>`` for the length of a render.

    If another render holds it: without ``on_wait``, raise :class:`OutputLocked`; with it, call
    ``on_wait`` once (to say so) and wait, without a time limit, until that render ends. The lock
    is the kernel's, so it also ends when the other render is killed.
    """
    out_root.mkdir(parents=True, exist_ok=True)
    lock_path = out_root / f".{script_id}.lock"
    with open(lock_path, "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is None:
                raise OutputLocked(out_root / script_id) from None
            on_wait()
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            recover(out_root, script_id)
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def leftovers(out_root: Path, script_id: str) -> list[Path]:
    """Staging, old and temp folders of ``script_id`` that a render left in ``out_root``."""
    prefixes = tuple(f".{script_id}.{kind}-" for kind in ("staging", "old", "tmp"))
    if not out_root.is_dir():
        return []
    return sorted(p for p in out_root.iterdir() if p.name.startswith(prefixes))


def recover(out_root: Path, script_id: str) -> None:
    """Undo what a killed render of ``script_id`` left behind (call with the lock held).

    If ``OUT/<id>`` is missing but a previous set waits in ``.<id>.old-*``, it is
    renamed back; every other staging, old or temp folder of this id is removed.
    """
    final = out_root / script_id
    for folder in leftovers(out_root, script_id):
        saved = folder / script_id
        if folder.name.startswith(f".{script_id}.old-") and saved.is_dir() and not final.exists():
            os.replace(saved, final)
        shutil.rmtree(folder, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2() -> object | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths; False where the system cannot (then nothing changed)."""
    if _RENAMEAT2 is None or os.environ.get("CLAIMREEL_NO_RENAME_EXCHANGE"):
        return False
    result = _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)  # type: ignore[operator]
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextmanager
def staged_output(out_root: Path, script_id: str, keep: tuple[str, ...] = ()) -> Iterator[Path]:
    """A staging folder that replaces ``OUT/<id>`` only if the block completes.

    Sub-folders of the previous output named in ``keep`` (formats not rendered
    this time) are carried over by hard link, so earlier outputs stay intact.
    """
    final = out_root / script_id
    staging = Path(tempfile.mkdtemp(prefix=f".{script_id}.staging-", dir=out_root))
    staging.chmod(0o777 & ~current_umask())
    try:
        for name in keep:
            previous = final / name
            if previous.is_dir():
                shutil.copytree(previous, staging / name, copy_function=_link_or_copy)
        yield staging
        kill_point("publish")
        if final.exists() and exchange(staging, final):
            kill_point("swap")
            shutil.rmtree(staging, ignore_errors=True)  # now the previous set
            return
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{script_id}.old-", dir=out_root))
            os.replace(final, old / script_id)
            kill_point("swap")  # the window recover() repairs
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
