"""Every card stays up long enough to read what it shows, whatever the narration's length."""

from __future__ import annotations

from fractions import Fraction

import pytest
import yaml

from claimreel.captions.rules import rules_for_format
from claimreel.cli import main
from claimreel.narration.base import Word
from claimreel.script.model import Script
from claimreel.timeline.build import NarrationTiming, build_timeline, plan_scenes, reading_holds
from claimreel.timeline.reading import FIND_SECONDS, card_texts, reading_seconds

from ..conftest import SMALL_SCRIPT, make_workspace

FPS = Fraction(30)
LONG_QUOTE = ("The assessment found that serious human rights violations have been committed in the region "
              "in the context of the application of counter-terrorism strategies")
# The quote card speaks one short sentence over a long quotation.
LONG_QUOTE_SCRIPT = SMALL_SCRIPT.replace(
    "    text: It was flowing.\n    attribution: A witness\n",
    f"    text: {LONG_QUOTE}\n    attribution: OHCHR assessment, August 31, 2022\n"
    "    narration: The report was blunt.\n",
)


def _spoken(text: str, ms_per_word: int = 320) -> NarrationTiming:
    words = tuple(Word(w, i * ms_per_word, (i + 1) * ms_per_word - 40) for i, w in enumerate(text.split()))
    return NarrationTiming(len(words) * ms_per_word, words, f"key-{len(text)}")


def _timeline(text: str):
    script = Script.model_validate(yaml.safe_load(text))
    specs = plan_scenes(script)
    narration = {i: _spoken(s.narration) for i, s in enumerate(specs) if s.narration}
    return specs, build_timeline(specs, narration, FPS, rules_for_format("16x9"))


def test_the_rule_is_caption_reading_speed_plus_time_to_find_the_text():
    assert reading_seconds(["x" * 170]) == pytest.approx(FIND_SECONDS + 10.0)  # 17 characters a second
    assert reading_seconds(["字" * 90], "zh-Hans") == pytest.approx(FIND_SECONDS + 10.0)  # 9 a second
    assert reading_seconds(["two  words", "  "]) == pytest.approx(FIND_SECONDS + 9 / 17)  # spaces as read
    assert reading_seconds([]) == 0.0


def test_every_card_names_the_text_it_shows():
    script = Script.model_validate(yaml.safe_load(LONG_QUOTE_SCRIPT))
    assert card_texts(script, "claim") == ("The river is dry.", "Ana Ruiz")
    assert card_texts(script, "verdict") == ("False", "The river was running on that day.")
    assert card_texts(script, "quote", script.body[1]) == (LONG_QUOTE, "OHCHR assessment, August 31, 2022")
    assert card_texts(script, "photo", script.body[0]) == ("The river on April 30",)
    assert card_texts(script, "fact", script.body[2]) == ("Flow in cubic metres per second", "April 12", "May 3.5")


def test_a_long_quote_under_a_short_narration_is_held_until_it_can_be_read():
    specs, timeline = _timeline(LONG_QUOTE_SCRIPT)
    quote = next(s for s in timeline.scenes if s.kind == "quote")
    spoken = 0.3 + 4 * 0.32 + 0.5  # lead, four words, tail: what the scene lasted before
    needed = FIND_SECONDS + (len(LONG_QUOTE) + 1 + len("OHCHR assessment, August 31, 2022")) / 17
    assert quote.frames / FPS >= needed > spoken + 5
    assert quote.held_frames == quote.frames - round(3.0 * 30)  # beyond the 3 s minimum the narration gets
    # The narration still starts at the scene's lead; only the hold after it grows.
    audio = next(a for a in timeline.audio if a.scene_index == quote.index)
    assert audio.start_ms == round(quote.start_frame / 30 * 1000) + 300
    (hold,) = [h for h in reading_holds(specs, timeline) if h.kind == "quote"]
    assert hold.where == "body.1" and hold.spoken_seconds == pytest.approx(3.0)
    assert hold.message().startswith(f"body.1 (quote): {len(LONG_QUOTE) + 34} characters on screen need ")


def test_a_card_read_within_its_narration_is_not_held():
    specs, timeline = _timeline(SMALL_SCRIPT)
    claim = timeline.scenes[1]
    assert claim.held_frames == 0 and claim.frames == 90
    assert [h.where for h in reading_holds(specs, timeline)] == [
        h.where for h in reading_holds(specs, timeline) if h.kind != "claim"]


def test_validate_and_lint_report_what_was_held_and_exit_0(tmp_path, capsys):
    script = make_workspace(tmp_path, LONG_QUOTE_SCRIPT)
    assert main(["validate", str(script)]) == 0
    out = capsys.readouterr().out.splitlines()
    notes = [line for line in out if line.startswith(f"{script}: note: body.1 (quote): ")]
    assert len(notes) == 1 and "so it holds" in notes[0] and out[-1].endswith("ok (3 body blocks)")
    assert main(["lint", str(script), "--cache", str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{script}: note: body.1 (quote): ") for line in out)
    assert out[-1].startswith(f"{script}: clean (")
