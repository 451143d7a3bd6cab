"""``claimreel storyboard SCRIPT``: the contact sheet of a format, drawn without encoding any video.

It runs the render's checks, narration (from the speech cache when it can),
layout and timeline, then draws one mid-scene frame per scene at about the size
the sheet shows it. The PNG goes beside the render outputs, ``OUT/<id>-storyboard-<format>.png``, so it never
changes a rendered package (whose manifest lists every file's hash).
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "draw the storyboard (one thumbnail per scene, with times and scene types) without encoding video"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", type=Path, metavar="SCRIPT")
    parser.add_argument("--format", default=None,
                        help="a format, a comma list of them, or all (default: the script's first format)")
    parser.add_argument("--out", type=Path, default=Path("render/out"),
                        help="folder for OUT/<id>-storyboard-<format>.png (default render/out)")
    parser.add_argument("--cache", type=Path, default=Path("render/cache"), help="cache folder (default render/cache)")
    parser.add_argument("--voice", default=None, help="speech engine, overriding the script (espeak, fake)")


def run(args: argparse.Namespace) -> int:
    from ..pipeline.output import atomic_write_bytes
    from ..pipeline.storyboard import storyboards
    from ..script.load import script_formats

    from ..pipeline.options import parse_formats

    names = parse_formats(args.format) if args.format else script_formats(args.script)[:1]
    for board in storyboards(args.script, names, cache=args.cache, out=args.out, voice=args.voice):
        path = args.out / f"{board.script_id}-storyboard-{board.format}.png"
        atomic_write_bytes(path, board.png)
        print(f"{path}: {len(board.timeline.scenes)} scenes, {board.timeline.duration_ms / 1000:.1f} s")
    return 0
