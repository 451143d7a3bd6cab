"""The pieces' loudness figures kept on disk are the figures measured, and only reused for the same slice."""

from __future__ import annotations

import numpy as np

from claimreel.encode.aac_pieces import plan, span_energies
from claimreel.pipeline.piece_measures import measured_energies

RATE = 48000


def _mix(seconds: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(seconds * RATE)) * 0.1).astype(np.float32)


def test_kept_figures_are_the_measured_ones_and_reused(tmp_path):
    samples = _mix(30.0, 1)
    spans = plan(len(samples), RATE)
    measured = span_energies(samples, spans, RATE)
    first = measured_energies(samples, spans, RATE, tmp_path)
    kept = sorted(tmp_path.glob("*.npy"))
    assert len(kept) == len(spans)
    stamps = [p.stat().st_mtime_ns for p in kept]
    again = measured_energies(samples, spans, RATE, tmp_path)
    assert [p.stat().st_mtime_ns for p in sorted(tmp_path.glob("*.npy"))] == stamps  # read, not written
    for a, b, c in zip(measured, first, again):
        assert np.array_equal(a, b) and np.array_equal(a, c)


def test_a_changed_slice_is_measured_again(tmp_path):
    samples = _mix(30.0, 2)
    spans = plan(len(samples), RATE)
    measured_energies(samples, spans, RATE, tmp_path)
    edited = samples.copy()
    edited[RATE * 20:RATE * 21] *= 2  # inside the last piece (and the pre-roll of none before it)
    got = measured_energies(edited, spans, RATE, tmp_path)
    want = span_energies(edited, spans, RATE)
    assert all(np.array_equal(a, b) for a, b in zip(got, want))
    assert len(list(tmp_path.glob("*.npy"))) > len(spans)


def test_a_damaged_entry_is_measured_again(tmp_path):
    samples = _mix(10.0, 3)
    spans = plan(len(samples), RATE)
    measured_energies(samples, spans, RATE, tmp_path)
    for path in tmp_path.glob("*.npy"):
        path.write_bytes(b"not an array")
    got = measured_energies(samples, spans, RATE, tmp_path)
    assert all(np.array_equal(a, b) for a, b in zip(got, span_energies(samples, spans, RATE)))
