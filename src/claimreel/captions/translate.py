"""Translated caption tracks: per-block subtitle text timed to the original narration.

A script may give each narrated block its narration in other languages
(``subtitles: {zh-Hans: ..., ar: ...}``). Nobody speaks those words, so their
timing comes from the original speech: each block's translation is spread over
the span from its first spoken word to its last, in proportion to length, and
then cut into cues by the same segmentation and rules as the original captions
(with the language's own limits), so a cue never straddles two blocks.

Languages written without spaces (Chinese, Japanese) break between any two
characters (cheapest after their punctuation, never before a closing mark,
never inside a run of Latin letters or digits or a name joined by ``·``); lines are joined back without
spaces. Right-to-left text
(Arabic, Urdu, Persian, Hebrew) is kept in logical order, as SRT and WebVTT
expect; the player lays it out.
"""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from typing import Mapping, Sequence

from ..narration.base import Word
from .cue import Cue
from .rules import CaptionRules, is_spaceless, language_rules, sidecar_rules
from .segment import TimedWord, segment

__all__ = ["is_spaceless", "language_rules", "tokens_for", "translated_tracks", "track_languages"]

_WIDE = r"\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
_PAD = "\u2060"  # word joiner: pads a Latin run so every character costs the same (see below)
# A transliterated name (米歇尔·巴切莱特) stays whole; so does a run of Latin letters or digits.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_RUN = re.compile(rf"[{_HAN}]{{1,4}}·[{_HAN}]{{1,4}}|[{_WIDE}]|[^{_WIDE}\s]+")


def tokens_for(text: str, lang: str) -> list[str]:
    """The units segmentation may break between: words, or characters for spaceless languages.

    In a spaceless language every wide character is its own token and a run of
    Latin letters or digits stays whole, padded with invisible joiners so that
    segmentation, which counts a space between tokens, measures every visible
    character as two positions (a line of ``n`` characters measures ``2n - 1``).
    """
    if not is_spaceless(lang):
        return text.split()
    return [t + _PAD * (len(t) - 1) for t in _RUN.findall(text)]


def _segmentation_rules(rules: CaptionRules, lang: str) -> CaptionRules:
    if not is_spaceless(lang):
        return rules
    return replace(rules, max_chars_per_line=2 * rules.max_chars_per_line - 1,
                   max_cps=2 * rules.max_cps, hard_cps=2 * rules.hard_cps)


def _join(line: str) -> str:
    return line.replace(" ", "").replace(_PAD, "")


def track_languages(specs: Sequence[object]) -> tuple[str, ...]:
    """Languages that have subtitle text anywhere in the script, in first-seen order."""
    seen: dict[str, None] = {}
    for spec in specs:
        for lang, _ in getattr(spec, "subtitles", ()):
            seen.setdefault(lang, None)
    return tuple(seen)


def translated_tracks(
    specs: Sequence[object],
    spoken: Mapping[int, tuple[int, Sequence[Word]]],
    fps: Fraction,
    fmt: str = "16x9",
) -> dict[str, tuple[Cue, ...]]:
    """Cues per language, cut by the rules of format ``fmt``'s caption files in that language;
    ``spoken`` maps a scene's position to (audio start ms, its words)."""
    tracks: dict[str, tuple[Cue, ...]] = {}
    for lang in track_languages(specs):
        rules = sidecar_rules(fmt, lang)
        words: list[TimedWord] = []
        for index, spec in enumerate(specs):
            text = dict(getattr(spec, "subtitles", ())).get(lang)
            if not text or index not in spoken:
                continue
            start_ms, said = spoken[index]
            if not said:
                continue
            begin, end = start_ms + said[0].start_ms, start_ms + said[-1].end_ms
            tokens = tokens_for(text, lang)
            total = sum(len(t) + 1 for t in tokens)
            at = 0
            for token in tokens:
                a = begin + (end - begin) * at // total
                at += len(token) + 1
                b = begin + (end - begin) * at // total  # no pause inside a block: no forced cut
                words.append(TimedWord(token, a, max(a, b), getattr(spec, "speaker", None), index))
        cues = segment(words, _segmentation_rules(rules, lang), fps) if words else ()
        if is_spaceless(lang):
            cues = tuple(replace(c, lines=tuple(_join(line) for line in c.lines), words=()) for c in cues)
        tracks[lang] = tuple(cues)
    return tracks
