"""The player page in real headless Chromium, served from an output folder on 127.0.0.1.

Checks that the video's metadata loads with the right duration, that every
``<track>`` loads with as many cues as its file holds, that the transcript's
times seek the video, that nothing is fetched from anywhere but the folder, and
that axe-core finds no violations on ``index.html`` and ``transcript.html``.
The same page opened from disk (``file://``) gets its tracks from the page's
inline fallback. Needs Debian's ``chromium`` and the node packages in this
folder (``.ci/install-browser-deps`` installs both); skips, saying which, without them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import probe
from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions
from claimreel.publish.vtt import read_vtt

from .serve import serve


HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NASTY = """He wrote "<script>alert('x')</script>" & left --> <!-- done"""
KINDS = ("captions", "descriptions", "chapters")


def _missing() -> str | None:
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium, or run .ci/install-browser-deps)"
    if not shutil.which("node"):
        return "node not found (apt-get install nodejs npm)"
    for package in ("axe-core", "puppeteer-core"):
        if not (HERE / "node_modules" / package / "package.json").is_file():
            return f"npm package {package} not installed (npm ci --prefix tests/browser)"
    return None


pytestmark = [pytest.mark.integration, pytest.mark.skipif(_missing() is not None, reason=_missing() or "")]


def check(url: str, *extra: str) -> dict:
    proc = subprocess.run(
        ["node", str(HERE / "check_page.mjs"), url, *extra],
        capture_output=True, text=True, timeout=180, env={**os.environ, "CHROMIUM": CHROMIUM},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    from ..conftest import SMALL_SCRIPT, make_workspace

    ws = tmp_path_factory.mktemp("ws")
    path = make_workspace(ws, SMALL_SCRIPT.replace("text: It was flowing.", f"text: {json.dumps(NASTY)}"))
    result = render(path, RenderOptions(out=ws / "out", cache=ws / "cache", preview=True, jobs=2))
    return result.folder


def test_player_page_in_chromium(folder):
    with serve(folder) as base:
        report = check(f"{base}16x9/index.html", "--axe", f"{base}16x9/index.html",
                       "--axe", f"{base}transcript.html")
    info = probe(Ffmpeg(), folder / "16x9" / "video.mp4")
    video = report["video"]
    assert video["error"] is None and video["readyState"] >= 1, video
    assert abs(video["duration"] - info.duration_s) < 0.1, (video, info.duration_s)
    assert (video["width"], video["height"]) == (info.width, info.height)

    tracks = report["tracks"]
    assert [t["kind"] for t in tracks] == list(KINDS)
    for track in tracks:
        expected = len(read_vtt(folder / "16x9" / track["src"]))
        assert track["readyState"] == 2, track  # 2: LOADED (3 would be ERROR)
        assert track["cues"] == expected > 0, track
    assert tracks[0]["default"] and tracks[0]["mode"] == "showing"

    assert report["seek"]["currentTime"] == pytest.approx(report["seek"]["wanted"], abs=0.05)
    assert report["seek"]["wanted"] > 0
    outside = [u for u in report["requests"] if not u.startswith((base, "data:"))]
    assert outside == []
    for url, result in report["axe"].items():
        assert result["violations"] == [], f"{url}: {json.dumps(result['violations'], indent=1)}"
        assert result["passes"] > 10


def test_the_audio_description_switch_turns_the_described_track_on_and_says_so(folder):
    with serve(folder) as base:
        report = check(f"{base}16x9/index.html")
    describe = report["describe"]
    tracks = describe["before"]["tracks"]
    assert [t["enabled"] for t in tracks] == [True, False]
    assert describe["before"]["hidden"] is False and describe["before"]["live"] == "polite"
    assert tracks[1]["language"] == "eng" or tracks[1]["language"] == "en"
    on, off = describe["on"], describe["off"]
    assert on["pressed"] == "true" and [t["enabled"] for t in on["tracks"]] == [False, True]
    assert on["status"].startswith("Audio description on")
    assert off["pressed"] == "false" and [t["enabled"] for t in off["tracks"]] == [True, False]
    assert off["status"] == "Audio description off."


def test_player_page_from_disk_gets_tracks_from_the_page(folder):
    report = check((folder / "16x9" / "index.html").as_uri())
    assert abs(report["video"]["duration"] - probe(Ffmpeg(), folder / "16x9" / "video.mp4").duration_s) < 0.1
    counts = {t["kind"]: t["cues"] for t in report["textTracks"] if t["cues"]}
    assert counts == {kind: len(read_vtt(folder / "16x9" / f"{kind}.vtt")) for kind in KINDS}
    assert all(u.startswith(("file://", "data:")) for u in report["requests"])
