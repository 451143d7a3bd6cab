"""The descriptive transcript: who speaks, what is said, everything on screen, photo descriptions.

Entries are built once as data (one per scene, with its time); the plain-text
writer here and any other writer render the same entries.
"""

from __future__ import annotations

from ..narration.disclosure import described

from dataclasses import dataclass
from typing import Sequence

from ..layout.scenes.base import format_claim_date, format_date
from ..script.model import (ClipBlock, ClipSource, DocumentBlock, FactBlock, NarrationBlock, PhotoBlock, QuoteBlock,
                            Script)
from ..timeline.build import SceneSpec
from ..timeline.model import Timeline, frame_to_ms

__all__ = ["Entry", "transcript_entries", "transcript_text"]

NARRATOR = "Narrator"


@dataclass(frozen=True)
class Entry:
    start_ms: int
    heading: str
    visual: tuple[str, ...]
    speaker: str | None
    spoken: str | None
    # What is heard in a clip (its own sound): (who, words) lines, the original speech and then,
    # when the clip is in another language, its translation (who is then "Translation").
    heard: tuple[tuple[str, str], ...] = ()


def clip_heard(clip: ClipSource | None) -> tuple[tuple[str, str], ...]:
    """A clip's speech for the transcript: each transcript line, then each translation line."""
    if clip is None or clip.audio != "full":
        return ()
    out = [(f"{line.speaker or 'Speaker'} (in the clip)", line.text) for line in clip.transcript]
    out += [(f"Translation ({line.speaker})" if line.speaker else "Translation", line.text)
            for line in clip.translation]
    return tuple(out)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _visual(script: Script, spec: SceneSpec) -> tuple[str, tuple[str, ...]]:
    claim, verdict = script.claim, script.verdict
    if spec.kind == "title":
        return "Title card", (f"{script.outlet.name} fact check: \u201c{script.title}\u201d",
                              f"Published {format_date(script.published)}.")
    if spec.kind == "claim" and claim.clip is not None:
        who = claim.speaker.name + (f", {claim.speaker.title}" if claim.speaker.title else "")
        return "Claim", (f"The claim. Footage of {who}, {format_claim_date(claim.date)}.",
                         f"The claim, in quotation marks: \u201c{claim.quote}\u201d")
    if spec.kind == "claim":
        who = claim.speaker.name + (f", {claim.speaker.title}" if claim.speaker.title else "")
        lines = [
            f"The claim. {'Photo' if claim.speaker.photo else 'Initials'} of {who}, {format_claim_date(claim.date)}.",
            f"On screen, in quotation marks: \u201c{claim.quote}\u201d",
        ]
        if claim.appeared:
            lines.append(f"Where it was said: {claim.appeared.name}.")
        return "Claim card", tuple(lines)
    if spec.kind == "verdict":
        return "Verdict card", (f"Our verdict: {verdict.shown.upper()}.", verdict.summary)
    if spec.kind == "credits":
        lines = [f"{c.role}: {c.name}." for c in script.credits]
        lines += [f"Source: {s.title}" + (f", {s.publisher}" if s.publisher else "") + "." for s in script.sources]
        return "Credits", tuple(lines)
    assert spec.block is not None
    block = script.body[spec.block]
    if isinstance(block, PhotoBlock):
        return "Photo", (block.description, f"Caption: {block.caption}", f"Credit: {block.credit}")
    if isinstance(block, ClipBlock):
        return "Clip", (block.description, f"Caption: {block.caption}", f"Credit: {block.credit}")
    if isinstance(block, DocumentBlock):
        lines = [f"Document page: {block.where}."]
        if isinstance(block.highlight, str):
            lines.append(f"Highlighted on {block.where}: \u201c{block.highlight}\u201d")
        elif block.highlight is not None:
            lines.append(f"A passage of {block.where} is highlighted.")
        if block.description:
            lines.append(block.description)
        if block.credit:
            lines.append(f"Credit: {block.credit}")
        return "Document", tuple(lines)
    if isinstance(block, QuoteBlock):
        lines = [f"Quote card: \u201c{block.text}\u201d \u2014 {block.attribution}"]
        return "Quote", tuple(lines)
    if isinstance(block, FactBlock):
        lines = [block.headline + "."]
        if block.number is not None:
            lines.append(f"Shown large: {block.number}" + (f" {block.unit}" if block.unit else "") + ".")
        if block.compare:
            bars = "; ".join(f"{c.label}: {_number(c.value)}" for c in block.compare)
            unit = f" ({block.unit})" if block.unit else ""
            lines.append(f"Bar chart{unit}: {bars}.")
        if block.source:
            lines.append(f"Source: {block.source}.")
        return "Fact card", tuple(lines)
    assert isinstance(block, NarrationBlock)
    lines = []
    if block.on_screen:
        lines.append(f"On screen: {block.on_screen}")
    if block.background and block.background.photo:
        lines.append("Over a photo background.")
    return "Narration", tuple(lines)


def transcript_entries(script: Script, specs: Sequence[SceneSpec], timeline: Timeline) -> tuple[Entry, ...]:
    entries = []
    for spec, scene in zip(specs, timeline.scenes):
        heading, visual = _visual(script, spec)
        speaker = NARRATOR if spec.narration else None
        entries.append(Entry(frame_to_ms(scene.start_frame, timeline.fps), heading, visual, speaker,
                             spec.narration, clip_heard(spec.clip)))
    return tuple(entries)


def clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def transcript_text(script: Script, specs: Sequence[SceneSpec], timeline: Timeline) -> str:
    out = [
        script.title,
        f"{script.outlet.name} \u2014 fact check, published {format_date(script.published)}",
    ]
    if script.url:
        out.append(script.url)
    narrator = f"Narrator ({described(script) or 'voice-over'})"
    out += ["", f"Descriptive transcript. Duration {clock(timeline.duration_ms)}.",
            f"Speakers: {narrator}. The claim is by "
            f"{script.claim.speaker.name}" + (f", {script.claim.speaker.title}" if script.claim.speaker.title else "")
            + ".", ""]
    for entry in transcript_entries(script, specs, timeline):
        out.append(f"[{clock(entry.start_ms)}] {entry.heading.upper()}")
        out += [f"  Visual: {line}" for line in entry.visual]
        out += [f"  {who}: {words}" for who, words in entry.heard]
        if entry.spoken:
            out.append(f"  {entry.speaker}: {entry.spoken}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
