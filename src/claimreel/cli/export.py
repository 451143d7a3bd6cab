"""``claimreel export SCRIPT --otio``: the render handed to editing software, in ``OUT/<id>/<format>/edit/``.

The export renders first, as ``claimreel render`` would with the same options
(unchanged scenes, speech and sound come from the caches), so the package always
matches the video beside it; see :mod:`claimreel.pipeline.export`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ClaimreelError
from .render import add_signing_arguments

HELP = "render, then write an OpenTimelineIO / Final Cut Pro XML timeline of it for editing software"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", type=Path, metavar="SCRIPT")
    parser.add_argument("--otio", action="store_true",
                        help="write timeline.otio, timeline.xml (FCP 7 XML: Premiere, Resolve), timeline.fcpxml "
                        "(Final Cut Pro), captions.srt and media/ into OUT/<id>/<format>/edit/")
    parser.add_argument("--clean", action="store_true",
                        help="scenes without burned-in captions (encoded once more, then cached), to caption in the "
                        "editing software from captions.srt")
    parser.add_argument("--format", default=None, help="16x9,9x16,1x1,4x5 or all (default: the script's formats)")
    parser.add_argument("--out", type=Path, default=Path("render/out"), help="output folder (default render/out)")
    parser.add_argument("--cache", type=Path, default=Path("render/cache"), help="cache folder (default render/cache)")
    parser.add_argument("--cuts", default=None, metavar="NAME,...|all|none",
                        help="social cuts the render makes beside each format (default: all the script's cuts)")
    parser.add_argument("--voice", default=None, help="speech engine for every block, overriding the script")
    parser.add_argument("--loudness", default=None,
                        help="loudness profile of the render: web (default), youtube, ebu-r128, atsc-a85")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core; "
                        "a render with little to do, such as after a small edit, works in its own process)")
    parser.add_argument("--ffmpeg", default=None, help="ffmpeg binary (default: CLAIMREEL_FFMPEG or imageio-ffmpeg's)")
    add_signing_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from ..pipeline.export import export_edit
    from ..pipeline.options import render_options
    from ..pipeline.progress import progress_for
    from ..publish.credentials import signing_request
    from ..publish.edit import require_adapters

    if not args.otio:
        raise ClaimreelError("export: say what to export: --otio (an OpenTimelineIO and Final Cut Pro XML timeline)")
    options = render_options(args.script, formats=args.format or None, cuts=args.cuts, voice=args.voice,
                             loudness=args.loudness, out=args.out, cache=args.cache, jobs=args.jobs, ffmpeg=args.ffmpeg,
                             signing=signing_request(args.sign_cert, args.sign_key, tsa_url=args.sign_tsa_url))
    require_adapters()  # before any rendering
    progress = progress_for(sys.stderr)
    try:
        result = export_edit(args.script, options, clean=args.clean, progress=progress)
    finally:
        progress.close()
    for name, folder in result.folders.items():
        plan = result.plans[name]
        tracks = ", ".join(f"{t.name} {len(t.clips)}" for t in plan.tracks)
        print(f"{folder}: timeline.otio, timeline.xml, timeline.fcpxml, captions.srt; {plan.total_frames} frames "
              f"at {plan.fps} fps; clips: {tracks}; {len(plan.markers)} chapter markers")
    return 0
