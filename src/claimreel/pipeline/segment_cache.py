"""The segment cache on disk: segments sealed by their size and digest, each scene's still beside
its segment, and the temp files of killed renders swept.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

from ..files import file_sha256

__all__ = ["cached_segment_ok", "read_still", "still_path", "store_segment", "sweep_partials", "write_durably",
           "write_seal"]


def store_segment(out_path: Path, video: bytes, still: bytes | None) -> Path:
    """Put a segment made elsewhere (a cluster worker) into the cache as :func:`render_segment`
    would: its still first, then the segment, then its seal."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if still is not None:
        write_durably(still_path(out_path), still)
    write_durably(out_path, video)
    write_seal(out_path)
    return out_path


def still_path(segment: Path) -> Path:
    """Where the worker keeps the scene's still (JPEG, see SceneFrames.still_jpeg) beside its segment."""
    return segment.with_name(segment.stem + ".still.jpg")


def read_still(segment: Path) -> bytes | None:
    """The still written beside ``segment``, or None if it is missing or not a whole JPEG."""
    try:
        data = still_path(segment).read_bytes()
    except OSError:
        return None
    return data if data.startswith(b"\xff\xd8") and data.rstrip(b"\0").endswith(b"\xff\xd9") else None


# A cached segment is served only with its seal: ``<key>.mp4.sha256`` holding the
# size and SHA-256 of the segment, written (fsync'd, renamed) after the segment.
# A segment without a seal, or whose bytes no longer match it (a crash after the
# rename but before the data reached the disk, a truncated copy), is encoded again.


def _seal_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _digest(path: Path) -> tuple[int, str]:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
    return path.stat().st_size, file_sha256(path)


def write_durably(path: Path, data: bytes) -> None:
    """Write, fsync and rename into place, through a temp name that :func:`sweep_partials` knows,
    this writer's own: two threads of one process may write the same file (two scripts of a job that
    share a segment, each received from a cluster)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_seal(path: Path) -> None:
    size, digest = _digest(path)
    write_durably(_seal_path(path), f"{size} {digest}\n".encode("ascii"))


_PARTIAL = re.compile(r"^\..+\.(\d+)(?:-[0-9a-f]+)?\.(?:partial\.[a-z0-9]+|tmp|parts)$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_partials(folder: Path) -> int:
    """Remove temp files and chunk folders in a cache folder (segments, soundtracks) whose writer
    process is gone (a killed render); count them."""
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.iterdir():
        match = _PARTIAL.match(path.name)
        if match and not _alive(int(match.group(1))):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    return removed


def cached_segment_ok(path: Path) -> bool:
    """True if ``path`` is a complete cached segment (matches its seal); removes it otherwise."""
    seal = _seal_path(path)
    try:
        size_text, digest = seal.read_text(encoding="ascii").split()
        if path.stat().st_size == int(size_text) and _digest(path)[1] == digest:
            return True
    except (OSError, ValueError):
        pass
    path.unlink(missing_ok=True)
    seal.unlink(missing_ok=True)
    return False
