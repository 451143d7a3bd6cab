"""A narration block resampled once per process is the block resampled there and then."""

from __future__ import annotations

import numpy as np

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
