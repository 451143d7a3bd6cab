"""How scenes are cut into units: every moving scene (photo, clip, document) in pieces of whole GOPs
sized by what its frames cost, still cards whole; the scene's still beside the piece holding its
middle frame; the heaviest units started first."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from claimreel.encode.segments import VideoSettings
from claimreel.layout.elements import Clip, Document, Photo, SceneLayout
from claimreel.layout.formats import get_format
from claimreel.layout.text import FontBook
from claimreel.layout.theme import Theme
from claimreel.pipeline.segment_plan import SegmentJob, piece_frames, piece_spans, scene_cues
from claimreel.timeline.model import Cue, CueWord, Timeline, frame_to_ms
from claimreel.timeline.model import Scene as TimelineScene

FMT = get_format("16x9")
GOP = 15
LAYOUTS = {
    "photo": SceneLayout("photo", "#000000", (), photo=Photo(Path("p.jpg"), (0.5, 0.5))),
    "clip": SceneLayout("clip", "#000000", (), clip=Clip(Path("c.mp4"), 0.0, 8.0)),
    "document": SceneLayout("document", "#000000", (), document=Document(Path("d.pdf"), 1, ())),
    "card": SceneLayout("quote", "#000000", ()),
}


def test_long_moving_scenes_are_cut_in_even_pieces_of_whole_gops():
    assert piece_spans(219, 15, None) == [None], "a still card stays one unit"
    assert piece_spans(150, 15, 150) == [None]
    assert piece_spans(219, 15, 150) == [(0, 120), (120, 219)]
    assert piece_spans(451, 15, 150) == [(0, 120), (120, 240), (240, 360), (360, 451)]
    assert piece_spans(195, 15, 30)[-1] == (180, 195), "a whole GOP left over is a piece"
    assert piece_spans(183, 15, 30)[-1] == (150, 183), "less than a GOP left over joins the piece before"
    for limit in (15, 30, 45, 60, 150):
        for n in range(16, 2000, 7):
            spans = piece_spans(n, 15, limit)
            if spans == [None]:
                assert n <= limit
                continue
            assert spans[0][0] == 0 and spans[-1][1] == n and all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
            assert all(start % 15 == 0 for start, _ in spans), "every piece starts a GOP"
            assert all(end - start <= limit for start, end in spans[:-1])
            assert spans[-1][1] - spans[-1][0] < limit + 15


def test_every_moving_kind_is_cut_by_what_its_frames_cost_and_cards_stay_whole():
    sizes = {kind: piece_frames(layout, FMT, GOP) for kind, layout in LAYOUTS.items()}
    assert sizes["card"] is None
    assert all(sizes[kind] % GOP == 0 and GOP <= sizes[kind] <= 90 for kind in ("photo", "clip", "document"))
    assert sizes["photo"] <= sizes["clip"] <= sizes["document"], "the costlier a frame, the shorter the piece"
    # a draft's frames are a quarter of the pixels: its pieces are longer
    assert piece_frames(LAYOUTS["photo"], FMT.preview(), GOP) > sizes["photo"]


def _job(kind: str, frames: int, span: tuple[int, int] | None) -> SegmentJob:
    settings = VideoSettings.delivery(FMT.width, FMT.height, FMT.fps)
    return SegmentJob(0, LAYOUTS[kind], FMT, Theme.__new__(Theme), FontBook({}), frames, (), settings,
                      False, Path("s.mp4"), span=span)


@pytest.mark.parametrize("frames", [150, 195, 214, 331])
def test_the_piece_holding_the_middle_frame_and_only_it_writes_the_still(frames):
    limit = piece_frames(LAYOUTS["clip"], FMT, GOP)
    jobs = [_job("clip", frames, span) for span in piece_spans(frames, GOP, limit)]
    holders = [job for job in jobs if job.holds_still]
    assert len(jobs) > 1 and len(holders) == 1
    start, end = holders[0].span  # type: ignore[misc]
    assert start <= frames // 2 < end
    assert _job("card", frames, None).holds_still, "a scene in one unit writes its own still"


def test_units_are_estimated_by_kind_so_a_moving_piece_goes_before_a_longer_card():
    card = _job("card", 200, None)
    document = _job("document", 154, (60, 120))
    photo = _job("photo", 195, (0, 30))
    assert card.length > document.length > photo.length
    heaviest_first = sorted([card, document, photo], key=lambda j: -j.cpu)
    assert [j.layout.kind for j in heaviest_first] == ["document", "photo", "quote"]


def _timeline_with_scene_at(start: int, fps: Fraction) -> tuple[Timeline, TimelineScene]:
    """A card of ``start`` frames, then a 150-frame scene whose narration (and a cue spilling in from
    the card) is timed as the timeline does: milliseconds from the scene's start, rounded."""
    scene_ms = frame_to_ms(start, fps)
    words = [CueWord(w, scene_ms + a, scene_ms + b) for w, a, b in
             (("The", 317, 440), ("crackdown,", 440, 1333), ("it", 1350, 1517), ("said.", 1517, 2161))]
    spill = Cue(0, scene_ms - 1200, scene_ms + 233, ("took place.",), None,
                (CueWord("took", scene_ms - 1200, scene_ms - 900), CueWord("place.", scene_ms - 900, scene_ms - 500)))
    cue = Cue(1, scene_ms + 300, scene_ms + 4800, ("The crackdown, it said.",), None, tuple(words))
    scenes = (TimelineScene(0, "claim", None, 0, start, "Claim"), TimelineScene(1, "document", 0, start, start + 150, "Doc"))
    return Timeline(fps, scenes, (spill, cue), ()), scenes[1]


