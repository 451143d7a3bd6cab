"""The ffmpeg wrapper without ffmpeg: argument builders, path safety, hints, output parsing.

Runs that need a process use a tiny fake ``ffmpeg`` (a Python script) so the
error and cleanup paths are tested without the real binary.
"""

from __future__ import annotations

import os
import stat
import sys
import textwrap
import time
from fractions import Fraction
from pathlib import Path

import pytest

from claimreel.encode.ffmpeg import ENV_VAR, Ffmpeg, global_args, hint_for, media_path
from claimreel.encode.probe import MediaInfo, parse_info
from claimreel.encode.segments import VideoSettings, concat_args, concat_list, encode_args, mux_args
from claimreel.errors import FFmpegError, RenderError


def test_global_args_quiet_never_interactive_overwrite() -> None:
    assert global_args() == ["-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    assert global_args("info")[-1] == "info"


def test_media_path_makes_leading_dash_safe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert media_path("-evil.mp4") == str(tmp_path / "-evil.mp4")
    assert media_path(Path("-i")) == str(tmp_path / "-i")
    assert media_path("-") == "-"
    assert media_path("pipe:1") == "pipe:1"


def test_encode_args_exact() -> None:
    s = VideoSettings(160, 90, Fraction(30))
    assert encode_args(s, "/out/seg.mp4") == [
        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", "160x90", "-r", "30",
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
        "-i", "-",
        "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20",
        "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-g", "15", "-keyint_min", "15", "-sc_threshold", "0", "-flags", "+cgop",
        "-f", "mp4", "/out/seg.mp4",
    ]


def test_encode_args_tune_threads_and_ntsc_rate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = VideoSettings(1920, 1080, Fraction(30000, 1001), tune="stillimage", threads=2)
    args = encode_args(s, "-seg.mp4")
    assert args[args.index("-r") + 1] == "30000/1001"
    assert args[args.index("-tune") + 1] == "stillimage"
    assert args[args.index("-threads") + 1] == "2"
    assert args[-1] == str(tmp_path / "-seg.mp4")
    assert args[args.index("-g") + 1] == args[args.index("-keyint_min") + 1] == "15"


@pytest.mark.parametrize(("fps", "gop"), [(Fraction(30), 15), (Fraction(24), 12), (Fraction(60), 30),
                                          (Fraction(25), 12), (Fraction(1), 1)])
def test_gop_is_half_a_second(fps: Fraction, gop: int) -> None:
    assert VideoSettings(64, 48, fps).keyint == gop
    assert VideoSettings(64, 48, fps, gop=7).keyint == 7


def test_settings_validate_and_presets() -> None:
    with pytest.raises(ValueError, match="even"):
        VideoSettings(161, 90, Fraction(30))
    with pytest.raises(ValueError, match="fps"):
        VideoSettings(160, 90, Fraction(0))
    assert VideoSettings(160, 90, 30).fps == Fraction(30)  # type: ignore[arg-type]
    assert VideoSettings(160, 90, Fraction(30)).frame_bytes == 160 * 90 * 3 // 2
    d = VideoSettings.delivery(1920, 1080, Fraction(30))
    assert (d.preset, d.crf, d.tune, d.profile, d.pix_fmt) == ("veryfast", 20, "stillimage", "high", "yuv420p")
    p = VideoSettings.preview(960, 540, Fraction(30))
    assert (p.preset, p.crf, p.width) == ("ultrafast", 28, 960)
    assert VideoSettings.preview(960, 540, Fraction(30), crf=30).crf == 30


def test_concat_list_quotes_and_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = concat_list(["/v/a.mp4", "/v/it's here.mp4", "-b.mp4"])
    assert text == textwrap.dedent(f"""\
        file '/v/a.mp4'
        file '/v/it'\\''s here.mp4'
        file '{tmp_path}/-b.mp4'
        """)


def test_concat_list_rejects_line_breaks() -> None:
    with pytest.raises(RenderError, match="line break"):
        concat_list(["/v/a\nb.mp4"])


def test_concat_args_exact() -> None:
    assert concat_args("/w/list.txt", "/w/video.mp4") == [
        "-f", "concat", "-safe", "0", "-i", "/w/list.txt",
        "-map", "0", "-c", "copy", "-f", "mp4", "/w/video.mp4",
    ]


def test_mux_args_exact_aac_once_faststart_never_shortest() -> None:
    args = mux_args("/w/v.mp4", "/w/a.wav", "/w/out.mp4", audio_bitrate="128k")
    assert args == [
        "-i", "/w/v.mp4", "-i", "/w/a.wav", "-map", "0:v:0", "-map", "1:a:0",
        "-c:v", "copy",
        "-c:a", "aac", "-aac_coder", "fast", "-profile:a", "aac_low", "-b:a", "128k", "-ar", "48000", "-ac", "2",
        "-movflags", "+faststart", "-f", "mp4", "/w/out.mp4",
    ]
    assert "-shortest" not in args


@pytest.mark.parametrize(
    ("stderr", "code", "needle"),
    [
        ("av_interleaved_write_frame(): No space left on device", 1, "disk is full"),
        ("Unknown encoder 'libfoo'", 1, "lacks the encoder"),
        ("/x/in.mp4: No such file or directory", 1, "input file exists"),
        ("/x/in.mp4: Invalid data found when processing input", 1, "corrupt"),
        ("", -9, "signal 9"),
        ("something else", 1, "-loglevel info"),
    ],
)
def test_hints(stderr: str, code: int, needle: str) -> None:
    assert needle in hint_for(stderr, code)


def test_binary_resolution_order_and_lazy(monkeypatch: pytest.MonkeyPatch) -> None:
    import imageio_ffmpeg

    calls: list[int] = []

    def fake_exe() -> str:
        calls.append(1)
        return "/wheel/ffmpeg"

    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", fake_exe)
    monkeypatch.delenv(ENV_VAR, raising=False)
    ff = Ffmpeg()
    assert calls == []  # nothing resolved until first use
    assert ff.binary == "/wheel/ffmpeg"
    assert ff.command(["-i", "x"]) == ["/wheel/ffmpeg", *global_args(), "-i", "x"]
    monkeypatch.setenv(ENV_VAR, "/env/ffmpeg")
    assert Ffmpeg().binary == "/env/ffmpeg"
    assert Ffmpeg("/given/ffmpeg").binary == "/given/ffmpeg"


def test_missing_binary_says_how_to_fix(tmp_path: Path) -> None:
    ff = Ffmpeg(str(tmp_path / "no-ffmpeg"))
    with pytest.raises(FFmpegError) as info:
        ff.run(["-version"])
    assert info.value.returncode == 127
    assert "install imageio-ffmpeg" in str(info.value) and ENV_VAR in str(info.value)
    with pytest.raises(FFmpegError, match=ENV_VAR):
        with ff.open_pipe(["-i", "-"]):
            pass


def _fake_ffmpeg(tmp_path: Path, body: str) -> str:
    """An executable that ignores its arguments and runs ``body`` (Python)."""
    path = tmp_path / "fake-ffmpeg"
    path.write_text(f"#!{sys.executable}\nimport sys, time\n{textwrap.dedent(body)}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_failure_carries_stderr_tail_and_hint(tmp_path: Path) -> None:
    ff = Ffmpeg(_fake_ffmpeg(tmp_path, """
        for i in range(30):
            sys.stderr.write(f"line {i}\\n")
        sys.stderr.write("out.mp4: No space left on device\\n")
        sys.exit(1)
    """))
    with pytest.raises(FFmpegError) as info:
        ff.run(["-i", "x", "out.mp4"])
    err = info.value
    assert err.returncode == 1
    assert err.args_used[-3:] == ("-i", "x", "out.mp4")
    assert "line 29" in str(err) and "line 5" not in str(err)  # the tail only
    assert "No space left on device" in str(err)
    assert "hint: the disk is full" in str(err)
    assert err.exit_code == 1


def test_pipe_exit_code_checked_on_close(tmp_path: Path) -> None:
    ff = Ffmpeg(_fake_ffmpeg(tmp_path, """
        data = sys.stdin.buffer.read()
        sys.stderr.write(f"read {len(data)} bytes; Unknown encoder 'x'\\n")
        sys.exit(3)
    """))
    with pytest.raises(FFmpegError) as info:
        with ff.open_pipe([]) as pipe:
            pipe.write(b"abc")
            pipe.write(memoryview(b"defg"))
            assert pipe.bytes_written == 7
    assert info.value.returncode == 3
    assert "read 7 bytes" in str(info.value) and "lacks the encoder" in str(info.value)


def test_pipe_kills_ffmpeg_when_the_block_fails(tmp_path: Path) -> None:
    ff = Ffmpeg(_fake_ffmpeg(tmp_path, "time.sleep(60)"))
    pid = None
    with pytest.raises(KeyError):
        with ff.open_pipe([]) as pipe:
            pid = pipe.pid
            raise KeyError("frame source failed")
    assert pid is not None
    with pytest.raises(ProcessLookupError):  # killed and reaped: no process left
        os.kill(pid, 0)


def test_pipe_reports_ffmpeg_death_not_broken_pipe(tmp_path: Path) -> None:
    ff = Ffmpeg(_fake_ffmpeg(tmp_path, """
        sys.stderr.write("Invalid data found when processing input\\n")
        sys.exit(1)
    """))
    with pytest.raises(FFmpegError, match="corrupt"):
        with ff.open_pipe([]) as pipe:
            for _ in range(200):
                pipe.write(bytes(1 << 16))
                time.sleep(0.001)


FFMPEG_I_OUTPUT = """\
Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/w/video.mp4':
  Metadata:
    major_brand     : isom
  Duration: 00:01:35.53, start: 0.000000, bitrate: 1843 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, smpte170m/bt709/bt709, progressive), 1920x1080 [SAR 1:1 DAR 16:9], 1675 kb/s, 29.97 fps, 29.97 tbr, 30k tbn (default)
    Metadata:
      handler_name    : VideoHandler
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 160 kb/s (default)
At least one output file must be specified
"""  # noqa: E501  (ffmpeg's own line)


def test_parse_info_mp4() -> None:
    assert parse_info(FFMPEG_I_OUTPUT) == MediaInfo(
        duration_s=95.53, video_codec="h264", video_profile="High", width=1920, height=1080,
        fps=Fraction(30000, 1001), pix_fmt="yuv420p", frames=None,
        audio_codec="aac", audio_profile="LC", sample_rate=48000, channels=2,
        field_order="progressive", transfer="bt709", matrix="smpte170m", primaries="bt709", colour_range="tv",
    )


def test_parse_info_colour_written_once() -> None:
    """ffmpeg writes the colour once when matrix, primaries and transfer are the same."""
    line = FFMPEG_I_OUTPUT.replace("smpte170m/bt709/bt709", "bt709")
    info = parse_info(line)
    assert (info.matrix, info.primaries, info.transfer, info.colour_range) == ("bt709", "bt709", "bt709", "tv")
    assert not info.hdr


def test_parse_info_wav_and_cover_art() -> None:
    text = textwrap.dedent("""\
        Input #0, wav, from 'a.wav':
          Duration: 00:00:02.50, bitrate: 3072 kb/s
          Stream #0:0: Audio: pcm_f32le ([3][0][0][0] / 0x0003), 48000 Hz, 1 channels, flt, 1536 kb/s
        """)
    info = parse_info(text)
    assert (info.duration_s, info.audio_codec, info.sample_rate, info.channels) == (2.5, "pcm_f32le", 48000, 1)
    assert info.video_codec is None and info.width is None
    art = "  Duration: N/A\n  Stream #0:1: Video: mjpeg (Baseline), yuvj420p(pc), 600x600, 90k tbr (attached pic)\n"
    assert parse_info(art) == MediaInfo(duration_s=None)


def test_parse_info_reads_where_the_files_timestamps_start() -> None:
    """A clip's in point counts from the file's first timestamp (an MPEG-TS file rarely starts at 0)."""
    ts = FFMPEG_I_OUTPUT.replace("Duration: 00:01:35.53, start: 0.000000", "Duration: 00:01:35.53, start: 1.400000")
    assert parse_info(ts).start_s == 1.4 and parse_info(FFMPEG_I_OUTPUT).start_s == 0.0


def test_a_failure_shows_the_command_it_tells_the_user_to_run_and_where_it_was() -> None:
    import pickle

    error = FFmpegError(["/bin/ffmpeg", "-i", "in put.mp4", "-f", "mp4", "out.mp4"], 235,
                        "Error opening output out.mp4: Is a directory", hint_for("", 235))
    assert "command: /bin/ffmpeg -i 'in put.mp4' -f mp4 out.mp4" in str(error), "quoted as a shell would take it"
    assert "run the command shown" in str(error)
    located = error.located("scene 7 (document), format 9x16, frames 330-359 of 360")
    assert str(located).startswith("scene 7 (document), format 9x16, frames 330-359 of 360: ffmpeg failed (exit 235)")
    assert located.located("elsewhere") is located, "the innermost place is the one named"
    again = pickle.loads(pickle.dumps(located))  # crosses from a worker process to the render
    assert type(again) is FFmpegError and str(again) == str(located) and again.where == located.where
