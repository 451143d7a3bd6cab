"""Reading the format and cut choices a render is given, as the command line and the API spell them.

Both take the same words (``16x9,9x16``, ``all``, ``none``), so an error names
the option the same way wherever it came from.
"""

from __future__ import annotations

from typing import Sequence

from ..errors import ClaimreelError
from ..layout.formats import FORMATS

__all__ = ["parse_cuts", "parse_formats"]


def parse_formats(value: str | Sequence[str]) -> tuple[str, ...]:
    """Format names from ``all``, a comma list, or a sequence of names (exit 2 naming unknown ones)."""
    text = value if isinstance(value, str) else ",".join(value)
    if text.strip() == "all":
        return tuple(FORMATS)
    names = tuple(dict.fromkeys(v.strip() for v in text.split(",") if v.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise ClaimreelError(
            f"--format: unknown format {', '.join(unknown) or text!r}; use a comma list of "
            f"{', '.join(FORMATS)} or 'all'"
        )
    return names


def parse_cuts(value: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """Cut names: None (all the script's cuts) for ``all`` or None, () for ``none`` or no names, else the names."""
    if value is None:
        return None
    if not isinstance(value, str):
        return tuple(dict.fromkeys(value))
    if value.strip() == "all":
        return None
    if value.strip() == "none":
        return ()
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if not names:
        raise ClaimreelError(f"--cuts: give cut names separated by commas, 'all' or 'none', not {value!r}")
    return names
