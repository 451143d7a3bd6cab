"""Checks the model cannot make alone: ratings, invisible characters, asset files.

Each check returns ``None`` when all is well, or a :class:`Failure` (what is
wrong and how to fix it) that the loader pins to the field's place in the YAML.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Iterator, Sequence

from PIL import Image, UnidentifiedImageError

from claimreel.script.yamltree import FieldPath

__all__ = [
    "MAX_PIXELS",
    "Failure",
    "asset_fields",
    "check_asset_file",
    "check_asset_path",
    "check_image",
    "check_rating",
    "check_text",
    "text_fields",
]

#: Largest image accepted, in pixels (80 megapixels): guards against decompression bombs.
MAX_PIXELS = 80_000_000

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://|^data:", re.IGNORECASE)


@dataclass(frozen=True)
class Failure:
    """What is wrong with one value, and how to fix it."""

    message: str
    hint: str = ""


def check_rating(rating: str, ratings: Sequence[str]) -> Failure | None:
    """``rating`` must be one of ``ratings`` exactly."""
    if rating in ratings:
        return None
    allowed = "allowed: " + ", ".join(ratings)
    by_case = {r.casefold(): r for r in ratings}
    guess = by_case.get(rating.casefold())
    if guess is None:
        close = difflib.get_close_matches(rating.casefold(), list(by_case), n=1, cutoff=0.6)
        guess = by_case[close[0]] if close else None
    hint = f"did you mean '{guess}'? {allowed}" if guess else allowed
    return Failure(f"unknown rating '{rating}'", hint)


def check_text(text: str) -> Failure | None:
    """Refuse control characters (but newline and tab) and bidi overrides/isolates."""
    for char in text:
        if char in _BIDI_CONTROLS:
            return Failure(
                f"contains the invisible bidi control U+{ord(char):04X} {unicodedata.name(char)}",
                "remove it; right-to-left text is laid out automatically",
            )
        if char not in "\n\t" and unicodedata.category(char) == "Cc":
            return Failure(
                f"contains the control character U+{ord(char):04X}",
                "remove it; only line breaks and tabs are allowed in text",
            )
    return None


def text_fields(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every string value in ``data`` with its path, in document order."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from text_fields(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from text_fields(value, path + (index,))


def asset_fields(data: dict[str, Any]) -> Iterator[tuple[FieldPath, str]]:
    """Every asset path named in raw script data: logo, speaker photo, images, backgrounds."""
    candidates: list[FieldPath] = [("outlet", "logo"), ("claim", "speaker", "photo"), ("claim", "clip", "file")]
    body = data.get("body")
    if isinstance(body, list):
        for index, block in enumerate(body):
            if isinstance(block, dict) and block.get("type") == "photo":
                candidates.append(("body", index, "image"))
            elif isinstance(block, dict) and block.get("type") == "narration":
                candidates.append(("body", index, "background", "photo"))
            elif isinstance(block, dict) and block.get("type") in ("clip", "document"):
                candidates.append(("body", index, "file"))
    for path in candidates:
        value: Any = data
        for part in path:
            if isinstance(value, dict) and isinstance(part, str):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int):
                value = value[part]
            else:
                value = None
        if isinstance(value, str) and value.strip():
            yield path, value.strip()


def check_asset_path(value: str, root: Path) -> Path | Failure:
    """Where ``value`` points inside the workspace ``root``, without touching the disk."""
    example = f"e.g. assets/photos/{PurePosixPath(value.replace(chr(92), '/')).name or 'photo.jpg'}"
    if _URL.match(value):
        return Failure(
            "an asset must be a file in the workspace, not a URL",
            f"download it into the assets/ folder and write its path, {example}",
        )
    if (
        PurePosixPath(value).is_absolute()
        or PureWindowsPath(value).is_absolute()
        or PureWindowsPath(value).drive
        or value.startswith("~")
    ):
        return Failure(
            "an asset path must be relative to the workspace folder",
            f"write it relative to {root}, {example}",
        )
    if ".." in re.split(r"[\\/]", value):
        return Failure(
            "an asset path must not contain '..'",
            f"keep assets inside {root} and write the path from there, {example}",
        )
    return root / value


def check_asset_file(path: Path, root: Path) -> Path | Failure:
    """The resolved file behind ``path``: inside ``root``, existing, a file."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        return Failure(
            f"the asset leads outside the workspace, to {resolved}",
            f"copy the file into {root / 'assets'} and point at the copy",
        )
    if not resolved.exists():
        hint = "check the path; asset paths are written relative to " + str(root)
        if path.parent.is_dir():
            by_stem = {p.stem: p.name for p in path.parent.iterdir() if p.is_file()}
            close = difflib.get_close_matches(path.stem, list(by_stem), n=1, cutoff=0.7)
            if close:
                hint = f"did you mean '{by_stem[close[0]]}'?"
        elif "\\" in str(path):
            hint = "use forward slashes (/) between folder names"
        return Failure(f"file not found: {path}", hint)
    if not resolved.is_file():
        return Failure(f"not a file: {path}", "point at an image file")
    return resolved


