"""Regenerate the stand-in photos for the flagship example, deterministically.

The example script cannot ship the agencies' photos, so these procedural
illustrations stand in for them. Each carries a small "STAND-IN IMAGE" mark near the top, centred
above the focus point the flagship script gives the photo (clear of the corner mark in every format).
Run from anywhere::

    python assets/photos/make_standins.py            # all images, next to this file
    python assets/photos/make_standins.py --only watchtower --out /tmp

Every image comes from a fixed seed, so a rerun gives the same pixels with the
same Pillow and numpy versions. See ``CREDITS.md`` for what each one stands for; the drawing code
is in ``standins/``, one module per picture.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from standins.assembly import assembly
from standins.documents import documents
from standins.finish import FONT, stamp
from standins.geneva import geneva
from standins.mosque import mosque
from standins.watchtower import watchtower

QUALITY = 88
HERE = Path(__file__).resolve().parent

#: name -> (seed, drawing, where the stand-in mark goes: its centre across the width and its top
#: down the height). Across: the photo's focus x in scripts/xinjiang-un-report.yaml, so the crop
#: toward it keeps the mark in view. Down: 0.11; the documents' a little higher, so a square frame
#: (whose lower third moves up under the corner mark, off the documents) keeps it clear of the panel
#: and 9:16's crop toward the low focus still shows it.
SCENES: dict[str, tuple[int, Callable[[np.random.Generator], Image.Image], float, float]] = {
    "watchtower": (2021, watchtower, 0.54, 0.11),
    "assembly": (2022, assembly, 0.5, 0.11),
    "geneva": (1948, geneva, 0.5, 0.11),
    "documents": (831, documents, 0.58, 0.105),
    "mosque": (2017, mosque, 0.5, 0.11),
}


def render(name: str) -> Image.Image:
    """Render one stand-in image from its fixed seed, marked as a stand-in."""
    seed, scene, mark_x, mark_top = SCENES[name]
    return stamp(scene(np.random.default_rng(seed)), mark_x, mark_top)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write the JPEGs to")
    parser.add_argument("--only", choices=sorted(SCENES), action="append", help="render only these")
    args = parser.parse_args(argv)
    if not FONT.is_file():
        parser.error(f"font {FONT} is missing; restore assets/fonts/Inter-Medium.otf")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.only or list(SCENES):
        path = args.out / f"{name}.jpg"
        render(name).save(path, "JPEG", quality=QUALITY, optimize=True)
        sys.stdout.write(f"{path} {path.stat().st_size // 1024} KiB\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
