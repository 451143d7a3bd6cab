"""Progress in logs: a status line at least every 5 s with stage, percent and time left."""

from __future__ import annotations

import io

from claimreel.pipeline.progress import LineProgress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_status_line_every_five_seconds_while_work_runs():
    clock, out = Clock(), io.StringIO()
    progress = LineProgress(out, clock, heartbeat=False)
    progress.start("video 16x9", 20)
    clock.now += 4.9
    progress.tick()
    assert out.getvalue().splitlines() == ["[    0.0s] video 16x9: 0/20"]  # not yet 5 s
    clock.now += 0.1
    progress.tick()
    assert out.getvalue().splitlines()[-1] == "[    5.0s] video 16x9: 0/20 (0%), time left not known yet"
    progress.advance("video 16x9", 5)  # 5 of 20 in 5 s: 15 s left at that pace
    clock.now += 5
    progress.tick()
    assert out.getvalue().splitlines()[-1] == "[   10.0s] video 16x9: 5/20 (25%), about 30 s left"
    progress.start("narration", 4)
    progress.advance("narration", 4)
    clock.now += 4
    progress.tick()  # the stage lines just written reset the 5 s
    assert out.getvalue().splitlines()[-1] == "[   10.0s] narration: done (4)"
    clock.now += 1
    progress.advance("video 16x9", 10)
    clock.now += 70
    progress.tick()
    assert out.getvalue().splitlines()[-1] == "[   85.0s] video 16x9: 15/20 (75%), about 28 s left"
    progress.start("audio", 1)
    clock.now += 200
    progress.tick()
    assert out.getvalue().splitlines()[-1].endswith("audio: 0/1 (0%), time left not known yet")
    assert "video 16x9: 15/20 (75%), about 1 min 35 s left" in out.getvalue().splitlines()[-1]
    progress.advance("audio")
    progress.advance("video 16x9", 5)
    clock.now += 60
    before = out.getvalue()
    progress.tick()  # nothing under way: silence is fine
    assert out.getvalue() == before and before.splitlines()[-1] == "[  285.0s] video 16x9: done (20)"
    progress.close()


def test_the_heartbeat_thread_stops_on_close():
    progress = LineProgress(io.StringIO())
    assert progress.thread is not None and progress.thread.is_alive()
    progress.close()
    assert not progress.thread.is_alive()


def test_a_status_line_names_three_stages_and_counts_the_rest():
    clock, out = Clock(), io.StringIO()
    progress = LineProgress(out, clock, heartbeat=False)
    for name in ("video 16x9", "video 9x16", "cut a 16x9", "cut a 9x16", "cut b 16x9"):
        progress.start(name, 4)
    clock.now += 5
    progress.tick()
    line = out.getvalue().splitlines()[-1]
    assert line.count("(0%)") == 3 and line.endswith("; 2 more under way"), line
