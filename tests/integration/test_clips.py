"""claimreel's scenes, graphics and captions as moviepy clips, composited and written by moviepy itself."""

from __future__ import annotations

import numpy as np
import pytest

from claimreel.errors import ClaimreelError
from tests.conftest import make_workspace

moviepy = pytest.importorskip("moviepy", reason="moviepy is needed for claimreel.clips")
pytestmark = pytest.mark.integration

from claimreel import clips  # noqa: E402

BACKGROUND = (0, 90, 200)


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    root = tmp_path_factory.mktemp("clips")
    script = make_workspace(root)
    return clips.story(script, "16x9", preview=True, cache=root / "cache")


def _calm(mask: np.ndarray, rgb: np.ndarray, alpha: float) -> tuple[int, int]:
    """A pixel whose 7x7 neighbourhood has mask ``alpha`` everywhere and one colour (no edges)."""
    h, w = mask.shape
    for y in range(3, h - 3, 2):
        for x in range(3, w - 3, 2):
            window = (slice(y - 3, y + 4), slice(x - 3, x + 4))
            if np.all(mask[window] == alpha) and np.all(rgb[window] == rgb[y, x]):
                return y, x
    raise AssertionError(f"no calm pixel with mask {alpha}")


def _decoded_frame(path, index: int) -> np.ndarray:
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    for i, raw in enumerate(reader):
        if i == index:
            reader.close()
            return np.frombuffer(raw, np.uint8).reshape(h, w, 3)
    raise AssertionError(f"{path} has no frame {index}")


def test_a_lower_third_composites_over_a_colour_into_a_real_file(story, tmp_path):
    lower = clips.overlay_clip(story, "1")  # body block 1: the photo, whose caption is a lower third
    x0, y0 = lower.pos(0)
    w, h = lower.size
    assert (x0, y0) != (0, 0) and w < story.size[0] and h < story.size[1] / 3  # cut to what it draws
    t = 1.5  # after the entrance, before the exit
    rgb, mask = lower.get_frame(t), lower.mask.get_frame(t)
    assert mask.shape == (h, w) and mask.max() == 1.0 and mask.min() == 0.0
    values, counts = np.unique(mask[mask > 0], return_counts=True)
    opacity = float(values[counts.argmax()])  # the panel's, translucent over the photo
    assert 0.5 < opacity <= 1.0
    inside = _calm(mask, rgb, opacity)
    clear = _calm(mask, rgb, 0.0)

    background = moviepy.ColorClip(story.size, color=BACKGROUND, duration=2.0)
    video = moviepy.CompositeVideoClip([background, lower.with_duration(2.0)])
    out = tmp_path / "lower-third.mp4"
    video.write_videofile(str(out), fps=story.fps, codec="libx264", audio=False, logger=None)
    frame = _decoded_frame(out, round(t * story.fps))
    assert frame.shape == (story.size[1], story.size[0], 3)
    panel = frame[y0 + inside[0], x0 + inside[1]].astype(int)
    expected = np.array(BACKGROUND) * (1 - opacity) + rgb[inside] * opacity
    assert np.abs(panel - expected).max() <= 12, (panel, expected)
    for y, x in ((y0 + clear[0], x0 + clear[1]), (10, 10), (story.size[1] - 4, story.size[0] - 4)):
        assert np.abs(frame[y, x].astype(int) - BACKGROUND).max() <= 12, (y, x, frame[y, x])


def test_the_verdict_stamp_scales_in_as_in_the_video(story):
    stamp = clips.overlay_clip(story, "verdict", layers=("hero",))
    assert stamp.duration == pytest.approx(story.scene("verdict").frames / story.fps)
    masks = [stamp.mask.get_frame(i / story.fps) for i in (0, 8, 45)]
    cover = [float((m > 0).mean()) for m in masks]
    assert cover[0] == 0.0  # it waits a few frames, then scales in: never a flash
    assert 0 < cover[1] < cover[2] and masks[1].max() < 1.0 and masks[2].max() == 1.0


