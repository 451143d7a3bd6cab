"""A language tag (BCP 47, as scripts write it) as the three-letter code an MP4 track carries.

ISO/IEC 14496-12 tags a track with an ISO 639-2/T code; ffmpeg's MP4 muxer writes only three-letter
codes, so ``en-GB`` must reach it as ``eng``. The table covers the languages claimreel's voices and
fonts serve; any other tag is ``und`` (undetermined), which players treat as unlabelled.
"""

from __future__ import annotations

__all__ = ["iso639_2"]

_CODES = {
    "ar": "ara", "bg": "bul", "bn": "ben", "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu",
    "el": "ell", "en": "eng", "es": "spa", "et": "est", "eu": "eus", "fa": "fas", "fi": "fin", "fr": "fra",
    "ga": "gle", "gl": "glg", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "id": "ind", "is": "isl",
    "it": "ita", "ja": "jpn", "ko": "kor", "lt": "lit", "lv": "lav", "ms": "msa", "mt": "mlt", "nb": "nob",
    "nl": "nld", "nn": "nno", "no": "nor", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk",
    "sl": "slv", "sq": "sqi", "sr": "srp", "sv": "swe", "sw": "swa", "ta": "tam", "th": "tha", "tl": "tgl",
    "tr": "tur", "uk": "ukr", "ur": "urd", "vi": "vie", "zh": "zho",
}


def iso639_2(tag: str) -> str:
    """The ISO 639-2/T code of a language tag's primary subtag (``pt-BR`` -> ``por``), else ``und``."""
    primary = tag.split("-")[0].split("_")[0].lower()
    if len(primary) == 3 and primary.isalpha():
        return primary
    return _CODES.get(primary, "und")
