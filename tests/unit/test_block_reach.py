"""The limiter's per-block reach is the running maximum it stands for, block by block."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from claimreel.encode.audio import _BLOCK, _HALF, _abs_max_columns, _block_reach


def _reference(x: np.ndarray) -> np.ndarray:
    reach = ndimage.maximum_filter1d(_abs_max_columns(x), 2 * _HALF + 1, mode="constant")
    n_blocks = -(-len(x) // _BLOCK)
    padded = np.zeros(n_blocks * _BLOCK, np.float32)
    padded[: len(x)] = reach
    return padded.reshape(n_blocks, _BLOCK).max(axis=1)


@pytest.mark.parametrize("length", [1, _HALF, _BLOCK - 1, _BLOCK, _BLOCK + 3, 5 * _BLOCK + 17, 48000])
@pytest.mark.parametrize("channels", [1, 2])
def test_block_reach_is_the_running_maximum_per_block(length, channels):
    rng = np.random.default_rng(length * channels)
    x = (rng.standard_normal((length, channels)) * 0.1).astype(np.float32)
    # Lone peaks just either side of block edges: each must reach the neighbouring block.
    for edge in range(_BLOCK, length, _BLOCK):
        x[edge - _HALF, 0] = 0.9
        x[min(edge + _HALF - 1, length - 1), -1] = -0.95
    assert np.array_equal(_block_reach(x), _reference(x))


def test_a_peak_one_sample_too_far_does_not_reach():
    x = np.zeros((3 * _BLOCK, 1), np.float32)
    x[_BLOCK + _HALF, 0] = 1.0  # the interpolator of block 0 sees up to _BLOCK + _HALF - 1
    assert _block_reach(x).tolist() == [0.0, 1.0, 0.0]
    x[_BLOCK + _HALF - 1, 0] = 0.5
    assert _block_reach(x).tolist() == [0.5, 1.0, 0.0]


def test_blocks_oversampled_in_one_run_are_each_block_oversampled_alone():
    from claimreel.encode.audio import _block_envelope, _runs

    rng = np.random.default_rng(7)
    for length, channels in ((5 * _BLOCK + 17, 1), (3 * _BLOCK, 2), (_BLOCK - 5, 1)):
        x = (rng.standard_normal((length, channels)) * 0.3).astype(np.float32)
        blocks = -(-length // _BLOCK)
        whole = _block_envelope(x, 0, blocks)
        alone = np.concatenate([_block_envelope(x, b) for b in range(blocks)])
        assert np.array_equal(whole, alone)
    assert _runs(np.array([0, 1, 2, 5, 6, 9])) == [(0, 3), (5, 7), (9, 10)]
    assert _runs(np.arange(70)) == [(0, 32), (32, 64), (64, 70)]
