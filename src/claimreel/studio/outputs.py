"""Rendered outputs as the studio lists them, and the social pack a social editor downloads.

An output is a folder ``render/out/<id>/`` (or a preview's
``render/out/_previews/<id>/``) holding a ``manifest.json``; the manifest says
which formats and cuts it has. A social pack is one zip of chosen cuts ×
formats: each clip's video, SRT, WebVTT and poster, and ``post.txt`` with the
copy to paste beside it (title, the verdict in one line, the article's
address, the poster's alt text).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Sequence

from ..errors import ClaimreelError
from .workspace import Workspace

__all__ = ["FULL", "Output", "PackCopy", "credentials_of", "list_outputs", "pack_copy", "read_output", "social_pack"]

#: The name the whole video goes by among the cuts a pack can hold.
FULL = "full"
_CLIP_FILES = ("video.mp4", "captions.srt", "captions.vtt", "poster.jpg")


@dataclass(frozen=True)
class Output:
    id: str
    title: str
    preview: bool
    folder: Path
    formats: tuple[str, ...]
    cuts: tuple[str, ...]  # cut names found in every format's manifest entry
    finished: dt.datetime
    language: str = "en"
    job: str = ""  # a job's own copy (render/out/_jobs/<job>/...), not the script's output folder

    @property
    def kind(self) -> str:
        return "preview" if self.preview else "final"

    @property
    def url(self) -> str:
        return f"/outputs/{f'_jobs/{self.job}/' if self.job else ''}{'_previews/' if self.preview else ''}{self.id}"


def read_output(folder: Path, preview: bool, job: str = "") -> Output | None:
    """The output in ``folder``, or None when it holds no readable manifest."""
    try:
        manifest = folder / "manifest.json"
        data = json.loads(manifest.read_text(encoding="utf-8"))
        finished = dt.datetime.fromtimestamp(manifest.stat().st_mtime, dt.timezone.utc)
        formats = tuple(name for name in data["formats"] if (folder / name / "video.mp4").is_file())
    except (OSError, ValueError, KeyError, TypeError):
        return None
    cut_sets = [set((data["formats"][f] or {}).get("cuts", {}) or {}) for f in formats]
    cuts = tuple(sorted(set.intersection(*cut_sets))) if cut_sets else ()
    return Output(folder.name, str(data.get("title", folder.name)), preview, folder, formats, cuts, finished,
                  str(data.get("language") or "en"), job)


def list_outputs(ws: Workspace) -> list[Output]:
    """Every final and preview output of the workspace, newest first."""
    found = []
    for base, preview in ((ws.out, False), (ws.previews, True)):
        if not base.is_dir():
            continue
        with os.scandir(base) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")) or not entry.is_dir(follow_symlinks=False):
                    continue
                output = read_output(Path(entry.path), preview)
                if output is not None:
                    found.append(output)
    return sorted(found, key=lambda o: o.finished, reverse=True)


def credentials_of(output: Output) -> Any:
    """The Content Credentials of the output's first video as :func:`claimreel verify` reads them
    (a :class:`~claimreel.publish.credentials.verify.Verdict`), or None when it is unsigned, unreadable
    or the signing library is not installed."""
    if not output.formats:
        return None
    try:
        from ..publish.credentials.verify import check_file, read_context

        verdict = check_file(output.folder / output.formats[0] / "video.mp4", read_context())
    except ClaimreelError:
        return None
    return None if verdict.status == "unsigned" else verdict


@dataclass(frozen=True)
class PackCopy:
    """The words a social post needs beside the video."""

    title: str
    verdict: str
    url: str
    alt: str

    def text(self, clips: Sequence[str]) -> str:
        lines = [self.title, "", self.verdict, ""]
        if self.url:
            lines += [self.url, ""]
        lines += [f"Poster alt text: {self.alt}", "", "Clips in this pack:"] + [f"- {c}" for c in clips]
        return "\n".join(lines) + "\n"


def pack_copy(output: Output, script_path: Path | None) -> PackCopy:
    """Post copy from the script that made ``output`` (its current text), else from the output's
    ClaimReview JSON-LD."""
    if script_path is not None:
        from ..script.load import load_script

        try:
            s = load_script(script_path, check_assets=False).script
        except ClaimreelError:
            s = None
        if s is not None and s.id == output.id:
            rating = s.verdict.label or s.verdict.rating
            return PackCopy(s.title, f"{rating}: {s.verdict.summary}", s.url or s.outlet.url or "",
                            f"Verdict card: {s.claim.speaker.name}'s claim \u201c{s.claim.quote}\u201d is rated "
                            f"{rating}. {s.verdict.summary}")
    try:
        graph = json.loads((output.folder / "claimreview.jsonld").read_text(encoding="utf-8"))["@graph"]
        review = next(g for g in graph if g.get("@type") == "ClaimReview")
        rating = review["reviewRating"]["alternateName"]
        quote = review.get("claimReviewed", "")
        return PackCopy(output.title, f"{rating}: \u201c{quote}\u201d", review.get("url", ""),
                        f"Verdict card: the claim \u201c{quote}\u201d is rated {rating}.")
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return PackCopy(output.title, "", "", f"Verdict card of {output.title}")


def _clip_folder(output: Output, fmt: str, cut: str) -> Path:
    return output.folder / fmt if cut == FULL else output.folder / fmt / "cuts" / cut


def social_pack(output: Output, formats: Sequence[str], cuts: Sequence[str], copy: PackCopy) -> IO[bytes]:
    """The zip (an open temp file at position 0) of ``cuts`` × ``formats`` of ``output``."""
    formats = [f for f in formats if f in output.formats]
    cuts = [c for c in cuts if c == FULL or c in output.cuts]
    if not formats or not cuts:
        raise ClaimreelError("choose at least one format and one cut of this output for the pack")
    fh = tempfile.TemporaryFile()
    clips = []
    with zipfile.ZipFile(fh, "w") as pack:
        for cut in cuts:
            for fmt in formats:
                folder = _clip_folder(output, fmt, cut)
                clip = f"{output.id}-{cut}-{fmt}"
                clips.append(clip)
                for name in _clip_files(folder):
                    kind = zipfile.ZIP_STORED if name.endswith((".mp4", ".jpg")) else zipfile.ZIP_DEFLATED
                    pack.write(folder / name, f"{clip}/{name}", compress_type=kind)
        pack.writestr("post.txt", copy.text(clips), compress_type=zipfile.ZIP_DEFLATED)
    fh.seek(0)
    return fh


def _clip_files(folder: Path) -> list[str]:
    missing = [name for name in _CLIP_FILES if not (folder / name).is_file()]
    if missing:
        raise ClaimreelError(f"{folder}: {', '.join(missing)} missing; render this output again")
    return list(_CLIP_FILES)
