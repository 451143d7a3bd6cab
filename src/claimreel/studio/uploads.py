"""Photos uploaded into ``assets/photos/``: limited in size and type, checked like script assets.

An upload is written to a hidden temp file in the photos folder, opened with
the same checks a script's image gets (Pillow decodes it fully, at most
:data:`~claimreel.script.checks.MAX_PIXELS`), its real format must match its
name, and only then is it renamed into place; a refused upload leaves nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import AsyncIterator

from PIL import Image

from ..errors import AssetError
from ..files import temp_beside
from ..script.checks import MAX_PIXELS, check_image

__all__ = ["MAX_UPLOAD_BYTES", "PHOTO_TYPES", "UploadRefused", "safe_photo_name", "store_photo"]

#: Largest photo accepted (a 1080p video needs far less; news photos are a few megabytes).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: File name suffixes accepted, with the Pillow format each must really be.
PHOTO_TYPES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


class UploadRefused(AssetError):
    """An upload that is not a usable photo; nothing was written. ``status`` is the HTTP answer:
    415 not a photo of an accepted type, 413 too large, 409 name taken, 400 damaged or empty."""

    def __init__(self, path: Path | str, problem: str, fix: str, *, status: int = 400) -> None:
        super().__init__(path, problem, fix)
        self.status = status


def safe_photo_name(filename: str) -> str:
    """A plain lower-case file name from what the browser sent (folders dropped), or refused."""
    base = re.split(r"[\\/]", filename or "")[-1].strip().lower()
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix}" not in PHOTO_TYPES:
        raise UploadRefused(base or "upload", "only JPEG, PNG or WebP photos can be uploaded",
                            "export the photo as .jpg, .png or .webp", status=415)
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:80]
    if not stem:
        raise UploadRefused(base, "the file name has no letters or digits", "rename it, e.g. river.jpg")
    return f"{stem}.{suffix}"


def _refused_image(name: str, problem: str) -> UploadRefused:
    """The image check's failure said as an editor would (no library names, no decoder errors)."""
    path = f"assets/photos/{name}"
    if problem.startswith("not an image") or "not a picture" in problem:
        return UploadRefused(path, "the file is not a photo that can be opened",
                             "choose a JPEG, PNG or WebP photo, or export this one as one of those", status=415)
    if "too large" in problem:
        return UploadRefused(path, f"the photo is too large (more than {MAX_PIXELS // 1_000_000} megapixels)",
                             "make it smaller in a photo editor (about 4000 pixels wide is plenty) and upload it again",
                             status=413)
    return UploadRefused(path, "the photo is damaged or truncated (it cannot be read to the end)",
                         "download or export it again, then upload the new copy")


async def store_photo(folder: Path, filename: str, chunks: AsyncIterator[bytes], *,
                      limit: int = MAX_UPLOAD_BYTES) -> Path:
    """Write the uploaded bytes to ``folder/<safe name>`` if they are a photo the renderer accepts."""
    name = safe_photo_name(filename)
    target = folder / name
    if target.exists() or target.is_symlink():
        raise UploadRefused(f"assets/photos/{name}", "a file of that name is already there",
                            "rename the photo before uploading, or remove the old one", status=409)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = temp_beside(target)
    size = 0
    try:
        with open(tmp, "xb") as fh:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise UploadRefused(f"assets/photos/{name}", f"the file is larger than {limit // (1024 * 1024)} MB",
                                        "make it smaller in a photo editor (a video needs no more than about "
                                        "8 megapixels) and upload it again",
                                        status=413)
                fh.write(chunk)
        if size == 0:
            raise UploadRefused(f"assets/photos/{name}", "the file is empty", "choose the photo again")
        failure = check_image(tmp)
        if failure is not None:
            raise _refused_image(name, failure.message)
        with Image.open(tmp) as image:
            kind = image.format
        wanted = PHOTO_TYPES[target.suffix]
        if kind != wanted:
            suffix = (kind or "jpg").lower().replace("jpeg", "jpg")
            raise UploadRefused(f"assets/photos/{name}", f"the file is {kind}, not {wanted} as its name says",
                                f"rename it to end in .{suffix} or export it as {wanted}", status=415)
        os.link(tmp, target)  # fails if the name was taken meanwhile, never replaces a file
    finally:
        tmp.unlink(missing_ok=True)
    return target
