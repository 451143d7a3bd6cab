"""How an attempt's end is classified: one pure function decides retry-or-not and the message."""

from __future__ import annotations

import errno
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool

import pytest

from claimreel.errors import (AssetError, FFmpegError, OutputLocked, QueueError, RenderError, ScriptError,
                              TaskCancelled)
from claimreel.jobs.outcome import classify, disk_full

FFMPEG = FFmpegError(["ffmpeg", "-i", "x.png"], 1, "x.png: Invalid data found when processing input",
                     "check the image")


def _chained(outer: BaseException, cause: BaseException) -> BaseException:
    try:
        try:
            raise cause
        except BaseException as inner:
            raise outer from inner
    except BaseException as caught:
        return caught


class KilledWorker(Exception):  # Dask's, by name: the classifier imports no Dask
    pass


@pytest.mark.parametrize("exc", [
    FFMPEG, ScriptError([]), AssetError(__import__("pathlib").Path("photo.jpg"), "not an image", "export it as JPEG"), RenderError("the narration failed"),
    ValueError("a bug"),
])
def test_what_the_same_input_repeats_is_not_tried_again(exc):
    outcome = classify(exc)
    assert (outcome.kind, outcome.retry) == ("failed", False)


@pytest.mark.parametrize("exc, message", [
    (BrokenProcessPool("A child process terminated abruptly"), "a worker process died (out of memory, or killed)"),
    (RuntimeError("cannot schedule new futures after shutdown"), "the worker pool was shut down under the render"),
    (CancelledError(), "the worker pool was shut down under the render"),
    (QueueError("q.db: the queue database stayed locked"), "q.db: the queue database stayed locked"),
    (OutputLocked(__import__("pathlib").Path("out/x")), None),
    (FFmpegError(["ffmpeg"], -9, ""), "ffmpeg was killed (exit -9; out of memory, or stopped from outside)"),
    (KilledWorker("task x"), "KilledWorker: task x"),
    (MemoryError(), "out of memory"),
])
def test_what_a_retry_can_fix_is_tried_again(exc, message):
    outcome = classify(exc)
    assert (outcome.kind, outcome.retry) == ("failed", True)
    assert message is None or outcome.message == message


def test_the_ffmpeg_message_is_kept_whole_and_no_internal_error_leaks():
    assert classify(FFMPEG).message == str(FFMPEG)
    # the pool died under an attempt the runner itself stopped: that is what is said, never the pool's error
    for raised in (RuntimeError("cannot schedule new futures after shutdown"), BrokenProcessPool("x"), FFMPEG):
        assert classify(raised, cancelled=True).message == "cancelled; the previous output is intact"
        stopped = classify(raised, stopped="the runner got SIGTERM")
        assert (stopped.kind, stopped.retry, stopped.message) == ("released", True, "the runner got SIGTERM")
        lost = classify(raised, lease_lost=True)
        assert lost.kind == "lost" and "cannot schedule" not in lost.message
    assert classify(ValueError("a bug")).message.startswith("internal error: ValueError: a bug;")


def test_cancelled_is_cancelled_however_the_render_ended():
    assert classify(TaskCancelled("task 3 was cancelled")).kind == "cancelled"
    assert classify(BrokenProcessPool("x"), cancelled=True).kind == "cancelled"
    assert classify(BrokenProcessPool("x"), cancelled=True).retry is False


def test_a_full_disk_is_found_anywhere_in_the_chain_and_says_what_to_free():
    exc = _chained(RenderError("writing the segment failed"), OSError(errno.ENOSPC, "No space left on device"))
    assert disk_full(exc) == "[Errno 28] No space left on device"
    outcome = classify(exc, out="render/out/x", cache="render/cache")
    assert (outcome.kind, outcome.retry) == ("failed", False)
    assert outcome.message == ("the disk is full ([Errno 28] No space left on device); free some space where "
                               "render/out/x or render/cache lives and `claimreel jobs retry` the job; the previous "
                               "output is intact")
    said = FFmpegError(["ffmpeg"], 1, "av_interleaved_write_frame(): No space left on device")
    assert disk_full(said) == "av_interleaved_write_frame(): No space left on device"
    assert disk_full(FFMPEG) is None


def test_no_message_promises_another_attempt():
    for exc in (BrokenProcessPool("x"), RuntimeError("cannot schedule new futures after shutdown"), FFMPEG,
                MemoryError(), QueueError("busy")):
        assert "tried again" not in classify(exc).message


def test_an_error_raised_while_unwinding_from_the_real_one_does_not_hide_it():
    hidden = _chained(RuntimeError("cannot schedule new futures after shutdown"), FFMPEG)
    outcome = classify(hidden)
    assert (outcome.kind, outcome.retry, outcome.message) == ("failed", False, str(FFMPEG))
    context = RuntimeError("cannot schedule new futures after shutdown")
    context.__context__ = FFMPEG  # raised in an except block, without "from"
    assert classify(context).message == str(FFMPEG)
