"""The checks a script passes before anything renders: its theme and rating, contrast, voices,
sound assets and font coverage; shared by ``validate`` and ``render``.
"""

from __future__ import annotations

import dataclasses

from ..errors import ClaimreelError, ScriptError
from ..layout.labels import primary_language
from ..layout.plate import logo_plate_problem
from ..layout.text import FontBook, check_coverage
from ..layout.theme import Theme, contrast_problems, load_theme, themes_for, themes_root
from ..narration.plan import check_sound_assets
from ..narration.voice_checks import check_voice
from ..script.load import LoadedScript
from ..script.model import Script

__all__ = ["check_contrast", "check_rating", "check_script", "drawn_texts", "ends_on_card", "script_texts", "script_warnings",
           "theme_for", "with_verdict_word"]


def script_warnings(script: Script) -> list[str]:
    """What a valid script leaves out that a publisher may want (``validate`` prints them; exit 0)."""
    if script.publish is None or script.publish.media_base_url is None:
        return ["no publish.media_base_url: claimreview.jsonld will have no contentUrl, embedUrl or thumbnailUrl "
                "(set publish: {media_base_url: https://...}, or give the render a media_base_url)"]
    return []



def theme_for(loaded: LoadedScript) -> Theme:
    """The script's theme; one it names that does not exist is an error at its ``theme:`` line."""
    name = loaded.script.theme
    root = themes_for(loaded.root, name)
    if not (root / name / "theme.yaml").is_file():
        known = sorted({p.parent.name for r in (loaded.root / "assets" / "themes", themes_root())
                        for p in r.glob("*/theme.yaml")})
        raise ScriptError([loaded.problem(("theme",), f"no theme named {name!r}", f"known themes: {', '.join(known)}")])
    return load_theme(name, root)


def script_texts(script: Script) -> dict[str, str]:
    """Every text that appears on screen, keyed by where it comes from."""
    texts = {
        "title": script.title,
        "outlet.name": script.outlet.name,
        "claim.quote": script.claim.quote,
        "claim.speaker.name": script.claim.speaker.name,
        "claim.speaker.title": script.claim.speaker.title or "",
        "claim.appeared.name": script.claim.appeared.name if script.claim.appeared else "",
        "verdict.summary": script.verdict.summary,
    }
    for i, block in enumerate(script.body):
        for name in ("on_screen", "text", "attribution", "caption", "credit", "headline", "number", "unit",
                     "source", "narration", "where"):
            value = getattr(block, name, None)
            if isinstance(value, str):
                texts[f"body.{i}.{name}"] = value
        for j, item in enumerate(getattr(block, "compare", None) or ()):
            texts[f"body.{i}.compare.{j}.label"] = item.label
        for name in ("transcript", "translation"):  # burned in as captions
            for j, line in enumerate(getattr(block, name, None) or ()):
                texts[f"body.{i}.{name}.{j}.text"] = line.text + (f" {line.speaker}" if line.speaker else "")
    if script.claim.clip is not None:
        for j, line in enumerate(script.claim.clip.spoken):
            texts[f"claim.clip.spoken.{j}.text"] = line.text + (f" {line.speaker}" if line.speaker else "")
    for i, credit in enumerate(script.credits):
        texts[f"credits.{i}"] = f"{credit.role} {credit.name}"
    for i, source in enumerate(script.sources):
        texts[f"sources.{i}"] = f"{source.title} {source.publisher or ''}"
    return texts


def check_rating(loaded: LoadedScript, theme: Theme) -> None:
    """``verdict.rating`` must be one of the ratings of the script's theme (exit 2 pointing at it)."""
    from ..script.checks import check_rating as failure_for

    failure = failure_for(loaded.script.verdict.rating, theme.rating_labels)
    if failure is not None:
        message = f"theme {theme.name!r} has no rating {loaded.script.verdict.rating!r}"
        raise ScriptError([loaded.problem(("verdict", "rating"), message, failure.hint)])


def with_verdict_word(loaded: LoadedScript, theme: Theme) -> LoadedScript:
    """``loaded`` with ``verdict.label`` filled from the theme (its name for the rating in the
    script's language) when the script gives none, so the card, transcripts, tracks, chapters,
    storyboard and structured data all say the same word (``Verdict.shown``)."""
    verdict = loaded.script.verdict
    if verdict.label:
        return loaded
    word = theme.labels_for(loaded.script).rating(theme.rating(verdict.rating).label)
    script = loaded.script.model_copy(update={"verdict": verdict.model_copy(update={"label": word})})
    return dataclasses.replace(loaded, script=script)


def _logo_problems(loaded: LoadedScript, theme: Theme) -> list[str]:
    """The corner mark's logo against the plate it sits on over pictures (layout.plate)."""
    if loaded.script.outlet.logo:
        logo, where = loaded.assets.get(loaded.script.outlet.logo), f"{loaded.path}: outlet.logo"
        if logo is None:
            return []  # a missing logo is reported on its field by the asset checks
    elif theme.logo is not None:
        logo, where = theme.logo, f"{theme.folder / 'theme.yaml'}: logo.file"
    else:
        return []
    try:
        problem = logo_plate_problem(theme.colors, theme.name, logo, where)
    except OSError:
        return []  # a missing or unreadable image is reported on its field by the asset checks
    return [problem] if problem else []


def check_contrast(loaded: LoadedScript, theme: Theme) -> None:
    """The theme's colour pairs, the script's own background colours under its text, and the logo on
    its plate must meet their WCAG minimum (one line per pair that does not)."""
    backgrounds = {
        f"body.{i}": block.background.color
        for i, block in enumerate(loaded.script.body)
        if getattr(block, "background", None) is not None and block.background.color
    }
    problems = [f"{loaded.path}: {p}" for p in contrast_problems(theme, backgrounds)]
    problems += _logo_problems(loaded, theme)
    if problems:
        raise ClaimreelError("\n".join(problems))


def ends_on_card(script: Script) -> bool:
    """Whether anything of the render ends on the theme's end card (the verdict, the outlet's mark
    and the fact-check's address): every social cut does, and the full video does when the script
    gives the fact-check's address (``url``)."""
    return bool(script.cuts) or script.url is not None


def drawn_texts(loaded: LoadedScript, theme: Theme) -> dict[str, str]:
    """Every text a font must draw, keyed by where it is written (``FILE: field``)."""
    texts = {f"{loaded.path}: {k}": v for k, v in script_texts(loaded.script).items()}
    if ends_on_card(loaded.script):  # the theme's end card, whose heading is in the script's language
        headings = theme.end_card.heading
        texts[f"{theme.folder / 'theme.yaml'}: end_card.heading"] = headings.get(
            primary_language(loaded.script.language)) or headings.get("en", "")
    return texts


def check_script(loaded: LoadedScript, voice: str | None = None) -> tuple[Theme, FontBook]:
    """Rating, theme, contrast, voice and font coverage checks, stopping at the first that fails
    (``voice``: the engine the render's voice option chose for every block). Renders and ``validate`` use
    :func:`claimreel.pipeline.problems.check_all`, which reports every problem."""
    theme = theme_for(loaded)
    check_rating(loaded, theme)
    check_contrast(loaded, theme)
    book = FontBook(theme.fonts, theme.fallbacks)
    check_sound_assets(loaded)
    check_voice(loaded, voice)
    check_coverage(book, drawn_texts(loaded, theme))
    return theme, book
