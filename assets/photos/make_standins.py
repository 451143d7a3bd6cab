"""Regenerate the stand-in photos for the flagship example, deterministically.

The example script cannot ship the agencies' photos, so these procedural
illustrations stand in for them. Each carries a small "STAND-IN IMAGE" mark, top centre.
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
from standins.finish import FONT
from standins.geneva import geneva
from standins.mosque import mosque
from standins.watchtower import watchtower

QUALITY = 88
HERE = Path(__file__).resolve().parent

SCENES: dict[str, tuple[int, Callable[[np.random.Generator], Image.Image]]] = {
    "watchtower": (2021, watchtower),
    "assembly": (2022, assembly),
    "geneva": (1948, geneva),
    "documents": (831, documents),
    "mosque": (2017, mosque),
}


def render(name: str) -> Image.Image:
    """Render one stand-in image from its fixed seed."""
    seed, scene = SCENES[name]
    return scene(np.random.default_rng(seed))


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