@pytest.mark.parametrize("fps", [Fraction(30), Fraction(25), Fraction(30000, 1001), Fraction(24)])
def test_a_scenes_cues_do_not_depend_on_where_it_starts(fps):
    """An edit that lengthens an earlier scene moves this one: its cues, in its own frames, and so its
    segments' keys, stay the same (rounding from the scene's start, not from the video's)."""
    seen = {scene_cues(*_timeline_with_scene_at(start, fps)) for start in range(30, 130)}
    assert len(seen) == 1, f"{len(seen)} different cue sets for one scene at 100 positions"


def test_a_piece_is_keyed_only_on_the_captions_it_shows():
    timeline, scene = _timeline_with_scene_at(45, Fraction(30))
    whole = scene_cues(timeline, scene)
    assert [c.lines for c in whole] == [("took place.",), ("The crackdown, it said.",)]
    late = scene_cues(timeline, scene, (60, 150))
    assert [c.lines for c in late] == [("The crackdown, it said.",)], "the spilled cue ended before frame 60"
    assert late[0].start == 60 and late[0].words[:2] == ((60, 60), (60, 60)), "words before the piece start with it"
    assert [late[0].word_at(i) for i in (60, 61)] == [whole[1].word_at(60), whole[1].word_at(61)]
    other = _timeline_with_scene_at(45, Fraction(30))[0]
    changed = Timeline(other.fps, other.scenes, (other.cues[0], replace(other.cues[1], lines=("Edited.",))), ())
    assert scene_cues(changed, scene, (0, 9)) == scene_cues(timeline, scene, (0, 9)), \
        "an edit of a caption the piece does not show leaves the piece's key alone"


@pytest.mark.parametrize("fps", [Fraction(30), Fraction(25), Fraction(30000, 1001), Fraction(24)])
def test_the_caption_segmenter_times_a_scenes_words_from_its_start(fps):
    """Words timed from a scene that starts at any frame give cues on the same frames of the scene:
    the snap to the frame grid is counted from the scene's first frame."""
    from claimreel.captions.rules import CaptionRules
    from claimreel.captions.segment import TimedWord, segment
    from claimreel.timeline.model import frame_to_ms

    offsets = [(0, 310), (333, 367), (367, 900), (1234, 1500), (1517, 2001)]  # ms into the scene
    words = ["The", "gauge", "read", "twelve", "cubes."]
    seen = set()
    for start in range(30, 130):
        origin = frame_to_ms(start, fps)
        said = [TimedWord(w, origin + a, origin + b, None, 1, start) for w, (a, b) in zip(words, offsets)]
        seen.add(tuple((round(Fraction(c.start_ms, 1000) * fps) - start, round(Fraction(c.end_ms, 1000) * fps) - start)
                       for c in segment(said, CaptionRules(), fps)))
    assert len(seen) == 1, f"{len(seen)} different timings for one scene at 100 positions"
