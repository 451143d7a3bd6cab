"""Translated caption tracks: timed to the original narration, obeying their language's rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.captions.check import check_cues
from claimreel.captions.translate import language_rules, tokens_for, translated_tracks
from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions
from claimreel.narration.engines.fake import FakeEngine
from claimreel.publish.srt import read_srt, srt_text
from claimreel.publish.vtt import read_vtt, vtt_text
from claimreel.timeline.model import frame_to_ms, spoken_words

REPO = Path(__file__).resolve().parents[2]


def test_language_rules():
    zh = language_rules("zh-Hans")
    assert (zh.max_chars_per_line, zh.max_cps, zh.hard_cps) == (16, 9.0, 11.0)
    assert language_rules("zh-Hans", "9x16").max_chars_per_line == 12
    assert language_rules("ar") == language_rules("en")


def test_tokens():
    assert tokens_for("في اليوم نفسه، أثار", "ar") == ["في", "اليوم", "نفسه،", "أثار"]
    tokens = [t.replace("\u2060", "") for t in tokens_for("米歇尔·巴切莱特于8月31日发布。Polygraph.info 核查", "zh-Hans")]
    assert tokens == ["米歇尔·巴切莱特", "于", "8", "月", "31", "日", "发", "布", "。", "Polygraph.info", "核", "查"]
    assert all(len(t) == 2 * len(t.replace("\u2060", "")) - 1 for t in tokens_for("Polygraph.info 核查", "zh"))


@pytest.mark.parametrize(("script", "lang"), [("xinjiang-un-report-subs-zh.yaml", "zh-Hans"), ("xinjiang-un-report-subs-ar.yaml", "ar")])
def test_example_tracks_follow_the_narration_and_the_rules(script, lang, tmp_path):
    prep = prepare(REPO / "scripts" / script, RenderOptions(cache=tmp_path / "cache"), engine=FakeEngine())
    timeline = prep.timelines["16x9"]
    tracks = translated_tracks(prep.specs, spoken_words(prep.speeches, timeline), timeline.fps, "16x9")
    assert list(tracks) == [lang]
    cues = tracks[lang]
    rules = language_rules(lang)
    # The fake voice is quicker than the script's; only the preferred reading speed may slip
    # (with the real voice the examples lint clean: tests/integration/test_lint_flagship.py).
    assert {f.rule for f in check_cues(cues, rules, timeline.fps)} <= {"cps"}
    # Every block's translation is shown, in order, while (or just after) its narration plays.
    spoken = spoken_words(prep.speeches, timeline)
    for index, spec in enumerate(prep.specs):
        text = dict(spec.subtitles).get(lang)
        if not text:
            continue
        scene = timeline.scenes[index]
        start, end = frame_to_ms(scene.start_frame, timeline.fps), frame_to_ms(scene.end_frame, timeline.fps)
        inside = [c for c in cues if start <= c.start_ms < end]
        first_word = spoken[index][0] + spoken[index][1][0].start_ms
        assert abs(inside[0].start_ms - first_word) <= 34
        shown = "".join(c.text.replace(" ", "") for c in inside)
        assert shown == text.replace(" ", "")
        if lang == "zh-Hans":
            assert all(len(line) <= 16 and line[0] not in "，。！？；：、）" for c in inside for line in c.lines)
    (tmp_path / "t.srt").write_text(srt_text(cues), encoding="utf-8")
    (tmp_path / "t.vtt").write_text(vtt_text(cues, kind="subtitles"), encoding="utf-8")
    assert read_srt(tmp_path / "t.srt") == read_vtt(tmp_path / "t.vtt") == tuple(cues)
    assert not any(c.speaker for c in timeline.cues)


from fractions import Fraction  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from claimreel.narration.base import Word  # noqa: E402
from claimreel.timeline.build import SceneSpec  # noqa: E402

_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
_PIECE = st.one_of(_HAN, _HAN, _HAN, st.sampled_from(list("，。、！？") + ["2016", "Polygraph.info", "米歇尔·巴切莱特"]))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(_HAN, st.lists(_PIECE, max_size=60)), min_size=1, max_size=3))
def test_property_chinese_tracks_keep_every_character_and_the_line_rules(drawn):
    # A text starts with a character, not a mark; each piece is followed by a character, so runs of
    # Latin letters stay shorter than a line (a longer run is a long_word finding, as in English).
    blocks = [[first, *(p + h for p in rest for h in first)] for first, rest in drawn]
    specs, spoken, clock = [], {}, 0
    for index, pieces in enumerate(blocks):
        text = "".join(pieces)
        seconds = max(2, len(text) // 4)  # a translation read at about 4 characters a second
        specs.append(SceneSpec("narration", index, "t", "x", None, 1.0, None, (("zh-Hans", text),)))
        spoken[index] = (clock, (Word("x", 0, seconds * 500), Word("y", seconds * 500, seconds * 1000)))
        clock += seconds * 1000 + 1000
    cues = translated_tracks(specs, spoken, Fraction(30), "16x9")["zh-Hans"]
    assert "".join(c.text.replace(" ", "") for c in cues) == "".join("".join(p) for p in blocks)
    for cue in cues:
        for line in cue.lines:
            assert line and line[0] not in "，。、！？"
            assert len(line) <= 16 or line.count("·") or "Polygraph.info" in line
    findings = check_cues(cues, language_rules("zh-Hans"), Fraction(30))
    assert {f.rule for f in findings} <= {"cps", "cps_hard", "min_duration", "line_length", "long_word"}
