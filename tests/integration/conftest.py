"""Renders that several integration modules read, made once a session.

Synthesising the flagship's narration with its neural voice (Piper) is the costliest step the
suite repeats: one render from an empty cache does it here, and every other test that speaks
the flagship reads that cache. Likewise the small test script's final render, whose full-size
segments are the slowest to encode. Tests only read what these fixtures made; a test that
changes files works on a copy (:func:`copy_render`).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions

from ..conftest import REPO, make_workspace

FLAGSHIP = REPO / "scripts" / "xinjiang-un-report.yaml"


@pytest.fixture(scope="session")
def flagship_preview(tmp_path_factory):
    """The flagship rendered as a preview in its default voice (Piper) from an empty cache, and
    prepared again with the same options: ``(root, options, result, prepared)``."""
    root = tmp_path_factory.mktemp("flagship")
    options = RenderOptions(out=root / "out", cache=root / "cache", jobs=2, preview=True)
    result = render(FLAGSHIP, options)
    return root, options, result, prepare(FLAGSHIP, options)


@pytest.fixture(scope="session")
def flagship_cache(flagship_preview) -> Path:
    """A cache that already holds the flagship's Piper narration (speech is keyed by its text and
    voice, so a final render or a lint of the flagship finds it there)."""
    return flagship_preview[1].cache


@pytest.fixture(scope="session")
def small_final(tmp_path_factory):
    """The small test script rendered as a final (full size, its own formats and voice) from an
    empty cache: ``(ws, script, options, result)``, everything under ``ws``."""
    ws = tmp_path_factory.mktemp("small-final")
    script = make_workspace(ws)
    options = RenderOptions(out=ws / "out", cache=ws / "cache", jobs=2)
    return ws, script, options, render(script, options)


def copy_render(made: tuple, to: Path) -> tuple:
    """A copy under ``to`` of a render's workspace, output and cache (``made`` as the fixtures
    above give it), with its options and result pointing at the copy."""
    ws, script, options, result = made
    shutil.copytree(ws, to, symlinks=True)

    def moved(path: Path) -> Path:
        return to / path.relative_to(ws)

    options = dataclasses.replace(options, out=moved(options.out), cache=moved(options.cache))
    result = dataclasses.replace(result, folder=moved(result.folder), files=tuple(moved(f) for f in result.files))
    return to, moved(script), options, result
