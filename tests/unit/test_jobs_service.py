"""The submit service: a job is checked against its scripts before the store sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.jobs import Queue, TaskSpec, submit

from ..conftest import SMALL_SCRIPT, make_workspace


@pytest.fixture
def scripts(tmp_path: Path) -> list[Path]:
    first = make_workspace(tmp_path)
    second = tmp_path / "scripts" / "small-check-2.yaml"
    second.write_text(SMALL_SCRIPT.replace("id: small-check", "id: small-check-2"), encoding="utf-8")
    return [first, second]


def test_submit_checks_then_stores_paths_made_absolute_and_the_formats_explicit(tmp_path, scripts):
    q = Queue(tmp_path / "q.db")
    job = submit(q, "two", [TaskSpec(p, preview=True, out=tmp_path / "out") for p in scripts])
    tasks = q.status(job).tasks
    assert [t.story for t in tasks] == ["small-check", "small-check-2"]
    assert tasks[0].out == str((tmp_path / "out" / "_previews" / "small-check").resolve())
    assert tasks[0].options["formats"] == ["16x9"]  # the script's own formats, made explicit
    assert Path(tasks[0].script).is_absolute()


def test_a_bad_task_queues_nothing(tmp_path, scripts):
    q = Queue(tmp_path / "q.db")
    with pytest.raises(Exception, match="the script has no cut named 'nope'"):
        submit(q, "bad", [TaskSpec(scripts[0]), TaskSpec(scripts[1], cuts=("nope",))])
    with pytest.raises(Exception, match=r"unknown loudness profile 'loudest'"):
        submit(q, "bad", [TaskSpec(scripts[0], loudness="loudest")])
    with pytest.raises(Exception, match=r"script not found"):
        submit(q, "bad", [TaskSpec(scripts[0].with_name("missing.yaml"))])
    with pytest.raises(Exception, match=r"a job needs at least one render"):
        submit(q, "empty", [])
    assert q.jobs() == []
