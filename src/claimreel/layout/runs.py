"""Text for the world's scripts: paragraph direction, font runs, and break opportunities.

* :func:`direction` follows the Unicode bidi rule P2: the first strong character
  decides (Arabic-script text is right-to-left).
* :func:`font_runs` splits a line into runs drawn by one font each: a character
  goes to the first font that covers it; spaces, digits and punctuation stay in
  the current run when its font has them, so shaping is not broken mid-word.
* :func:`tokens` splits a paragraph into units a line may break between: words
  for space-separated scripts, single characters for CJK, with closing
  punctuation kept on the character before it (no line starts with ``，`` or
  ``。``) and opening punctuation on the character after it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Literal, Sequence

__all__ = ["CLOSING", "OPENING", "direction", "font_runs", "is_cjk", "join_tokens", "tokens"]

# No line may start with these (CJK "kinsoku" rules, simplified Chinese set plus Latin).
CLOSING = frozenset("，。、．！？；：）」』》〉】〕〗〙〛’”…‥·・ー%)]},.!?;:\u060c\u061b\u061f")
# No line may end with these.
OPENING = frozenset("（「『《〈【〔〖〘〚‘“([{")

_CJK_RANGES = (
    (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F), (0x3190, 0x31FF),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
    (0x20000, 0x3134F),
)


def is_cjk(ch: str) -> bool:
    """A character of a script written without spaces between words (Han, kana, CJK punctuation)."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def direction(text: str) -> Literal["ltr", "rtl"]:
    """The paragraph direction of ``text``: the first strong character decides (UAX #9, P2)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _strong(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("L", "R", "AL")


def font_runs(text: str, covers: Sequence[frozenset[int]]) -> list[tuple[int, str]]:
    """Logical-order runs ``(font index, text)``; a character no font covers goes to font 0."""
    if text and covers and covers[0].issuperset(map(ord, text)):
        return [(0, text)]  # what the loop below gives when the main font has every character, at C speed
    runs: list[tuple[int, str]] = []
    current, buf = -1, []  # type: int, list[str]
    # Digits and punctuation before the first letter go with that letter's font when it has them, so
    # "2022-يىلى" is one right-to-left run and bidi orders the number inside it.
    first = next((ch for ch in text if _strong(ch)), None)
    lead = next((i for i, c in enumerate(covers) if first is not None and ord(first) in c), -1)
    for ch in text:
        code = ord(ch)
        if current < 0 and lead >= 0 and not _strong(ch) and code in covers[lead]:
            current = lead
        if current >= 0 and not _strong(ch) and code in covers[current]:
            buf.append(ch)  # spaces, digits, punctuation, marks stay with the run around them
            continue
        choice = next((i for i, c in enumerate(covers) if code in c), 0)
        if choice != current:
            if buf:
                runs.append((current, "".join(buf)))
            current, buf = choice, []
        buf.append(ch)
    if buf:
        runs.append((current, "".join(buf)))
    return runs


# Spaces a line may break at: any white space but the no-break ones (U+00A0, U+2007, and U+202F, which
# French sets inside its guillemets).
_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def tokens(paragraph: str) -> list[tuple[str, bool]]:
    """Break units of ``paragraph`` as ``(text, space_before)`` pairs."""
    return list(_cached_tokens(paragraph))


@functools.lru_cache(maxsize=4096)
def _cached_tokens(paragraph: str) -> tuple[tuple[str, bool], ...]:
    # Cached: fitting and balancing wrap the same paragraph at many widths and sizes.
    out: list[tuple[str, bool]] = []
    words = [w for w in _BREAKABLE_SPACE.split(paragraph) if w]
    for word_index, word in enumerate(words):
        space = word_index > 0
        pieces: list[str] = []
        for ch in word:
            if pieces and (ch in CLOSING or pieces[-1][-1] in OPENING):
                pieces[-1] += ch
            elif is_cjk(ch) or (pieces and is_cjk(pieces[-1][-1])):
                pieces.append(ch)
            elif pieces:
                pieces[-1] += ch
            else:
                pieces.append(ch)
        for k, piece in enumerate(pieces):
            out.append((piece, space and k == 0))
    return tuple(out)


def join_tokens(units: Sequence[tuple[str, bool]]) -> str:
    return "".join((" " if space and i else "") + text for i, (text, space) in enumerate(units))
