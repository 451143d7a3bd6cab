"""The time pieces a final soundtrack's AAC is encoded in (no ffmpeg)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pyloudnorm
import pytest

from claimreel.encode.aac_pieces import FRAME, POST_ROLL, PRE_ROLL, adts_frames, gated_loudness, plan
from claimreel.encode.audio import _k_weighted, loudness_of
from claimreel.errors import RenderError


@pytest.mark.parametrize("total", [1, 4800, 76800, 76801, 600_000, 5_726_400, 5_726_401])
def test_pieces_cover_the_mix_in_whole_frames_and_sub_blocks(total):
    spans = plan(total, 48000)
    assert spans[0].start == 0 and spans[-1].stop == total and spans[-1].last
    assert all(a.stop == b.start for a, b in zip(spans, spans[1:]))
    assert all(s.start % 76800 == 0 for s in spans)  # whole AAC frames and 100 ms sub-blocks
    assert all(s.stop - s.start <= 12.8 * 48000 for s in spans)
    lengths = [s.stop - s.start for s in spans[:-1]]
    assert not lengths or max(lengths) - min(lengths) <= 76800  # nearly equal
    for s in spans:
        assert s.slice_start == max(0, s.start - PRE_ROLL * FRAME)
        assert s.slice_stop == (total if s.last else min(total, s.stop + POST_ROLL * FRAME))


def test_the_flagships_length_is_ten_pieces():
    assert len(plan(5_726_400, 48000)) == 10


def test_loudness_gated_from_sub_blocks_is_pyloudnorms():
    rng = np.random.default_rng(3)
    rate = 48000
    n = 20 * rate + 1234
    x = (rng.standard_normal((n, 2)) * np.repeat(np.abs(np.sin(np.arange(n) / rate))[:, None], 2, axis=1) * 0.1)
    x[5 * rate:7 * rate] = 0  # a silence the gate leaves out
    x = x.astype(np.float32)
    weighted = np.stack([_k_weighted(x[:, c], rate) for c in range(2)], axis=1).astype(np.float64)
    count = -(-n // 4800)
    padded = np.zeros((count * 4800, 2))
    padded[:n] = weighted**2
    energies = padded.reshape(count, 4800, 2).sum(axis=1)
    assert abs(gated_loudness(energies, n, rate) - loudness_of(x, rate)) < 0.01
    assert abs(gated_loudness(energies, n, rate) - pyloudnorm.Meter(rate).integrated_loudness(x)) < 0.01


def test_a_damaged_adts_stream_is_refused():
    with pytest.raises(RenderError):
        adts_frames(b"\xff\xf1\x4c\x80\x00\x1f\xfc")  # a frame length of 0
    with pytest.raises(RenderError):
        adts_frames(b"RIFF....")


def _timeline(starts: list[int], total: int):
    from claimreel.timeline.model import Scene, Timeline

    ends = starts[1:] + [total]
    scenes = tuple(Scene(i, "fact", None, a, b, f"s{i}") for i, (a, b) in enumerate(zip(starts, ends)))
    return Timeline(Fraction(30), scenes, (), (), ())


def test_a_scenes_pieces_are_the_same_wherever_it_starts():
    """Pieces start on AAC frames at each scene's start (rounded to a frame); a scene's own pieces,
    counted from that start, have the same lengths wherever the scene falls."""
    from claimreel.pipeline.audio_grid import AudioGrid

    seen = set()
    for shift in range(0, 40):
        grid = AudioGrid.of(_timeline([0, 100 + shift, 900 + shift], 1300 + shift), 48000)
        spans = grid.spans()
        assert spans[0].start == 0 and spans[-1].stop == grid.total
        assert all(a.stop == b.start for a, b in zip(spans, spans[1:]))
        assert all(s.start % FRAME == 0 for s in spans)
        start = grid.starts[1]
        own = tuple((s.start - start, s.stop - start) for s in spans if start <= s.start < start + grid.lengths[1])
        seen.add(own)
        assert grid.at(frame_ms(100 + shift) + 250) == start + 250 * 48, "a sound keeps its offset into its scene"
    assert len(seen) == 1, seen


def frame_ms(frame: int) -> int:
    from claimreel.timeline.model import frame_to_ms

    return frame_to_ms(frame, Fraction(30))


def test_the_limiter_limits_a_sound_the_same_wherever_it_sits():
    from claimreel.encode.limiter import limit_samples as _limit

    rng = np.random.default_rng(3)
    x = (rng.standard_normal((48000 * 6, 1)) * 0.1).astype(np.float32)
    x[::20000] = 0.9  # peaks over the ceiling
    silence = np.zeros((12345, 1), np.float32)
    here, there = _limit(x, 48000, 0.5), _limit(np.concatenate([silence, x]), 48000, 0.5)[len(silence):]
    assert np.array_equal(here, there) and np.abs(here).max() <= 0.5


def test_a_dual_mono_piece_is_measured_on_one_channel_with_the_figures_of_both():
    from claimreel.encode.aac_pieces import Span, _energies, _measure
    from claimreel.encode.audio import _HALF, true_peak_dbtp

    rate = 48000
    t = np.arange(rate * 3) / rate
    voice = (0.9 * np.sin(2 * np.pi * 180 * t) * (np.sin(2 * np.pi * 3 * t) > 0)).astype(np.float32)
    decoded = np.repeat(voice[:, None], 2, axis=1)
    span = Span(FRAME * 10, FRAME * 120, FRAME * 200)
    lo, hi = span.start - span.slice_start, span.stop - span.slice_start
    peak, energies = _measure(decoded, span, rate)
    assert peak == true_peak_dbtp(decoded[lo - _HALF:hi + _HALF])
    assert np.array_equal(energies, _energies(decoded, lo, hi, rate))
    stereo = decoded.copy()
    stereo[:, 1] *= 0.5  # two channels that differ are each measured
    assert np.array_equal(_measure(stereo, span, rate)[1], _energies(stereo, lo, hi, rate))