def test_the_captions_layer_is_what_the_video_burns_in(story):
    scene = story.scene("verdict")
    frames = story.frames(scene)
    shown = next(i for i in range(scene.frames) if frames.caption_state(i) is not None and frames.is_static(i))
    bare = next(i for i in range(scene.frames) if frames.caption_state(i) is None)
    captions = clips.captions_clip(story, scene="verdict")
    burned = clips.scene_clip(story, "verdict")
    plain = clips.scene_clip(story, "verdict", captions=False)
    x0, y0 = captions.pos(0)
    w, h = captions.size
    t = shown / story.fps
    rgb, mask = captions.get_frame(t), captions.mask.get_frame(t)
    area = (slice(y0, y0 + h), slice(x0, x0 + w))
    with_captions, without = burned.get_frame(t).astype(int), plain.get_frame(t).astype(int)
    # the video's frame is the layer laid over the scene (through yuv420p: a few levels off, more at
    # the edges of letters); away from the layer the video shows the scene alone
    covered = mask > 0
    assert covered.sum() > 1000
    laid = without[area] * (1 - mask[..., None]) + rgb.astype(int) * mask[..., None]
    assert np.median(np.abs(with_captions[area][covered] - laid[covered])) <= 3
    away = np.ones(without.shape[:2], bool)
    away[max(y0 - 2, 0):y0 + h + 2, max(x0 - 2, 0):x0 + w + 2] = False
    assert np.abs(with_captions[away] - without[away]).max() <= 2
    assert captions.mask.get_frame(bare / story.fps).max() == 0.0
    assert captions.duration == pytest.approx(scene.frames / story.fps)


def test_a_scene_clip_plays_the_scene_at_the_formats_size_and_rate(story):
    clip = clips.scene_clip(story, 0)
    assert clip.size == story.size and clip.fps == story.fps
    assert clip.duration == pytest.approx(story.scenes[0].frames / story.fps)
    first, middle = clip.get_frame(0), clip.get_frame(clip.duration / 2)
    assert first.shape == (story.size[1], story.size[0], 3) and first.dtype == np.uint8
    assert not np.array_equal(first, middle)  # the title card fades in


@pytest.mark.parametrize("choice, message", [
    ("nonesuch", "unknown scene 'nonesuch'"),
    (99, "scene 99: the video has scenes 0-7"),  # the end card last: the script gives its url
    ("9", "there is no body block 9"),
])
def test_an_unknown_scene_names_the_choices(story, choice, message):
    with pytest.raises(ClaimreelError, match=message) as caught:
        clips.scene_clip(story, choice)
    assert caught.value.exit_code == 2


def test_a_story_is_used_in_its_own_format_only(story):
    assert clips.scene_clip(story, "claim", "16x9").size == story.size
    with pytest.raises(ClaimreelError, match=r"laid out for 16x9, not 9x16; make one with clips.story\(path, '9x16'\)"):
        clips.captions_clip(story, "9x16")


def test_a_scene_clip_speaks_its_narration_where_the_video_does(story, tmp_path):
    from claimreel.encode.ffmpeg import Ffmpeg
    from claimreel.encode.probe import probe
    from claimreel.timeline.model import frame_to_ms

    scene = story.scene("verdict")
    (placed,) = [p for p in story.timeline.audio if p.scene_index == scene.index]
    offset_ms = placed.start_ms - frame_to_ms(scene.start_frame, story.timeline.fps)
    clip = clips.scene_clip(story, "verdict")
    assert clip.audio.duration == pytest.approx(clip.duration)
    rate = clip.audio.fps
    sound = clip.audio.to_soundarray(fps=rate)
    before = sound[: round(offset_ms * rate / 1000) - 10]
    during = sound[round(offset_ms * rate / 1000) + 10: round((offset_ms + placed.duration_ms) * rate / 1000) - 10]
    assert np.abs(before).max() == 0.0 and np.sqrt(np.mean(during ** 2)) > 0.01
    assert clips.scene_clip(story, "verdict", sound=False).audio is None

    out = tmp_path / "verdict.mp4"
    clip.write_videofile(str(out), codec="libx264", audio_codec="aac", temp_audiofile_path=str(tmp_path),
                         logger=None)
    info = probe(Ffmpeg(), out)
    assert (info.width, info.height, info.audio_codec) == (*story.size, "aac")
    assert info.duration_s == pytest.approx(scene.frames / story.fps, abs=0.1)
