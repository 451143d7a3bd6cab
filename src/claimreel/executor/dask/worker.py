"""What runs on a Dask worker: the unit's wrapper, its input store and the worker's settling.

The client (:mod:`.client`) sends each unit as :func:`run_unit` with the unit kind's remote form
(see :class:`claimreel.executor.forms.Form`), and the function naming the code it runs
(``identity``, given to :func:`claimreel.executor.open_pool`): a worker whose code differs refuses
the unit. What comes back is one of :class:`Done`, :class:`Refused` or :class:`Lacking`, never an
exception for a failure that a retry would repeat, so that Dask does not retry it.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ...errors import ClaimreelError, RenderError
from ..shipping import relocate, stored_name

__all__ = ["Done", "Lacking", "Refused", "VersionMismatch", "has_files", "keep_files", "run_unit", "warm_worker"]

STORE = "claimreel-files"  # the content-addressed inputs, under a worker's local directory
SCRATCH = "claimreel-units"  # one folder per running unit, removed when it ends
WARM_UP = "warm_up"  # the key prefix of the workers' warm-up tasks (no unit of a render)


class VersionMismatch(RenderError):
    """A worker runs other code (or another ffmpeg) than the client."""

    def __init__(self, worker: str, theirs: tuple[str, ...], ours: tuple[str, ...]) -> None:
        super().__init__(
            f"worker {worker} refuses the unit: it runs {', '.join(theirs)}, the client runs {', '.join(ours)}; "
            "install the same claimreel and ffmpeg on every machine (pip install claimreel[cluster]==VERSION)")


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (a unit's ffmpeg runs)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@dataclass(frozen=True)
class Done:
    """A unit's value, with the CPU seconds it took on the worker (its ffmpeg children included):
    for benchmarks, since wall time on a shared machine says more about the neighbours than about
    the unit. It travels with the value: a message of its own (a Dask event) would hold back the
    worker's report that the unit finished by a send interval (about 3 ms of every round trip)."""

    value: Any
    cpu_s: float


@dataclass(frozen=True)
class Refused:
    """A unit's final failure, returned (not raised) so that Dask does not retry it."""

    error: ClaimreelError


@dataclass(frozen=True)
class Lacking:
    """A worker lacked some of a unit's input files (it joined, or restarted, after they were sent)."""

    worker: str
    names: tuple[str, ...]


def _store(worker: Any) -> Path:
    """The worker's input store: beside its own scratch folder, so a worker its nanny restarts
    (or another worker sharing the same ``--local-directory``) finds what was sent before."""
    return Path(worker.local_directory).parent / STORE


def has_files(names: list[str], dask_worker: Any = None) -> list[str]:
    """(on each worker) Which of the stored ``names`` this worker already holds."""
    store = _store(dask_worker)
    return [name for name in names if (store / name).is_file()]


def keep_files(files: dict[str, bytes], dask_worker: Any = None) -> int:
    """(on a worker) Store each file's bytes under its name in the worker's input store; their size."""
    from ...files import atomic_write_bytes

    store = _store(dask_worker)
    store.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        atomic_write_bytes(store / name, data)
    return sum(len(data) for data in files.values())


# Dask's nanny starts every worker with MALLOC_TRIM_THRESHOLD_=65536 (its config's
# ``distributed.nanny.pre-spawn-environ``), so that an idle worker hands freed memory back. Setting
# it also stops glibc from raising its mmap threshold as large blocks are freed, so every buffer of
# a frame's size (3 MB at 1080p) is mapped, zeroed page by page and unmapped again, in the unit and
# in its ffmpeg, which more than doubles a render's system time (docs/speed.md). A
# worker running claimreel's units serves blocks under this size from its heap again and keeps up to
# twice that free before trimming: a unit reuses its frames' memory, and a worker holds at most
# that much more than Dask's setting would.
MALLOC_MMAP_THRESHOLD = 32 << 20  # glibc's own ceiling for its moving threshold on 64-bit
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)


