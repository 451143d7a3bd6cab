"""Run a render's units on a Dask cluster (``--cluster tcp://HOST:8786`` or ``local:N``).

Dask distributed is the engine: its scheduler places the units, reschedules the
unit of a worker that died, and moves every byte. This module only adapts the
render's units to it:

- **Inputs by content.** The files a unit's arguments name (photos, fonts, the
  logo, a voice-over) are hashed on the client; each worker keeps a
  content-addressed copy under its own local directory. Before the first unit
  that needs a file is submitted, the workers are asked whether they hold it
  (``Client.run``), and only those lacking it get the bytes, so each file reaches
  a worker at most once. A worker that joins later and lacks a unit's files says
  so; the unit is sent again once they have been sent.
- **Outputs as bytes.** A unit kind's *remote form* (see
  :func:`claimreel.pipeline.remote.unit_forms`) runs on the worker (in a scratch
  folder if it writes files) and returns the bytes it made; its *landing* writes them into the
  client's cache, or fetches them from the shared cache (``--cache-url``).
- **Refusals are final.** A unit that fails with a :class:`ClaimreelError` (a bad
  asset, a worker of another version) comes back as a value, not an exception,
  so Dask does not retry it; the client raises it with its message. A worker
  killed mid-unit is the scheduler's business: the unit runs again elsewhere.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import ClaimreelError, RenderError
from .shipping import Digests, input_files, relocate, stored_name

__all__ = ["CONNECT_TIMEOUT_S", "ClusterLost", "ClusterUnreachable", "DaskPool", "VersionMismatch", "local_versions"]

CONNECT_TIMEOUT_S = 6
STORE = "claimreel-files"  # the content-addressed inputs, under a worker's local directory
SCRATCH = "claimreel-units"  # one folder per running unit, removed when it ends
SCATTER_TRIES = 4  # a bulky unit's arguments are scattered this often at most (a worker may have just died)
SHIP_BATCH_BYTES = 64 << 20  # input files sent to the workers in messages of about this size at most


class ClusterUnreachable(RenderError):
    """The Dask scheduler did not answer."""

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(
            f"{address}: cannot reach the Dask scheduler ({reason}); start it with `dask scheduler` "
            "(and workers with `dask worker ADDRESS`), or fix --cluster / CLAIMREEL_CLUSTER")
        self.address = address


class ClusterLost(RenderError):
    """The connection to the Dask scheduler broke during a render."""

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(
            f"{address}: lost the connection to the Dask scheduler during the render ({reason}); nothing in "
            "the output folder was replaced; check the scheduler and render again (finished units are cached)")
        self.address = address


def _first_line(exc: BaseException) -> str:
    """What an error from Dask or the network says, in one line (its type if it says nothing)."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _connection_lost(exc: BaseException) -> bool:
    """True for the error Dask gives a client's futures when the scheduler went away."""
    return "scheduler-connection-lost" in str(exc)


class VersionMismatch(RenderError):
    """A worker runs other code or another ffmpeg than the client."""

    def __init__(self, worker: str, theirs: tuple[str, ...], ours: tuple[str, ...]) -> None:
        def text(v: tuple[str, ...]) -> str:
            return f"claimreel {v[0]} (drawing code {v[1][:12]}) with {v[2].split(' Copyright')[0]}"

        super().__init__(
            f"worker {worker} refuses the unit: it runs {text(theirs)}, the client runs {text(ours)}; "
            "install the same claimreel and ffmpeg on every machine (pip install claimreel[cluster]==VERSION)")


@functools.lru_cache(maxsize=1)
def local_versions() -> tuple[str, str, str]:
    """(claimreel version, digest of the frame-drawing code, ``ffmpeg -version`` line) of this process."""
    from ..encode.ffmpeg import Ffmpeg
    from ..pipeline.segments import code_version

    try:
        version = importlib.metadata.version("claimreel")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return version, code_version(), Ffmpeg().version()


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
    from ..files import atomic_write_bytes

    store = _store(dask_worker)
    store.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        atomic_write_bytes(store / name, data)
    return sum(len(data) for data in files.values())


# Dask's nanny starts every worker with MALLOC_TRIM_THRESHOLD_=65536 (its config's
# ``distributed.nanny.pre-spawn-environ``), so that an idle worker hands freed memory back. Setting
# it also stops glibc from raising its mmap threshold as large blocks are freed, so every buffer of
# a frame's size (3 MB at 1080p) is mapped, zeroed page by page and unmapped again, in the unit and
# in its ffmpeg: a render's system time went from 8 to 19.6 CPU-s and its wall time up 14 %. A
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


WARM_UP = "warm_up"  # the key prefix of the workers' warm-up tasks (no unit of a render)


