"""Translated subtitles end to end: files written, listed in the manifest and on the player page."""

from __future__ import annotations

import json
import shutil

import pysrt
import pytest

from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions

pytestmark = pytest.mark.integration


def test_render_writes_and_lists_translated_tracks(workspace, small_preview):
    # The pictures are the small script's: its preview's cache holds them (tests/conftest.py).
    shutil.copytree(small_preview[2].cache, workspace / "cache")
    script = workspace / "scripts" / "small-check.yaml"
    original = script.read_text(encoding="utf-8")
    text = original.replace(
        "  summary: The river was running on that day.\n",
        "  summary: The river was running on that day.\n"
        "  subtitles: {es: El río corría ese día.}\n",
    )
    assert text != original
    script.write_text(text, encoding="utf-8")
    result = render(script, RenderOptions(out=workspace / "out", cache=workspace / "cache", preview=True,
                                          voice="fake"))
    folder = result.folder / "16x9"
    subs = pysrt.open(str(folder / "captions.es.srt"), error_handling=pysrt.ERROR_RAISE)
    assert " ".join(s.text.replace("\n", " ") for s in subs) == "El río corría ese día."
    vtt = (folder / "captions.es.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT") and "El río corría ese día." in vtt
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<track kind="subtitles" src="captions.es.vtt" srclang="es"' in page
    listed = {f["path"] for f in json.loads((result.folder / "manifest.json").read_text())["files"]}
    assert {"16x9/captions.es.srt", "16x9/captions.es.vtt"} <= listed
