"""``pronounce:`` entries: a word or name said as a respelling, or as IPA phonemes ``[[...]]``.

An engine says the *spoken* text (:func:`respell`) and reports word times for its tokens;
:func:`words_for` gives those times back to the tokens of the text as written, so captions
keep showing the written words. A phrase replaced as a whole keeps its first word's time;
the words inside it are spread after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from .base import Word
from .timing import place_words, tokenize

__all__ = ["entries_for", "for_espeak", "is_phonemes", "phonemes_of", "respell", "words_for"]


def is_phonemes(value: str) -> bool:
    return value.startswith("[[") and value.endswith("]]")


def phonemes_of(value: str) -> str:
    return value[2:-2].strip()


def _pattern(word: str) -> re.Pattern[str]:
    """``word`` as a whole word, with an English plural or possessive (Uyghurs, Bachelet's)."""
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?P<suffix>['’]s|s)?(?!\w)", re.IGNORECASE)


def _said(say: str, suffix: str | None) -> str:
    if not suffix:
        return say
    return f"[[{phonemes_of(say)}z]]" if is_phonemes(say) else say + suffix


def for_espeak(entries: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """``entries`` as espeak-ng takes them: IPA in its own mnemonics; an IPA entry it cannot take is left out."""
    from .ipa import to_espeak

    out = []
    for word, say in entries:
        if is_phonemes(say):
            mnemonics = to_espeak(phonemes_of(say))
            if mnemonics is None:
                continue
            say = f"[[{mnemonics}]]"
        out.append((word, say))
    return tuple(out)


def entries_for(text: str, pronounce: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The entries ``text`` says, in a fixed order (longest first, so a phrase wins over its words)."""
    ordered = sorted(pronounce.items(), key=lambda item: (-len(item[0]), item[0]))
    return tuple((word, say) for word, say in ordered if _pattern(word).search(text))


def _matches(text: str, entries: Iterable[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, replacement), earlier entries winning."""
    taken: list[tuple[int, int, str]] = []
    for word, say in entries:
        for match in _pattern(word).finditer(text):
            if all(match.end() <= s or match.start() >= e for s, e, _ in taken):
                taken.append((match.start(), match.end(), _said(say, match.group("suffix"))))
    return sorted(taken)


def respell(text: str, entries: Sequence[tuple[str, str]]) -> tuple[str, list[int | None]]:
    """The text to say, and where each written token starts in it (None: inside a replaced phrase)."""
    tokens = tokenize(text)
    if not entries:
        return text, [t.start for t in tokens]
    out: list[str] = []
    moved: dict[int, int | None] = {}  # written index -> spoken index, at match edges
    last = delta = 0
    matches = _matches(text, entries)
    for start, end, say in matches:
        out.append(text[last:start])
        moved[start] = start + delta
        for inside in range(start + 1, end):
            moved[inside] = None
        out.append(say)
        delta += len(say) - (end - start)
        last = end
    out.append(text[last:])
    starts = [moved.get(t.start, t.start + _shift_before(matches, t.start)) for t in tokens]
    return "".join(out), starts


def _shift_before(matches: Sequence[tuple[int, int, str]], index: int) -> int:
    """How far the replacements that end by ``index`` move it."""
    return sum(len(say) - (end - start) for start, end, say in matches if end <= index)


def words_for(text: str, starts: Sequence[int | None], spoken: str, spoken_words: Sequence[Word],
              end_ms: int) -> tuple[Word, ...]:
    """Words of the written ``text`` from the words of the ``spoken`` text (see :func:`respell`)."""
    tokens = tokenize(text)
    if spoken == text:
        return tuple(spoken_words)
    at = {t.start: w.start_ms for t, w in zip(tokenize(spoken), spoken_words)}
    marks = [(t.start, at[s]) for t, s in zip(tokens, starts) if s is not None and s in at]
    words, _ = place_words(tokens, marks, end_ms)
    return words