def warm_worker() -> None:
    """(on each worker, when a pool connects) Load what units need before they come: the version
    check's code digest, and the audio stack (a soundtrack's mix would import it on the render's
    critical path). A worker of an older release without some of it just skips that."""
    from distributed import get_worker

    _settle(get_worker())
    local_versions()
    try:
        from ..pipeline.mixdown import warm_up
    except ImportError:
        return
    warm_up()


def run_unit(remote: Callable[..., Any], args: tuple, files: dict[str, str], versions: tuple[str, ...]) -> Any:
    """(on a worker) Check the versions, point the arguments at the stored inputs, run ``remote``
    with a scratch folder of its own (made by ``remote`` if it writes files: removing an empty folder
    costs about half a millisecond here, more than a speech unit's dispatch is worth), removed after."""
    from distributed import get_worker

    worker = get_worker()
    _settle(worker)
    where: dict[str, Path] = {}
    try:
        mine = local_versions()
        if tuple(mine) != tuple(versions):
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


class ShippedFuture:
    """A unit running on the cluster; ``result()`` lands its output on the client (once)."""

    _UNSET = object()
    RESENDS = 3  # a unit that lands on a worker lacking its inputs is sent again (with them) this often

    def __init__(self, future: Any, land: Callable[..., Any], args: tuple, resend: Callable[[], Any],
                 address: str = "", costs: dict[str, float] | None = None) -> None:
        self.future, self._land, self._args, self._resend = future, land, args, resend
        self._address = address
        self._costs = costs if costs is not None else {}
        self._value: Any = self._UNSET
        self._cancelled = False

    def result(self, timeout: float | None = None) -> Any:
        try:
            return self._result(timeout)
        except ClaimreelError:
            raise
        except Exception as exc:
            if _connection_lost(exc):
                raise ClusterLost(self._address, _first_line(exc)) from None
            raise

    def _outcome(self, timeout: float | None) -> Any:
        """The unit's value; sent again if Dask cancelled it without being asked to (the worker
        holding its scattered arguments was lost: Dask cannot make them again)."""
        from concurrent.futures import CancelledError

        resent = 0
        while True:
            try:
                return self.future.result(timeout)
            except CancelledError:
                if self._cancelled or resent == self.RESENDS:
                    raise
                resent += 1
                self.future = self._resend()

    def _result(self, timeout: float | None) -> Any:
        if self._value is self._UNSET:
            value = self._outcome(timeout)
            for _ in range(self.RESENDS):
                if not isinstance(value, Lacking):
                    break
                self.future = self._resend()
                value = self._outcome(timeout)
            if isinstance(value, Lacking):
                raise RenderError(f"worker {value.worker} lacks the input files {', '.join(value.names[:3])} "
                                  "although they were sent; check that its --local-directory is writable")
            if isinstance(value, Refused):
                raise value.error
            self._costs[str(self.future.key)] = value.cpu_s
            self._value = self._land(value.value, *self._args)
        return self._value

    def cancel(self) -> bool:
        self._cancelled = True
        return bool(self.future.cancel())

    def done(self) -> bool:
        return bool(self.future.done())


