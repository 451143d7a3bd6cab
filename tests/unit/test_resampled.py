"""A narration block resampled once per process is the block resampled there and then."""

from __future__ import annotations

import numpy as np
import pytest

from claimreel.encode.audio import place_mono_at, resample
from claimreel.pipeline.resampled import resampled


def test_kept_block_is_the_resampled_block_and_placed_the_same():
    rng = np.random.default_rng(5)
    block = (rng.standard_normal(22050) * 0.1).astype(np.float32)
    first = resampled("block-a", block, 22050, 48000)
    again = resampled("block-a", block, 22050, 48000)
    assert again is first and not first.flags.writeable
    assert np.array_equal(first, resample(block, 22050, 48000))
    placed = place_mono_at([(block, 22050, 480)], 96000, 48000)
    assert np.array_equal(place_mono_at([(first, 48000, 480)], 96000, 48000), placed)


def test_a_column_block_is_resampled_as_placing_it_would():
    block = (np.random.default_rng(6).standard_normal((2205, 1)) * 0.1).astype(np.float32)
    kept = resampled("block-b", block, 22050, 48000)
    assert np.array_equal(place_mono_at([(kept, 48000, 0)], 6000, 48000),
                          place_mono_at([(block, 22050, 0)], 6000, 48000))


def test_a_block_is_levelled_to_the_loudness_asked_by_at_most_max_gain_db():
    from claimreel.encode.audio import loudness_of
    from claimreel.pipeline.resampled import MAX_GAIN_DB

    t = np.arange(2 * 22050) / 22050
    block = (0.2 * np.sin(2 * np.pi * 440 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32)
    own = loudness_of(resample(block, 22050, 48000), 48000)
    assert abs(own - -19.0) > 3, "the block must start away from the level"
    levelled = resampled("level-a", block, 22050, 48000, -19.0)
    assert loudness_of(levelled, 48000) == pytest.approx(-19.0, abs=0.01)
    assert resampled("level-a", block, 22050, 48000) is not levelled, "as said, kept apart"
    quiet = resampled("level-b", block * np.float32(0.01), 22050, 48000, -19.0)  # 40 dB down: raised 12
    assert loudness_of(quiet, 48000) == pytest.approx(own - 40 + MAX_GAIN_DB, abs=0.01)
    silent = resampled("level-c", np.zeros(22050, np.float32), 22050, 48000, -19.0)
    assert not silent.any()
