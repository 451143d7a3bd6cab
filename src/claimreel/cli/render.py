"""``claimreel render SCRIPT``: the video, captions, transcript and manifest for each format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ClaimreelError
from ..layout.formats import FORMATS

HELP = "render a script to video, captions, transcript and manifest"


def parse_formats(value: str) -> tuple[str, ...]:
    if value.strip() == "all":
        return tuple(FORMATS)
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise ClaimreelError(
            f"--format: unknown format {', '.join(unknown) or value!r}; use a comma list of "
            f"{', '.join(FORMATS)} or 'all'"
        )
    return names


def parse_cuts(value: str | None) -> tuple[str, ...] | None:
    """``--cuts``: None (all the script's cuts) for ``all`` or no option, () for ``none``, else the names."""
    if value is None or value.strip() == "all":
        return None
    if value.strip() == "none":
        return ()
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if not names:
        raise ClaimreelError(f"--cuts: give cut names separated by commas, 'all' or 'none', not {value!r}")
    return names


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", type=Path, metavar="SCRIPT")
    parser.add_argument("--format", default=None, help="16x9,9x16,1x1,4x5 or all (default: the script's formats)")
    parser.add_argument("--out", type=Path, default=Path("render/out"), help="output folder (default render/out)")
    parser.add_argument("--cache", type=Path, default=Path("render/cache"), help="cache folder (default render/cache)")
    parser.add_argument("--cuts", default=None, metavar="NAME,...|all|none",
                        help="social cuts to render beside each format (default: all the script's cuts; "
                        "none with --preview)")
    parser.add_argument("--preview", action="store_true", help="fast half-size draft")
    parser.add_argument("--voice", default=None, help="speech engine for every block, overriding the script (espeak, gtts, fake)")
    parser.add_argument("--profile", default=None,
                        help="loudness profile from render/profiles: web (default, -16 LUFS), youtube, ebu-r128, atsc-a85")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    parser.add_argument("--ffmpeg", default=None, help="ffmpeg binary (default: CLAIMREEL_FFMPEG or imageio-ffmpeg's)")
    parser.add_argument("--max-duration", type=float, default=None, metavar="SECONDS",
                        help="refuse videos longer than this (default 1800, or CLAIMREEL_MAX_DURATION)")
    parser.add_argument("--max-pixels", type=int, default=None, metavar="N",
                        help="refuse images with more pixels (default 80000000, or CLAIMREEL_MAX_PIXELS)")
    parser.add_argument("--max-text", type=int, default=None, metavar="CHARS",
                        help="refuse scripts with more text (default 60000, or CLAIMREEL_MAX_TEXT)")


def run(args: argparse.Namespace) -> int:
    from ..pipeline.limits import Limits
    from ..pipeline.progress import progress_for
    from ..pipeline.render import RenderOptions, render
    from ..script.load import load_script

    if args.jobs < 0:
        raise ClaimreelError("--jobs: give 0 (one per core) or a positive number")
    formats = parse_formats(args.format) if args.format else load_script(args.script).script.formats
    # A draft is for checking the edit: its cuts only when asked for.
    cuts = () if args.preview and args.cuts is None else parse_cuts(args.cuts)
    options = RenderOptions(formats=tuple(formats), out=args.out, cache=args.cache, preview=args.preview,
                            voice_engine=args.voice, jobs=args.jobs, ffmpeg=args.ffmpeg,
                            profile=args.profile, cuts=cuts, wait_for_output=True,
                            limits=Limits.from_env(max_duration_s=args.max_duration, max_pixels=args.max_pixels,
                                                   max_text_chars=args.max_text))
    progress = progress_for(sys.stderr)
    try:
        result = render(args.script, options, progress=progress)
    finally:
        progress.close()
    seconds = result.timeline.total_frames / float(result.timeline.fps)
    if result.cuts:
        print(f"{len(result.cuts)} cuts: " + ", ".join(
            f"{c.format}/{c.name} {c.timeline.total_frames / float(c.timeline.fps):.1f} s" for c in result.cuts))
    print(f"{result.folder}: {len(result.files)} files, {seconds:.1f} s of video "
          f"({result.segments_encoded} segments encoded, {result.segments_cached} from cache, "
          f"{result.synthesized} narration blocks synthesised)")
    return 0
