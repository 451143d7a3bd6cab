"""Clip scenes on tiny generated footage: exactly the asked frames, whatever the input's rate,
rotation, pixel shape, interlacing or bit depth; overlays composited on every frame; and the
segment cache keeps a clip from being decoded again when the script changes elsewhere."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from claimreel.compose.footage import Footage
from claimreel.compose.frames import SceneFrames
from claimreel.encode.clip import ClipRequest, clip_args, read_frames
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import probe
from claimreel.layout.elements import Clip
from claimreel.layout.formats import get_format
from claimreel.layout.scenes import SceneContext, layout_scene
from claimreel.pipeline.checks import check_script
from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions
from claimreel.script.load import load_script

from ..conftest import SMALL_SCRIPT
from ..media import frame_index, make_clip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def ff() -> Ffmpeg:
    return Ffmpeg()


def _y_planes(frames: list[bytes], w: int, h: int) -> list[np.ndarray]:
    return [np.frombuffer(f, np.uint8)[: w * h].reshape(h, w) for f in frames]


def _decode(ff: Ffmpeg, path: Path, start: float, count: int, size=(32, 24), fps=Fraction(25)) -> list[bytes]:
    req = ClipRequest(path, start, count, size[0], size[1], fps)
    return list(read_frames(ff, req, probe(ff, path)))


def test_range_is_decoded_frame_exactly(ff, tmp_path):
    clip = make_clip(tmp_path / "n.mp4", frames=50)
    frames = _decode(ff, clip, 1.2, 10)
    assert [frame_index(y) for y in _y_planes(frames, 32, 24)] == list(range(30, 40))
    # at another output rate, each output frame shows the source frame on screen at its time
    frames = _decode(ff, clip, 0.4, 6, fps=Fraction(50))
    assert [frame_index(y) for y in _y_planes(frames, 32, 24)] == [10, 10, 11, 11, 12, 12]


def test_variable_frame_rate_is_made_constant(ff, tmp_path):
    # 25 fps for a second, then every frame held twice as long (12.5 fps)
    clip = make_clip(tmp_path / "vfr.mkv", frames=40, audio=False,
                     extra=["-vf", "setpts='if(lt(N,25),N,25+(N-25)*2)/25/TB'", "-fps_mode", "vfr"])
    frames = _decode(ff, clip, 0.8, 14)
    seen = [frame_index(y) for y in _y_planes(frames, 32, 24)]
    # one output frame per 1/25 s: each source frame once while the source runs at 25 fps, then
    # held (repeated) once it slows down, none skipped
    assert seen[:6] == [20, 21, 22, 23, 24, 25], seen
    assert seen == sorted(seen) and set(seen) == set(range(20, 30)), seen


SOURCES = {  # name: source rate, and the extra arguments that make the clip
    "24": (24, ()), "25": (25, ()), "30000/1001": ("30000/1001", ()), "50": (50, ()), "60": (60, ()),
    "vfr": (25, ("-vf", "setpts='if(lt(N,25),N,25+(N-25)*2)/25/TB'", "-fps_mode", "vfr")),
}


@pytest.mark.parametrize("source", list(SOURCES))
def test_footage_decoded_from_any_frame_gives_the_frames_decoded_from_the_start(ff, tmp_path, source):
    """A clip scene encoded in pieces decodes from each piece's first frame: whatever the source's
    rate, those frames are the ones the decode from the scene's start gives (the source frame showing
    at a piece's start may come from before it; the rounding of each source frame to an output frame
    must not depend on where the decode started)."""
    rate, extra = SOURCES[source]
    clip = make_clip(tmp_path / f"c.{'mkv' if extra else 'mp4'}", frames=150, fps=rate,  # type: ignore[arg-type]
                     audio=False, extra=extra)
    for start in (0.0, 0.37, 0.5):
        whole = Footage(Clip(clip, start, start + 1.5), 32, 24, Fraction(30), ff)
        frames = [bytes(whole.frame_bytes(i)) for i in range(whole.frames)]
        whole.close()
        for first in (1, 4, 15, 22, 30, 44):
            piece = Footage(Clip(clip, start, start + 1.5), 32, 24, Fraction(30), ff)
            try:
                got = [bytes(piece.frame_bytes(i)) for i in range(first, min(first + 3, piece.frames))]
            finally:
                piece.close()
            shown = [frame_index(y) for y in _y_planes(got, 32, 24)]
            expected = [frame_index(y) for y in _y_planes(frames[first:first + 3], 32, 24)]
            assert shown == expected and got == frames[first:first + 3], (start, first)


def _split(size=(64, 48)) -> bytes:
    """One frame: the top quarter green, the rest grey; the left half of the rest red."""
    w, h = size
    img = np.full((h, w, 3), 128, np.uint8)
    img[:, : w // 2] = (200, 30, 30)
    img[: h // 4] = (30, 200, 30)
    return img.tobytes() * 10


def _rgb(frame: bytes, w: int, h: int) -> np.ndarray:
    from claimreel.compose.yuv import planes_to_rgb

    return planes_to_rgb(frame, w, h)


def test_rotation_metadata_is_applied(ff, tmp_path):
    plain = make_clip(tmp_path / "plain.mp4", frames=10, audio=False, rgb=_split())
    turned = tmp_path / "turned.mp4"
    ff.run(["-display_rotation", "90", "-i", str(plain), "-c", "copy", str(turned)])
    info = probe(ff, turned)
    assert info.rotation in (90, 270) and info.display_size == (48, 64)
    # a 48x64 canvas takes the turned picture whole: the green band is now down one side
    rgb = _rgb(_decode(ff, turned, 0, 1, size=(48, 64))[0], 48, 64)
    green = (rgb[..., 1] > 150) & (rgb[..., 0] < 100)
    columns = green.mean(axis=0)
    assert columns.max() > 0.9 and (columns[:8].mean() > 0.9 or columns[-8:].mean() > 0.9)


def test_non_square_pixels_are_stretched(ff, tmp_path):
    anamorphic = make_clip(tmp_path / "sar.mp4", frames=10, audio=False, rgb=_split(),
                           extra=["-vf", "setsar=2/1"])
    info = probe(ff, anamorphic)
    assert info.sar == 2 and info.display_size == (128, 48)
    # shown 128x48, it fills a 64x24 canvas exactly: the green top quarter is all there
    rgb = _rgb(_decode(ff, anamorphic, 0, 1, size=(64, 24))[0], 64, 24)
    assert rgb[1, 40, 1] > 150 and rgb[1, 40, 0] < 100  # green at the top
    assert rgb[20, 10, 0] > 150  # red lower left


def test_interlaced_input_is_deinterlaced(ff, tmp_path):
    clip = make_clip(tmp_path / "i.mp4", frames=50, audio=False,
                     extra=["-vf", "tinterlace=interleave_top,fieldorder=tff", "-flags", "+ilme+ildct"])
    info = probe(ff, clip)
    assert info.interlaced
    req = ClipRequest(clip, 0.0, 5, 32, 24, Fraction(25))
    assert any(f.startswith("bwdif=") for f in clip_args(req, info)[clip_args(req, info).index("-vf") + 1].split(","))
    assert len(list(read_frames(ff, req, info))) == 5


def test_ten_bit_and_hdr_become_8_bit_sdr(ff, tmp_path):
    ten = make_clip(tmp_path / "ten.mkv", frames=25, audio=False,
                    codec=("-c:v", "libx265", "-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error"))
    assert probe(ff, ten).pix_fmt == "yuv420p10le"
    seen = [frame_index(y) for y in _y_planes(_decode(ff, ten, 0.4, 3), 32, 24)]
    assert seen == [10, 11, 12]
    hdr = make_clip(tmp_path / "hdr.mkv", frames=25, audio=False,
                    extra=["-vf", "setparams=color_trc=smpte2084:color_primaries=bt2020:colorspace=bt2020nc"],
                    codec=("-c:v", "libx265", "-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error"))
    info = probe(ff, hdr)
    assert info.hdr, info
    req = ClipRequest(hdr, 0.0, 2, 32, 24, Fraction(25))
    assert "tonemap=tonemap=hable" in " ".join(clip_args(req, info))
    frames = list(read_frames(ff, req, info))
    y = _y_planes(frames, 32, 24)[0]
    assert 16 <= y.min() and y.max() <= 235 and len(frames) == 2


def test_a_clip_scene_composites_its_overlays_on_the_footage(ff, workspace: Path, tmp_path):
    make_clip(workspace / "assets" / "clips" / "n.mp4", frames=55, size=(320, 180))
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(SMALL_SCRIPT.replace("credits:\n", CLIP_BLOCK + "credits:\n", 1))
    loaded = load_script(script)
    theme, book = check_script(loaded)
    fmt = get_format("16x9").preview()
    ctx = SceneContext(loaded.script, fmt, theme, book, loaded.assets, loaded.script.body[3], 3, "clip")
    layout = layout_scene("clip", ctx)
    assert layout.clip == Clip(loaded.assets["assets/clips/n.mp4"], 0.5, 2.0, (0.5, 0.5), "under")
    frames = SceneFrames(layout, fmt, theme, book, 60, ffmpeg=ff)
    try:
        shown = [frames.frame_bytes(i) for i in range(60)]
        still = frames.still_jpeg()
    finally:
        frames.close()
    w, h = fmt.width, fmt.height
    ys = _y_planes(shown, w, h)
    # the footage (25 fps source, 30 fps scene): the source frame on screen at 0.5 s + i / 30; from
    # the clip's end (1.5 s, 45 frames) on, its last frame holds (frames before 12 fade in)
    corner = lambda y: y[h // 3: h // 2, w - w // 5:]  # noqa: E731  (clear of the panel and the mark)
    assert [frame_index(corner(ys[i])) for i in (12, 20, 44, 59)] == [22, 29, 49, 49]
    # the lower third is drawn over it on every frame, in the panel's colour
    panel = next(e for e in layout.elements if e.role == "lower-third").box
    rgb = _rgb(shown[30], w, h)
    Image.fromarray(rgb).save(tmp_path / "clip-frame.png")
    inside = rgb[panel.y + panel.h // 2, panel.x + panel.w - 4]
    assert abs(int(inside[2]) - int(inside[0])) > 10  # the panel's navy, not the grey footage
    assert Image.open(__import__("io").BytesIO(still)).size == (w, h)


CLIP_BLOCK = """\
  - type: clip
    file: assets/clips/n.mp4
    start: 0.5
    end: "00:00:02.000"
    caption: Grey frames
    credit: Test footage
    description: Frames getting lighter one step at a time.
