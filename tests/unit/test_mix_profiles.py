"""Music bed looping and ducking, and the loudness profiles, on synthetic signals."""

from __future__ import annotations

import math

import numpy as np
import pytest
import yaml

from claimreel.encode.audio import true_peak_dbtp
from claimreel.encode.levelling import normalize
from claimreel.encode.mix import (ATTACK_MS, RELEASE_MS, BedSettings, bed_track, duck_curve, loudness_of, mix_with_bed,
                                  under_speech)
from claimreel.encode.profiles import BUILTIN, load_profile, profile_roots
from claimreel.errors import ClaimreelError

from ..conftest import REPO

RATE = 48000


def tone(seconds: float, freq: float, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    x = (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return np.stack([x, x], axis=1)


def test_bed_loops_to_length_without_a_gap_and_fades_at_the_ends():
    bed = tone(4.0, 220.0)
    out = bed_track(bed, 11 * RATE, RATE)
    assert out.shape == (11 * RATE, 2)
    assert np.abs(out[:10]).max() < 1e-3 and np.abs(out[-10:]).max() < 1e-3  # faded in and out
    middle = out[2 * RATE : 8 * RATE, 0]
    window = RATE // 20
    rms = np.sqrt((middle[: len(middle) // window * window].reshape(-1, window) ** 2).mean(axis=1))
    assert rms.min() > 0.5 * rms.max()  # no hole at the loop seams


def test_a_sound_under_part_of_the_narration_is_measured_against_the_narration_it_plays_under():
    """A clip's sound playing under the quiet half of the narration is 20 dB under that half, and the
    loud half elsewhere does not make it look quieter."""
    speech = np.zeros((12 * RATE, 2), np.float32)
    speech[1 * RATE : 5 * RATE] = tone(4.0, 300.0, 0.6)  # loud, and no clip under it
    speech[7 * RATE : 11 * RATE] = tone(4.0, 300.0, 0.06)  # 20 dB quieter
    clip = np.zeros_like(speech)
    clip[7 * RATE : 11 * RATE] = tone(4.0, 300.0, 0.006)  # 20 dB under the quiet half
    level = under_speech(speech, clip, RATE, [(1000, 5000), (7000, 11000)])
    assert level == pytest.approx(-20.0, abs=0.1)
    assert under_speech(speech, np.zeros_like(speech), RATE, [(1000, 5000)]) == -math.inf


def test_duck_curve_ramps_smoothly_around_speech():
    d = duck_curve(10 * RATE, RATE, [(2000, 5000)])
    assert d[int(2.0 * RATE) : int(5.0 * RATE)].min() == 1.0
    assert d[: int((2000 - ATTACK_MS) * RATE / 1000) - 1].max() == 0.0
    assert d[int((5000 + RELEASE_MS) * RATE / 1000) + 1 :].max() == 0.0
    assert np.abs(np.diff(d)).max() < 5.0 / (ATTACK_MS * RATE / 1000)  # no step anywhere


def test_music_sits_at_least_20_db_under_speech_and_rises_between():
    speech = np.zeros((12 * RATE, 2), np.float32)
    speech[2 * RATE : 6 * RATE] = tone(4.0, 300.0)
    speech[8 * RATE : 11 * RATE] = tone(3.0, 350.0)
    spans = [(2000, 6000), (8000, 11000)]
    mixed, report = mix_with_bed(speech, RATE, tone(5.0, 110.0, 0.2), spans, BedSettings(-14.0, -26.0))
    assert -28.0 <= report.music_under_speech_db <= -25.5  # -26 set; the end fade-out lowers it a little
    music = mixed - speech
    under = loudness_of(music[3 * RATE : 5 * RATE], RATE) - loudness_of(speech[3 * RATE : 5 * RATE], RATE)
    between = loudness_of(music[int(6.75 * RATE) : int(7.65 * RATE)], RATE)
    assert under <= -20.0
    assert between - loudness_of(music[3 * RATE : 5 * RATE], RATE) == pytest.approx(12.0, abs=0.5)


def test_shipped_profile_files_match_the_built_in_numbers():
    files = sorted((REPO / "render" / "profiles").glob("*.yaml"))
    assert {f.stem for f in files} == set(BUILTIN)
    for f in files:
        data = yaml.safe_load(f.read_text())
        profile = load_profile(f.stem)
        assert profile == BUILTIN[f.stem]
        assert data["integrated_lufs"] == profile.integrated_lufs


def test_unknown_profile_is_an_input_error(tmp_path):
    with pytest.raises(ClaimreelError, match="unknown loudness profile 'radio'.*web") as info:
        load_profile("radio", profile_roots(tmp_path))
    assert info.value.exit_code == 2


def test_workspace_profile_overrides(tmp_path):
    (tmp_path / "render" / "profiles").mkdir(parents=True)
    (tmp_path / "render" / "profiles" / "web.yaml").write_text(
        "name: web\nintegrated_lufs: -18\ntrue_peak_dbtp: -1.5\n")
    assert load_profile(None, profile_roots(tmp_path)).integrated_lufs == -18.0


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_normalize_meets_every_profile(name):
    profile = BUILTIN[name]
    rng = np.random.default_rng(1)
    x = tone(6.0, 440.0, 0.05) * (1 + rng.normal(0, 0.3, (6 * RATE, 1))).astype(np.float32)
    x[RATE : RATE + 100] = 0.9  # a transient the limiter has to catch
    y, report = normalize(x, RATE, profile.integrated_lufs, profile.true_peak_dbtp)
    assert abs(loudness_of(y, RATE) - profile.integrated_lufs) <= profile.tolerance_lu
    assert true_peak_dbtp(y) <= profile.true_peak_dbtp
    assert math.isclose(report.integrated_lufs, loudness_of(y, RATE), abs_tol=0.1)


def test_block_joins_do_not_click():
    """Clips that start and stop at full level (a cut recording) are faded in and out over 5 ms."""
    from claimreel.encode.audio import place

    loud = np.full(RATE // 2, 0.5, np.float32)  # worst case: a step at both edges
    mixed = place([(loud, RATE, 100), (loud, RATE, 600), (loud[: RATE // 4], 24000, 1300)], 2000)
    assert np.abs(np.diff(mixed[:, 0])).max() < 0.5 / 100  # a ramp of ~240 samples, never a 0.5 step


@pytest.mark.parametrize("rate", [48000, 44100, 22050])
@pytest.mark.parametrize("shape", ["mono", "stereo", "dual mono", "shorter than a block"])
def test_loudness_matches_pyloudnorm(rate, shape):
    """The one-pass K-weighting gives pyloudnorm's own measurement, for every layout of channels."""
    import pyloudnorm

    rng = np.random.default_rng(7)
    speech_like = rng.standard_normal((rate * 6, 2)).astype(np.float32) * np.float32(0.1)
    speech_like[rate : 2 * rate] *= np.float32(0.01)  # a quiet second, so the gates have work to do
    x = {"mono": speech_like[:, 0], "stereo": speech_like, "dual mono": speech_like[:, [0, 0]],
         "shorter than a block": speech_like[: rate // 10, 0]}[shape]
    reference = x.astype(np.float64)
    need = math.ceil(0.4 * rate) + 1
    if len(reference) < need:
        reference = np.resize(reference, (need,) + reference.shape[1:])
    expected = pyloudnorm.Meter(rate).integrated_loudness(reference)
    assert loudness_of(x, rate) == pytest.approx(expected, abs=1e-5)
