"""An edit re-encodes only what it touched, and the warm result is the cold one.

A card edited to hold longer moves every later scene; a narration edit changes one scene's speech.
The soundtrack's AAC pieces are keyed on their own samples and sit on each scene's AAC frame grid, so
only the pieces of the edited scene (and the end of the mix, whose length follows the video's) are
encoded again; the joined soundtrack is byte for byte the one a cold render of the edited script makes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.profiles import load_profile
from claimreel.pipeline.encoding import segment_jobs
from claimreel.pipeline.mixdown import Soundtrack
from claimreel.pipeline.piece_store import piece_key, soundtrack_piece
from claimreel.pipeline.soundtrack_store import soundtrack
from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions

from ..conftest import SMALL_SCRIPT, make_workspace

pytestmark = pytest.mark.integration

QUOTE = ("text: It was flowing.\n",
         "text: It was flowing all day, past the old mill, under both bridges and out to the sea.\n")
NARRATION = ("narration: Flow fell later.\n", "narration: Flow fell much later.\n")


def _track(prepared, measures: Path | None = None) -> Soundtrack:
    fmt = prepared.formats[0]
    return Soundtrack(prepared.timelines[fmt.name], prepared.speeches, prepared.script.music, prepared.music,
                      prepared.profile or load_profile(None), clip_files=prepared.loaded.assets, measures=measures)


class Edit:
    """One script before and after an edit, prepared, with their soundtracks made in one cache."""

    def __init__(self, root: Path, old: str, new: str, voice: str = "fake") -> None:
        assert old in SMALL_SCRIPT
        text = SMALL_SCRIPT.replace("voice: {engine: fake}", f"voice: {{engine: {voice}}}")
        self.ffmpeg = Ffmpeg()
        self.script = make_workspace(root)
        self.script.write_text(text, encoding="utf-8")
        self.options = RenderOptions(out=root / "out", cache=root / "cache", formats=("16x9",))
        self.before = prepare(self.script, self.options)
        self.script.write_text(text.replace(old, new), encoding="utf-8")
        self.after = prepare(self.script, self.options)

    def pieces(self, prepared) -> list[tuple[str, object]]:
        """Each piece of the main soundtrack: its key and span."""
        track = _track(prepared)
        mix = track.mix(self.ffmpeg)
        return [(piece_key(job, self.ffmpeg.version()), job.span) for job in track.pieces(mix)]

    def segments(self, prepared) -> set[str]:
        return {job.out_path.name for job in segment_jobs(prepared, prepared.formats[0], self.options, self.ffmpeg)}


@pytest.fixture(scope="module")
def quote_edit(tmp_path_factory) -> Edit:
    return Edit(tmp_path_factory.mktemp("quote-edit"), *QUOTE)


@pytest.fixture(scope="module")
def spoken_quote_edit(tmp_path_factory) -> Edit:
    """The quote edit said by a real voice (eSpeak NG): its descriptions' loudness is speech's."""
    return Edit(tmp_path_factory.mktemp("spoken-quote-edit"), *QUOTE, voice="espeak")


@pytest.fixture(scope="module")
def narration_edit(tmp_path_factory) -> Edit:
    return Edit(tmp_path_factory.mktemp("narration-edit"), *NARRATION)


def _scene(prepared, kind: str):
    return next(s for s in prepared.timelines["16x9"].scenes if s.kind == kind)


def _touched(edit: Edit, kind: str) -> tuple[set, set]:
    """The spans of the pieces the edit made new, and the spans it should have: the edited scene's own
    pieces, and the mix's last piece."""
    before = {key for key, _ in edit.pieces(edit.before)}
    after = edit.pieces(edit.after)
    new = {(span.start, span.stop) for key, span in after if key not in before}
    grid = _track(edit.after).grid(48000)
    scene = _scene(edit.after, kind)
    position = edit.after.timelines["16x9"].scenes.index(scene)
    lo, hi = grid.starts[position], grid.starts[position] + grid.lengths[position]
    expected = {(span.start, span.stop) for _, span in after if lo <= span.start < hi or span.last}
    return new, expected


def test_a_card_held_longer_reencodes_only_its_own_pieces(quote_edit):
    before, after = quote_edit.before.timelines["16x9"], quote_edit.after.timelines["16x9"]
    assert after.total_frames > before.total_frames, "the longer quote holds its card longer"
    moved = [s for s in after.scenes if s.start_frame != before.scenes[s.index].start_frame]
    assert len(moved) >= 2, "every scene after the quote moved"
    new, expected = _touched(quote_edit, "quote")
    assert new == expected and len(new) <= 3, f"re-encoded {sorted(new)}, touched {sorted(expected)}"
    changed = quote_edit.segments(quote_edit.after) - quote_edit.segments(quote_edit.before)
    assert len(changed) == 1, "one video segment: the quote card"


def _described(edit: Edit, prepared):
    """The described soundtrack of ``prepared``'s video: its descriptions said (fake voice) over its main one."""
    from claimreel.pipeline.described_mix import DescribedSoundtrack
    from claimreel.pipeline.describing import video_describer
    from claimreel.pipeline.prepared import Video

    describer = video_describer(edit.options.cache / "speech", None, False, None)
    description, _ = describer(Video("video 16x9", prepared, prepared.formats[0], Path()))
    return DescribedSoundtrack(_track(prepared), description.said)


