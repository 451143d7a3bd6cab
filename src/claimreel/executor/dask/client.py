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
  :class:`claimreel.executor.forms.Form`) runs on the worker (in a scratch
  folder if it writes files) and returns the bytes it made; its *landing* writes them into the
  client's cache, or fetches them from the shared cache (``--cache-url``).
- **Refusals are final.** A unit that fails with a :class:`ClaimreelError` (a bad
  asset, a worker of another version) comes back as a value, not an exception,
  so Dask does not retry it; the client raises it with its message. A worker
  killed mid-unit is the scheduler's business: the unit runs again elsewhere.
"""

from __future__ import annotations

import functools
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from ...errors import ClaimreelError, RenderError
from ..forms import Form, moved_bytes
from ..shipping import Digests, input_files, stored_name
from .worker import WARM_UP, Lacking, Refused, has_files, keep_files, run_unit, warm_worker

__all__ = ["CONNECT_TIMEOUT_S", "ClusterLost", "ClusterUnreachable", "DaskPool", "NoClientCertificate", "Traffic"]

CONNECT_TIMEOUT_S = 6
SCATTER_TRIES = 4  # a bulky unit's arguments are scattered this often at most (a worker may have just died)
SHIP_BATCH_BYTES = 64 << 20  # input files sent to the workers in messages of about this size at most


# What the client must give a tls:// scheduler, named where an error needs it.
TLS_HELP = ("give this client's certificate and key, signed by the CA the scheduler trusts, and that CA "
            "(tls_cert, tls_key, tls_ca, or CLAIMREEL_TLS_CERT, CLAIMREEL_TLS_KEY, CLAIMREEL_TLS_CA, "
            "or Dask's distributed.comm.tls.client.cert, .client.key and .ca-file)")


class ClusterUnreachable(RenderError):
    """The Dask scheduler did not answer, or refused this client."""

    options = ("cluster", "tls_cert", "tls_key", "tls_ca")  # the options its messages name

    def __init__(self, address: str, reason: str) -> None:
        if address.startswith("tls://") and "SSL" in reason:
            fix = f"the scheduler refused this client's certificate, or this client cannot verify the scheduler's: {TLS_HELP}"
        else:
            fix = ("start it with `dask scheduler` (and workers with `dask worker ADDRESS`), "
                   "or fix the cluster option / CLAIMREEL_CLUSTER")
        super().__init__(f"{address}: cannot reach the Dask scheduler ({reason}); {fix}")
        self.address = address


class NoClientCertificate(RenderError):
    """A tls:// scheduler, and no certificate for this client to show it."""

    options = ("cluster", "tls_cert", "tls_key", "tls_ca")  # the options its messages name

    def __init__(self, address: str) -> None:
        super().__init__(f"{address}: the scheduler requires TLS and this client has no certificate; {TLS_HELP}")
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


@dataclass
class Traffic:
    """What a pool's units moved: for benchmarks and the cluster's tests."""

    shipped: int = 0  # input bytes sent to workers (files, and a bulky unit's scattered arguments)
    returned: int = 0  # output bytes that came back to the client
    units: int = 0  # units sent
    unit_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of each landed unit on its worker, by Dask key


class ShippedFuture:
    """A unit running on the cluster; ``result()`` lands its output on the client (once), counting
    the bytes the unit moved into ``traffic``."""

    _UNSET = object()
    RESENDS = 3  # a unit that lands on a worker lacking its inputs is sent again (with them) this often

    def __init__(self, future: Any, form: Form, args: tuple, resend: Callable[[], Any],
                 address: str = "", traffic: Traffic | None = None) -> None:
        self.future, self._form, self._args, self._resend = future, form, args, resend
        self._address = address
        self._traffic = traffic if traffic is not None else Traffic()
        self._value: Any = self._UNSET
        self._cancelled = False

    def result(self, timeout: float | None = None) -> Any:
        try:
            return self._landed_result(timeout)
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

    def _landed_result(self, timeout: float | None) -> Any:
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
            self._value = self._land(value)
        return self._value

    def _land(self, done: Any) -> Any:
        traffic = self._traffic
        traffic.unit_cpu[str(self.future.key)] = done.cpu_s
        traffic.returned += moved_bytes(done.value)
        if self._form.bulky:  # its arguments were scattered to the worker
            traffic.shipped += moved_bytes(self._args)
        land = self._form.land
        return done.value if land is None else land(done.value, *self._args)

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

    def __init__(self, address: str, *, forms: Mapping[Callable[..., Any], Form] | None = None,
                 identity: Callable[[], tuple[str, ...]] = tuple, warm_up: Callable[[], None] | None = None,
                 tls: Any = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ClaimreelError(f"cluster {address}: Dask is not installed; "
                                 "pip install 'claimreel[cluster]'").naming("cluster") from None
        self.address = address
        self._cluster = None
        try:
            if address.startswith("local:"):
                self._cluster = _local_cluster(address)
                self.client = Client(self._cluster, timeout=CONNECT_TIMEOUT_S)
            else:
                self.client = Client(address, timeout=CONNECT_TIMEOUT_S, security=_security(address, tls))
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            raise ClusterUnreachable(address, _first_line(exc)) from None
        info = self.client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        # Each worker warms up first, while the client prepares the render (never waited for; a
        # failure there is not the render's: the units import what they need anyway).
        self._warming = [self.client.submit(warm_worker, identity, warm_up, key=f"{WARM_UP}-{uuid.uuid4().hex}",
                                            workers=[address], allow_other_workers=False, pure=False)
                         for address in info.get("workers", {})]
        self._forms = dict(forms or {})
        self._identity = identity
        self._versions = tuple(identity())
        self._digests = Digests()
        self._placed: set[str] = set()  # stored names every worker held or was sent when last asked
        self.traffic = Traffic()

    def processes(self) -> list[int]:
        """None on this machine: the workers are the scheduler's (closing the pool lets them go)."""
        return []

    def runs_here(self, cpu: float) -> bool:
        """Never: the cluster's workers take every unit (this machine may be a scheduler's client only)."""
        return False

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
                self.traffic.shipped += sum(sent.values())
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
            return self.client.submit(run_unit, form.remote, payload, files, self._versions, self._identity, retries=1,
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
        self.traffic.units += 1
        return ShippedFuture(future, form, args, functools.partial(sent, True), self.address, self.traffic)

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


def _local_cluster(address: str) -> Any:
    """A LocalCluster of N single-thread worker processes on this machine, for ``local:N``."""
    from distributed import LocalCluster

    text = address.partition(":")[2]
    if not text.isdigit() or int(text) < 1:
        raise ClaimreelError(f"cluster {address}: give local:N with N worker processes (e.g. local:2)"
                             ).naming("cluster")
    return LocalCluster(n_workers=int(text), threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None)


def _security(address: str, tls: Any) -> Any:
    """The client's side of mutual TLS: the files ``tls`` names, else Dask's own configuration
    (``distributed.comm.tls.*``, or its ``DASK_DISTRIBUTED__COMM__TLS__*`` environment variables),
    which must give a certificate for a ``tls://`` address (Dask would fail with a TypeError)."""
    from distributed.security import Security

    if tls is not None:
        return Security(tls_ca_file=str(tls.ca), tls_client_cert=str(tls.cert), tls_client_key=str(tls.key),
                        require_encryption=True)
    if not address.startswith("tls://"):
        return None
    configured = Security()
    if not (configured.tls_ca_file and configured.tls_client_cert):
        raise NoClientCertificate(address)
    return configured
