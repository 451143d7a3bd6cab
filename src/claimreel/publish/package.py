"""The publishing package beyond the video and captions: which file holds what, as bytes.

:func:`format_files` gives the files of one format folder (tracks, player page,
poster, storyboard); :func:`package_files` the files beside them (transcript
page, JSON-LD). The render job writes them atomically into its staging folder.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from ..layout.formats import Format
from ..layout.text import FontBook
from ..layout.theme import Theme
from ..script.model import Script
from ..timeline.build import SceneSpec
from ..timeline.model import Cue, Timeline
from .html import transcript_html
from .images import poster_jpeg, storyboard_png
from .jsonld import claimreview_jsonld
from .player import Track, player_page
from .tracks import chapter_cues, description_cues
from .transcript import transcript_entries, transcript_text
from .vtt import vtt_text

__all__ = ["format_files", "package_files", "player_tracks"]


def player_tracks(
    script: Script,
    specs: Sequence[SceneSpec],
    timeline: Timeline,
    translations: Mapping[str, Sequence[Cue]] | None = None,
    theme: Theme | None = None,
) -> tuple[Track, ...]:
    """Captions (on by default), translated subtitles, descriptions and chapters."""
    lang = script.language
    entries = transcript_entries(script, specs, timeline, theme)
    subtitles = tuple(
        Track("subtitles", f"captions.{code}.vtt", code, f"Subtitles ({code})", tuple(cues))
        for code, cues in sorted((translations or {}).items())
    )
    return (
        Track("captions", "captions.vtt", lang, "Captions", timeline.cues, default=True),
        *subtitles,
        Track("descriptions", "descriptions.vtt", lang, "Descriptions", description_cues(entries, timeline)),
        Track("chapters", "chapters.vtt", lang, "Chapters", chapter_cues(timeline)),
    )


def format_files(
    script: Script,
    specs: Sequence[SceneSpec],
    fmt: Format,
    timeline: Timeline,
    stills: Sequence[bytes],
    book: FontBook,
    translations: Mapping[str, Sequence[Cue]] | None = None,
    theme: Theme | None = None,
    credentials: str = "",
    extended: str | None = None,
) -> dict[str, bytes]:
    """``descriptions.vtt``, ``chapters.vtt``, translated ``captions.<lang>.vtt``, ``index.html``,
    ``poster.jpg``, ``storyboard.png`` (``stills``: one JPEG per scene, see :mod:`.images`);
    ``theme``: the render's, whose words the descriptions use; ``credentials``: the player page's
    Content Credentials disclosure (HTML), when the render signs; ``extended``: the extended described
    video beside them, if rendered."""
    entries = transcript_entries(script, specs, timeline, theme)
    tracks = player_tracks(script, specs, timeline, translations, theme)
    files = {t.src: vtt_text(t.cues, kind=t.kind).encode("utf-8") for t in tracks if t.kind != "captions"}
    files["index.html"] = player_page(script, fmt, entries, tracks, timeline.duration_ms, theme=theme,
                                     credentials=credentials, extended=extended).encode("utf-8")
    files["poster.jpg"] = poster_jpeg(stills, timeline)
    files["storyboard.png"] = storyboard_png(stills, timeline, fmt, book, title=script.title)
    return files


def package_files(
    script: Script, specs: Sequence[SceneSpec], timelines: dict[str, Timeline], theme: Theme,
    media_base: str | None = None,
) -> dict[str, bytes]:
    """``transcript.html`` and ``claimreview.jsonld`` (timed by the first format's timeline; its media
    addresses made from ``media_base``, left out without it)."""
    formats = list(timelines)
    first = timelines[formats[0]]
    entries = transcript_entries(script, specs, first, theme)
    return {
        "transcript.html": transcript_html(script, entries, first.duration_ms, theme).encode("utf-8"),
        "claimreview.jsonld": claimreview_jsonld(
            script, formats=formats, duration_ms=first.duration_ms,
            transcript=transcript_text(script, specs, first, theme), rating_scale=theme.rating_labels,
            media_base=media_base,
        ).encode("utf-8"),
    }
