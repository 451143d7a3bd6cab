"""The descriptive transcript as HTML (W3C WAI model): ``transcript.html`` and the player page's copy.

Both pages render the entries of :func:`claimreel.publish.transcript.transcript_entries`
(the same data as ``transcript.txt``): one section per scene under a heading with
its time, then the audio | visual columns. The markup reads in order without CSS
(heading, "Audio", what is said, "Visual", what is shown); a small inline style
sheet sets the two columns side by side on wide screens. Pages load nothing from
outside: no fonts, scripts or images from the network.

Every text from the script goes through :func:`esc` (``&``, ``<``, ``>`` and
both quote marks), so a quote holding ``<script>`` shows verbatim.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Sequence

from ..script.model import Script
from .transcript import Entry, clock, published, sentence

if TYPE_CHECKING:
    from ..layout.theme import Theme

__all__ = ["STYLE", "byline", "esc", "json_for_script", "page", "speakers", "transcript_html", "transcript_sections"]

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:#1a1a1a;
background:#fff;margin:0}
main{max-width:62rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0}
.meta{color:#444}
a{color:#0b57a4}
.scene{border-top:1px solid #ccc;padding:.5rem 0}
.scene h2,.scene h3{font-size:1.15rem;margin:.5rem 0}
.time{font-variant-numeric:tabular-nums;font-weight:700;margin-right:.5rem}
.cols h3,.cols h4{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:#444;margin:.25rem 0}
.cols p{margin:.25rem 0}
@media (min-width:44rem){.cols{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}}
""".strip()


def esc(text: str) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(text, quote=True)


def json_for_script(value: object, *, indent: int | None = None) -> str:
    """JSON that is also safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (the same
    string to any JSON reader), so no text can close the element or open a comment.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(script: Script, title: str, body: str, *, style: str = STYLE, script_js: str = "") -> str:
    """A complete HTML5 document in the script's language."""
    js = f"<script>\n{script_js}\n</script>\n" if script_js else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(script.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>\n{style}\n</style>\n</head>\n<body>\n"
        f"{body}{js}</body>\n</html>\n"
    )


def _seconds(ms: int) -> str:
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".")


def transcript_sections(entries: Sequence[Entry], *, level: int = 2, video: str | None = None) -> str:
    """The scenes as sections; with ``video``, each time is a link that seeks that video there."""
    h, sub = f"h{level}", f"h{level + 1}"
    out = []
    for i, entry in enumerate(entries):
        stamp = esc(clock(entry.start_ms))
        if video is not None:
            seconds = _seconds(entry.start_ms)
            stamp = (f'<a class="seek" href="{esc(video)}#t={seconds}" data-start="{seconds}" '
                     f'aria-label="Play from {stamp}">{stamp}</a>')
        audio = "".join(f"<p><strong>{esc(who)}:</strong> {esc(words)}</p>" for who, words in entry.heard)
        if entry.spoken:
            audio += f"<p><strong>{esc(entry.speaker or 'Narrator')}:</strong> {esc(entry.spoken)}</p>"
        elif not audio:
            audio = "<p>No narration.</p>"
        visual = "".join(f"<p>{esc(line)}</p>" for line in entry.visual) or "<p>No on-screen text.</p>"
        out.append(
            f'<section class="scene" id="scene-{i + 1}" aria-labelledby="scene-{i + 1}-h">\n'
            f'<{h} id="scene-{i + 1}-h"><span class="time">{stamp}</span> {esc(entry.heading)}</{h}>\n'
            f'<div class="cols">\n<div class="audio"><{sub}>Audio</{sub}>{audio}</div>\n'
            f'<div class="visual"><{sub}>Visual</{sub}>{visual}</div>\n</div>\n</section>\n'
        )
    return "".join(out)


def byline(script: Script, theme: Theme | None = None) -> str:
    """Outlet, date (as the title card writes it) and the article's address, as one paragraph."""
    outlet = esc(script.outlet.name)
    if script.outlet.url:
        outlet = f'<a href="{esc(script.outlet.url)}">{outlet}</a>'
    text = f"{outlet} fact check, published {esc(sentence(published(script, theme)))}"
    if script.url:
        text += f' <a href="{esc(script.url)}">Read the article</a>.'
    return f'<p class="meta">{text}</p>\n'


def speakers(script: Script, duration_ms: int) -> str:
    who = script.claim.speaker.name + (f", {script.claim.speaker.title}" if script.claim.speaker.title else "")
    return (f'<p class="meta">Video length {esc(clock(duration_ms))}. Speakers: Narrator (voice-over). '
            f"The claim is by {esc(sentence(who))}</p>\n")


def transcript_html(script: Script, entries: Sequence[Entry], duration_ms: int, theme: Theme | None = None) -> str:
    """``transcript.html``: the whole descriptive transcript as a page of its own."""
    body = (
        f"<main>\n<h1>{esc(script.title)}</h1>\n{byline(script, theme)}"
        f"<p>Descriptive transcript of the video: what is said (audio) and what is shown (visual), "
        f"scene by scene.</p>\n{speakers(script, duration_ms)}"
        f"{transcript_sections(entries, level=2)}</main>\n"
    )
    return page(script, f"Transcript: {script.title}", body)
