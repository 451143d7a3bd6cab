"""Lint profiles: the caption rules of one style guide (docs/standards.md, "Captions and subtitles").

* ``netflix`` (default): the rules claimreel renders to — 42 characters per
  line (Netflix Timed Text Style Guide), 17/20 cps, 5/6–7 s, 2-frame gaps.
* ``bbc``: the same timing with 37 characters per line (BBC Subtitle
  Guidelines, broadcast).
* ``dcmp``: the same timing with 32 characters per line (DCMP Captioning Key).

A profile narrows the rules of a format's caption files (:func:`~claimreel.captions.rules.sidecar_rules`):
the narrower of the profile's width and the format's (or the language's) width applies.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import ClaimreelError
from .rules import CaptionRules, sidecar_rules

__all__ = ["DEFAULT_PROFILE", "PROFILES", "profile_rules"]

PROFILE_CHARS: dict[str, int] = {"netflix": 42, "bbc": 37, "dcmp": 32}
PROFILES = tuple(PROFILE_CHARS)
#: The profile a render's own captions are made to, and the one lint holds them to unless told.
DEFAULT_PROFILE = "netflix"


def profile_rules(profile: str, fmt: str = "16x9", lang: str | None = None) -> CaptionRules:
    """The rules of ``profile`` for format ``fmt``'s captions (``lang``: a translated track's)."""
    try:
        chars = PROFILE_CHARS[profile]
    except KeyError:
        raise ClaimreelError(
            f"profile: unknown caption profile {profile!r}; use one of {', '.join(PROFILES)}"
        ).naming("profile") from None
    base = sidecar_rules(fmt, lang)
    return replace(base, max_chars_per_line=min(chars, base.max_chars_per_line))
