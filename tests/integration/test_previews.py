"""A preview never replaces a final: it goes to OUT/_previews/<id>/, carries a DRAFT mark in the
picture, and nothing published points at it."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import numpy as np
from PIL import Image

from claimreel.layout.scenes.base import DRAFT_COLORS
from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions
from tests.conftest import make_workspace


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _red_pixels(jpeg: bytes) -> int:
    image = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB")).astype(int)
    red = np.array([int(DRAFT_COLORS[1][i:i + 2], 16) for i in (1, 3, 5)])
    top_right = image[: image.shape[0] // 4, image.shape[1] // 2:]
    return int((np.abs(top_right - red).sum(axis=2) < 40).sum())


def test_a_preview_goes_beside_the_final_marked_as_a_draft(small_final, tmp_path):
    script = make_workspace(tmp_path / "ws")
    out, cache = tmp_path / "out", tmp_path / "cache"
    # The final's segments and soundtrack are those of the session's final render of the same script.
    shutil.copytree(small_final[2].cache, cache)
    base = "https://media.example.org/checks/small-check/"
    final = render(script, RenderOptions(out=out, cache=cache, cuts=(), voice="fake", jobs=2,
                                         media_base_url=base))
    assert final.folder == out / "small-check"
    before = _hashes(final.folder)
    draft = render(script, RenderOptions(out=out, cache=cache, cuts=(), voice="fake", jobs=2, preview=True,
                                         media_base_url=base))
    assert draft.folder == out / "_previews" / "small-check"
    assert _hashes(final.folder) == before  # the final is untouched
    assert set(_hashes(draft.folder)) == set(before)  # the same layout inside
    assert sorted(p.name for p in out.iterdir()) == ["_previews", "small-check"]
    assert sorted(p.name for p in (out / "_previews").iterdir()) == ["small-check"]

    assert _red_pixels((draft.folder / "16x9" / "poster.jpg").read_bytes()) > 500  # the DRAFT mark
    assert _red_pixels((final.folder / "16x9" / "poster.jpg").read_bytes()) == 0

    published = json.loads((final.folder / "claimreview.jsonld").read_text())["@graph"][1]
    assert published["contentUrl"] == base + "16x9/video.mp4"
    drafted = json.loads((draft.folder / "claimreview.jsonld").read_text())["@graph"][1]
    assert not {"contentUrl", "embedUrl", "thumbnailUrl"} & set(drafted)  # a draft is never published
    for name in ("claimreview.jsonld", "16x9/index.html", "transcript.html", "manifest.json"):
        assert "_previews" not in (final.folder / name).read_text(), name
    manifest = json.loads((draft.folder / "manifest.json").read_text())
    assert manifest["formats"]["16x9"]["preview"] is True


def test_a_render_with_nothing_to_encode_starts_no_worker(small_preview, tmp_path, monkeypatch):
    """Workers start with the first unit: the same script rendered again (its segments, speech and sound
    all cached) starts none, and makes the same video."""
    from claimreel.executor import LocalPool

    from .conftest import copy_render

    _, script, options, result = copy_render(small_preview, tmp_path / "copy")
    started: list[LocalPool] = []
    real = LocalPool.start
    monkeypatch.setattr(LocalPool, "start", lambda self: started.append(self) or real(self))
    again = render(script, options)
    assert started == [] and again.segments_encoded == 0
    video = Path("16x9") / "video.mp4"
    assert (again.folder / video).read_bytes() == (result.folder / video).read_bytes()


def test_a_videos_files_are_written_while_another_videos_sound_is_mixed(small_preview, tmp_path, monkeypatch):
    """Each video is written once its segments and its own sound are done: the full video's files do
    not wait for a cut's sound (here held until the full video is written; a render that waited for
    every sound first would never get there)."""
    import dataclasses
    import threading

    import claimreel.pipeline.render as render_module
    from claimreel.pipeline.mixdown import Soundtrack

    from .conftest import copy_render

    _, script, options, result = copy_render(small_preview, tmp_path / "copy")
    script.write_text(script.read_text(encoding="utf-8") + "cuts:\n  - {name: claim-verdict, scenes: [claim, verdict]}\n",
                      encoding="utf-8")
    written = threading.Event()
    real_write, real_draft = render_module.write_format, Soundtrack._draft

    def write(*args, **kwargs):
        written.set()
        return real_write(*args, **kwargs)

    def draft(self, ffmpeg, path):
        if self.timeline.duration_ms < result.timeline.duration_ms:  # a cut's soundtrack
            assert written.wait(30), "the full video's files waited for the cut's sound"
        return real_draft(self, ffmpeg, path)

    monkeypatch.setattr(render_module, "write_format", write)
    monkeypatch.setattr(Soundtrack, "_draft", draft)
    again = render(script, dataclasses.replace(options, cuts=("claim-verdict",)))
    assert [cut.name for cut in again.cuts] == ["claim-verdict"] and written.is_set()