class DaskPool:
    """A :class:`~claimreel.executor.WorkPool` on a Dask cluster.

    ``address``: ``tcp://HOST:PORT`` of a running scheduler, or ``local:N`` for a
    LocalCluster of N single-thread worker processes on this machine (started here,
    stopped by :meth:`close`). ``cache_url``: an fsspec URL of a cache the client and
    every worker share; segments go there instead of coming back through the engine.
    """

    remote = True

    def __init__(self, address: str, *, cache_url: str | None = None,
                 forms: dict[Callable[..., Any], Any] | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ClaimreelError(f"--cluster {address}: Dask is not installed; "
                                 "pip install 'claimreel[cluster]'") from None
        from ..pipeline.remote import unit_forms

        self.address = address
        self._cluster = None
        try:
            if address.startswith("local:"):
                n = _local_workers(address)
                self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                             host="127.0.0.1", dashboard_address=None)
                self.client = Client(self._cluster, timeout=CONNECT_TIMEOUT_S)
            else:
                self.client = Client(address, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            raise ClusterUnreachable(address, _first_line(exc)) from None
        info = self.client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        # Each worker warms up first, while the client prepares the render (never waited for; a
        # failure there is not the render's: the units import what they need anyway).
        self._warming = [self.client.submit(warm_worker, key=f"{WARM_UP}-{uuid.uuid4().hex}", workers=[address],
                                            allow_other_workers=False, pure=False)
                         for address in info.get("workers", {})]
        self.cache_url = cache_url
        self._forms = forms if forms is not None else unit_forms(cache_url)
        self._versions = local_versions()
        self._digests = Digests()
        self._placed: set[str] = set()  # stored names every worker held or was sent when last asked
        self.bytes_shipped = 0  # input bytes sent to workers
        self.bytes_returned = 0  # output bytes landed on the client (counted by the landings)
        self.units = 0
        self.unit_cpu: dict[str, float] = {}  # CPU seconds of each landed unit on its worker, by Dask key

    def _ship(self, files: dict[str, str], *, again: bool = False) -> None:
        """Send each input file to the workers that lack it (asking them first); ``again``: ask even
        about files already placed (a worker that joined later reported some missing)."""
        if again:
            self._placed.difference_update(stored_name(path, digest) for path, digest in files.items())
        wanted = {stored_name(path, digest): path for path, digest in files.items()}
        new = sorted(set(wanted) - self._placed)
        if not new:
            return
        # A worker that dies meanwhile is left out (on_error="ignore"): not the render's failure. One
        # that did not answer or receive gets its files when a unit finds them missing there.
        held = self.client.run(has_files, new, on_error="ignore")
        # Workers lacking the same files (usually all of them: fresh, or all holding them) get them
        # in one call, a few files per message, rather than one round trip per file.
        lacking: dict[tuple[str, ...], list[str]] = {}
        for worker, names in held.items():
            missing = tuple(name for name in new if name not in names)
            if missing:
                lacking.setdefault(missing, []).append(worker)
        for names, workers in lacking.items():
            for batch in _batches(names, lambda name: os.path.getsize(wanted[name])):
                data = {name: Path(wanted[name]).read_bytes() for name in batch}
                sent = self.client.run(keep_files, data, workers=workers, on_error="ignore")
                self.bytes_shipped += sum(sent.values())
        self._placed.update(new)

    def submit(self, fn: Callable[..., Any], *args: Any) -> ShippedFuture:
        form = self._forms.get(fn)
        if form is None:
            raise ValueError(f"{getattr(fn, '__qualname__', fn)!r} has no remote form to run on a cluster")
        files = input_files(args, self._digests)

        def scatter() -> Any:
            # A bulky unit's arguments are scattered to a worker first: inside the task they would pass
            # through the scheduler and be held there (Dask warns of a "large graph"). Scattered again
            # on a resend, since the worker holding them may be the one that was lost. A unit sent
            # mid-render (a soundtrack's pieces, once its mix is back) may pick a worker that just died,
            # before the scheduler noticed: then another is tried.
            for attempt in range(SCATTER_TRIES):
                try:
                    return self.client.scatter([args], hash=False)[0]
                except OSError:
                    if attempt == SCATTER_TRIES - 1 or not self._connected():
                        raise
                    time.sleep(0.25 * (attempt + 1))

        def send() -> Any:
            payload = scatter() if form.bulky else args
            # retries: a worker's transient failure (not a refusal, which comes back as a value)
            return self.client.submit(run_unit, form.remote, payload, files, self._versions, retries=1,
                                      key=f"{getattr(fn, '__name__', 'unit')}-{uuid.uuid4().hex}",
                                      priority=form.priority)

        def sent(again: bool) -> Any:
            """The unit's inputs shipped (asking again on a resend) and the unit sent; a lost scheduler
            is :class:`ClusterLost`."""
            try:
                if again and not self._connected():  # Dask cancelled the unit because the scheduler is gone
                    raise OSError("the client is no longer connected to the scheduler")
                self._ship(files, again=again)
                return send()
            except Exception as exc:
                if isinstance(exc, OSError) or _connection_lost(exc):
                    raise ClusterLost(self.address, _first_line(exc)) from None
                raise

        future = sent(False)
        self.units += 1
        return ShippedFuture(future, functools.partial(form.land, self), args, functools.partial(sent, True),
                             self.address, self.unit_cpu)

    def _connected(self) -> bool:
        return str(getattr(self.client, "status", "running")) == "running"

    def as_completed(self, futures: Iterable[ShippedFuture]) -> Iterator[ShippedFuture]:
        from distributed import as_completed

        by_future = {f.future: f for f in futures}
        for done in as_completed(list(by_future)):
            yield by_future[done]

    def close(self, *, wait: bool = True, cancel: bool = False) -> None:
        try:
            self.client.close(timeout=CONNECT_TIMEOUT_S)
        finally:
            if self._cluster is not None:
                self._cluster.close()


def _batches(names: Iterable[str], size: Callable[[str], int]) -> Iterator[list[str]]:
    """``names`` in runs of at most :data:`SHIP_BATCH_BYTES` (a larger file alone), so that a unit's new
    files travel in few messages without holding a whole footage library in memory at once."""
    batch: list[str] = []
    total = 0
    for name in names:
        n = size(name)
        if batch and total + n > SHIP_BATCH_BYTES:
            yield batch
            batch, total = [], 0
        batch.append(name)
        total += n
    if batch:
        yield batch


def _local_workers(address: str) -> int:
    text = address.partition(":")[2]
    if not text.isdigit() or int(text) < 1:
        raise ClaimreelError(f"--cluster {address}: give local:N with N worker processes (e.g. local:2)")
    return int(text)
