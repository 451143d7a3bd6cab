"""Where to break a caption into lines (Netflix General Requirements; BBC 3.4; DCMP).

Every gap between two words gets a cost: low after punctuation and before a
conjunction or preposition, high inside units a reader takes in at once
(article + noun, adjective + noun, first + last name, pronoun + verb,
auxiliary + verb or negation, a number and its unit). A layout's score is the
cost of its breaks plus a shape cost that favours balanced, bottom-heavy lines.
Breaking a line inside a phrase (a gap costing :data:`ADJ_NOUN` or more) is
penalised so heavily that a layout keeping phrases whole always wins when one
fits the limits. The same gap costs tell :mod:`claimreel.captions.segment`
where to end a cue.

Languages written without spaces (CJK) are broken by characters for now.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator, Sequence

__all__ = ["NO_LINE_START", "Layout", "arrange", "break_lines", "gap_costs", "is_sentence_end"]

# Break costs (lower is a better place to break).
SENTENCE = 0.0
CLAUSE = 2.0
OPENING = 4.0  # before "(" or an opening quote
BEFORE_CONJ = 5.0
BEFORE_REL = 7.0
BEFORE_PREP = 8.0
NEUTRAL = 12.0
ADJ_NOUN = 25.0
AFTER_CONJ = 30.0
PROPER_PAIR = 35.0
AFTER_PREP = 35.0
AUX_VERB = 45.0
PRONOUN_VERB = 50.0
NEGATION = 50.0
ARTICLE_NOUN = 60.0
NUMBER_UNIT = 60.0
NAME = 100.0

EXTRA_LINE = 8.0  # a third line must buy a clearly better break
# A line break inside a phrase (after an article, a preposition, a conjunction, an adjective before its
# noun; inside a name, a number and its unit, a verb group) costs this on top of its gap cost, so any
# layout that keeps every phrase whole wins over one that splits a phrase, whatever its shape (BBC
# Subtitle Guidelines: the right break matters more than lines of equal length).
SPLIT_PHRASE = 200.0
BALANCE = 0.3  # per character of imbalance between lines
TOP_HEAVY = 1.0  # plus 0.25 per character the top line is longer than the bottom
SHORT_LINE = 10.0  # a line under a third of its longest neighbour's length (an orphan)

_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘«([{"
_STRIP = _CLOSERS + _OPENERS + ".,;:!?…—–-"
_SENTENCE_PUNCT = ".!?…。！？"
_CLAUSE_PUNCT = ",;:—–，、；："
NO_LINE_START = "，。！？；：、）」』】》〉”’"  # CJK closing marks never start a line

ARTICLES = frozenset(
    "a an the this these those his her its their our my your every each either neither "
    "another such no some any".split()
)
CONJUNCTIONS = frozenset(
    "and but or nor so yet because although though while whereas if unless since when "
    "where whether than once until after before".split()
)
RELATIVES = frozenset("which who whom whose that what".split())
PREPOSITIONS = frozenset(
    "about above across against along amid among around as at behind below beneath beside "
    "between beyond by despite during except for from in inside into like near of off on onto "
    "out outside over per through throughout to toward towards under upon via with within "
    "without".split()
)
PRONOUNS = frozenset("i you he she it we they".split())
AUXILIARIES = frozenset(
    "is are was were am be been being has have had do does did will would shall should can "
    "could may might must".split()
)
NEGATIONS = frozenset("not never n't".split())
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr gen sen rep gov lt col capt sgt no vs u.s u.k u.n e.g i.e "
    "approx dept est fig inc ltd".split()
)
ADJECTIVES = frozenset(
    "new old high low first last next many few more most less least other same own big small "
    "large long short full real true false main key top official public human recent early "
    "late local national global young major minor total average".split()
)
_ADJ_SUFFIXES = ("al", "ous", "ful", "ive", "able", "ible", "ic", "ary", "less", "ish", "ical")
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
    "hundred hundreds thousand thousands million millions billion billions trillion dozen".split()
)
SCALE_WORDS = frozenset("hundred thousand million billion trillion percent per cent %".split())
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_FUNCTION = ARTICLES | CONJUNCTIONS | RELATIVES | PREPOSITIONS | PRONOUNS | AUXILIARIES | NEGATIONS
_NUMBER = re.compile(r"^[$€£¥]?\d[\d,.]*(%|st|nd|rd|th|s|m|bn|k)?$")


def _norm(token: str) -> str:
    word = token.strip(_STRIP).lower()
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


def _tail(token: str) -> str:
    return token.rstrip(_CLOSERS)


def is_sentence_end(token: str) -> bool:
    """Whether ``token`` ends a sentence (``"wrong."``, ``'said."'``; not ``"Mr."``)."""
    tail = _tail(token)
    if not tail or tail[-1] not in _SENTENCE_PUNCT:
        return False
    return tail[-1] != "." or _norm(tail) not in ABBREVIATIONS


def _is_number(word: str) -> bool:
    return bool(_NUMBER.match(word)) or word in NUMBER_WORDS


def _is_title(token: str) -> bool:
    word = token.strip(_STRIP)
    return len(word) > 1 and word[0].isupper() and word.replace("-", "").replace("'", "").isalpha()


def _is_adjective(word: str) -> bool:
    return word in ADJECTIVES or (len(word) > 4 and word.endswith(_ADJ_SUFFIXES))


def _is_content(word: str) -> bool:
    return word.isalpha() and word not in _FUNCTION


def _name_gaps(tokens: Sequence[str], names: Sequence[str]) -> set[int]:
    """Indexes ``i`` such that the gap after ``tokens[i]`` falls inside a known name."""
    words = [_norm(t) for t in tokens]
    inside: set[int] = set()
    for name in names:
        parts = [_norm(p) for p in name.split()]
        if len(parts) < 2:
            continue
        for start in range(len(words) - len(parts) + 1):
            if words[start : start + len(parts)] == parts:
                inside.update(range(start, start + len(parts) - 1))
    return inside


def _gap_cost(left: str, right: str, in_name: bool) -> float:
    if right[:1] in NO_LINE_START:
        return NAME
    edge = left.rstrip("\u2060")[-1:] + right[:1]
    if len(edge) == 2 and (edge[0].isdigit() or edge[1].isdigit()) and _is_wide(edge):
        return NUMBER_UNIT  # 8月31日: a number and its CJK unit or date part stay together
    tail = _tail(left)
    if tail and tail[-1] in _SENTENCE_PUNCT and is_sentence_end(left):
        return SENTENCE
    if tail and (tail[-1] in _CLAUSE_PUNCT or left[-1] in ")]}"):
        return CLAUSE
    if in_name:
        return NAME
    a, b = _norm(left), _norm(right)
    if right[:1] in _OPENERS:
        return OPENING
    if _is_number(a) and (b in SCALE_WORDS or _is_content(b)):
        return NUMBER_UNIT
    if a == "per" or (a in MONTHS and _is_number(b)) or (a in SCALE_WORDS and _is_number(b)):
        return NUMBER_UNIT
    if a in ARTICLES:
        return ARTICLE_NOUN
    if b in NEGATIONS:
        return NEGATION
    if a in AUXILIARIES or a in NEGATIONS:
        return AUX_VERB
    if a in PRONOUNS and b not in CONJUNCTIONS | PREPOSITIONS | RELATIVES:
        return PRONOUN_VERB
    if a in PREPOSITIONS:
        return AFTER_PREP
    if a in CONJUNCTIONS or a in RELATIVES:
        return AFTER_CONJ
    if _is_title(left) and _is_title(right):
        return PROPER_PAIR
    if _is_adjective(a) and _is_content(b):
        return ADJ_NOUN
    if b in CONJUNCTIONS:
        return BEFORE_CONJ
    if b in RELATIVES:
        return BEFORE_REL
    if b in PREPOSITIONS:
        return BEFORE_PREP
    return NEUTRAL


def gap_costs(tokens: Sequence[str], names: Sequence[str] = ()) -> tuple[float, ...]:
    """The cost of breaking after each token but the last (``len(tokens) - 1`` values)."""
    inside = _name_gaps(tokens, names)
    return tuple(
        _gap_cost(tokens[i], tokens[i + 1], i in inside) for i in range(len(tokens) - 1)
    )


def _shape_cost(lengths: Sequence[int]) -> float:
    if len(lengths) < 2:
        return 0.0
    mean = sum(lengths) / len(lengths)
    cost = BALANCE * sum(abs(n - mean) for n in lengths) * 2 / len(lengths)
    longest = max(lengths)
    cost += SHORT_LINE * sum(1 for n in lengths if 3 * n < longest)
    top_heavy = lengths[0] - lengths[-1]
    if top_heavy > 0:
        cost += TOP_HEAVY + 0.25 * top_heavy
    return cost


@dataclass(frozen=True)
class Layout:
    """Lines of one caption and the score that chose them (lower is better)."""

    lines: tuple[str, ...]
    score: float


def _splits(
    ends: Sequence[int], count: int, lines: int, width: int, first_width: int
) -> Iterator[tuple[int, ...]]:
    """Break positions (token counts per line boundary) that make each line fit."""

    def length(a: int, b: int) -> int:
        return ends[b] - ends[a] - 1

    def walk(start: int, left: int) -> Iterator[tuple[int, ...]]:
        limit = first_width if start == 0 else width
        if left == 1:
            if length(start, count) <= limit:
                yield ()
            return
        for cut in range(start + 1, count - left + 2):
            if length(start, cut) > limit:
                break
            for rest in walk(cut, left - 1):
                yield (cut, *rest)

    yield from walk(0, lines)


def arrange(
    tokens: Sequence[str],
    costs: Sequence[float],
    max_chars: int,
    max_lines: int,
    *,
    first_width: int | None = None,
) -> Layout | None:
    """The best layout of ``tokens`` (with precomputed ``gap_costs``), or None if none fits.

    ``first_width`` narrows the first line (room for a speaker label).
    """
    if not tokens:
        return None
    first = max_chars if first_width is None else first_width
    ends = [0]
    for token in tokens:
        ends.append(ends[-1] + len(token) + 1)
    count = len(tokens)
    best: tuple[float, tuple[int, ...]] | None = None
    for lines in range(1, max_lines + 1):
        for cuts in _splits(ends, count, lines, max_chars, first):
            bounds = (0, *cuts, count)
            lengths = [ends[b] - ends[a] - 1 for a, b in zip(bounds, bounds[1:])]
            score = sum(costs[c - 1] + (SPLIT_PHRASE if costs[c - 1] >= ADJ_NOUN else 0.0) for c in cuts)
            score += _shape_cost(lengths)
            score += EXTRA_LINE * max(0, lines - 2)
            if best is None or score < best[0]:
                best = (score, bounds)
        if best is not None and lines == 1:
            break  # keep text on one line whenever it fits
    if best is None:
        return None
    score, bounds = best
    return Layout(tuple(" ".join(tokens[a:b]) for a, b in zip(bounds, bounds[1:])), score)


def _is_wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in "WF" for c in text)


def _char_break(text: str, max_chars: int, max_lines: int) -> tuple[str, ...] | None:
    rows = [text[i : i + max_chars].strip() for i in range(0, len(text), max_chars)]
    rows = [r for r in rows if r]
    return tuple(rows) if len(rows) <= max_lines else None


def break_lines(
    text: str, max_chars: int, max_lines: int, *, names: Sequence[str] = ()
) -> tuple[str, ...] | None:
    """Break ``text`` into at most ``max_lines`` lines of ``max_chars``, or None if it cannot fit."""
    tokens = text.split()
    if not tokens or max_chars < 1 or max_lines < 1:
        return None
    if any(len(t) > max_chars for t in tokens):
        return _char_break(" ".join(tokens), max_chars, max_lines) if _is_wide(text) else None
    layout = arrange(tokens, gap_costs(tokens, names), max_chars, max_lines)
    return layout.lines if layout else None
