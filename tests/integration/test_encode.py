"""The encode stage end to end with the real ffmpeg, on tiny generated media.

Audio placement and loudness need no ffmpeg; those tests are not marked
integration and run with the unit tests.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from scipy import signal
from scipy.io import wavfile

from claimreel.compose.yuv import solid_planes
from claimreel.encode.audio import place, true_peak_dbtp, write_wav
from claimreel.encode.levelling import normalize
from claimreel.encode.limiter import limit_samples
from claimreel.encode.draft import DraftLevels, level_and_encode
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import count_frames, decode_frames, probe
from claimreel.encode.segments import VideoSettings, concat_segments, encode_parts, encode_segment, mux
from claimreel.errors import FFmpegError, RenderError

W, H = 160, 90
FPS = Fraction(30)
RED, BLUE = (220, 40, 40), (30, 60, 200)


@pytest.fixture(scope="module")
def ff() -> Ffmpeg:
    return Ffmpeg()


def i420(rgb: tuple[int, int, int], w: int = W, h: int = H) -> bytes:
    """A frame of one colour, converted as the render converts its frames (BT.709, limited range)."""
    return solid_planes(w, h, rgb).tobytes()


def reference_true_peak(x: np.ndarray) -> float:
    """An independent 4x-oversampled true peak (scipy's polyphase resampler)."""
    return 20 * math.log10(float(np.abs(signal.resample_poly(x, 4, 1, axis=0)).max()))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- video: segments, concat, mux, probe ------------------------------------------------


@pytest.mark.integration
def test_segments_concat_mux_probe(ff: Ffmpeg, tmp_path: Path) -> None:
    settings = VideoSettings(W, H, FPS)
    red, blue = i420(RED), i420(BLUE)
    a = encode_segment(ff, (red for _ in range(30)), settings, tmp_path / "a.mp4", expected_frames=30)
    b = encode_segment(ff, [blue] * 45, settings, tmp_path / "it's b.mp4", expected_frames=45)
    video = concat_segments(ff, [a, b], tmp_path / "video.mp4")

    total_ms = 2500
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(2 * 44100) / 44100)).astype(np.float32)
    track, report = normalize(place([(tone, 44100, 250)], total_ms), 48000)
    wav = write_wav(track, 48000, tmp_path / "audio.wav")
    out = mux(ff, video, wav, tmp_path / "final.mp4")

    info = probe(ff, out, with_frame_count=True)
    assert (info.video_codec, info.video_profile, info.pix_fmt) == ("h264", "High", "yuv420p")
    assert (info.width, info.height, info.fps) == (W, H, FPS)
    assert info.frames == 75 == count_frames(ff, out)  # packets and decoded frames agree
    assert (info.audio_codec, info.audio_profile, info.sample_rate, info.channels) == ("aac", "LC", 48000, 2)
    assert info.duration_s == pytest.approx(2.5, abs=0.05)
    assert abs(report.integrated_lufs + 16) < 0.5

    frames = decode_frames(ff, out, [0, 29, 30, 74, 2.0])
    for frame, colour in zip(frames, [RED, RED, BLUE, BLUE, BLUE], strict=True):
        assert frame.shape == (H, W, 3)
        assert np.abs(frame.reshape(-1, 3).mean(axis=0) - colour).max() < 3, (frame[0, 0], colour)
    assert leftovers(tmp_path) == []  # temp names and the concat list are gone


@pytest.mark.integration
def test_parts_from_one_encoder_start_on_keyframes_and_join(ff: Ffmpeg, tmp_path: Path) -> None:
    settings = VideoSettings(W, H, FPS)
    lengths = [7, 15, 4]  # a lead-in, one GOP to be repeated, leftovers
    colours = [RED, BLUE, RED]
    frames = [i420(c) for c, n in zip(colours, lengths) for _ in range(n)]
    folder = tmp_path / "parts"
    folder.mkdir()
    parts = encode_parts(ff, iter(frames), settings, folder, lengths=lengths)
    assert [count_frames(ff, p) for p in parts] == lengths
    for part in parts:  # each part opens on a keyframe, so it plays on its own and can be repeated
        packets = ff.run(["-i", str(part), "-map", "0:v:0", "-c", "copy", "-f", "framecrc", "pipe:1"]).stdout
        first = next(line for line in packets.decode("ascii").splitlines() if line.startswith("0,"))
        assert "F=" not in first, f"{part.name} does not start with a keyframe: {first}"  # flags shown unless key
    video = concat_segments(ff, [parts[0], parts[1], parts[1], parts[2]], tmp_path / "video.mp4")
    assert count_frames(ff, video) == 7 + 30 + 4
    got = decode_frames(ff, video, [0, 6, 7, 21, 22, 36, 37, 40])
    for frame, colour in zip(got, [RED, RED, BLUE, BLUE, BLUE, BLUE, RED, RED], strict=True):
        assert np.abs(frame.reshape(-1, 3).mean(axis=0) - colour).max() < 3


