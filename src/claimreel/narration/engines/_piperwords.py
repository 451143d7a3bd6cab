"""Word times from a Piper voice's own phoneme lengths.

Piper says a whole sentence from its phonemes, and espeak-ng, which makes them, joins some
words (``that the`` → ``ðætðə``) and splits others (numbers). So each token is phonemised on
its own too, and the two phoneme strings are matched (``difflib``, monotone): a token starts
where its first matched phoneme starts in the sentence audio. Stress marks, spaces and
punctuation are left out of the match. Tokens without a match get times spread between their
neighbours by :func:`claimreel.narration.timing.place_words`.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Sequence

from ..timing import Token

__all__ = ["Phone", "phones_of", "token_marks"]

Phone = tuple[str, int]  # (phoneme codepoint, its start in samples within the block)
_SKIP = set("ˈˌ ‖|") | set(".,;:!?-—–'\"()[]")


def _sounds(phonemes: Sequence[str]) -> str:
    text = unicodedata.normalize("NFD", "".join(phonemes))
    return "".join(c for c in text if c not in _SKIP and not c.isspace())


def token_marks(tokens: Sequence[Token], phones: Sequence[Phone], phonemize: Callable[[str], list[str]],
                rate: int) -> list[tuple[int, int]]:
    """(character index, ms) for each token found in ``phones``."""
    said = "".join(c for c, _ in phones)
    starts = [s for _, s in phones]
    own: list[str] = [_sounds(phonemize(t.text)) for t in tokens]
    joined = "".join(own)
    matcher = difflib.SequenceMatcher(None, said, joined, autojunk=False)
    blocks = matcher.get_matching_blocks()
    marks: list[tuple[int, int]] = []
    at = 0
    for token, sounds in zip(tokens, own):
        lo, hi = at, at + len(sounds)
        at = hi
        for block in blocks:
            if block.size and block.b + block.size > lo and block.b < hi:
                first = max(lo, block.b)
                index = block.a + first - block.b
                marks.append((token.start, starts[index] * 1000 // rate))
                break
    return marks


def phones_of(phonemes: Sequence[str], lengths: Sequence[int], offset: int) -> list[Phone]:
    """The sounds of one sentence with their start samples; ``lengths`` has one entry per phoneme
    plus the start and end symbols Piper adds (each phoneme's own and its padding's samples)."""
    out: list[Phone] = []
    at = offset + lengths[0]
    for phoneme, length in zip(phonemes, lengths[1:]):
        for c in unicodedata.normalize("NFD", phoneme):
            if c not in _SKIP and not c.isspace():
                out.append((c, at))
        at += length
    return out
