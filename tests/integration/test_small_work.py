"""An edit's little work is done in the render's own process: its few segments are encoded and its
block or two said there, with the same bytes the workers make, and no worker is started for it."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pytest

from claimreel.executor import SMALL_WORK_CPU, LocalPool, open_pool
from claimreel.narration import SpeechCache, plan
from claimreel.pipeline.render import render
from claimreel.pipeline.segments import warm_up
from claimreel.script.load import load_script
from claimreel.timeline.build import plan_scenes

from ..conftest import SMALL_SCRIPT, make_workspace
from .conftest import copy_render

pytestmark = pytest.mark.integration

QUOTE = ("text: It was flowing.\n", "text: It was flowing all day.\n")


def _edited(made: tuple, to: Path) -> tuple:
    ws, script, options, result = copy_render(made, to)
    script.write_text(script.read_text(encoding="utf-8").replace(*QUOTE), encoding="utf-8")
    return script, options


def test_an_edits_segments_are_encoded_here_as_the_workers_would(small_final, tmp_path, monkeypatch):
    started: list[LocalPool] = []
    real = LocalPool.start
    monkeypatch.setattr(LocalPool, "start", lambda self: started.append(self) or real(self))
    import cv2

    script, options = _edited(small_final, tmp_path / "here")
    threads = cv2.getNumThreads()
    here = render(script, options)
    assert here.segments_encoded > 0 and started == [], "an edit's few segments start no worker"
    assert cv2.getNumThreads() == threads, "the caller's OpenCV threads are given back"

    script, options = _edited(small_final, tmp_path / "workers")
    pool = open_pool(None, 2, warm_up)  # started: its workers take every unit
    try:
        there = render(script, options, pool=pool)
    finally:
        pool.close()
    assert there.segments_encoded == here.segments_encoded
    videos = sorted(p.relative_to(here.folder) for p in here.files if p.suffix == ".mp4")
    assert videos
    for video in videos:
        assert (here.folder / video).read_bytes() == (there.folder / video).read_bytes(), video


class _Pool:
    """A local pool that records what it is sent (its units run at once, here)."""

    remote = False
    workers = 2

    def __init__(self, started: bool) -> None:
        self.started, self.sent, self.sayings = started, [], []

    def runs_here(self, cpu: float) -> bool:
        return not self.started and cpu <= SMALL_WORK_CPU

    def submit(self, fn, *args):
        self.sent.append(args[1])
        done: Future = Future()
        done.set_result(fn(*args))
        return done

    def as_completed(self, futures):
        return iter(list(futures))


def _said(ws: Path, pool: _Pool) -> dict[int, np.ndarray]:
    if not ws.exists():
        make_workspace(ws, SMALL_SCRIPT)
    loaded = load_script(ws / "scripts" / "small-check.yaml")
    said = plan.speak_all(loaded, plan_scenes(loaded.script), SpeechCache(ws / "cache"), pool=pool,
                          saying=lambda: pool.sayings.append(len(pool.sent)))
    return {i: speech.samples for i, (speech, _) in said.items()}


def test_a_few_missing_blocks_are_said_here_and_many_in_the_workers(tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "POOLED", frozenset({"fake"}))  # the fake voice, pooled as Piper's is
    idle = _Pool(started=False)
    here = _said(tmp_path / "few", idle)
    assert idle.sent == [] and here, "a few blocks, and no worker running: said in this process"
    assert idle.sayings == [0], "told once, before the first block is said here"

    running = _Pool(started=True)
    there = _said(tmp_path / "running", running)
    assert len(running.sent) == len(there), "started workers take every missing block"
    assert running.sayings == []
    assert here.keys() == there.keys() and all(np.array_equal(here[i], there[i]) for i in here)

    monkeypatch.setattr(plan, "SPEECH_CPU_PER_CHAR", 1.0)  # as if each block took seconds to say
    many = _Pool(started=False)
    _said(tmp_path / "many", many)
    assert len(many.sent) == len(here), "more work than starting the workers costs: sent to them"

    again = _Pool(started=False)
    _said(tmp_path / "many", again)
    assert again.sent == [] and again.sayings == [], "blocks in the cache are neither said nor sent"


def test_only_an_idle_local_pool_leaves_small_work_here():
    pool = LocalPool(2, warm_up, start=False)
    try:
        assert pool.runs_here(1.0) and not pool.runs_here(SMALL_WORK_CPU * 2)
        pool.start()
        assert not pool.runs_here(1.0), "started workers take every unit"
    finally:
        pool.close()