@pytest.mark.integration
def test_one_part_is_a_file_in_the_folder_like_any_other(ff: Ffmpeg, tmp_path: Path) -> None:
    """A unit that is one still GOP repeated (a long page hold) asks for a single part: no split
    point for the segment muxer, and still a part in the folder to repeat."""
    settings = VideoSettings(W, H, FPS)
    folder = tmp_path / "parts"
    folder.mkdir()
    parts = encode_parts(ff, iter([i420(BLUE)] * 15), settings, folder, lengths=[15])
    assert [p.parent for p in parts] == [folder] and [count_frames(ff, p) for p in parts] == [15]
    video = concat_segments(ff, parts * 3, tmp_path / "video.mp4")
    assert count_frames(ff, video) == 45


@pytest.mark.integration
def test_mux_keeps_every_frame_and_audio_spans_the_video(ff: Ffmpeg, tmp_path: Path) -> None:
    settings = VideoSettings.preview(W, H, FPS)
    video = encode_segment(ff, [i420(RED)] * 60, settings, tmp_path / "v.mp4", expected_frames=60)
    noise = np.random.default_rng(0).uniform(-0.1, 0.1, (96000, 2)).astype(np.float32)
    wav = write_wav(noise, 48000, tmp_path / "a.wav", dtype="int16")
    out = mux(ff, video, wav, tmp_path / "out.mp4", audio_bitrate="96k")
    assert count_frames(ff, out) == 60
    # decode the audio back: as long as the video (the encoder's priming is trimmed), within 1 ms
    pcm = ff.run(["-i", str(out), "-map", "0:a:0", "-f", "f32le", "-ac", "2", "-ar", "48000", "pipe:1"]).stdout
    assert abs(len(pcm) // 8 - 96000) <= 48


@pytest.mark.integration
def test_leading_dash_path_is_a_file_not_an_option(
    ff: Ffmpeg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = VideoSettings(64, 48, FPS)
    encode_segment(ff, [i420(RED, 64, 48)] * 5, settings, "-y.mp4", expected_frames=5)
    concat_segments(ff, ["-y.mp4", "-y.mp4"], "-i.mp4")
    assert count_frames(ff, "-i.mp4") == 10


@pytest.mark.integration
@pytest.mark.parametrize("count", [4, 6])
def test_wrong_frame_count_fails_and_leaves_nothing(ff: Ffmpeg, tmp_path: Path, count: int) -> None:
    settings = VideoSettings(64, 48, FPS)
    with pytest.raises(RenderError, match="expected 5" if count == 4 else "more than the 5"):
        encode_segment(ff, [i420(RED, 64, 48)] * count, settings, tmp_path / "s.mp4", expected_frames=5)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.integration
def test_wrong_frame_size_fails(ff: Ffmpeg, tmp_path: Path) -> None:
    settings = VideoSettings(64, 48, FPS)
    frames = [i420(RED, 64, 48), i420(RED, 64, 48)[:-1]]
    with pytest.raises(RenderError, match="frame 1 has 4607 bytes, expected 4608"):
        encode_segment(ff, frames, settings, tmp_path / "s.mp4", expected_frames=2)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.integration
def test_corrupt_input_raises_ffmpeg_error_with_stderr(ff: Ffmpeg, tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 8)
    with pytest.raises(FFmpegError) as info:
        count_frames(ff, bad)
    assert str(bad) in info.value.stderr_tail
    assert "ffmpeg failed (exit" in str(info.value) and "hint:" in str(info.value)
    with pytest.raises(FFmpegError, match="(?s)No such file.*hint: check that the input file exists"):
        probe(ff, tmp_path / "missing.mp4")


@pytest.mark.integration
def test_bad_argument_raises_ffmpeg_error(ff: Ffmpeg, tmp_path: Path) -> None:
    with pytest.raises(FFmpegError) as info:
        ff.run(["-f", "lavfi", "-i", "color=c=red:s=64x48:d=0.1", "-c:v", "no_such_encoder", str(tmp_path / "x.mp4")])
    assert "no_such_encoder" in info.value.stderr_tail
    assert "lacks the encoder" in str(info.value)


# --- audio: placement, loudness, WAV (no ffmpeg) ----------------------------------------


def test_place_puts_clips_at_their_sample_and_fades_edges() -> None:
    rate = 22050
    clip = np.full(rate // 2, 0.5, np.float32)  # 500 ms of DC: any missing fade shows as a step
    out = place([(clip, rate, 1000), (clip, rate, 1250), (clip, rate, 2800)], 3000)
    assert out.shape == (144000, 2) and out.dtype == np.float32
    assert np.array_equal(out[:, 0], out[:, 1])
    mono = out[:, 0]
    assert not mono[:48000].any()
    assert mono[48000 + 240 : 60000].mean() == pytest.approx(0.5, abs=1e-3)  # first clip alone
    assert mono[60000 + 240 : 72000 - 240].mean() == pytest.approx(1.0, abs=1e-3)  # overlap adds
    assert not mono[84000:134400].any()
    assert np.abs(np.diff(mono)).max() < 0.01  # 5 ms fades: no step anywhere, even at the cut end
    assert mono[-1] < 0.01  # the clip past the end is cut with a fade


def test_place_resamples_to_exact_length() -> None:
    tone = np.sin(2 * np.pi * 1000 * np.arange(16000) / 16000).astype(np.float32)
    out = place([(tone, 16000, 0)], 1000)
    spectrum = np.abs(np.fft.rfft(out[:, 0]))
    assert out.shape == (48000, 2)
    assert np.argmax(spectrum) == 1000  # 1 Hz bins over 1 s: the tone kept its pitch


def test_place_100s_is_fast() -> None:
    import time

    clips = [(np.random.default_rng(i).uniform(-0.3, 0.3, 22050 * 4).astype(np.float32), 22050, i * 5000)
             for i in range(20)]
    start = time.perf_counter()
    out = place(clips, 100_000)
    assert out.shape == (4_800_000, 2)
    assert time.perf_counter() - start < 2.0


def speechy(seconds: float, rate: int = 48000, seed: int = 1) -> np.ndarray:
    """Bursts of filtered noise and a voiced tone with sharp onsets: a high crest factor."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    voiced = np.sin(2 * np.pi * 140 * t) + 0.5 * np.sin(2 * np.pi * 280 * t) + 0.3 * np.sin(2 * np.pi * 2100 * t)
    noise = signal.lfilter([1.0], [1.0, -0.7], rng.standard_normal(n))
    syllables = (np.sin(2 * np.pi * 4 * t) > 0.2) * rng.uniform(0.2, 1.0, n // 4800 + 1).repeat(4800)[:n]
    x = (0.6 * voiced + 0.2 * noise) * syllables
    x[rng.integers(0, n, 40)] += rng.choice([-1.0, 1.0], 40) * 2.5  # clicks well above the rest
    left = x * 0.04
    right = np.roll(x, 37) * 0.03
    return np.stack([left, right], axis=1).astype(np.float32)


def test_normalize_hits_target_and_true_peak_ceiling() -> None:
    x = speechy(8.0)
    meter = pyloudnorm.Meter(48000)
    plain_gain = -16 - meter.integrated_loudness(x.astype(np.float64))
    assert plain_gain > 10  # quiet input: needs a lot of gain
    assert reference_true_peak(x) + plain_gain > 3  # a plain gain would clip: the limiter must work

    y, report = normalize(x, 48000)
    measured = meter.integrated_loudness(y.astype(np.float64))
    assert abs(measured + 16) <= 0.5
    assert reference_true_peak(y) <= -1.0
    assert report.integrated_lufs == pytest.approx(measured, abs=0.01)
    assert report.true_peak_dbtp == pytest.approx(reference_true_peak(y), abs=0.02)
    assert report.true_peak_dbtp <= -1.0
    assert report.gain_db == pytest.approx(measured - meter.integrated_loudness(x.astype(np.float64)), abs=0.01)
    assert y.shape == x.shape and y.dtype == np.float32


def test_normalize_dual_mono_on_one_channel_matches_the_stereo_path() -> None:
    mono = speechy(8.0)[:, 0]
    both = np.stack([mono, mono], axis=1)
    nudged = both.copy()
    nudged[0, 1] += 1e-7  # no longer identical channels: measured and limited as stereo
    y, report = normalize(both, 48000)
    ref, ref_report = normalize(nudged, 48000)
    assert y.shape == both.shape and np.array_equal(y[:, 0], y[:, 1])
    assert report.integrated_lufs == pytest.approx(ref_report.integrated_lufs, abs=0.01)
    assert report.integrated_lufs == pytest.approx(-16.0, abs=0.05)
    assert report.true_peak_dbtp == pytest.approx(ref_report.true_peak_dbtp, abs=0.01)
    assert np.abs(y - ref).max() < 1e-3
    meter = pyloudnorm.Meter(48000)
    assert meter.integrated_loudness(y.astype(np.float64)) == pytest.approx(report.integrated_lufs, abs=0.01)


def test_normalize_is_one_gain_then_the_limiter_once_whatever_the_tries() -> None:
    """A programme the limiter takes under the target is made up for it by trying a larger gain on the
    programme itself: the result is the programme times the gain found, limited once (so it depends on
    that gain alone), and the gain is a whole number of steps."""
    x = speechy(8.0)
    first = round((-16.0 - pyloudnorm.Meter(48000).integrated_loudness(x.astype(np.float64))) / 0.1) * 0.1
    y, report = normalize(x, 48000, step_db=0.1)
    assert report.applied_db > first + 0.05, "limited and made up: the test needs a make-up"
    assert abs(report.applied_db * 10 - round(report.applied_db * 10)) < 1e-9
    ceiling = 10 ** ((-1.0 - 0.05) / 20)  # normalize's default true peak, less its margin
    once = limit_samples(x * np.float32(10 ** (report.applied_db / 20)), 48000, ceiling)
    assert np.array_equal(y, once)
    assert report.integrated_lufs == pytest.approx(-16.0, abs=0.05)


def test_normalize_with_another_tracks_gain_applies_it_and_the_limiter() -> None:
    """A track given another's gain gets that gain, then the limiter, whatever its own loudness: where
    its samples are the other's, so is the result."""
    x = speechy(8.0)
    y, report = normalize(x, 48000, step_db=0.1)
    louder = x.copy()
    louder[len(x) // 2:] *= 1.5  # its second half differs, and the whole is louder
    z, other = normalize(louder, 48000, step_db=0.1, gain_db=report.applied_db)
    assert other.applied_db == report.applied_db and other.integrated_lufs > report.integrated_lufs + 0.5
    first = slice(0, len(x) // 2 - 4800)  # clear of the limiter's reach across the change
    assert np.array_equal(z[first], y[first])


def test_normalize_quiet_peaks_is_a_plain_gain() -> None:
    t = np.arange(48000 * 3) / 48000
    x = (0.05 * np.sin(2 * np.pi * 997 * t)).astype(np.float32)
    x = np.stack([x, x], axis=1)
    y, report = normalize(x, 48000, target_lufs=-20.0)
    ratio = y[1000:-1000, 0] / np.where(x[1000:-1000, 0] == 0, 1, x[1000:-1000, 0])
    nonzero = np.abs(x[1000:-1000, 0]) > 1e-3
    assert np.ptp(ratio[nonzero]) < 1e-4  # same gain everywhere: the limiter stayed out
    assert report.integrated_lufs == pytest.approx(-20.0, abs=0.05)
    assert report.true_peak_dbtp < -1.0


def test_normalize_silence_and_short_audio() -> None:
    silent = np.zeros((4800, 2), np.float32)
    y, report = normalize(silent, 48000)
    assert not y.any() and report.integrated_lufs == -math.inf and report.gain_db == 0.0
    blip = (0.5 * np.sin(2 * np.pi * 440 * np.arange(9600) / 48000)).astype(np.float32)  # 0.2 s, mono
    y, report = normalize(blip, 48000)
    assert y.shape == blip.shape
    assert abs(report.integrated_lufs + 16) < 0.5 and report.true_peak_dbtp <= -1.0


def test_true_peak_sees_intersample_peaks() -> None:
    n = np.arange(4800)
    x = (0.5 * np.sin(2 * np.pi * 12000 * n / 48000 + np.pi / 4)).astype(np.float32)  # samples at 0.354
    assert 20 * math.log10(np.abs(x).max()) == pytest.approx(-9.03, abs=0.01)
    assert true_peak_dbtp(x) == pytest.approx(reference_true_peak(x[:, None]), abs=0.01)
    assert true_peak_dbtp(x) > -6.1  # the real peak, 3 dB above the samples


def test_write_wav_float_and_int16_atomically(tmp_path: Path) -> None:
    x = np.stack([np.linspace(-1, 1, 480), np.linspace(1, -1, 480)], axis=1).astype(np.float32)
    rate, data = wavfile.read(write_wav(x, 48000, tmp_path / "f.wav"))
    assert rate == 48000 and data.dtype == np.float32 and np.array_equal(data, x)
    rate, data = wavfile.read(write_wav(x, 48000, tmp_path / "i.wav", dtype="int16"))
    assert data.dtype == np.int16 and data[0, 0] == -32767 and data[0, 1] == 32767
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.wav", "i.wav"]
    with pytest.raises(ValueError, match="int16"):
        write_wav(x, 48000, tmp_path / "x.wav", dtype="int8")


@pytest.mark.integration
@pytest.mark.parametrize("rate", [22050, 24000])  # a draft: the speech's own rate, or 24 kHz
def test_a_draft_soundtrack_is_levelled_by_ffmpeg_to_the_target(ff: Ffmpeg, tmp_path: Path, rate: int) -> None:
    """ffmpeg measures, levels and limits a draft: decoded and measured here (pyloudnorm, 4x true
    peak), the AAC sits at the target within half a LU and under the ceiling, as reported."""
    x = signal.resample_poly(speechy(8.0), rate, 48000, axis=0).astype(np.float32)
    out = tmp_path / "draft.m4a"
    levels = level_and_encode(ff, x, rate, out, target_lufs=-16.0, ceiling_dbtp=-1.0, bitrate="48k")
    assert levels.integrated_lufs == pytest.approx(-16.0, abs=0.5)
    assert levels.true_peak_dbtp <= -1.0 and levels.gain_db > 10  # the quiet input needed a lot of gain
    info = probe(ff, out)
    assert (info.audio_codec, info.sample_rate, info.channels) == ("aac", rate, 2)
    pcm = ff.run(["-i", str(out), "-f", "f32le", "-ac", "2", "-ar", str(rate), "pipe:1"]).stdout
    decoded = np.frombuffer(pcm, "<f4").reshape(-1, 2).astype(np.float64)
    measured = pyloudnorm.Meter(rate).integrated_loudness(decoded)
    # 48 kbps AAC drops some of this test signal's broadband noise above ~10 kHz (real speech has
    # little there): within the web profile's +-1 LU of what went in
    assert measured == pytest.approx(levels.integrated_lufs, abs=1.0)
    assert reference_true_peak(decoded) <= -0.5  # AAC adds a little to what went in
    assert leftovers(tmp_path) == []


@pytest.mark.integration
def test_a_silent_draft_soundtrack_is_encoded_without_gain(ff: Ffmpeg, tmp_path: Path) -> None:
    levels = level_and_encode(ff, np.zeros((24000, 2), np.float32), 24000, tmp_path / "quiet.m4a",
                              target_lufs=-16.0, ceiling_dbtp=-1.0, bitrate="48k")
    assert levels == DraftLevels(-math.inf, -math.inf, 0.0)
    assert probe(ff, tmp_path / "quiet.m4a").audio_codec == "aac"
