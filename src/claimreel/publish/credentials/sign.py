"""Signing the final files of a staged render, each in place (signed copy beside it, then renamed).

The render calls :func:`sign_render` on its staging folder once every file is written and before
``manifest.json`` lists their hashes; the segment and audio caches are never touched, so a signed
render caches exactly what an unsigned one does. Full videos are signed first: a social cut's
manifest takes its format's signed ``video.mp4`` as its parent ingredient.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ...errors import RenderError
from ...files import temp_beside
from .content import Story, cut_manifest, image_manifest, mime_of, video_manifest
from .identity import SigningIdentity, make_signer, require_c2pa

__all__ = ["SignReport", "credentialed", "sign_render", "signing_context"]

_IMAGES = (("poster.jpg", "image/jpeg", "poster"), ("storyboard.png", "image/png", "storyboard"))


@dataclass(frozen=True)
class SignReport:
    """What :func:`sign_render` signed (paths relative to the staging folder) and how long it took."""

    files: tuple[str, ...]
    seconds: float
    parent: str | None  # the source kept as the videos' parent ingredient, if one carried credentials

    @property
    def versions(self) -> dict[str, str]:
        """The signing library's version, for ``manifest.json``'s ``versions``."""
        from importlib import metadata

        return {"c2pa-python": metadata.version("c2pa-python")}


def signing_context() -> Any:
    """Library settings: no ingredient thumbnails (the sources are listed, not previewed) and nothing
    fetched from the network (no remote manifests, no OCSP)."""
    c2pa = require_c2pa()
    settings = c2pa.Settings.from_dict({  # type: ignore[attr-defined]
        "builder": {"thumbnail": {"enabled": False}},
        "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
    })
    return c2pa.Context(settings=settings)  # type: ignore[attr-defined]


def credentialed(path: Path, context: Any) -> bool:
    """Whether the file at ``path`` carries Content Credentials of its own (a signed wire photo)."""
    c2pa = require_c2pa()
    try:
        with open(path, "rb") as fh:
            reader = c2pa.Reader.try_create(mime_of(path), fh, None, context)  # type: ignore[attr-defined]
    except c2pa.C2paError:  # type: ignore[attr-defined]  # a format the library cannot read has none
        return False
    if reader is None:
        return False
    reader.close()
    return True


def _sign(path: Path, mime: str, manifest: dict[str, Any], ingredients: Sequence[tuple[dict[str, Any], Path]],
          signer: Any, context: Any) -> None:
    """Sign ``path`` in place: the signed bytes go to a temp file beside it, renamed over it when complete
    (not synced: like the muxed video it replaces, it is made durable by the staged render's swap)."""
    c2pa = require_c2pa()
    builder = c2pa.Builder(manifest, context=context)  # type: ignore[attr-defined]
    for ingredient, source in ingredients:
        with open(source, "rb") as fh:
            try:
                builder.add_ingredient(ingredient, ingredient["format"], fh)
            except c2pa.C2paError as exc:  # type: ignore[attr-defined]
                raise RenderError(f"{source}: cannot be listed as an ingredient of {path.name}'s Content "
                                  f"Credentials: {exc}") from None
    tmp = temp_beside(path)
    try:
        with open(path, "rb") as src, open(tmp, "w+b") as dst:
            try:
                builder.sign(signer, mime, src, dst)
            except c2pa.C2paError as exc:  # type: ignore[attr-defined]
                raise RenderError(f"{path.name}: signing its Content Credentials failed: {exc}") from None
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sign_render(staging: Path, story: Story, identity: SigningIdentity, formats: Sequence[str],
                cuts: Sequence[tuple[str, str]]) -> SignReport:
    """Sign every ``video.mp4`` (and ``video-described.mp4``), ``poster.jpg`` and ``storyboard.png`` of ``formats`` (and the
    ``(format, cut name)`` pairs of ``cuts``) in ``staging``."""
    started = time.perf_counter()
    context = signing_context()
    signer = make_signer(identity)
    parent = next((s.id for s in story.sources if s.kind != "voice-over" and credentialed(s.path, context)), None)
    done: list[str] = []

    def sign(relative: Path, mime: str, manifest: dict[str, Any],
             ingredients: Sequence[tuple[dict[str, Any], Path]] = ()) -> None:
        _sign(staging / relative, mime, manifest, ingredients, signer, context)
        done.append(relative.as_posix())

    for name in formats:
        folder = Path(name)
        sign(folder / "video.mp4", "video/mp4", *video_manifest(story, f"{story.title} ({name})", parent))
        if (staging / folder / "video-described.mp4").is_file():  # render --described extended
            sign(folder / "video-described.mp4", "video/mp4",
                 *video_manifest(story, f"{story.title} ({name}, extended audio description)", parent))
        for file, mime, what in _IMAGES:
            if (staging / folder / file).is_file():
                sign(folder / file, mime, image_manifest(story, f"{story.title} ({name}) {what}", mime, what))
    for name, cut in cuts:
        folder = Path(name) / "cuts" / cut
        full = staging / name / "video.mp4"
        sign(folder / "video.mp4", "video/mp4", *cut_manifest(story, f"{story.title} ({name}, {cut})", cut, full))
        if (staging / folder / "poster.jpg").is_file():
            sign(folder / "poster.jpg", "image/jpeg",
                 image_manifest(story, f"{story.title} ({name}, {cut}) poster", "image/jpeg", "poster"))
    return SignReport(tuple(done), time.perf_counter() - started, parent)
