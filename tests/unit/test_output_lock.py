"""The output lock: exclusive while a render runs, and no lock file left behind after it."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest

from claimreel.errors import OutputLocked
from claimreel.pipeline.output import output_lock


def test_lock_file_is_removed_when_the_render_ends(tmp_path: Path) -> None:
    with output_lock(tmp_path, "story"):
        assert (tmp_path / ".story.lock").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_lock_file_is_removed_when_the_render_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        with output_lock(tmp_path, "story"):
            raise RuntimeError("boom")
    assert not (tmp_path / ".story.lock").exists()


def test_second_render_of_the_same_id_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    with output_lock(tmp_path, "story"):
        with pytest.raises(OutputLocked):
            with output_lock(tmp_path, "story"):
                pass
        assert (tmp_path / ".story.lock").is_file()  # the refused one did not remove the holder's file
    with output_lock(tmp_path, "story"):  # free again afterwards
        pass


def test_a_lock_taken_on_a_removed_file_is_retaken_on_the_new_one(tmp_path: Path, monkeypatch) -> None:
    """A render that opened the lock file just before the holder removed it must not run unguarded."""
    path = tmp_path / ".story.lock"
    real_open = open
    calls = []

    def racing_open(file, *args, **kwargs):
        fh = real_open(file, *args, **kwargs)
        if Path(file) == path and not calls:
            calls.append(1)
            path.unlink()  # the previous holder finishes between our open and our flock
        return fh

    monkeypatch.setattr("builtins.open", racing_open)
    with output_lock(tmp_path, "story"):
        assert path.is_file()
        with real_open(path) as other:  # the file at the path is the one held
            with pytest.raises(BlockingIOError):
                fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert calls == [1]
