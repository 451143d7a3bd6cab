"""Chunk plans: every frame covered once, in order; only whole still GOPs repeat."""

from __future__ import annotations

import pytest

from claimreel.pipeline.segments import Chunk, plan_chunks

N = None


def _expand(chunks: list[Chunk], keys: list[object]) -> list[object]:
    out: list[object] = []
    for c in chunks:
        out += keys[c.start:c.end] * c.repeat
    return out


@pytest.mark.parametrize("keys", [
    [N] * 14 + ["a"] * 50 + ["b"] * 40 + ["c"] * 7 + [N] * 8,
    ["a"] * 100,
    [N] * 30,
    ["a"] * 29 + [N] * 3,
    ["a"] * 45 + ["b"] * 45 + ["c"] * 45,
    [N] * 5 + ["a"] * 30 + [N] * 5 + ["a"] * 31,
])
def test_plan_covers_every_frame_once_in_order(keys):
    chunks = plan_chunks(keys, 15)
    assert sum(c.frames for c in chunks) == len(keys)
    assert chunks[0].start == 0
    pos = 0
    for c in chunks:
        assert c.end > c.start
        if c.repeat > 1:
            assert c.end - c.start == 15
            run = keys[c.start:c.start + 15 * c.repeat]
            assert N not in run and len(set(run)) == 1, "only identical frames repeat"
        pos += c.frames
    assert _expand(chunks, keys) == keys


def test_short_holds_are_encoded_fresh():
    assert plan_chunks(["a"] * 29, 15) == [Chunk(0, 29)]
    assert plan_chunks(["a"] * 30, 15) == [Chunk(0, 15, 2)]


def test_leftovers_join_the_moving_frames_before_the_hold():
    keys = [N] * 14 + ["a"] * 50 + [N] * 8
    assert plan_chunks(keys, 15) == [Chunk(0, 19), Chunk(19, 34, 3), Chunk(64, 72)]


def test_back_to_back_holds_share_one_fresh_chunk_of_leftovers():
    keys = ["a"] * 40 + ["b"] * 40
    assert plan_chunks(keys, 15) == [Chunk(0, 15, 2), Chunk(30, 50), Chunk(50, 65, 2)]
