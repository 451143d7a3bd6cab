"""Every problem of a script, in one list: the one place ``load_script``, ``render``,
``validate``, the command line and the studio learn what is wrong with a script.

Reading the script (:func:`~claimreel.script.load.read_script`) finds the problems of its YAML,
fields, text, rating and files. When its fields parse, the checks made later run too, each on its
own so that one failing does not hide the others: the theme and its rating, contrast, the sound
files, the voice, the fonts (each field), the caps, the footage and documents, and the layout in
every format. A check that needs what an earlier one refused is skipped, not guessed: the layout
waits for a theme, a rating it knows, and pictures, clips and documents that can be used. A
problem on a field already reported is not reported again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

from ..encode.ffmpeg import Ffmpeg
from ..errors import ClaimreelError, Problem, ScriptError, problems_in
from ..layout.formats import Format, get_format
from ..layout.text import FontBook, check_coverage
from ..layout.theme import Theme
from ..narration.disclosure import with_engine
from ..narration.plan import resolve_sound, sound_fields
from ..narration.voice_checks import check_voice
from ..publish.credentials import SigningIdentity, SigningRequest, signing_request
from ..script.checks import asset_fields
from ..script.explain import dotted
from ..script.load import LoadedScript, read_script
from .checks import (check_contrast, check_rating, drawn_texts, ends_on_card, script_texts, theme_for,
                     with_verdict_word)
from .layouts import layout_all, layout_end_cards
from .limits import Limits, check_pixels, check_text_length
from .media import check_media
from .signing import signing_identity

__all__ = ["Checked", "check_all", "validation"]

T = TypeVar("T")


@dataclass
class Checked:
    """What checking a script found, and what the checks made on the way (for a render to reuse).

    ``loaded`` is the script as a render uses it (the theme's verdict word filled in, ``--voice``
    laid in), ``written`` as the script says it; ``layouts`` and ``end_cards`` are those of the
    formats checked."""

    path: Path
    loaded: LoadedScript | None = None
    written: LoadedScript | None = None
    theme: Theme | None = None
    book: FontBook | None = None
    signing: SigningIdentity | None = None
    layouts: dict[str, Any] = field(default_factory=dict)
    end_cards: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    options: tuple[str, ...] = ()  # the options the problems' messages name (ClaimreelError.naming)

    def ready(self) -> tuple[LoadedScript, Theme, FontBook]:
        """The checked script, theme and fonts; ScriptError listing every problem when there is one."""
        if self.problems or self.loaded is None or self.theme is None or self.book is None:
            raise ScriptError(self.problems).naming(*self.options)
        return self.loaded, self.theme, self.book

    def step(self, check: Callable[[], T]) -> T | None:
        """Run one check; an input error (exit 2) is kept as problems and gives None."""
        return self.run(check)[1]

    def passes(self, check: Callable[[], object]) -> bool:
        """Run one check (as :meth:`step`); whether it found nothing wrong."""
        return self.run(check)[0]

    def run(self, check: Callable[[], T]) -> tuple[bool, T | None]:
        try:
            return True, check()
        except ClaimreelError as exc:
            if exc.exit_code != 2:  # not the script's fault: a failure to report, not a problem
                raise
            self.options += tuple(o for o in exc.options if o not in self.options)  # for the command line's flags
            reported = {p.path for p in self.problems if p.path}
            self.problems += [p for p in problems_in(exc, str(self.path)) if not p.path or p.path not in reported]
            return False, None


def check_all(
    path: Path | LoadedScript,
    *,
    formats: Sequence[Format | str] | None = None,
    voice: str | None = None,
    limits: Limits | None = None,
    ffmpeg: Ffmpeg | None = None,
    signing: SigningRequest | None = None,
    sign: bool = False,
    also: str | None = None,
) -> Checked:
    """Every problem of the script at ``path`` (see the module docstring), checking the layout of
    ``formats`` (default the script's own, and the format ``also`` names); ``sign``: check the signing
    identity too (``signing``, else the theme's). ``path`` may be a script already read (a queued
    task's, as it was submitted, its files pointing at the stored copies)."""
    if isinstance(path, LoadedScript):
        checked, read_problems = Checked(path.path), []
        loaded = checked.written = path
    else:
        checked = Checked(Path(path))
        reading = read_script(checked.path)
        checked.problems = read_problems = list(reading.problems)
        loaded = checked.written = reading.loaded
    if loaded is None:  # the fields do not parse: nothing else can be checked
        return checked
    limits = limits or Limits.from_env()
    theme = checked.step(lambda: theme_for(loaded))
    rated = theme is not None and checked.passes(lambda: check_rating(loaded, theme))
    if theme is not None:
        checked.step(lambda: check_contrast(loaded, theme))
        book = FontBook(theme.fonts, theme.fallbacks)
        for where, text in drawn_texts(loaded, theme).items():
            checked.step(lambda: check_coverage(book, {where: text}))
        if sign:
            checked.signing = checked.step(lambda: signing_identity(signing, theme))
        checked.theme, checked.book = theme, book
    for where, value in sound_fields(loaded.script):
        checked.step(lambda: resolve_sound(loaded, where, value))
    checked.step(lambda: check_voice(loaded, voice))
    checked.step(lambda: check_text_length(loaded, script_texts(loaded.script), limits))
    checked.step(lambda: check_pixels(loaded, limits))
    media = checked.passes(lambda: check_media(loaded, limits, ffmpeg or Ffmpeg()))
    if rated:
        loaded = with_verdict_word(loaded, theme)
    # --voice laid into the script, so the credits, transcript and manifest name who really speaks
    loaded = dataclasses.replace(loaded, script=with_engine(loaded.script, voice))
    checked.loaded = loaded
    if rated and media and checked.book is not None and not _files_refused(loaded, read_problems):
        chosen = list(formats or loaded.script.formats)
        if also is not None and also not in chosen:
            chosen.append(also)
        _check_layout(checked, loaded, theme, checked.book, chosen)
    return checked


def validation(path: Path, formats: Sequence[Format | str] | None = None) -> Checked:
    """What ``validate`` checks (and the studio shows): :func:`check_all` with the signing identity a
    render would use (``CLAIMREEL_SIGN_*``, else the theme's)."""
    return check_all(path, formats=formats, signing=signing_request(None, None), sign=True)


def _check_layout(checked: Checked, loaded: LoadedScript, theme: Theme, book: FontBook,
                  formats: Sequence[Format | str]) -> None:
    chosen = [get_format(f) if isinstance(f, str) else f for f in formats]
    checked.layouts = checked.step(lambda: layout_all(loaded, theme, book, chosen)) or {}
    if ends_on_card(loaded.script):
        checked.end_cards = checked.step(lambda: layout_end_cards(loaded, theme, book, chosen)) or {}


def _files_refused(loaded: LoadedScript, problems: Sequence[Problem]) -> bool:
    """Whether a picture, clip or document the script names could not be used (already reported);
    the same file may serve one field and not another (a PDF is a document's page, no photo)."""
    refused = {p.path for p in problems}
    data = loaded.script.model_dump(mode="json")
    return any(value not in loaded.assets or dotted(path) in refused for path, value in asset_fields(data))