def test_a_described_soundtrack_plays_at_its_main_ones_level_so_an_edit_reencodes_only_its_pieces(
        spoken_quote_edit):
    """The longer quote is described at greater length, which moves the described mix's loudness; given
    its main soundtrack's gains, it still re-encodes only the quote card's pieces (and the end), and
    stays within LEVEL_MATCH of the profile's tolerance of the target."""
    from claimreel.pipeline.described_mix import LEVEL_MATCH

    edit, ff = spoken_quote_edit, spoken_quote_edit.ffmpeg

    def made(prepared):
        track = _described(edit, prepared)
        mix = track.mix(ff)
        return track, mix, [(piece_key(job, ff.version()), job.span) for job in track.pieces(mix)]

    before, _, old = made(edit.before)
    after, mix, new = made(edit.after)
    assert [s.text for s in before.said] != [s.text for s in after.said], "the quote's description changed"
    main = _track(edit.after)
    main.mix(ff)  # the gains it applied, kept
    programme, _ = main.programme(ff, 48000)
    assert after.main.applied_gain(programme) == main.applied_gain(programme), "the main soundtrack's gain"
    grid = after.grid(48000)
    position = edit.after.timelines["16x9"].scenes.index(_scene(edit.after, "quote"))
    lo, hi = grid.starts[position], grid.starts[position] + grid.lengths[position]
    made_again = {(span.start, span.stop) for key, span in new if key not in {k for k, _ in old}}
    assert made_again <= {(span.start, span.stop) for _, span in new if lo <= span.start < hi or span.last}
    assert made_again, "the quote card's piece is new"
    report = after.join(ff, edit.options.cache / "described.m4a", mix,
                        [soundtrack_piece(job, ff) for job in after.pieces(mix)])
    profile = after.profile
    assert abs(report["integrated_lufs"] - profile.integrated_lufs) <= LEVEL_MATCH * profile.tolerance_lu


def test_a_narration_edit_reencodes_only_its_scenes_pieces(narration_edit):
    new, expected = _touched(narration_edit, "fact")
    assert new <= expected, f"re-encoded {sorted(new - expected)} outside the edited scene"
    assert new, "the edited scene's piece is new"


def test_the_warm_soundtrack_is_the_cold_one_byte_for_byte(quote_edit, tmp_path):
    """Made warm (the pieces of the script before the edit in the cache) and cold (an empty cache):
    the same AAC file and the same loudness report."""
    ff, cache = quote_edit.ffmpeg, quote_edit.options.cache / "audio"
    old_path, _ = soundtrack(_track(quote_edit.before), ff, cache)
    warm_path, warm = soundtrack(_track(quote_edit.after), ff, cache)
    cold_path, cold = soundtrack(_track(quote_edit.after), ff, tmp_path / "audio")
    assert warm_path.read_bytes() == cold_path.read_bytes() and warm_path != old_path
    assert warm == cold
    profile = load_profile(None)
    assert abs(warm["integrated_lufs"] - profile.integrated_lufs) <= 0.1
    assert warm["true_peak_dbtp"] <= profile.true_peak_dbtp


def test_kept_loudness_figures_change_no_byte(quote_edit, tmp_path):
    """Made warm with the pieces' loudness figures kept from the script before the edit (most of them
    reused, not measured again) and cold with none kept: the same AAC file and the same report."""
    ff, measures = quote_edit.ffmpeg, tmp_path / "measures"
    soundtrack(_track(quote_edit.before, measures), ff, tmp_path / "before")
    kept = set(measures.glob("*.npy"))
    warm_path, warm = soundtrack(_track(quote_edit.after, measures), ff, tmp_path / "warm")
    cold_path, cold = soundtrack(_track(quote_edit.after), ff, tmp_path / "cold")
    assert warm_path.read_bytes() == cold_path.read_bytes()
    assert warm == cold
    new = set(measures.glob("*.npy")) - kept
    assert kept and len(new) < len(kept), f"{len(new)} slices measured again, {len(kept)} kept before the edit"


def test_a_block_said_louder_leaves_the_programmes_gain(narration_edit):
    """Each narration block is levelled on its own before it is mixed: one block said 6 dB louder (a
    new take, another voice setting) leaves the gain that normalises the programme, and so every
    piece the edit did not touch."""
    import dataclasses

    import numpy as np

    prepared, ff = narration_edit.before, narration_edit.ffmpeg
    index = next(p.scene_index for p in prepared.timelines["16x9"].audio)
    speech, key = prepared.speeches[index]
    louder = dataclasses.replace(speech, samples=(speech.samples * np.float32(2.0)).astype(np.float32))
    retaken = dataclasses.replace(prepared, speeches={**prepared.speeches, index: (louder, key + "-louder")})
    gains = []
    for each in (prepared, retaken):
        track = _track(each)
        track.mix(ff)
        gains.append(track.applied_gain(track.programme(ff, 48000)[0]))
    assert gains[0] is not None and gains[0] == gains[1]
