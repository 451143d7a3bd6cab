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
    parser.add_argument("--profile", default=None, help="netflix (default, 42 chars), bbc (37) or dcmp (32)")
    parser.add_argument("--format", default=None,
                        help="format whose caption rules apply (default: for a caption file, the format "
                             "folder it is in, e.g. 9x16/captions.srt; otherwise 16x9)")
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


def _one_format(value: str | None) -> str | None:
    """The format named by ``--format`` (None when not given)."""
    from ..pipeline.options import parse_formats

    if value is None:
        return None
    if "," in value or value.strip() == "all":
        raise ClaimreelError("--format: give one format (16x9, 9x16, 1x1 or 4x5)")
    (fmt,) = parse_formats(value)
    return fmt


def _lint_one(path: Path, args: argparse.Namespace, out: list[str]) -> bool:
    """Append the lint lines of one input; True when it had findings."""
    from ..captions.lint import finding_line, lint_cues, lint_tracks
    from ..pipeline.script_cues import script_captions
    from ..publish.caption_files import caption_file_rules, read_caption_file

    fmt = _one_format(args.format)
    if path.suffix.lower() in SCRIPT_SUFFIXES:
        fmt = fmt or "16x9"
        result = script_captions(path, fmt, args.cache, voice=args.voice)
        found = lint_tracks(result.timeline.cues, result.translations, fmt, result.timeline.fps,
                            profile=args.profile, voice_rate=result.voice_rate)
        lines = [finding_line(f.place(str(path)), f.finding) for f in found]
        if result.estimated_blocks:
            out.append(f"{path}: note: word timings were estimated for {result.estimated_blocks} of "
                       f"{result.spoken_blocks} narration blocks; caption alignment is approximate")
        out += [f"{path}: note: {hold.message()}" for hold in result.holds]
        summary = f"{len(result.timeline.cues)} cues"
        summary += "".join(f", {len(cues)} {lang} cues" for lang, cues in result.translations.items())
    else:
        cues = read_caption_file(path)
        rules, fmt = caption_file_rules(path, fmt, args.profile)
        lines = lint_cues(str(path), cues, rules, _fps(args.fps))
        summary = f"{len(cues)} cues"
    out.extend(lines)
    if not lines:
        rules_of = "" if fmt == "16x9" else f", {fmt} rules"
        out.append(f"{path}: clean ({summary}, profile {args.profile}{rules_of})")
    return bool(lines)


def run(args: argparse.Namespace) -> int:
    import sys

    from ..captions.profiles import DEFAULT_PROFILE, profile_rules

    args.profile = args.profile or DEFAULT_PROFILE
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
