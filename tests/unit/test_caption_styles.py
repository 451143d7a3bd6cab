"""Burned-in captions: the frames show the files' lines, the highlight follows the audio, speakers, placement."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.ndimage import maximum_filter1d

from claimreel.captions.linebreak import break_lines
from claimreel.compose.frames import SceneFrames
from claimreel.encode.audio import place
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.errors import ClaimreelError
from claimreel.pipeline.encoding import _keyed_segment_jobs
from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions
from claimreel.layout.captions import caption_bottom, caption_elements
from claimreel.layout.elements import SceneLayout, TextEl
from claimreel.layout.formats import Box, get_format
from claimreel.layout.theme import load_theme
from claimreel.publish.srt import read_srt, srt_text
from claimreel.publish.vtt import read_vtt, vtt_text
from claimreel.script.load import load_script
from claimreel.timeline.model import frame_to_ms

from ..conftest import make_workspace

TEXT_ROLES = ("caption", "caption-run", "caption-word")


def shown_lines(elements) -> tuple[str, ...]:
    """The caption rows as drawn: text runs joined left to right, rows top to bottom."""
    rows: dict[int, list[TextEl]] = {}
    for el in elements:
        if isinstance(el, TextEl) and el.role in TEXT_ROLES:
            rows.setdefault(el.box.y, []).append(el)
    return tuple("".join(e.lines[0] for e in sorted(row, key=lambda e: e.box.x)) for _, row in sorted(rows.items()))


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("styles")
    script = make_workspace(workspace)
    text = script.read_text().replace("intro: A quick check.",
                                      "intro: A quick check of what the mayor of Testville said about the river "
                                      "on the last day of April, and what the records show.")
    script.write_text(text)
    options = RenderOptions(cache=workspace / "cache")
    prep = prepare(script, options)
    # one job per scene (the pieces of a scene differ only in their span)
    jobs = [job for job, _ in _keyed_segment_jobs(prep, prep.formats[0], workspace / "seg", options, Ffmpeg())
            if job.span is None or job.span[0] == 0]
    return prep, jobs, workspace


@pytest.mark.parametrize("style", ["boxed", "outlined", "highlight"])
def test_burned_in_frames_show_the_same_lines_as_the_files(prepared, style, tmp_path):
    prep, jobs, _ = prepared
    timeline = prep.timelines["16x9"]
    (tmp_path / "c.srt").write_text(srt_text(timeline.cues), encoding="utf-8")
    (tmp_path / "c.vtt").write_text(vtt_text(timeline.cues), encoding="utf-8")
    srt = read_srt(tmp_path / "c.srt")
    vtt = read_vtt(tmp_path / "c.vtt")
    theme = dataclasses.replace(prep.theme, caption_style=style)
    seen = []
    for job in jobs:
        frames = SceneFrames(job.layout, job.fmt, theme, prep.book, job.frames, job.cues)
        for i in range(job.frames):
            state = frames.caption_state(i)
            if state is None:
                continue
            elements = frames.caption_layout(state)
            lines = shown_lines(elements)
            if not seen or seen[-1] != lines:
                seen.append(lines)
            tags = [e.lines[0] for e in elements if isinstance(e, TextEl) and e.role == "caption-speaker"]
            assert tags == ([job.cues[state[0]].speaker.upper()] if job.cues[state[0]].speaker else [])
    assert len(timeline.cues) >= 6 and any(len(c.lines) == 2 for c in timeline.cues)
    assert seen == [c.lines for c in timeline.cues]
    assert [c.lines for c in vtt] == seen
    labelled = [(("Ana Ruiz: " + c.lines[0],) + c.lines[1:]) if c.speaker else c.lines for c in timeline.cues]
    assert [c.lines for c in srt] == labelled
    assert [c.speaker for c in vtt] == [c.speaker for c in timeline.cues]


def test_word_highlight_follows_the_audio(prepared):
    prep, jobs, _ = prepared
    timeline = prep.timelines["16x9"]
    fps = timeline.fps
    speech = {p.scene_index: (prep.speeches[p.scene_index][0], p.start_ms) for p in timeline.audio}
    mixed = place([(s.samples, s.sample_rate, start) for s, start in speech.values()], timeline.duration_ms)
    # The fake engine says each word as a tone with silence between: sound onsets are word starts.
    loud = maximum_filter1d(np.abs(mixed[:, 0]), 480) > 0.02  # 10 ms envelope
    onsets = (np.flatnonzero(loud[1:] & ~loud[:-1]) + 1) / 48 + 5  # ms, undoing the filter's lead
    theme = dataclasses.replace(prep.theme, caption_style="highlight")
    checked = 0
    for job, scene in zip(jobs, timeline.scenes):
        frames = SceneFrames(job.layout, job.fmt, theme, prep.book, job.frames, job.cues)
        last = None
        for i in range(job.frames):
            state = frames.caption_state(i)
            if state is None or state == last:
                continue
            last = state
            k, word = state
            if i == 0:
                continue  # a cue carried over from the previous scene: no new word here
            lit = [e.lines[0] for e in frames.caption_layout(state) if getattr(e, "role", "") == "caption-word"]
            cue = job.cues[k]
            if word is None:
                continue
            assert lit == [" ".join(cue.lines).split(" ")[word]]
            # The highlight changes on the frame the word's sound starts (within one frame).
            ms = frame_to_ms(scene.start_frame + i, fps)
            onset_ms = onsets[np.argmin(np.abs(onsets - ms))]
            assert abs(onset_ms - ms) <= 1000 / float(fps) + 6, (lit, ms, onset_ms)
            checked += 1
    assert checked >= 30


def test_highlight_states_are_cached_per_word(prepared):
    prep, jobs, _ = prepared
    theme = dataclasses.replace(prep.theme, caption_style="highlight")
    job = next(j for j in jobs if j.cues and len(j.cues[0].words) > 3)
    frames = SceneFrames(job.layout, job.fmt, theme, prep.book, job.frames, job.cues)
    out = list(frames)
    states = {frames.caption_state(i) for i in range(job.frames)} - {None}
    assert len(frames._cue_layers) == len(states) > 3
    static = [i for i in range(job.frames) if frames.is_static(i)]
    assert len({id(out[i]) for i in static}) <= len(states) + 1


def test_captions_move_up_off_on_screen_text():
    fmt = get_format("16x9")
    theme = load_theme("default")
    from claimreel.layout.text import FontBook

    book = FontBook(theme.fonts)
    caption = caption_elements(("Two lines of", "caption text here."), fmt, theme, book)
    low = max(e.box.y + e.box.h for e in caption)
    note = TextEl(Box(700, low - 30, 500, 40), ("Source: a lower-screen note",), "regular", 30, 40, "#ffffff")
    layout = SceneLayout("narration", "#000000", (note,))
    bottom = caption_bottom(layout, fmt, caption)
    moved = caption_elements(("Two lines of", "caption text here."), fmt, theme, book, bottom=bottom)
    assert bottom < note.box.y
    assert not any(e.box.intersects(note.box) for e in moved)
    assert all(fmt.safe.contains(e.box) for e in moved)
    clear = SceneLayout("narration", "#000000", ())
    assert caption_bottom(clear, fmt, caption) == low
    # Text that fills the frame: the caption cannot escape the safe area, so it stays put.
    wall = TextEl(Box(0, fmt.safe.y, fmt.width, fmt.safe.h), ("x",), "regular", 30, 40, "#ffffff")
    assert caption_bottom(SceneLayout("narration", "#000000", (wall,)), fmt, caption) == low


def test_unknown_caption_style_is_a_theme_error(tmp_path):
    folder = tmp_path / "loud"
    folder.mkdir()
    src = load_theme("default").folder / "theme.yaml"
    text = src.read_text().replace("caption_style: boxed", "caption_style: karaoke")
    text = text.replace("../../fonts/", str(src.parent.parent.parent / "fonts") + "/")
    (folder / "theme.yaml").write_text(text)
    with pytest.raises(ClaimreelError, match="caption_style"):
        load_theme("loud", tmp_path)


def test_no_orphan_first_line():
    lines = break_lines("It relied on official Chinese documents, research,", 42, 2)
    assert lines is not None and len(lines) == 2
    assert min(map(len, lines)) * 3 >= max(map(len, lines)), lines


def test_read_aloud_quote_is_the_speakers_words(workspace):
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text().replace(
        "    attribution: A witness\n", "    attribution: A witness\n    speaker: Jo Park\n"
        "    read_aloud: true\n"))
    prep = prepare(script, RenderOptions(cache=workspace / "cache"))
    cues = prep.timelines["16x9"].cues
    assert [(c.text, c.speaker) for c in cues if c.speaker] == [
        ("The river is dry.", "Ana Ruiz"), ("It was flowing.", "Jo Park")]
    assert "<v Jo Park>It was flowing." in vtt_text(cues)
    script.write_text(script.read_text().replace("read_aloud: true\n", "read_aloud: true\n    narration: Hi.\n"))
    with pytest.raises(ClaimreelError, match="either narration or read_aloud"):
        load_script(script)
