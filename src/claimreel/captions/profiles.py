"""Lint profiles: the caption rules of one style guide (docs/standards.md, "Captions and subtitles").

* ``netflix`` (default): the rules claimreel renders to — 42 characters per
  line (Netflix Timed Text Style Guide), 17/20 cps, 5/6–7 s, 2-frame gaps.
* ``bbc``: the same timing with 37 characters per line (BBC Subtitle
  Guidelines, broadcast).
* ``dcmp``: the same timing with 32 characters per line (DCMP Captioning Key).

For 9:16 the narrower of the profile's width and the format's width applies.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import ClaimreelError
from .rules import CaptionRules, rules_for_format

__all__ = ["DEFAULT_PROFILE", "PROFILES", "profile_rules"]

PROFILE_CHARS: dict[str, int] = {"netflix": 42, "bbc": 37, "dcmp": 32}
PROFILES = tuple(PROFILE_CHARS)
#: The profile a render's own captions are made to, and the one lint holds them to unless told.
DEFAULT_PROFILE = "netflix"


def profile_rules(profile: str, fmt: str = "16x9") -> CaptionRules:
    """The rules of ``profile`` for output format ``fmt``."""
    try:
        chars = PROFILE_CHARS[profile]
    except KeyError:
        raise ClaimreelError(
            f"profile: unknown caption profile {profile!r}; use one of {', '.join(PROFILES)}"
        ).naming("profile") from None
    base = rules_for_format(fmt)
    return replace(base, max_chars_per_line=min(chars, base.max_chars_per_line))
