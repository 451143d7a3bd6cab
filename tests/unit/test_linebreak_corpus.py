"""Caption lines break at phrase boundaries on real sentences (BBC Subtitle Guidelines, "line breaks").

No line may end on an article, a preposition, a conjunction, or an adjective before its noun when a
layout of the same words within the limits (characters per line, lines per caption) breaks
elsewhere. Checked on every span of a news corpus that needs more than one line, in the line shapes
of 16:9 (42 x 2), the BBC profile (37 x 2) and 9:16 (30 x 3), and on the cues segmentation makes.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from pathlib import Path

import pytest

from claimreel.captions.linebreak import (ADJ_NOUN, ARTICLES, CONJUNCTIONS, PREPOSITIONS, _is_adjective,
                                          _is_content, _norm, break_lines, gap_costs)
from claimreel.captions.rules import rules_for_format
from claimreel.captions.segment import TimedWord, segment

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "text" / "news_sentences.txt"
SHAPES = [(42, 2), (37, 2), (30, 3)]
_PUNCT = ".,;:!?…—–)”’\"'"


def _sentences() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _bad_end(tokens: list[str], i: int) -> bool:
    """Whether a line ending after ``tokens[i]`` splits a phrase: it ends on an article, a preposition,
    a conjunction, or an adjective whose noun starts the next line (punctuation after it is a boundary)."""
    if tokens[i][-1] in _PUNCT:
        return False
    word, after = _norm(tokens[i]), _norm(tokens[i + 1])
    if word in ARTICLES or word in PREPOSITIONS or word in CONJUNCTIONS:
        return True
    return _is_adjective(word) and _is_content(after)


def _layouts(tokens: list[str], width: int, lines: int):
    """Every way to put ``tokens`` on at most ``lines`` lines of at most ``width`` characters (breaks as indexes)."""
    for count in range(1, lines):
        for cuts in combinations(range(1, len(tokens)), count):
            bounds = (0, *cuts, len(tokens))
            if all(len(" ".join(tokens[a:b])) <= width for a, b in zip(bounds, bounds[1:])):
                yield cuts


def _check(lines: tuple[str, ...], width: int, max_lines: int) -> str | None:
    """A message if ``lines`` end on a split phrase while a clean layout of the same words exists (one
    that splits no phrase the caption rules name: nor a name, a number and its unit, a verb group)."""
    tokens = " ".join(lines).split()
    costs = gap_costs(tokens)
    ends, n = [], 0
    for line in lines[:-1]:
        n += len(line.split())
        ends.append(n)
    bad = [tokens[e - 1] for e in ends if _bad_end(tokens, e - 1)]
    if not bad:
        return None
    for cuts in _layouts(tokens, width, max_lines):
        if not any(_bad_end(tokens, c - 1) or costs[c - 1] >= ADJ_NOUN for c in cuts):
            return f"{lines} ends a line on {bad}; clean: {' / '.join(_split(tokens, cuts))}"
    return None


def _split(tokens: list[str], cuts: tuple[int, ...]) -> list[str]:
    bounds = (0, *cuts, len(tokens))
    return [" ".join(tokens[a:b]) for a, b in zip(bounds, bounds[1:])]


def _spans(tokens: list[str], width: int, lines: int):
    """Runs of consecutive words too long for one line but short enough for a caption."""
    for start in range(len(tokens)):
        for end in range(start + 2, len(tokens) + 1):
            length = len(" ".join(tokens[start:end]))
            if length > width * lines:
                break
            if length > width:
                yield tokens[start:end]


def test_the_corpus_is_about_fifty_real_sentences():
    sentences = _sentences()
    assert 45 <= len(sentences) <= 60 and all(len(s.split()) >= 8 for s in sentences)


@pytest.mark.parametrize("width, lines", SHAPES)
def test_no_line_ends_inside_a_phrase_when_a_clean_break_exists(width, lines):
    problems, checked = [], 0
    for sentence in _sentences():
        for span in _spans(sentence.split(), width, lines):
            laid = break_lines(" ".join(span), width, lines)
            if laid is None or len(laid) < 2:
                continue
            checked += 1
            problem = _check(laid, width, lines)
            if problem:
                problems.append(problem)
    assert checked > 1000
    assert problems == [], f"{len(problems)} of {checked}:\n" + "\n".join(problems[:15])


@pytest.mark.parametrize("fmt", ["16x9", "9x16"])
def test_cues_made_from_the_corpus_break_at_phrase_boundaries(fmt):
    rules = rules_for_format(fmt)
    words, clock = [], 0
    for block, sentence in enumerate(_sentences()):
        for token in sentence.split():
            spoken = 120 + 45 * len(token)  # about 15 characters a second, like the narration voices
            words.append(TimedWord(token, clock, clock + spoken, None, block))
            clock += spoken + 40
        clock += 600
    cues = segment(words, rules, Fraction(30))
    problems = [p for cue in cues if len(cue.lines) > 1
                for p in [_check(cue.lines, rules.max_chars_per_line, rules.max_lines)] if p]
    assert sum(len(cue.lines) > 1 for cue in cues) > 40
    assert problems == [], "\n".join(problems[:15])
