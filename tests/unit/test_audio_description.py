"""Audio description, the pure parts: the narration's gaps, what fits in them, the duck under a description."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from claimreel.encode.language import iso639_2
from claimreel.encode.profiles import load_profile
from claimreel.narration.base import Speech, Word
from claimreel.pipeline.described import Said, fit_parts
from claimreel.pipeline.described_mix import DUCK_DB, DescribedSoundtrack
from claimreel.pipeline.mixdown import Soundtrack
from claimreel.publish.description_text import Part, key_form
from claimreel.script.sound import Music
from claimreel.timeline.gaps import GUARD_MS, scene_gaps
from claimreel.timeline.model import AudioPlacement, ClipSound, Scene, Timeline

FPS = Fraction(25)


def _timeline(audio=(), sounds=()) -> Timeline:
    scenes = (Scene(0, "title", None, 0, 100, "Title"), Scene(1, "photo", 0, 100, 200, "Photo"))  # 4 s each
    return Timeline(FPS, scenes, (), tuple(audio), tuple(sounds))


def test_gaps_keep_clear_of_the_narration_and_of_a_clips_sound():
    timeline = _timeline([AudioPlacement(0, 1000, 1000, "a")], [ClipSound(1, 4000, 1500, "c.mp4", 0.0, "full")])
    gaps = scene_gaps(timeline)
    assert gaps[0] == [(2000 + GUARD_MS, 4000 - GUARD_MS)]  # 0-1000 minus the guard is under the minimum
    assert gaps[1] == [(5500 + GUARD_MS, 8000 - GUARD_MS)]  # the video's end stays clear too


def test_key_forms_keep_numbers_or_the_words_after_a_label():
    assert key_form("Bar chart (m3/s): April: 12; May: 3.5.") == "April 12, May 3.5."
    assert key_form("Credit: Test photo") == "Test photo"
    assert key_form("A wide river.") is None


def test_parts_are_said_in_order_shortened_then_dropped_when_they_do_not_fit():
    parts = [Part("Photo.", None, True), Part("Caption: The river on April 30", "April 30.", True),
             Part("A very long description of everything in the picture.", None, True)]
    length = {p.text: 100 * len(p.text) for p in parts} | {"April 30.": 900}
    placed, shortened, dropped = fit_parts(parts, [(0, 1500), (5000, 6200)], length.__getitem__)
    assert placed == [("Photo.", 0), ("April 30.", 5000)]
    assert shortened == [("Caption: The river on April 30", "April 30.")]
    assert dropped == ["A very long description of everything in the picture."]


def test_language_tags_become_the_three_letters_an_mp4_track_carries():
    assert [iso639_2(t) for t in ("en", "en-GB", "pt-BR", "de", "fil", "xx")] == ["eng", "eng", "por", "deu", "fil",
                                                                                  "und"]


def test_the_programme_ducks_smoothly_by_at_least_10_db_under_a_description(tmp_path):
    rate = 48000
    timeline = _timeline([AudioPlacement(0, 0, 2000, "a")])
    tone = (0.3 * np.sin(np.arange(rate * 2) * 2 * np.pi * 220 / rate)).astype(np.float32)
    narration = {0: (Speech(tone, rate, (Word("la", 0, 2000),)), "a")}
    noise = np.random.default_rng(1).uniform(-0.1, 0.1, (rate * 8, 2)).astype(np.float32)
    music = Music(file="bed.wav", level=-14.0, under_speech=-26.0)
    said_audio = np.zeros(rate * 2, np.float32)
    speech = Speech(said_audio + 0.0, rate, (Word("x", 0, 2000),))
    base = Soundtrack(timeline, narration, music, noise, load_profile(None))
    track = DescribedSoundtrack(base, [Said(1, 5000, "Photo.", speech, "k")])
    plain, _ = Soundtrack._mixed(base, None, rate)  # type: ignore[arg-type]
    ducked, extra = track._mixed(None, rate)  # type: ignore[arg-type]
    gain_db = 20 * np.log10(np.abs(ducked[:, 0]) / np.maximum(np.abs(plain[:, 0]), 1e-9) + 1e-12)
    assert extra["description_duck_db"] == DUCK_DB <= -10
    under = gain_db[int(5.0 * rate):int(7.0 * rate)]
    assert np.median(under) <= -10
    assert abs(np.median(gain_db[: int(4.5 * rate)])) < 0.01  # untouched away from it
    gain = np.abs(ducked[:, 0]) / np.maximum(np.abs(plain[:, 0]), 1e-9)
    steps = np.abs(np.diff(gain[np.abs(plain[:, 0]) > 1e-3]))
    assert steps.max() < 0.01  # a ramp, not a jump
    assert track.key("v") != base.key("v")


def test_the_described_soundtrack_takes_the_programme_its_main_soundtrack_mixed(monkeypatch):
    import pickle

    rate = 48000
    tone = (0.3 * np.sin(np.arange(rate * 2) * 2 * np.pi * 220 / rate)).astype(np.float32)
    narration = {0: (Speech(tone, rate, (Word("la", 0, 2000),)), "a")}
    said = [Said(1, 5000, "Photo.", Speech(tone[:rate], rate, (Word("x", 0, 1000),)), "k")]

    def tracks() -> tuple[Soundtrack, DescribedSoundtrack]:
        base = Soundtrack(_timeline([AudioPlacement(0, 0, 2000, "a")]), narration, None, None, load_profile(None))
        return base, DescribedSoundtrack(base, said)

    alone = tracks()[1]._mixed(None, rate)[0]  # type: ignore[arg-type]
    mixed: list[Soundtrack] = []
    real = Soundtrack._mix_programme
    monkeypatch.setattr(Soundtrack, "_mix_programme", lambda self, *args: mixed.append(self) or real(self, *args))
    base, described = tracks()
    programme, _ = base._mixed(None, rate)  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(base))._kept == {}, "a unit sent to a worker carries no mix"
    after, _ = described._mixed(None, rate)  # type: ignore[arg-type]
    assert mixed == [base], "the programme is mixed once, for both soundtracks"
    assert np.array_equal(after, alone)
    assert base._kept == {}, "let go once the described soundtrack has it"
    with np.testing.assert_raises(ValueError):
        programme[0, 0] = 1.0  # shared, so read-only


def test_validate_notes_a_scene_whose_essential_text_cannot_be_described(workspace):
    import claimreel

    script = workspace / "scripts" / "small-check.yaml"
    notes = {f.path: str(f) for f in claimreel.validate(script) if "audio description" in f.message}
    assert "'April 12, May 3.5.'" in notes["body.2"] and "190 words a minute" in notes["body.2"]
    assert "body.0" not in notes  # the photo's held card has room
    script.write_text(script.read_text().replace("narration: Flow fell later.",
                                                 "narration: Flow fell later.\n    timing: {tail: 4}"))
    assert "body.2" not in {f.path for f in claimreel.validate(script) if "audio description" in f.message}


def test_a_queued_render_keeps_its_extended_description(tmp_path):
    from claimreel.jobs.model import TaskSpec

    spec = TaskSpec(tmp_path / "a.yaml", described="extended")
    assert TaskSpec.from_options(spec.script, spec.options()) == spec
    assert "described" not in TaskSpec(tmp_path / "a.yaml").options()  # the default is not stored
