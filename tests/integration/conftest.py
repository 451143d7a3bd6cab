"""Renders that several integration modules read, made once a session.

Synthesising the flagship's narration with its neural voice (Piper) is the costliest step the
suite repeats: one render from an empty cache does it here, and every other test that speaks
the flagship reads that cache. Tests only read what these fixtures made.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions

from ..conftest import REPO

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
