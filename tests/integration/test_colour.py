"""Video is BT.709 throughout: every encode path (segments and their pieces, social cuts, footage
clips, previews) converts RGB to YUV with the BT.709 matrix in limited range and tags the stream
bt709 (matrix, primaries, transfer), range tv; a known colour comes back from a BT.709 decode."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from claimreel.cli import main
from claimreel.compose.yuv import planes_to_rgb, solid_planes
from claimreel.encode.clip import ClipRequest, read_frames
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import probe
from claimreel.encode.segments import VideoSettings, encode_segment
from claimreel.publish.vtt import read_vtt
from tests.conftest import SMALL_SCRIPT, make_workspace
from tests.media import make_clip

RED = (200, 16, 46)  # a saturated colour: BT.601 and BT.709 decode it tens of levels apart
RED_BLOCK = """  - type: narration
    narration: The gauges tell the rest.
    background: {color: "#c8102e"}
"""
SCRIPT = SMALL_SCRIPT.replace("credits:\n", RED_BLOCK + "credits:\n", 1) + (
    "cuts:\n  - {name: red-only, scenes: [4]}\n")


@pytest.fixture(scope="module")
def ff() -> Ffmpeg:
    return Ffmpeg()


def decode_as(ff: Ffmpeg, path: Path, seconds: float, matrix: str) -> np.ndarray:
    """The frame at ``seconds`` as RGB, converted with ``matrix`` whatever the file's tags say."""
    info = probe(ff, path)
    out = ff.run(["-ss", f"{seconds:.3f}", "-i", str(path), "-frames:v", "1",
                  "-vf", f"scale=in_color_matrix={matrix}:in_range=tv,format=rgb24",
                  "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]).stdout
    return np.frombuffer(out, np.uint8).reshape(info.height, info.width, 3)


def assert_bt709_tags(ff: Ffmpeg, path: Path) -> None:
    info = probe(ff, path)
    assert (info.matrix, info.primaries, info.transfer, info.colour_range) == ("bt709",) * 3 + ("tv",), path


def patch(rgb: np.ndarray) -> np.ndarray:
    """The mean colour of a patch away from text: the left edge, a third of the way down."""
    h, w = rgb.shape[:2]
    return rgb[h // 3: h // 3 + 8, 4:12].reshape(-1, 3).mean(axis=0)


def test_an_hd_segment_is_bt709_and_its_colour_comes_back(ff, tmp_path):
    settings = VideoSettings.delivery(1920, 1080, Fraction(30))
    out = encode_segment(ff, [solid_planes(1920, 1080, RED).tobytes()] * 15, settings, tmp_path / "red.mp4",
                         expected_frames=15)
    assert_bt709_tags(ff, out)
    assert np.abs(patch(decode_as(ff, out, 0.2, "bt709")) - RED).max() <= 3
    assert np.abs(patch(decode_as(ff, out, 0.2, "bt601")) - RED).max() > 10  # the check tells them apart


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("colour")
    script = make_workspace(tmp_path / "ws", SCRIPT)
    out = tmp_path / "out"
    code = main(["render", str(script), "--preview", "--cuts", "all", "--voice", "fake", "--out", str(out),
                 "--cache", str(tmp_path / "cache"), "--jobs", "2"])
    assert code == 0
    return out / "_previews" / "small-check" / "16x9"


def test_a_render_and_its_cut_are_bt709_and_show_the_script_colour(ff, rendered):
    cut = rendered / "cuts" / "red-only"
    for folder in (rendered, cut):
        assert_bt709_tags(ff, folder / "video.mp4")
    chapters = read_vtt(rendered / "chapters.vtt")
    titles = [c.text.lower() for c in chapters]
    red = chapters[titles.index("credits") - 1]  # the red narration block, last before the credits
    middle = (red.start_ms + red.end_ms) / 2000
    assert np.abs(patch(decode_as(ff, rendered / "video.mp4", middle, "bt709")) - RED).max() <= 3
    # the cut's first scene is the red block
    assert np.abs(patch(decode_as(ff, cut / "video.mp4", 1.0, "bt709")) - RED).max() <= 3


@pytest.mark.parametrize(("size", "tags"), [
    ((640, 360), []),  # untagged SD: taken as BT.601, as players do
    ((1280, 720), []),  # untagged HD: taken as BT.709
    ((1280, 720), ["-colorspace", "smpte170m"]),  # tagged: the tag wins
])
def test_footage_becomes_bt709_frames_of_its_colour(ff, tmp_path, size, tags):
    w, h = size
    matrix = "bt601" if tags or h < 720 else "bt709"
    source = make_clip(tmp_path / "src.mp4", frames=10, size=size, audio=False,
                       rgb=np.full((h, w, 3), RED, np.uint8).tobytes() * 10,
                       codec=("-c:v", "libx264", "-pix_fmt", "yuv420p", "-vf", f"scale=out_color_matrix={matrix}",
                              *tags))
    req = ClipRequest(source, 0.0, 3, 320, 180, Fraction(30))
    frames = list(read_frames(ff, req, probe(ff, source)))
    assert np.abs(patch(planes_to_rgb(bytes(frames[1]), 320, 180)) - RED).max() <= 3
