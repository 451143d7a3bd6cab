"""Shared fixtures: a small valid script and its workspace, made fresh per test, and its preview
render, made once a session for the tests that only read it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[1]

SMALL_SCRIPT = textwrap.dedent(
    """\
    id: small-check
    title: A short test of the whole pipeline
    language: en
    outlet: {name: Test Desk, url: "https://example.org"}
    published: 2024-05-01
    url: https://example.org/checks/small
    intro: A quick check.
    claim:
      quote: The river is dry.
      speaker: {name: Ana Ruiz, title: Mayor of Testville}
      date: 2024-04-30
    verdict:
      rating: "False"
      summary: The river was running on that day.
    body:
      - type: photo
        image: assets/photos/river.jpg
        caption: The river on April 30
        credit: Test photo
        description: A wide river under a cloudy sky.
        narration: Photos show water.
      - type: quote
        text: It was flowing.
        attribution: A witness
      - type: fact
        headline: Flow in cubic metres per second
        compare: [{label: April, value: 12}, {label: May, value: 3.5}]
        narration: Flow fell later.
    credits:
      - {role: Video producer, name: Test Producer}
    sources:
      - {title: River gauge data, publisher: Water Board}
    voice: {engine: fake}
    """
)


def make_photo(path: Path, size: tuple[int, int] = (960, 540)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([(x * 255 // w), (y * 255 // h), np.full((h, w), 90)], -1).astype(np.uint8)
    Image.fromarray(rgb).save(path, quality=90)
    return path


def glyph_offset(line_ink: np.ndarray, glyph_ink: np.ndarray) -> tuple[int, int]:
    """x offset where ``glyph_ink`` (drawn alone at the same baseline) best matches the drawn line,
    and how many pixels still differ there (glyph-order tests for shaped scripts)."""
    cols = np.where(glyph_ink.any(0))[0]
    glyph = glyph_ink[:, cols.min(): cols.max() + 1]
    w = glyph.shape[1]
    scores = [np.count_nonzero(line_ink[:, x: x + w] != glyph) for x in range(line_ink.shape[1] - w)]
    return int(np.argmin(scores)), min(scores)


def make_workspace(root: Path, script_text: str = SMALL_SCRIPT) -> Path:
    """Lay out a producer's checkout under ``root``: the photo and ``scripts/small-check.yaml``
    holding ``script_text``; returns the script's path."""
    (root / "scripts").mkdir(parents=True)
    make_photo(root / "assets" / "photos" / "river.jpg")
    script = root / "scripts" / "small-check.yaml"
    script.write_text(script_text, encoding="utf-8")
    return script


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder with ``scripts/small-check.yaml`` and its photo, like a producer's checkout."""
    make_workspace(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def small_preview(tmp_path_factory):
    """The small script rendered once as a preview (its own formats and voice) from an empty cache:
    ``(ws, script, options, result)``, everything under ``ws``. Read it; copy what you change."""
    from claimreel.pipeline.render import render
    from claimreel.pipeline.request import RenderOptions

    ws = tmp_path_factory.mktemp("small-preview")
    script = make_workspace(ws)
    options = RenderOptions(out=ws / "out", cache=ws / "cache", preview=True, jobs=2)
    return ws, script, options, render(script, options)
