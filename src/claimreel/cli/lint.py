"""``claimreel lint SCRIPT|FILE.srt|FILE.vtt``: hold captions to the caption rules."""

from __future__ import annotations

import argparse
from fractions import Fraction
from pathlib import Path

from ..errors import ClaimreelError

HELP = ("check captions against the caption rules (a script's captions before rendering, or any "
        ".srt/.vtt file); one finding per line; exit 0 clean, 1 findings, 2 unreadable input or a "
        "script validate refuses (its problems as validate prints them)")

SCRIPT_SUFFIXES = (".yaml", ".yml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", type=Path, metavar="SCRIPT|FILE.srt|FILE.vtt")
    parser.add_argument("--profile", default="netflix", help="netflix (default, 42 chars), bbc (37) or dcmp (32)")
    parser.add_argument("--format", default="16x9", help="format whose caption rules apply (default 16x9)")
    parser.add_argument("--fps", default="30", help="frame rate for gap rules in caption files (default 30)")
    parser.add_argument("--cache", type=Path, default=Path("render/cache"),
                        help="speech cache shared with render (default render/cache)")
    parser.add_argument("--voice", default=None, help="speech engine, overriding the script (espeak, fake)")


def _fps(value: str) -> Fraction:
    try:
        fps = Fraction(value)
    except (ValueError, ZeroDivisionError):
        fps = Fraction(0)
    if fps <= 0:
        raise ClaimreelError(f"--fps: {value!r} is not a frame rate; give e.g. 30, 25 or 30000/1001")
    return fps


def _lint_one(path: Path, args: argparse.Namespace, out: list[str]) -> bool:
    """Append the lint lines of one input; True when it had findings."""
    from ..captions.lint import lint_cues
    from ..publish.caption_files import read_caption_file
    from ..captions.profiles import profile_rules
    from ..captions.translate import is_spaceless, language_rules
    from ..pipeline.script_cues import script_captions
    from ..pipeline.options import parse_formats

    (fmt,) = parse_formats(args.format) if "," not in args.format else (None,)
    if fmt is None or args.format.strip() == "all":
        raise ClaimreelError("--format: give one format (16x9, 9x16, 1x1 or 4x5)")
    rules = profile_rules(args.profile, fmt)
    if path.suffix.lower() in SCRIPT_SUFFIXES:
        result = script_captions(path, fmt, args.cache, voice_engine=args.voice)
        lines = lint_cues(str(path), result.timeline.cues, rules, result.timeline.fps, result.voice_rate)
        if result.estimated_blocks:
            out.append(f"{path}: note: word timings were estimated for {result.estimated_blocks} of "
                       f"{result.spoken_blocks} narration blocks; caption alignment is approximate")
        out += [f"{path}: note: {hold.message()}" for hold in result.holds]
        summary = f"{len(result.timeline.cues)} cues"
        for lang, cues in result.translations.items():
            lang_rules = language_rules(lang, fmt) if is_spaceless(lang) else rules
            lines += lint_cues(f"{path} [{lang}]", cues, lang_rules, result.timeline.fps)
            summary += f", {len(cues)} {lang} cues"
    else:
        cues = read_caption_file(path)
        lines = lint_cues(str(path), cues, rules, _fps(args.fps))
        summary = f"{len(cues)} cues"
    out.extend(lines)
    if not lines:
        out.append(f"{path}: clean ({summary}, profile {args.profile})")
    return bool(lines)


def run(args: argparse.Namespace) -> int:
    import sys

    from ..captions.profiles import profile_rules

    profile_rules(args.profile)  # a bad profile is a usage error before any work
    status = 0
    for path in args.inputs:
        out: list[str] = []
        try:
            found = _lint_one(path, args, out)
        except ClaimreelError as exc:
            for line in out:
                print(line)
            print(str(exc), file=sys.stderr)
            status = max(status, exc.exit_code)
            continue
        for line in out:
            print(line)
        if found:
            status = max(status, 1)
    return status