"""


def test_an_edit_elsewhere_does_not_decode_the_clip_again(workspace: Path):
    make_clip(workspace / "assets" / "clips" / "n.mp4", frames=55, size=(320, 180))
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(SMALL_SCRIPT.replace("credits:\n", CLIP_BLOCK + "credits:\n", 1))
    options = RenderOptions(out=workspace / "out", cache=workspace / "cache", preview=True, jobs=1,
                            voice="fake")
    first = render(script, options)
    assert first.segments_cached == 0
    # another quote: only that scene is encoded again, the clip's segment comes from the cache
    script.write_text(script.read_text().replace("text: It was flowing.", "text: It was still flowing."))
    second = render(script, options)
    assert (second.segments_encoded, second.segments_cached) == (1, len(second.timeline.scenes) - 1)
    # a new range of the same file is a new segment
    script.write_text(script.read_text().replace('end: "00:00:02.000"', 'end: "00:00:02.100"'))
    third = render(script, options)
    assert third.segments_encoded >= 1
    clip = next(s for s in third.timeline.scenes if s.kind == "clip")
    assert clip.frames >= round(1.6 * 30)
    # so is the same range of a changed file (the key holds the file's content hash)
    make_clip(workspace / "assets" / "clips" / "n.mp4", frames=70, size=(320, 180), fps=30)
    fourth = render(script, options)
    assert fourth.segments_encoded == 1
    shutil.rmtree(workspace / "out")


CLAIM_FOOTAGE = """\
  clip:
    file: assets/clips/n.mp4
    start: 0.2
    end: 2.0
    audio: full
    transcript:
      - {text: "El río está seco.", start: 0.2, end: 1.6, speaker: Ana Ruiz}
    translation:
      - {text: "The river is dry.", start: 0.2, end: 1.6, speaker: Ana Ruiz}
