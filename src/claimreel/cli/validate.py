"""``claimreel validate SCRIPT...``: check scripts without rendering."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ClaimreelError

HELP = "check scripts (fields, ratings, assets, fonts, contrast, layout); exit 2 on problems"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scripts", nargs="+", type=Path, metavar="SCRIPT")
    parser.add_argument("--format", default=None,
                        help="formats whose layouts to check: a comma list or all (default: the script's formats)")


def run(args: argparse.Namespace) -> int:
    from ..encode.ffmpeg import Ffmpeg
    from ..pipeline.limits import Limits, check_pixels, check_text_length
    from ..pipeline.media import check_media
    from ..pipeline.render import check_script, layout_all, script_texts
    from ..script.load import load_script
    from .render import parse_formats

    status = 0
    for path in args.scripts:
        try:
            loaded = load_script(path)
            theme, book = check_script(loaded)
            limits = Limits.from_env()
            check_text_length(loaded, script_texts(loaded.script), limits)
            check_pixels(loaded, limits)
            check_media(loaded, limits, Ffmpeg())
            formats = parse_formats(args.format) if args.format else loaded.script.formats
            layout_all(loaded, theme, book, formats)
        except ClaimreelError as exc:
            print(str(exc), file=sys.stderr)
            status = max(status, exc.exit_code)
            continue
        print(f"{path}: ok ({len(loaded.script.body)} body blocks)")
    return status