def is_picture(data: dict[str, Any], field: FieldPath, path: Path) -> bool:
    """Whether the asset at ``field`` is an image Pillow must open: not a clip's video, nor a PDF
    (those are checked with ffmpeg and pypdfium2 by :mod:`claimreel.pipeline.media`)."""
    if field[-1] != "file":
        return True
    if field[0] == "claim":
        return False
    block = data["body"][field[1]]
    return block.get("type") == "document" and path.suffix.lower() != ".pdf"


#: How to show a page of a PDF named where a picture belongs.
PDF_AS_PICTURE = "export the page as PNG or JPEG"
#: The same, for a photo block: a document block shows a PDF's page (and its passage) itself.
PDF_IN_PHOTO_BLOCK = ("to show a page of a PDF, write the block as type: document with file: and page: "
                      "(a photo block shows a picture: JPEG, PNG or WebP)")


def _not_a_picture(path: Path, pdf_hint: str) -> Failure:
    """What a file no image reader opens is, in the user's terms (never the library's)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        head = b""
    if head.startswith(b"%PDF-"):
        return Failure("this is a PDF document, not a picture", pdf_hint)
    if head[4:8] == b"ftyp" or head.startswith(b"\x1aE\xdf\xa3") or (head[:4] == b"RIFF" and head[8:12] == b"AVI "):
        return Failure("this is a video file, not a picture",
                       "show it with a clip block (type: clip), or export a frame as PNG or JPEG")
    return Failure("not an image file (JPEG, PNG, WebP, GIF, TIFF or BMP)", "export it as JPEG or PNG")


def check_image(path: Path, *, pdf_hint: str = PDF_AS_PICTURE) -> Failure | None:
    """``path`` must open with Pillow, decode fully and be at most :data:`MAX_PIXELS`; ``pdf_hint``:
    the fix offered when it is a PDF."""
    too_big = "downscale it; a 1080p video needs no more than about 8 megapixels"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    megapixels = width * height / 1e6
                    return Failure(
                        f"image is too large: {width}x{height} ({megapixels:.0f} megapixels, at most "
                        f"{MAX_PIXELS // 1_000_000})",
                        too_big,
                    )
                image.verify()
            with Image.open(path) as image:
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
        except Image.DecompressionBombError:
            return Failure(f"image is too large (more than {MAX_PIXELS // 1_000_000} megapixels)", too_big)
        except UnidentifiedImageError:
            return _not_a_picture(path, pdf_hint)
        except Exception as exc:  # Pillow raises many kinds on corrupt data; all mean "damaged"
            return Failure(f"the image is damaged or truncated: {exc}", "export or download it again")
    return None
