"""A render's options from the user's choices, as the command line, the API and job files spell them.

:func:`render_options` is the one place a :class:`RenderOptions` is made from those
choices: every caller (the API, the queue's runner, export, storyboards, clips) gives
what its user chose and gets the same checks and defaults. Formats and cuts take the
same words everywhere (``16x9,9x16``, ``all``, ``none``), so an error names the option
the same way wherever it came from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..errors import ClaimreelError
from ..layout.formats import FORMATS

if TYPE_CHECKING:  # the command line imports this module to build its parser: nothing heavy at import
    from ..publish.credentials import SigningRequest
    from ..script.load import LoadedScript
    from .limits import Limits
    from .request import RenderOptions

__all__ = ["DESCRIBED", "parse_cuts", "parse_formats", "render_options"]

#: What the audio description can be: a described track in every video, or also an extended version.
DESCRIBED = ("track", "extended")


def render_options(
    script: Path | str | LoadedScript,
    *,
    formats: str | Sequence[str] | None = None,
    cuts: str | Sequence[str] | None = None,
    preview: bool = False,
    described: str = "track",
    voice: str | None = None,
    loudness: str | None = None,
    out: Path | str = Path("render/out"),
    cache: Path | str = Path("render/cache"),
    jobs: int = 0,
    ffmpeg: str | None = None,
    media_base_url: str | None = None,
    signing: SigningRequest | None = None,
    limits: Limits | None = None,
    wait_for_output: bool = False,
) -> RenderOptions:
    """The options for rendering ``script``, checked, with what was not chosen filled in.

    ``formats``: names, a comma list or ``all`` (None: the script's own, so the script is read);
    ``cuts``: names, ``all`` or ``none`` (None: all the script's, none for a ``preview``, since a
    draft is for checking the edit); ``limits``: None for the caps of ``CLAIMREEL_MAX_*`` or built
    in. The rest are kept as given (see :class:`RenderOptions`). A bad choice raises a
    :class:`~claimreel.errors.ClaimreelError` (exit 2) naming the option.
    """
    from ..script.fields import URL_PATTERN
    from .limits import Limits
    from .request import RenderOptions

    if jobs < 0:
        raise ClaimreelError("jobs: give 0 (one per core) or a positive number").naming("jobs")
    if described not in DESCRIBED:
        raise ClaimreelError(f"described: {described!r} is not a choice; give track or extended").naming("described")
    if media_base_url is not None and not re.match(URL_PATTERN, media_base_url):
        raise ClaimreelError(f"media_base_url: {media_base_url!r} is not an http(s) address; "
                             "give e.g. https://media.example.org/checks/my-check/").naming("media_base_url")
    if formats is None:
        from ..script.load import LoadedScript, script_formats

        # read before the script is checked, so the render reports every problem at once
        names = tuple(script.script.formats) if isinstance(script, LoadedScript) else script_formats(Path(script))
    else:
        names = parse_formats(formats)
    return RenderOptions(
        formats=names, out=Path(out), cache=Path(cache), preview=preview, described=described, voice=voice,
        jobs=jobs, ffmpeg=ffmpeg, loudness=loudness, cuts=() if preview and cuts is None else parse_cuts(cuts),
        media_base_url=media_base_url, limits=limits if limits is not None else Limits.from_env(),
        wait_for_output=wait_for_output, signing=signing,
    )


def parse_formats(value: str | Sequence[str]) -> tuple[str, ...]:
    """Format names from ``all``, a comma list, or a sequence of names (exit 2 naming unknown ones)."""
    text = value if isinstance(value, str) else ",".join(value)
    if text.strip() == "all":
        return tuple(FORMATS)
    names = tuple(dict.fromkeys(v.strip() for v in text.split(",") if v.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise ClaimreelError(
            f"formats: unknown format {', '.join(unknown) or text!r}; use a comma list of "
            f"{', '.join(FORMATS)} or 'all'"
        ).naming("formats")
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
        raise ClaimreelError(f"cuts: give cut names separated by commas, 'all' or 'none', not {value!r}"
                             ).naming("cuts")
    return names
