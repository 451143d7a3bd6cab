"""``claimreel validate SCRIPT...``: check scripts without rendering."""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ClaimreelError

if TYPE_CHECKING:
    from ..script.model import Script
    from ..timeline.reading import ReadingHold

HELP = "check scripts (fields, ratings, assets, fonts, contrast, layout); exit 2 on problems"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scripts", nargs="+", type=Path, metavar="SCRIPT")
    parser.add_argument("--format", default=None,
                        help="formats whose layouts to check: a comma list or all (default: the script's formats)")


def _reading_holds(script: Script) -> list[ReadingHold]:
    """Cards that stay up longer than their narration so they can be read, with narration lengths
    estimated from the voice's rate (validate speaks nothing)."""
    from ..captions.rules import rules_for_format
    from ..timeline.build import build_timeline, estimated_narration, plan_scenes, reading_holds

    specs = plan_scenes(script)
    timings = estimated_narration(specs, script.voice.rate)
    return reading_holds(specs, build_timeline(specs, timings, Fraction(30), rules_for_format("16x9")))


def run(args: argparse.Namespace) -> int:
    from ..pipeline.limits import Limits, check_pixels, check_text_length
    from ..pipeline.render import check_script, layout_all, layout_end_cards, script_texts
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
            formats = parse_formats(args.format) if args.format else loaded.script.formats
            layout_all(loaded, theme, book, formats)
            if loaded.script.cuts:
                layout_end_cards(loaded, theme, book, formats)
        except ClaimreelError as exc:
            print(str(exc), file=sys.stderr)
            status = max(status, exc.exit_code)
            continue
        for hold in _reading_holds(loaded.script):
            print(f"{path}: note: {hold.message()} (narration length estimated; lint measures it)")
        print(f"{path}: ok ({len(loaded.script.body)} body blocks)")
    return status
