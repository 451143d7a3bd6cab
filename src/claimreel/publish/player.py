"""``<format>/index.html``: the player page, video with its tracks and the transcript beneath.

Everything it needs sits in the same folder (video, poster, tracks), linked by
relative address, so the folder works copied anywhere or opened from disk. The
transcript's times are links to ``video.mp4#t=S`` (a media fragment, so they work
without script); a few lines of inline script make them seek the player instead.

Browsers refuse ``<track>`` files on ``file://`` pages; the page therefore also
carries its tracks' cues as JSON and, when a track fails to load, replaces it
with the same cues through ``addTextTrack``. The JSON escapes ``<``, ``>`` and ``&`` so no script
text can close the ``<script>`` element that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..layout.formats import Format
from ..script.model import Script
from ..timeline.model import Cue
from .html import STYLE, byline, esc, json_for_script, page, speakers, transcript_sections
from .transcript import Entry
from .credentials.disclosure import DISCLOSURE_STYLE
from .vtt import cue_payload

if TYPE_CHECKING:
    from ..layout.theme import Theme

__all__ = ["Track", "player_page"]


@dataclass(frozen=True)
class Track:
    kind: str  # captions, subtitles, descriptions or chapters
    src: str
    srclang: str
    label: str
    cues: tuple[Cue, ...]
    default: bool = False


PLAYER_STYLE = """
.player{background:#000;margin:0 0 1rem}
.player video{display:block;margin:0 auto;max-width:100%;max-height:80vh;width:auto;height:auto}
.downloads{margin:.5rem 0 1.5rem}
.describe{margin:0 0 .5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.describe button{font:inherit;padding:.4rem .8rem;border:2px solid currentColor;border-radius:.3rem;background:#fff;color:#111}
.describe button[aria-pressed="true"]{background:#111;color:#fff}
.describe button:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
"""

# The described version: the video's second audio track (marked ``descriptions``) where the browser
# exposes ``audioTracks`` (Safari; Chromium with its AudioVideoTracks feature), else the extended
# file when the render made one. The control stays hidden where neither can play, and says what it
# did through a polite live region, so a screen reader hears the change.
DESCRIBE_JS = """
(function () {
  var video = document.getElementById("video"), button = document.getElementById("describe");
  var status = document.getElementById("describe-status");
  if (!video || !button) { return; }
  var extended = button.dataset.extended || "", main = video.querySelector("source").getAttribute("src");
  var on = false;
  function tracks() { return video.audioTracks && video.audioTracks.length > 1 ? video.audioTracks : null; }
  function described(list) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].kind === "descriptions" || list[i].kind === "main-desc") { return i; }
    }
    return 1;  // the render writes it second
  }
  function offer() { if (tracks() || extended) { button.hidden = false; } }
  video.addEventListener("loadedmetadata", offer);
  offer();
  button.addEventListener("click", function () {
    var list = tracks();
    if (!list && !extended) { return; }
    on = !on;
    if (list) {
      var wanted = on ? described(list) : 0;
      for (var i = 0; i < list.length; i++) { list[i].enabled = i === wanted; }
    } else {
      var at = video.currentTime, playing = !video.paused;
      var captions = video.querySelector('track[kind="captions"]');
      if (captions && button.dataset.captions) {  // the extended file's captions are timed to its holds
        captions.dataset.main = captions.dataset.main || captions.getAttribute("src");
        captions.setAttribute("src", on ? button.dataset.captions : captions.dataset.main);
      }
      video.src = on ? extended : main;
      video.addEventListener("loadedmetadata", function again() {
        video.removeEventListener("loadedmetadata", again);
        video.currentTime = Math.min(at, video.duration || at);
        if (playing) { var p = video.play(); if (p && p.catch) { p.catch(function () {}); } }
      });
    }
    button.setAttribute("aria-pressed", on ? "true" : "false");
    status.textContent = on ? "Audio description on: a voice describes what is shown."
                            : "Audio description off.";
  });
})();
"""


def _describe_control(extended: str | None) -> str:
    """The audio description switch (shown by the page's script where it can work) and its live region."""
    data = f' data-extended="{esc(extended)}" data-captions="captions-described.vtt"' if extended else ""
    return (f'<p class="describe"><button type="button" id="describe" aria-pressed="false" hidden{data}>'
            "Audio description</button></p>\n"
            '<p id="describe-status" class="visually-hidden" role="status" aria-live="polite"></p>\n')

SEEK_JS = """
(function () {
  var video = document.getElementById("video");
  document.querySelectorAll("a.seek").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      video.currentTime = parseFloat(link.dataset.start);
      video.focus();
      var playing = video.play();
      if (playing && playing.catch) { playing.catch(function () {}); }
    });
  });
  var data = JSON.parse(document.getElementById("track-cues").textContent);
  Array.prototype.forEach.call(video.querySelectorAll("track"), function (el, i) {
    el.addEventListener("error", function () {
      var spec = data[i], track = video.addTextTrack(spec.kind, spec.label, spec.srclang);
      spec.cues.forEach(function (c) { track.addCue(new VTTCue(c[0], c[1], c[2])); });
      track.mode = spec.default ? "showing" : "hidden";
      el.remove();  // the empty failed track would otherwise stay in the player's menu
    });
  });
})();
"""


def _track_data(track: Track) -> dict[str, object]:
    """A track as the page's fallback JSON: cue text written exactly as in the .vtt file."""
    cues = [(c.start_ms / 1000, c.end_ms / 1000, cue_payload(c, track.kind)) for c in track.cues]
    return {"kind": track.kind, "label": track.label, "srclang": track.srclang, "default": track.default,
            "cues": [list(c) for c in cues if c[2]]}


def player_page(
    script: Script,
    fmt: Format,
    entries: Sequence[Entry],
    tracks: Sequence[Track],
    duration_ms: int,
    *,
    video: str = "video.mp4",
    poster: str = "poster.jpg",
    theme: Theme | None = None,
    credentials: str = "",
    extended: str | None = None,
) -> str:
    """The player page of one format (``theme``: the render's, whose date form the byline uses;
    ``credentials``: the Content Credentials disclosure, an HTML fragment, see
    :mod:`claimreel.publish.credentials.disclosure`, shown under the video when signed; ``extended``:
    the extended described video beside it, if the render made one)."""
    track_tags = "".join(
        f'<track kind="{esc(t.kind)}" src="{esc(t.src)}" srclang="{esc(t.srclang)}" label="{esc(t.label)}"'
        + (" default" if t.default else "") + ">\n"
        for t in tracks
    )
    data = [_track_data(t) for t in tracks]
    downloads = " · ".join(
        [f'<a href="{esc(video)}" download>Video (MP4)</a>']
        + [f'<a href="{esc(t.src)}" download>{esc(t.label)} (WebVTT)</a>' for t in tracks]
        + ([f'<a href="{esc(extended)}" download>Video with extended audio description (MP4)</a>'] if extended else [])
        + ['<a href="captions.srt" download>Captions (SRT)</a>', '<a href="../transcript.html">Transcript page</a>']
    )
    body = (
        f"<main>\n<h1>{esc(script.title)}</h1>\n{byline(script, theme)}"
        f'<div class="player">\n<video id="video" controls preload="metadata" playsinline '
        f'poster="{esc(poster)}" width="{fmt.width}" height="{fmt.height}" '
        f'aria-label="{esc(script.title)} (video, {esc(fmt.name)})">\n'
        f'<source src="{esc(video)}" type="video/mp4">\n{track_tags}'
        f'<p>This browser cannot play the video. <a href="{esc(video)}">Download it</a>.</p>\n'
        f"</video>\n</div>\n{_describe_control(extended)}{credentials}"
        f'<p class="downloads">{downloads}</p>\n'
        f'<section aria-labelledby="transcript-h">\n<h2 id="transcript-h">Descriptive transcript</h2>\n'
        f"<p>What is said (audio) and what is shown (visual), scene by scene. Select a time to play the "
        f"video from there.</p>\n{speakers(script, duration_ms)}"
        f"{transcript_sections(entries, level=3, video=video)}</section>\n</main>\n"
        f'<script type="application/json" id="track-cues">{json_for_script(data)}</script>\n'
    )
    return page(script, f"{script.title} (video)", body, style=STYLE + "\n" + PLAYER_STYLE.strip() + ("\n" + DISCLOSURE_STYLE if credentials else ""), script_js=SEEK_JS.strip() + "\n" + DESCRIBE_JS.strip())

