"""The executor's own parts, without a cluster: what a unit moves, a local pool's processes, and the
addresses and certificates a pool is opened with."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from claimreel.errors import ClaimreelError
from claimreel.executor import LocalPool, Tls, open_pool
from claimreel.executor.forms import moved_bytes


@dataclass(frozen=True)
class _Made:
    video: bytes | None
    samples: np.ndarray
    words: tuple[str, ...]
    path: Path


def test_moved_bytes_counts_bytes_and_arrays_through_containers():
    made = _Made(b"x" * 10, np.zeros(4, np.float32), ("ten", "words"), Path("/a/long/path.mp4"))
    assert moved_bytes(made) == 10 + 16
    assert moved_bytes((made, {"again": made}, [b"12"])) == 2 * 26 + 2
    assert moved_bytes(_Made(None, np.zeros(0), (), Path("."))) == 0
    assert moved_bytes("text is not bulk") == 0


def test_a_local_pools_processes_are_its_running_workers():
    pool = LocalPool(2, os.getpid)
    try:
        deadline = time.monotonic() + 60
        while len(pool.processes()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        pids = pool.processes()
        assert len(pids) == 2 and os.getpid() not in pids
        assert all(os.path.exists(f"/proc/{pid}") for pid in pids)
    finally:
        pool.close()
    assert pool.processes() == [], "workers that exited are not named"


def test_a_render_with_bad_input_starts_no_worker(workspace, monkeypatch, capsys):
    """A render opens its pool unstarted and its first unit starts it: a script with a problem is
    reported without a worker process started (and waited for)."""
    from claimreel.cli import main

    started: list[LocalPool] = []
    real = LocalPool.start
    monkeypatch.setattr(LocalPool, "start", lambda self: started.append(self) or real(self))
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text(encoding="utf-8").replace('rating: "False"', "rating: Nonsense"),
                      encoding="utf-8")
    assert main(["render", str(script), "--out", str(workspace / "out"), "--cache", str(workspace / "cache")]) == 2
    assert started == [] and "rating" in capsys.readouterr().err
    pool = LocalPool(2, os.getpid, start=False)
    try:
        assert pool.processes() == []
        assert pool.submit(os.getpid).result(timeout=60) in pool.processes(), "a first unit starts the workers"
    finally:
        pool.close()


def test_a_certificate_needs_a_tls_address(tmp_path):
    tls = Tls(tmp_path / "ca.pem", tmp_path / "client.pem", tmp_path / "client.key")
    with pytest.raises(ClaimreelError, match="a client certificate is for a tls:// address"):
        open_pool("tcp://127.0.0.1:8786", tls=tls)
    with pytest.raises(ClaimreelError, match="give tcp://HOST:PORT or tls://HOST:PORT"):
        open_pool("udp://127.0.0.1:8786")
