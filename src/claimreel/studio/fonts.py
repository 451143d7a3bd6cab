"""The fonts claimreel ships, served to the studio's pages so every script's text shows.

A browser without CJK or Arabic fonts draws a Chinese or Uyghur title as empty
boxes. The pages load ``/fonts/fonts.css``: ``@font-face`` rules for the shipped
Noto Sans SC and Noto Sans Arabic (the faces the videos use for those scripts),
each limited by ``unicode-range`` to its script, so a browser fetches a face only
for a page that holds such text. The files are served as they are (OpenType and
TrueType): the studio answers on this computer, where an 11 MB face arrives in
milliseconds, and converting it to WOFF2 would need Brotli and seconds of work.
Each face's address carries a digest of the file's size and time, so it is cached
for a year and a changed file is fetched again. The fonts' licences (SIL Open Font
License) are served beside them and named in the style sheet.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from .workspace import OutsideWorkspace

__all__ = ["FACES", "FontFace", "font_css", "fonts_folder"]

#: What each served file is, by its ending.
MEDIA_TYPES = {".otf": "font/otf", ".ttf": "font/ttf", ".txt": "text/plain; charset=utf-8"}
YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class FontFace:
    """One ``@font-face`` rule: a shipped file, its family and weight, the characters it draws and
    its licence file."""

    file: str
    family: str
    weight: int
    unicode_range: str
    licence: str


_CJK = "U+3000-303F, U+3400-4DBF, U+4E00-9FFF, U+FE30-FE4F, U+FF00-FFEF"
_ARABIC = "U+0600-06FF, U+0750-077F, U+0870-08FF, U+FB50-FDFF, U+FE70-FEFF"

#: The faces the pages may use: the videos' own fallbacks for Chinese and for Arabic script (Uyghur).
FACES = (
    FontFace("NotoSansSC-Regular.otf", "Noto Sans SC", 400, _CJK, "OFL-NotoSansSC.txt"),
    FontFace("NotoSansSC-Bold.otf", "Noto Sans SC", 700, _CJK, "OFL-NotoSansSC.txt"),
    FontFace("NotoSansArabic-Regular.ttf", "Noto Sans Arabic", 400, _ARABIC, "OFL-NotoSansArabic.txt"),
    FontFace("NotoSansArabic-Bold.ttf", "Noto Sans Arabic", 700, _ARABIC, "OFL-NotoSansArabic.txt"),
)


def fonts_folder() -> Path:
    """``assets/fonts`` of the checkout: the fonts the shipped themes use."""
    from ..layout.theme import themes_root

    return themes_root().parent / "fonts"


def _version(path: Path) -> str:
    st = os.stat(path)
    return hashlib.sha256(f"{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:12]


def font_css(folder: Path) -> str:
    """The ``@font-face`` rules of :data:`FACES` found in ``folder``, with versioned addresses."""
    rules = []
    licences = sorted({face.licence for face in FACES if (folder / face.licence).is_file()})
    rules.append("/* Fonts shipped with claimreel, under the SIL Open Font License 1.1: "
                 + ", ".join(f"/fonts/{name}" for name in licences) + " */")
    for face in FACES:
        path = folder / face.file
        if not path.is_file():
            continue
        kind = "opentype" if path.suffix == ".otf" else "truetype"
        rules.append(f'@font-face {{ font-family: "{face.family}"; font-style: normal; font-weight: {face.weight}; '
                     f'font-display: swap; src: url("/fonts/{face.file}?v={_version(path)}") format("{kind}"); '
                     f"unicode-range: {face.unicode_range}; }}")
    return "\n".join(rules) + "\n"


def _served(name: str) -> bool:
    """Only the faces of :data:`FACES` and their licences, by plain file name."""
    return any(name in (face.file, face.licence) for face in FACES)


async def font_css_route(request: Request) -> Response:
    from .pages.common import studio_of

    studio = studio_of(request)
    if studio.font_css is None:
        studio.font_css = font_css(fonts_folder())
    # small and read on every page: asked again each time, answered from the browser's copy if unchanged
    return Response(studio.font_css, media_type="text/css; charset=utf-8", headers={"cache-control": "no-cache"})


async def font_file(request: Request) -> Response:
    """A shipped face or its licence; a face for a year (its address changes with the file)."""
    name = request.path_params["name"]
    if not _served(name):
        raise OutsideWorkspace(name)
    path = fonts_folder() / name
    if not path.is_file():
        raise OutsideWorkspace(name)
    suffix = path.suffix.lower()
    cache = f"public, max-age={YEAR}, immutable" if suffix != ".txt" else "no-cache"
    return FileResponse(path, media_type=MEDIA_TYPES[suffix], headers={"cache-control": cache})

