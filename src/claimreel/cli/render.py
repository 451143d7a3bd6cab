"""``claimreel render SCRIPT``: the video, captions, transcript and manifest for each format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cluster import add_cluster_arguments, open_cluster

if TYPE_CHECKING:
    from ..api import ProgressEvent
    from ..pipeline.progress import Progress

__all__ = ["HELP", "add_arguments", "add_signing_arguments", "run"]

HELP = "render a script to video, captions, transcript and manifest"


def add_signing_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sign-cert", type=Path, default=None, metavar="CHAIN.pem",
                        help="sign the videos, posters and storyboards with Content Credentials (C2PA): the "
                        "signing certificate chain, PEM (default: CLAIMREEL_SIGN_CERT, else the theme's "
                        "publish.credentials; without one, nothing is signed)")
    parser.add_argument("--sign-key", type=Path, default=None, metavar="KEY.pem",
                        help="the signing certificate's private key, PEM (default: CLAIMREEL_SIGN_KEY); it is "
                        "read, never copied")
    parser.add_argument("--sign-tsa-url", default=None, metavar="URL",
                        help="an RFC 3161 timestamp authority for the signatures (default: CLAIMREEL_SIGN_TSA_URL)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", type=Path, metavar="SCRIPT")
    parser.add_argument("--format", default=None, help="16x9,9x16,1x1,4x5 or all (default: the script's formats)")
    parser.add_argument("--out", type=Path, default=Path("render/out"), help="output folder (default render/out)")
    parser.add_argument("--cache", type=Path, default=Path("render/cache"), help="cache folder (default render/cache)")
    parser.add_argument("--cuts", default=None, metavar="NAME,...|all|none",
                        help="social cuts to render beside each format (default: all the script's cuts; "
                        "none with --preview)")
    parser.add_argument("--preview", action="store_true",
                        help="fast half-size draft marked DRAFT, written to OUT/_previews/<id>/ (never over a final)")
    parser.add_argument("--described", default="track", choices=("track", "extended"),
                        help="audio description: a described audio track in every video.mp4 (track, the "
                        "default); extended also writes video-described.mp4, its picture held while what "
                        "does not fit in the narration's gaps is said")
    parser.add_argument("--voice", default=None, help="speech engine for every block, overriding the script (piper, espeak, gtts, fake)")
    parser.add_argument("--loudness", default=None, metavar="NAME",
                        help="loudness profile from render/profiles, as the script's loudness field: "
                        "web (default, -16 LUFS), youtube, ebu-r128, atsc-a85")
    parser.add_argument("--media-base-url", default=None, metavar="URL",
                        help="address the output folder <id>/ is served from, for the video, poster and player "
                        "addresses in claimreview.jsonld (default: the script's publish.media_base_url; "
                        "without either they are left out)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core; "
                        "a render with little to do, such as after a small edit, works in its own process)")
    add_cluster_arguments(parser)
    add_signing_arguments(parser)
    parser.add_argument("--ffmpeg", default=None, help="ffmpeg binary (default: CLAIMREEL_FFMPEG or imageio-ffmpeg's)")
    parser.add_argument("--max-duration", type=float, default=None, metavar="SECONDS",
                        help="refuse videos longer than this (default 1800, or CLAIMREEL_MAX_DURATION)")
    parser.add_argument("--max-pixels", type=int, default=None, metavar="N",
                        help="refuse images with more pixels (default 80000000, or CLAIMREEL_MAX_PIXELS)")
    parser.add_argument("--max-text", type=int, default=None, metavar="CHARS",
                        help="refuse scripts with more text (default 60000, or CLAIMREEL_MAX_TEXT)")
    parser.add_argument("--max-clip-pixels", type=int, default=None, metavar="N",
                        help="refuse clips whose frames have more pixels (default 4096x2160, or "
                        "CLAIMREEL_MAX_CLIP_PIXELS)")
    parser.add_argument("--max-clip-fps", type=float, default=None, metavar="FPS",
                        help="refuse clips at a higher frame rate (default 120, or CLAIMREEL_MAX_CLIP_FPS)")
    parser.add_argument("--max-clip-duration", type=float, default=None, metavar="SECONDS",
                        help="refuse longer video files for clips (default 3600, or CLAIMREEL_MAX_CLIP_DURATION)")


def run(args: argparse.Namespace) -> int:
    from ..api import render
    from ..pipeline.progress import progress_for

    pool = open_cluster(args)
    progress = progress_for(sys.stderr)
    try:
        result = render(args.script, formats=args.format or None, cuts=args.cuts, preview=args.preview,
                        described=args.described, voice=args.voice, loudness=args.loudness, out=args.out, cache=args.cache, jobs=args.jobs,
                        progress=forward_to(progress), ffmpeg=args.ffmpeg, max_duration=args.max_duration,
                        max_pixels=args.max_pixels, max_text=args.max_text,
                        max_clip_pixels=args.max_clip_pixels, max_clip_fps=args.max_clip_fps,
                        max_clip_duration=args.max_clip_duration, media_base_url=args.media_base_url, pool=pool,
                        sign_cert=args.sign_cert, sign_key=args.sign_key, sign_tsa_url=args.sign_tsa_url)
    except BaseException:
        if pool is not None:
            pool.close(wait=False, cancel=True)
            pool = None
        raise
    finally:
        progress.close()
        if pool is not None:
            pool.close()
    seconds = result.timeline.total_frames / float(result.timeline.fps)
    if result.cuts:
        print(f"{len(result.cuts)} cuts: " + ", ".join(
            f"{c.format}/{c.name} {c.timeline.total_frames / float(c.timeline.fps):.1f} s" for c in result.cuts))
    if result.cuts_skipped and args.cuts is None:  # a preview drafts no cuts unless asked: say so
        print(f"preview: {len(result.cuts_skipped)} social cuts not drafted ({', '.join(result.cuts_skipped)}); "
              "add --cuts all (or --cuts NAME) to draft them")
    if result.signed:
        print(f"Content Credentials: {len(result.signed)} files signed in {result.signing_seconds:.2f} s")
    print(f"{result.folder}: {len(result.files)} files, {seconds:.1f} s of video "
          f"({result.segments_encoded} segments encoded, {result.segments_cached} from cache, "
          f"{result.synthesized} narration blocks synthesised)")
    return 0


def forward_to(progress: Progress) -> Callable[[ProgressEvent], None]:
    """The API's progress events shown by ``progress`` (bars on a terminal, lines in a log)."""
    shown: dict[str, int] = {}

    def show(event: ProgressEvent) -> None:
        if event.message:
            progress.note(event.message)
            return
        if event.stage not in shown or (event.done == 0 and shown[event.stage] != 0):
            progress.start(event.stage, event.total, event.kind)  # type: ignore[arg-type]
            shown[event.stage] = 0
        if event.done > shown[event.stage]:
            progress.advance(event.stage, event.done - shown[event.stage])
            shown[event.stage] = event.done

    return show
