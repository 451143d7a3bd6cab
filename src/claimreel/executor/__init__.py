"""Where a render's work units run: the seam between a render and its workers.

A render hands its units (segment encodes; on a cluster also speech and soundtrack mixes) to a :class:`WorkPool`. The
shape is that of :mod:`concurrent.futures` (and of Dask's ``Client``):
``submit(fn, *args)`` returns a future, ``as_completed(futures)`` yields them as
they finish, ``close()`` lets the workers go. :class:`LocalPool`, the default,
is a pool of spawned worker processes, one per core.

A pool may outlive one render: a job runner opens one pool and hands it to every
render of a batch (``render(..., pool=pool)``), so the next task's preparation
overlaps the current task's encodes and the workers' imports are paid once.

The executor knows nothing of what the units do: a remote pool is given the unit kinds it may run
(their :class:`~claimreel.executor.forms.Form`), the function naming the code version a worker must
share with the client, and a warm-up, all through :func:`open_pool`.

How to add a backend: write a class with ``submit``, ``as_completed``, ``close``, ``processes``,
``runs_here`` and ``workers`` (the number of units it runs at once), and return it from
:func:`open_pool` for its address scheme.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Protocol

from .forms import Form

__all__ = ["SMALL_WORK_CPU", "Form", "LocalPool", "Tls", "WorkPool", "die_with_parent", "open_pool"]

# Work this small (estimated CPU seconds) is done in the caller's process while a local pool's workers
# have not started: two fresh workers take over a second to start and about 0.6 CPU-s each (they import
# the drawing and speech stacks), as much as running on both cores would save on work this size, and in
# a render the audio thread keeps the other core busy anyway (docs/speed.md).
SMALL_WORK_CPU = 4.0


def die_with_parent(parent: int | None = None) -> None:
    """Worker initializer: on Linux, get SIGKILLed when the render process ``parent`` dies.

    A pool worker of a render that was killed with SIGKILL would otherwise wait
    forever on its task queue (it holds both ends of the pipe); its ffmpeg then
    sees its stdin close and exits too. If the render died while this worker was
    still starting (before the signal was asked for), the worker exits at once.
    """
    import ctypes
    import ctypes.util
    import signal

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: orphaned workers exit when their parent's pipes close
    if parent is not None and os.getppid() != parent:
        os._exit(1)


class WorkPool(Protocol):
    """A place to run work units; futures have ``result()``, ``cancel()`` and ``done()``."""

    workers: int
    remote: bool  # True: runs elsewhere; files travel by content and outputs come back as bytes

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]: ...

    def close(self, *, wait: bool = True, cancel: bool = False) -> None: ...

    def processes(self) -> list[int]:
        """The pids of the pool's worker processes on this machine (for a runner that must stop them
        at once); empty for a pool whose workers run elsewhere."""
        ...

    def runs_here(self, cpu: float) -> bool:
        """True if work of about ``cpu`` estimated CPU seconds is better done in the caller's process
        than sent here (an edit's few units, while local workers have not started)."""
        ...


@dataclass(frozen=True)
class Tls:
    """The client's side of mutual TLS with a Dask scheduler: its certificate and key, and the CA
    that signed the scheduler's and the workers' certificates (PEM files)."""

    ca: Path
    cert: Path
    key: Path


class _Recorded:
    """A multiprocessing context that remembers the processes started through it: the pool's
    workers, whose pids a runner needs to stop them at once."""

    def __init__(self, method: str) -> None:
        self._context = multiprocessing.get_context(method)
        self.started: list[Any] = []

    def Process(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 (the context's own name)
        process = self._context.Process(*args, **kwargs)
        self.started.append(process)
        return process

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


class LocalPool:
    """Spawned worker processes on this machine, started at once so their imports overlap
    preparing the script.

    spawn: workers never inherit this process's threads (OpenCV's pool, the audio thread),
    which can leave a forked child waiting on a lock forever; and, as direct children, they
    die with their parent (``die_with_parent``), which a forkserver's children would not.
    """

    remote = False

    def __init__(self, workers: int = 0, warm_up: Callable[[], None] | None = None, *, start: bool = True) -> None:
        from .main_guard import check_main_guard

        check_main_guard()  # before any worker imports the caller's script again
        self.workers = workers or os.cpu_count() or 1
        self._context = _Recorded("spawn")
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context,  # type: ignore[arg-type]
                                         initializer=die_with_parent, initargs=(os.getpid(),))
        self._warm_up = warm_up
        self._started = False
        if start:
            self.start()

    def runs_here(self, cpu: float) -> bool:
        """True while the workers have not started and the work is under :data:`SMALL_WORK_CPU`:
        starting them would cost more than they save on it. Started workers take every unit."""
        return not self._started and cpu <= SMALL_WORK_CPU

    def start(self) -> None:
        """Start the workers now, each running the warm-up first (once; a first unit starts them too).
        A render opens its pool unstarted, so its first unit starts it: bad input, or a render with
        nothing to encode or say, starts no worker (about half a CPU-second each)."""
        if self._started:
            return
        self._started = True
        for _ in range(self.workers if self._warm_up else 0):
            self._pool.submit(self._warm_up)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        self.start()
        return self._pool.submit(fn, *args)

    def as_completed(self, futures: Iterable[Future]) -> Iterator[Future]:
        return as_completed(list(futures))

    def close(self, *, wait: bool = True, cancel: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel)

    def processes(self) -> list[int]:
        """The pids of the worker processes still running."""
        return [p.pid for p in self._context.started if p.pid and p.exitcode is None]


def open_pool(address: str | None = None, workers: int = 0, warm_up: Callable[[], None] | None = None, *,
              forms: Mapping[Callable[..., Any], Form] | None = None,
              identity: Callable[[], tuple[str, ...]] = tuple, tls: Tls | None = None,
              start: bool = True) -> WorkPool:
    """The pool for ``address``: None for this machine's worker processes (each running ``warm_up``
    first, while the caller prepares); ``tcp://HOST:PORT`` or ``tls://HOST:PORT`` for a Dask
    scheduler, or ``local:N`` for a Dask cluster of N processes started here (see :mod:`.dask`).

    A Dask pool runs the unit kinds ``forms`` lists, each worker running ``warm_up`` when the pool
    connects; a worker refuses units when ``identity()`` (texts naming the code and tools a unit's
    output depends on; a function the workers can import) differs there. ``tls``: the client's
    certificate for a ``tls://`` scheduler (by default Dask's own configuration). ``start=False``:
    local workers start at the first unit or :meth:`LocalPool.start`, not now."""
    if address is None:
        return LocalPool(workers, warm_up, start=start)
    from ..errors import ClaimreelError

    if tls is not None and not address.startswith("tls://"):
        raise ClaimreelError(f"cluster {address}: a client certificate is for a tls:// address; "
                             "give tls://HOST:PORT of a scheduler that requires TLS").naming("cluster")
    if address.startswith(("tcp://", "tls://", "local:")):
        from .dask import DaskPool
        from .main_guard import check_main_guard

        if address.startswith("local:"):
            check_main_guard()  # a LocalCluster's workers are spawned too
        return DaskPool(address, forms=forms, identity=identity, warm_up=warm_up, tls=tls)
    raise ClaimreelError(f"cluster {address}: give tcp://HOST:PORT or tls://HOST:PORT of a Dask scheduler, "
                         "or local:N").naming("cluster")