@functools.lru_cache(maxsize=1)
def _unit_malloc() -> bool:
    """(on a worker, once) Undo the nanny's malloc setting for this process and the ffmpeg it runs;
    False where this is not glibc."""
    import ctypes
    import ctypes.util

    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)  # ffmpeg children get glibc's moving threshold
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MALLOC_MMAP_THRESHOLD)
                and mallopt(M_TRIM_THRESHOLD, 2 * MALLOC_MMAP_THRESHOLD))


# Dask's statistical profiler samples every running task with ``sys._current_frames()`` every 10 ms.
# On CPython 3.11 before 3.11.9 that call can deadlock the whole worker (CPython issue 106883): it
# holds the interpreter's thread list while a garbage collection runs Dask's GC callback, which gives
# up the GIL, and a unit that is starting a thread (one per ffmpeg it runs, to drain its output)
# holds the GIL and waits for that list. A render's units start hundreds of threads, and the test
# suite saw a worker hang that way. A worker running claimreel's units stops the profiler (the
# dashboard's profile page stays empty); sampling also cost CPU that the encoders could use.
PROFILER_CALLBACKS = ("profile", "profile-cycle")


def _stop_profiler(worker: Any) -> None:
    """(on a worker) Stop Dask's statistical profiler, on the worker's event loop, and wait for it."""
    import threading

    if not any(name in worker.periodic_callbacks for name in PROFILER_CALLBACKS):
        return
    stopped = threading.Event()

    def stop() -> None:
        for name in PROFILER_CALLBACKS:
            callback = worker.periodic_callbacks.pop(name, None)
            if callback is not None:
                callback.stop()
        stopped.set()

    worker.loop.add_callback(stop)
    stopped.wait(5)


def _settle(worker: Any) -> None:
    """(on a worker, before its first unit or warm-up; cheap after) Undo the nanny's malloc setting and
    stop the profiler."""
    _unit_malloc()
    _stop_profiler(worker)


def warm_worker(identity: Callable[[], tuple[str, ...]], warm_up: Callable[[], None] | None) -> None:
    """(on each worker, when a pool connects) Load what units need before they come: the code
    identity the version check compares, and the caller's ``warm_up`` (a soundtrack's mix would
    otherwise import the audio stack on the render's critical path)."""
    from distributed import get_worker

    _settle(get_worker())
    identity()
    if warm_up is not None:
        warm_up()


def run_unit(remote: Callable[..., Any], args: tuple, files: dict[str, str], versions: tuple[str, ...],
             identity: Callable[[], tuple[str, ...]]) -> Any:
    """(on a worker) Check that ``identity()`` here gives the client's ``versions``, point the
    arguments at the stored inputs, run ``remote`` with a scratch folder of its own (made by
    ``remote`` if it writes files: removing an empty folder costs about half a millisecond here,
    more than a speech unit's dispatch is worth), removed after."""
    from distributed import get_worker

    worker = get_worker()
    _settle(worker)
    where: dict[str, Path] = {}
    try:
        mine = tuple(identity())
        if mine != tuple(versions):
            raise VersionMismatch(worker.address, mine, tuple(versions))
        store = _store(worker)
        where = {path: store / stored_name(path, digest) for path, digest in files.items()}
        lacking = tuple(local.name for local in where.values() if not local.is_file())
        if lacking:
            return Lacking(worker.address, lacking)
        scratch = Path(worker.local_directory) / SCRATCH / uuid.uuid4().hex
        before = _cpu_seconds()
        try:
            value = remote(scratch, *relocate(args, where))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return Done(value, _cpu_seconds() - before)
    except ClaimreelError as exc:
        return Refused(_as_client_sees(exc, {str(local): path for path, local in where.items()}))


def _as_client_sees(error: ClaimreelError, names: dict[str, str]) -> ClaimreelError:
    """``error`` with the worker's copies of input files named by the client's paths (the file
    the user must fix)."""
    def swap(value: Any) -> Any:
        if isinstance(value, (str, Path)) and names:
            text = str(value)
            for local, path in names.items():
                text = text.replace(local, path)
            return type(value)(text) if text != str(value) else value
        return value

    for key, value in list(vars(error).items()):
        setattr(error, key, swap(value))
    error.args = tuple(swap(a) for a in error.args)
    return error
