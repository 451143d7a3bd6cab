"""IPA (as Piper voices take it) to espeak-ng's phoneme mnemonics, for ``pronounce:`` entries.

espeak-ng reads phonemes in ``[[...]]`` in its own ASCII notation, not IPA. The table covers
the sounds of English and the common vowels and consonants of names; an entry with a symbol it
does not know is said as written by espeak (:func:`to_espeak` gives None) and ``docs/voice.md``
says to give such a name a respelling.
"""

from __future__ import annotations

import unicodedata

__all__ = ["to_espeak"]

_TABLE = {
    "tʃ": "tS", "dʒ": "dZ", "aɪ": "aI", "eɪ": "eI", "oʊ": "oU", "aʊ": "aU", "ɔɪ": "OI",
    "ɑː": "A:", "ɔː": "O:", "iː": "i:", "uː": "u:", "ɜː": "3:", "ɪə": "i@", "eə": "e@", "ʊə": "U@",
    "ˈ": "'", "ˌ": ",", "ː": ":", " ": " ",
    "ɑ": "A", "æ": "a", "ʌ": "V", "ə": "@", "ɚ": "3", "ɐ": "a#", "ɛ": "E", "ɪ": "I", "ᵻ": "I2",
    "ɒ": "0", "ɔ": "O", "ʊ": "U", "a": "a", "e": "e", "i": "i", "o": "o", "u": "u", "y": "y",
    "ʃ": "S", "ʒ": "Z", "θ": "T", "ð": "D", "ŋ": "N", "ɹ": "r", "r": "r", "ɾ": "*", "ɡ": "g", "ç": "C",
    "x": "x", "ɲ": "n^", "ʎ": "l^", "ʔ": "?",
    **{c: c for c in "bdfghjklmnpstvwz"},
}
_LONGEST = max(len(k) for k in _TABLE)


def to_espeak(ipa: str) -> str | None:
    """``ipa`` in espeak-ng mnemonics, or None if it has a symbol the table lacks."""
    text = unicodedata.normalize("NFC", ipa)
    out: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(_LONGEST, len(text) - i), 0, -1):
            found = _TABLE.get(text[i : i + size])
            if found is not None:
                out.append(found)
                i += size
                break
        else:
            return None
    return "".join(out)
