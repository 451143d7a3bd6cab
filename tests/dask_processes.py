"""A real Dask cluster on 127.0.0.1 for tests and benchmarks: ``dask scheduler`` and ``dask worker``
processes, each worker in an empty folder of its own, optionally as a user that cannot read the
client's files.

Running a worker as ``nobody`` needs root (to change user). When the Python running the tests lives
under a folder others cannot enter (``/root/.pyenv``), the worker runs in a private mount namespace
where that folder is replaced by an empty one holding only the Python installation, so the worker
can import its packages and nothing else of that folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping

REPO = Path(__file__).resolve().parents[1]
NOBODY = ("nobody", "nogroup")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_run_as_nobody() -> str | None:
    """None if workers can run as another user here, else why not."""
    if os.geteuid() != 0:
        return "running workers as another user needs root"
    for tool in ("setpriv", "unshare"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


def _closed_ancestor(path: Path) -> Path | None:
    """The highest folder above ``path`` that other users cannot enter, or None."""
    for parent in reversed(path.parents):
        if parent != Path("/") and not parent.stat().st_mode & stat.S_IXOTH:
            return parent
    return None


def _as_nobody(argv: list[str], stage: Path) -> list[str]:
    """``argv`` run as nobody, with the Python installation reachable (see the module docstring)."""
    drop = ["setpriv", f"--reuid={NOBODY[0]}", f"--regid={NOBODY[1]}", "--clear-groups"]
    prefix = Path(sys.base_prefix).resolve()
    closed = _closed_ancestor(prefix)
    if closed is None:
        return drop + argv
    inner = closed / prefix.relative_to(closed).parts[0]  # e.g. /root/.pyenv
    stage.mkdir(mode=0o755)
    script = ('mount --bind "$1" "$2" && mount -t tmpfs -o mode=0755,size=1m tmpfs "$3" && mkdir "$1" '
              '&& mount --move "$2" "$1" && shift 3 && exec "$@"')
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
            str(inner), str(stage), str(closed), *drop, *argv]


@dataclass(frozen=True)
class ClusterTls:
    """Mutual TLS for a test cluster: the CA, and the (certificate, key) of the scheduler, of the
    workers and of the client that checks the cluster is up."""

    ca: Path
    scheduler: tuple[Path, Path]
    worker: tuple[Path, Path]
    client: tuple[Path, Path]

    def flags(self, role: str) -> list[str]:
        cert, key = getattr(self, role)
        return ["--protocol", "tls", "--tls-ca-file", str(self.ca), "--tls-cert", str(cert), "--tls-key", str(key)]

    def security(self):
        from distributed.security import Security

        return Security(tls_ca_file=str(self.ca), tls_client_cert=str(self.client[0]),
                        tls_client_key=str(self.client[1]), require_encryption=True)


@dataclass
class DaskProcesses:
    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)  # each worker's own folder

    def kill_worker(self, i: int) -> None:
        """SIGKILL worker ``i`` and its nanny (the machine dies)."""
        _signal(self.workers[i], signal.SIGKILL)
        self.workers[i].wait(10)

    def stop_scheduler(self) -> None:
        _stop(self.scheduler)


def _signal(proc: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def _stop(*procs: subprocess.Popen) -> None:
    """SIGTERM each of ``procs`` (its process group) at once, so that they close side by side; SIGKILL
    those still running 10 s later."""
    running = [proc for proc in procs if proc.poll() is None]
    for proc in running:
        _signal(proc, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for proc in running:
        try:
            proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal(proc, signal.SIGKILL)
            proc.wait(10)


def _code_copy(base: Path, change: Callable[[Path], None] | None = None) -> Path:
    """A copy of the code under test that any user can read (the worktree may not be); ``change``
    may edit it (a worker of another version)."""
    code = base / "code"
    shutil.copytree(REPO / "src", code, ignore=shutil.ignore_patterns("__pycache__"))
    if change is not None:
        change(code)
    for root, dirs, files in os.walk(code):
        os.chmod(root, 0o755)
        for name in files:
            os.chmod(Path(root) / name, 0o644)
    return code


@contextlib.contextmanager
def dask_cluster(base: Path, workers: int = 2, *, as_nobody: bool = True, log: Path | None = None,
                 change_code: Callable[[Path], None] | None = None,
                 env: Mapping[str, str] | None = None, tls: ClusterTls | None = None) -> Iterator[DaskProcesses]:
    """``dask scheduler`` and ``workers`` single-thread ``dask worker`` processes on 127.0.0.1,
    stopped on exit (even after a failure). ``base`` must be a new folder others can enter; ``env``
    adds to the workers' environment (a shared cache's endpoint and keys, as on a real machine);
    ``tls``: the scheduler and workers listen on ``tls://`` and require a certificate of its CA."""
    from distributed import Client

    base.mkdir(mode=0o755)
    os.chmod(base, 0o755)
    code = _code_copy(base, change_code)
    port = free_port()
    address = f"{'tls' if tls else 'tcp'}://127.0.0.1:{port}"
    out = open(log or base / "cluster.log", "ab")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMREEL_", "DASK_"))}
    clean["PYTHONPATH"] = str(code)
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard",
         *(tls.flags("scheduler") if tls else [])],
        cwd=base, env=clean, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    procs = DaskProcesses(address, scheduler)
    try:
        for i in range(workers):
            own = base / f"worker-{i}"
            own.mkdir(mode=0o700)
            argv = [sys.executable, "-m", "dask", "worker", address, "--nthreads", "1", "--nworkers", "1",
                    "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{i}", "--local-directory", str(own),
                    *(tls.flags("worker") if tls else [])]
            worker_env = {**clean, **(env or {}), "HOME": str(own)}
            if as_nobody:
                shutil.chown(own, *NOBODY)
                argv = _as_nobody(argv, base / f".stage-{i}")
            procs.workers.append(subprocess.Popen(argv, cwd=own, env=worker_env, stdout=out,
                                                  stderr=subprocess.STDOUT, start_new_session=True))
            procs.folders.append(own)
        deadline = time.monotonic() + 90
        while True:
            try:
                with Client(address, timeout=5, security=tls.security() if tls else None) as client:
                    client.wait_for_workers(workers, timeout=max(1.0, deadline - time.monotonic()))
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline or scheduler.poll() is not None:
                    raise RuntimeError(f"the test cluster did not start; see {out.name}") from None
                time.sleep(0.5)
        yield procs
    finally:
        _stop(*procs.workers)  # before the scheduler, so that they need not wait for it to come back
        _stop(scheduler)
        out.close()
