"""The publishing package: JSON-LD, transcript page, player page, tracks; escaping for each destination."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest

from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions
from claimreel.layout.typography import quoted
from claimreel.publish.html import json_for_script, transcript_html
from claimreel.publish.images import scene_stills
from claimreel.publish.jsonld import claimreview, claimreview_jsonld, iso_duration
from claimreel.publish.package import format_files, package_files, player_tracks
from claimreel.publish.player import player_page
from claimreel.publish.tracks import chapter_cues, description_cues
from claimreel.publish.transcript import transcript_entries, transcript_text
from claimreel.publish.vtt import read_vtt
from claimreel.script.claim import Appearance
from claimreel.timeline.model import frame_to_ms

NASTY = """He wrote "<script>alert('x')</script>" & left --> <!-- done"""
SHOWN = quoted(NASTY)  # as the quote card sets it: the language's marks, inner quotes turned


class Page(HTMLParser):
    """Collects start tags with attributes, and the text outside script/style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in is None:
            self.text.append(data)

    def of(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    from ..conftest import SMALL_SCRIPT, make_workspace

    ws = tmp_path_factory.mktemp("ws")
    text = SMALL_SCRIPT.replace("text: It was flowing.", f"text: {json.dumps(NASTY)}")
    text = text.replace("title: A short test of the whole pipeline", 'title: "Is the river \\"dry\\" & <gone>?"')
    path = make_workspace(ws, text)
    options = RenderOptions(formats=("16x9", "9x16"), out=ws / "out", cache=ws / "cache", preview=True)
    return prepare(path, options)


def test_iso_durations():
    assert iso_duration(103_000) == "PT1M43S"
    assert iso_duration(102_600) == "PT1M43S"
    assert iso_duration(3_725_000) == "PT1H2M5S"
    assert iso_duration(60_000) == "PT1M"
    assert iso_duration(0) == "PT0S"
    assert iso_duration(7_200_000) == "PT2H"


def test_claimreview_required_and_recommended_properties(prepared):
    script, timeline = prepared.script, prepared.timelines["16x9"]
    text = claimreview_jsonld(script, formats=["16x9", "9x16"], duration_ms=timeline.duration_ms,
                              transcript="the transcript", rating_scale=prepared.theme.rating_labels,
                              media_base="https://media.example.org/small", rendered=dt.date(2024, 5, 3))
    data = json.loads(text)
    assert data["@context"] == "https://schema.org"
    review, video = data["@graph"]
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "The river is dry."
    assert review["reviewRating"]["@type"] == "Rating"
    assert review["reviewRating"]["alternateName"] == "False"
    # False is the strongest of six ratings, so the worst value on a 1..6 scale.
    assert (review["reviewRating"]["ratingValue"], review["reviewRating"]["bestRating"],
            review["reviewRating"]["worstRating"]) == (1, 6, 1)
    assert review["url"] == "https://example.org/checks/small"
    assert review["author"] == {"@type": "Organization", "name": "Test Desk", "url": "https://example.org"}
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Person", "name": "Ana Ruiz", "jobTitle": "Mayor of Testville"}
    assert dt.date.fromisoformat(claim["datePublished"]) == dt.date(2024, 4, 30)
    assert dt.date.fromisoformat(review["datePublished"]) == dt.date(2024, 5, 1)

    assert video["@type"] == "VideoObject"
    assert video["name"] == script.title
    assert video["thumbnailUrl"] == ["https://media.example.org/small/16x9/poster.jpg",
                                     "https://media.example.org/small/9x16/poster.jpg"]
    upload = dt.datetime.fromisoformat(video["uploadDate"])
    assert upload.tzinfo is not None and upload.utcoffset() == dt.timedelta(0)
    assert upload.date() == dt.date(2024, 5, 3)  # the render's day: the video's, not the article's
    assert re.fullmatch(r"PT(\d+H)?(\d+M)?(\d+S)?", video["duration"])
    seconds = round(timeline.duration_ms / 1000)
    assert video["duration"] == f"PT{seconds}S"  # the small script runs under a minute
    assert video["contentUrl"] == "https://media.example.org/small/16x9/video.mp4"
    assert video["embedUrl"] == "https://media.example.org/small/16x9/index.html"
    assert isinstance(video["description"], str) and video["description"]
    assert video["transcript"] == "the transcript"
    assert review["associatedMedia"] == {"@id": video["@id"]}


def test_claimreview_appearance_and_no_invented_addresses(prepared):
    script = prepared.script.model_copy(update={
        "url": None,
        "claim": prepared.script.claim.model_copy(update={
            "appeared": Appearance(name="Press briefing", url="https://example.org/b")
        }),
    })
    data = claimreview(script, formats=["1x1"], duration_ms=5_000, transcript="t")
    review, video = data["@graph"]
    assert review["itemReviewed"]["appearance"] == {"@type": "CreativeWork", "name": "Press briefing",
                                                    "url": "https://example.org/b"}
    assert review["itemReviewed"]["firstAppearance"] == review["itemReviewed"]["appearance"]
    assert review["url"] == "https://example.org"  # falls back to the outlet's address
    # no media address given: none made up from the article's or outlet's address
    assert not {"thumbnailUrl", "contentUrl", "embedUrl"} & set(video)
    assert "example.org/checks" not in json.dumps(data) and video["@id"] == "#video"
    assert "ratingValue" not in review["reviewRating"]  # no scale given: the verdict text only


def test_json_escapes_markup_and_reads_back_verbatim(prepared):
    text = claimreview_jsonld(prepared.script, formats=["16x9"], duration_ms=1000,
                              transcript=NASTY, rating_scale=())
    assert not set("<>&") & set(text), "no character that could end an HTML <script> element"
    assert json.loads(text)["@graph"][1]["transcript"] == NASTY
    assert json.loads(json_for_script({"q": NASTY})) == {"q": NASTY}
    assert "</script" not in json_for_script(NASTY).lower()


def test_transcript_page_structure_and_escaping(prepared):
    script, timeline = prepared.script, prepared.timelines["16x9"]
    entries = transcript_entries(script, prepared.specs, timeline)
    text = transcript_html(script, entries, timeline.duration_ms)
    assert text.startswith("<!DOCTYPE html>\n")
    page = parse(text)
    assert page.of("html") == [{"lang": "en"}]
    assert not page.of("script") and not page.of("link") and not page.of("img")  # nothing loaded from outside
    assert len(page.of("h1")) == 1 and len(page.of("h2")) == len(timeline.scenes)
    assert len(page.of("h3")) == 2 * len(timeline.scenes)  # an Audio and a Visual column per scene
    assert SHOWN in page.plain and script.title in page.plain
    assert "&lt;script&gt;alert(\u2018x\u2019)&lt;/script&gt;" in text
    for needle in ("Narrator: The river is dry.", "A wide river under a cloudy sky.", "OUR VERDICT: FALSE.",
                   "Video producer: Test Producer.", "Source: River gauge data, Water Board."):
        assert needle in page.plain
    # Same entries as transcript.txt: every visual line of the plain text is on the page.
    for line in transcript_text(script, prepared.specs, timeline).splitlines():
        if line.strip().startswith("Visual: "):
            assert line.strip()[len("Visual: "):] in page.plain


def test_player_page_tracks_seek_links_and_escaping(prepared):
    script, timeline, fmt = prepared.script, prepared.timelines["9x16"], prepared.formats[1]
    entries = transcript_entries(script, prepared.specs, timeline)
    tracks = player_tracks(script, prepared.specs, timeline)
    text = player_page(script, fmt, entries, tracks, timeline.duration_ms)
    page = parse(text)
    (video,) = page.of("video")
    assert (video["poster"], video["width"], video["height"]) == ("poster.jpg", str(fmt.width), str(fmt.height))
    assert video["aria-label"] == f"{script.title} (video, 9x16)"  # quotes and brackets survive the attribute
    assert [(t["kind"], t["src"], "default" in t) for t in page.of("track")] == [
        ("captions", "captions.vtt", True), ("descriptions", "descriptions.vtt", False),
        ("chapters", "chapters.vtt", False)]
    seeks = [a for a in page.of("a") if a.get("class") == "seek"]
    starts = [float(a["data-start"]) for a in seeks]
    assert starts == [frame_to_ms(s.start_frame, timeline.fps) / 1000 for s in timeline.scenes]
    assert all(a["href"] == f"video.mp4#t={a['data-start']}" for a in seeks)
    assert SHOWN in page.plain
    # Two inline scripts (cue data, seeking); the quote's "</script>" never ends one early.
    assert len(page.of("script")) == 2
    data = json.loads(page.scripts[0])
    assert [len(t["cues"]) for t in data] == [len(t.cues) for t in tracks]
    quote = next(c[2] for c in data[1]["cues"] if "He wrote" in c[2])
    assert "&lt;script&gt;" in quote and "--&gt;" in quote  # WebVTT cue text, as in the file
    assert not any(a.get("src", "").startswith("http") for _, a in page.tags)


def test_description_and_chapter_tracks_escape_and_follow_scenes(prepared, tmp_path):
    script, timeline = prepared.script, prepared.timelines["16x9"]
    fmt = prepared.formats[0]
    stills = scene_stills(prepared.layouts["16x9"], timeline, fmt, prepared.theme, prepared.book)
    files = format_files(script, prepared.specs, fmt, timeline, stills, prepared.book)
    assert set(files) == {"descriptions.vtt", "chapters.vtt", "index.html", "poster.jpg", "storyboard.png"}
    raw = files["descriptions.vtt"].decode()
    assert "&lt;script&gt;alert(\u2018x\u2019)&lt;/script&gt;" in raw and "&amp; left --&gt; &lt;!-- done" in raw
    assert all(("-->" not in line) or re.fullmatch(r"[\d:.]+ --> [\d:.]+", line) for line in raw.splitlines())
    for name in ("descriptions.vtt", "chapters.vtt"):
        (tmp_path / name).write_bytes(files[name])
    described = read_vtt(tmp_path / "descriptions.vtt")
    chapters = read_vtt(tmp_path / "chapters.vtt")
    spans = [(frame_to_ms(s.start_frame, timeline.fps), frame_to_ms(s.end_frame, timeline.fps))
             for s in timeline.scenes]
    assert [(c.start_ms, c.end_ms) for c in described] == spans
    assert [(c.start_ms, c.end_ms) for c in chapters] == spans
    assert any(SHOWN in line for c in described for line in c.lines)  # verbatim after reading back
    assert [c.text for c in chapters] == [s.title for s in timeline.scenes]
    entries = transcript_entries(script, prepared.specs, timeline)
    assert [c.lines[1:] for c in description_cues(entries, timeline)] == [e.visual for e in entries]
    assert len(chapter_cues(timeline)) == len(timeline.scenes)


def test_poster_is_the_verdict_frame(prepared):
    import io

    import numpy as np
    from PIL import Image

    from claimreel.publish.images import poster_jpeg, scene_stills

    timeline, fmt = prepared.timelines["16x9"], prepared.formats[0]
    stills = scene_stills(prepared.layouts["16x9"], timeline, fmt, prepared.theme, prepared.book)
    data = poster_jpeg(stills, timeline)
    assert data == stills[[s.kind for s in timeline.scenes].index("verdict")]
    image = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
    assert image.shape == (fmt.height, fmt.width, 3)
    red = np.array([0xC0, 0x26, 0x2D])  # the theme's colour for False, the verdict badge
    assert (np.abs(image - red).sum(axis=2) < 40).sum() > 3000


def test_package_files_hold_transcript_page_and_jsonld(prepared):
    timelines = {f.name: prepared.timelines[f.name] for f in prepared.formats}
    files = package_files(prepared.script, prepared.specs, timelines, prepared.theme,
                          "https://media.example.org/small/")
    assert set(files) == {"transcript.html", "claimreview.jsonld"}
    video = json.loads(files["claimreview.jsonld"])["@graph"][1]
    assert video["transcript"] == transcript_text(prepared.script, prepared.specs, timelines["16x9"], prepared.theme)
    assert video["thumbnailUrl"] == [f"https://media.example.org/small/{f.name}/poster.jpg" for f in prepared.formats]


def test_player_page_lists_translated_subtitle_tracks(prepared):
    script, timeline, fmt = prepared.script, prepared.timelines["16x9"], prepared.formats[0]
    entries = transcript_entries(script, prepared.specs, timeline)
    zh = tuple(timeline.cues[:2])
    tracks = player_tracks(script, prepared.specs, timeline, {"zh-Hans": zh})
    page = parse(player_page(script, fmt, entries, tracks, timeline.duration_ms))
    assert [(t["kind"], t["src"], t["srclang"]) for t in page.of("track")] == [
        ("captions", "captions.vtt", script.language), ("subtitles", "captions.zh-Hans.vtt", "zh-Hans"),
        ("descriptions", "descriptions.vtt", script.language), ("chapters", "chapters.vtt", script.language)]
    data = json.loads(page.scripts[0])
    assert len(data[1]["cues"]) == 2
