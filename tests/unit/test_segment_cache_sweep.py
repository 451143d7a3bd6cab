"""The segment cache sweeps what killed renders left (temp files, chunk folders), never a live render's."""

from __future__ import annotations

import os
import subprocess
import sys

from claimreel.pipeline.segment_cache import read_still, still_path, sweep_partials


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_sweep_removes_leftovers_of_dead_writers_only(tmp_path):
    dead, alive = _dead_pid(), os.getpid()
    leftovers = [
        tmp_path / f".abc.{dead}-0123abcd.partial.mp4",
        tmp_path / f".abc.mp4.sha256.{dead}.tmp",
        tmp_path / f".abc.still.jpg.{dead}.tmp",
        tmp_path / f".abc.{dead}-0123abcd.partial.m4a",  # the soundtrack cache's
        tmp_path / f".abc.{dead}-4567cdef.partial.wav",
    ]
    folder = tmp_path / f".abcdef0123456789.{dead}-89abcdef.parts"
    folder.mkdir()
    (folder / "000.mp4").write_bytes(b"chunk")
    live = [tmp_path / f".abc.{alive}-0123abcd.partial.mp4", tmp_path / f".abcdef0123456789.{alive}-00000000.parts"]
    kept = [tmp_path / "abc.mp4", tmp_path / "abc.mp4.sha256", tmp_path / "abc.still.jpg", tmp_path / "abc.m4a"]
    for path in leftovers + kept + live[:1]:
        path.write_bytes(b"x")
    live[1].mkdir()
    assert sweep_partials(tmp_path) == 6
    assert sorted(tmp_path.iterdir()) == sorted(kept + live)


def test_still_is_read_only_when_whole(tmp_path):
    segment = tmp_path / "k.mp4"
    assert still_path(segment) == tmp_path / "k.still.jpg"
    assert read_still(segment) is None
    still_path(segment).write_bytes(b"\xff\xd8" + b"\x00" * 50 + b"\xff\xd9")
    assert read_still(segment) is not None
    still_path(segment).write_bytes(b"\xff\xd8" + b"\x00" * 50)  # cut short
    assert read_still(segment) is None


def test_two_threads_writing_the_same_file_both_succeed(tmp_path, monkeypatch):
    """Two tasks of one job can receive the same segment in one process: each writer's temp file is its
    own, so both renames land (with a shared temp name, the second found it gone)."""
    import threading

    from claimreel.pipeline.segment_cache import write_durably

    both_written = threading.Barrier(2, timeout=10)
    real_replace = os.replace

    def replace(src, dst):
        both_written.wait()  # each thread has written its temp file before either renames
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    target, errors = tmp_path / "abc.mp4", []

    def write(data: bytes) -> None:
        try:
            write_durably(target, data)
        except OSError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(data,)) for data in (b"one", b"two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and target.read_bytes() in (b"one", b"two")
    assert [p.name for p in tmp_path.iterdir()] == ["abc.mp4"], "no temp file left behind"
