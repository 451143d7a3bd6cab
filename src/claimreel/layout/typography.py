"""Quotation marks and apostrophes as each language prints them, for text shown on screen.

Scripts are typed on keyboards: quotes arrive as straight ``"`` and ``'``. On a card
they become the language's own marks (English “…” and ‘…’, German „…“ and ‚…‘,
French « … » with narrow no-break spaces, Chinese “…”), and an apostrophe becomes
’. Only what is drawn changes: narration, captions and the files published beside
the video keep the producer's text, so speech engines read what was written.

A quote card or claim card adds its own outer marks; marks a producer pasted around
the words are taken off first (:func:`quoted`), and quotes inside the quotation take
the language's inner marks.

To add a language, add its four marks to :data:`MARKS` under its primary subtag.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..script.model import Script

__all__ = ["MARKS", "Marks", "marks_for", "quoted", "smarten", "typeset_script"]

NNBSP = "\u202f"  # narrow no-break space (French spacing inside guillemets)

#: Outer open and close, inner open and close, by language (primary subtag).
Marks = tuple[str, str, str, str]
MARKS: dict[str, Marks] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "nl": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "pt": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "zh": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "ko": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "cs": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "pl": ("\u201e", "\u201d", "\u00ab", "\u00bb"),
    "fr": ("\u00ab" + NNBSP, NNBSP + "\u00bb", "\u201c", "\u201d"),
    "es": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "it": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "ru": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "uk": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "ja": ("\u300c", "\u300d", "\u300e", "\u300f"),
    "ar": ("\u00ab", "\u00bb", "\u201d", "\u201c"),
    "fa": ("\u00ab", "\u00bb", "\u201d", "\u201c"),
    "ug": ("\u00ab", "\u00bb", "\u201d", "\u201c"),
}
APOSTROPHE = "\u2019"
# Every opening and closing mark a producer might paste around a whole quotation.
_PAIRS = {'"': '"', "'": "'", "\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb", "\u00bb": "\u00ab",
          "\u2018": "\u2019", "\u201a": "\u2018", "\u300c": "\u300d", "\u300e": "\u300f", "\u201d": "\u201d"}
_BEFORE_OPENING = " \t\n([{\u2014\u2013-/\u201c\u201e\u00ab\u2018\u201a\u300c"

# Script fields drawn on screen (paths from the top of the script), other than the claim's and quote
# cards' quotations, which :func:`quoted` sets with the card's own marks.
_SHOWN = ("title", "on_screen", "attribution", "caption", "credit", "headline", "unit", "source", "summary",
          "label", "name", "role", "publisher")


def marks_for(language: str) -> Marks:
    """The quotation marks of ``language`` (a BCP 47 tag); English marks for languages not listed."""
    return MARKS.get(language.split("-", 1)[0].lower(), MARKS["en"])


def _opens(text: str, i: int) -> bool:
    """Whether the straight mark at ``i`` opens a quotation (at the start, or after a space or bracket)."""
    return i == 0 or text[i - 1] in _BEFORE_OPENING


def smarten(text: str, language: str = "en", *, inner: bool = False) -> str:
    """``text`` with straight quotes and apostrophes in the language's marks; ``inner``: the text sits inside
    a quotation already, so its double quotes take the inner marks."""
    outer_open, outer_close, inner_open, inner_close = marks_for(language)
    if inner:
        outer_open, outer_close = inner_open, inner_close
    out: list[str] = []
    single_open = False
    for i, ch in enumerate(text):
        if ch == '"':
            out.append(outer_open if _opens(text, i) else outer_close)
        elif ch == "'":
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before.isalnum() and (after.isalnum() or not single_open):
                out.append(APOSTROPHE)  # don't, l'homme, the students' union
            elif _opens(text, i) and not after.isdigit() and "'" in text[i + 1:]:
                out.append(inner_open)
                single_open = True
            elif single_open:
                out.append(inner_close)
                single_open = False
            else:
                out.append(APOSTROPHE)  # '90s, an elision at a word's start
        else:
            out.append(ch)
    return "".join(out)


def _unwrapped(text: str) -> str:
    """``text`` without quotation marks pasted around all of it (one pair, of any style)."""
    text = text.strip()
    if len(text) < 2 or text[0] not in _PAIRS or text[-1] != _PAIRS[text[0]]:
        return text
    opener, closer = text[0], text[-1]
    depth = 1
    for i in range(1, len(text) - 1):
        ch = text[i]
        if ch == opener and (opener != closer or _opens(text, i)):
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return text  # '"a" and "b"': the first mark closes before the end, so two quotations
    return text[1:-1].strip() if depth == 1 else text


def quoted(text: str, language: str = "en") -> str:
    """``text`` between the language's quotation marks, without doubling marks pasted around it;
    quotes inside take the inner marks."""
    outer_open, outer_close, _, _ = marks_for(language)
    return f"{outer_open}{smarten(_unwrapped(text), language, inner=True)}{outer_close}"


def _typeset(value: Any, language: str, key: str | None) -> Any:
    if isinstance(value, str):
        return smarten(value, language) if key in _SHOWN else value
    if isinstance(value, dict):
        return {k: _typeset(v, language, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_typeset(v, language, None) for v in value]
    return value


def typeset_script(script: Script) -> Script:
    """The script as drawn: the text shown on cards with the language's marks. Narration, subtitles,
    addresses and the quotations (set by :func:`quoted`) stay as written."""
    data = script.model_dump(mode="python")
    typeset = {k: _typeset(v, script.language, k) for k, v in data.items()}
    return type(script).model_validate(typeset)