"""


def test_claimant_footage_with_its_speech_captioned_and_transcribed(workspace: Path):
    make_clip(workspace / "assets" / "clips" / "n.mp4", frames=55, size=(320, 180))
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(SMALL_SCRIPT.replace("  date: 2024-04-30\n", "  date: 2024-04-30\n" + CLAIM_FOOTAGE, 1))
    options = RenderOptions(out=workspace / "out", cache=workspace / "cache", preview=True, jobs=1,
                            voice="fake")
    result = render(script, options)
    folder = result.folder
    srt = (folder / "16x9" / "captions.srt").read_text()
    assert "Ana Ruiz: The river is dry." in srt  # the translation, with the speaker's name
    transcript = (folder / "transcript.txt").read_text()
    assert "Ana Ruiz (in the clip): El río está seco." in transcript
    assert "Translation (Ana Ruiz): The river is dry." in transcript
    assert "Footage of Ana Ruiz" in transcript
    html = (folder / "16x9" / "index.html").read_text()
    assert "El río está seco." in html and "The river is dry." in html
    claim = result.timeline.scenes[1]
    # the 1.8 s of footage, its last frame held to the shortest a scene may be (3 s)
    assert claim.kind == "claim" and claim.frames == 3 * 30


def test_hdr_fallback_without_tone_mapping_filters_still_decodes(ff, tmp_path):
    """An ffmpeg without zscale/tonemap converts HDR with the colorspace filter instead."""
    hdr = make_clip(tmp_path / "hdr.mkv", frames=10, audio=False,
                    extra=["-vf", "setparams=color_trc=smpte2084:color_primaries=bt2020:colorspace=bt2020nc"],
                    codec=("-c:v", "libx265", "-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error"))
    req = ClipRequest(hdr, 0.0, 3, 32, 24, Fraction(25))
    args = clip_args(req, probe(ff, hdr), tonemap=False)
    assert "colorspace=all=bt709:iall=bt2020:fast=1" in args[args.index("-vf") + 1]
    assert len(ff.run(args).stdout) == 3 * 32 * 24 * 3 // 2
