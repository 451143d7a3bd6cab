"""The descriptive transcript: who speaks, what is said, everything on screen, photo descriptions.

Entries are built once as data (one per scene, with its time); the plain-text
writer here and any other writer render the same entries. They say what the
screen says: dates in the card's form, the verdict under the card's heading and,
for a meter, where the rating sits on the scale, quotations in the language's
marks (not doubled when the text brings its own), one full stop after a sentence
that already ends in one ("D.C.", not "D.C..").
"""

from __future__ import annotations

from ..script.voices import described

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..layout.labels import Labels, resolve_labels
from ..layout.scenes.end import end_heading, script_address
from ..layout.typography import quoted
from ..script.blocks import ClipBlock, DocumentBlock, FactBlock, NarrationBlock, PhotoBlock, QuoteBlock
from ..script.footage import ClipSource
from ..script.model import Script
from ..timeline.build import SceneSpec
from ..timeline.model import Timeline, frame_to_ms

if TYPE_CHECKING:
    from ..layout.theme import Theme

__all__ = ["Entry", "meter_position", "published", "sentence", "transcript_entries", "transcript_text"]

NARRATOR = "Narrator"
_ENDS = (".", "!", "?", "\u2026", "\u3002", "\uff01", "\uff1f")  # what already ends a sentence
_CLOSING = "\"'\u201d\u2019\u00bb\u300d)]"  # what may follow the sentence's end
_COUNTS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ORDINALS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


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


def sentence(text: str) -> str:
    """``text`` ending in a full stop, unless it already ends a sentence (an abbreviation's point included)."""
    return text if text.rstrip(_CLOSING).endswith(_ENDS) else f"{text}."


def _labels(script: Script, theme: Theme | None) -> Labels:
    return theme.labels_for(script) if theme is not None else resolve_labels(script, {}, {})


def published(script: Script, theme: Theme | None = None) -> str:
    """The publication date as the title card writes it."""
    return _labels(script, theme).date(script.published)


def meter_position(theme: Theme, rating: str, labels: Labels) -> str:
    """Where a meter theme's rating sits: "Outrageous, the lowest of six"; the scale runs best first."""
    names = [r.label.casefold() for r in theme.ratings]
    index, count = names.index(rating.casefold()), len(names)
    of = _COUNTS[count] if count < len(_COUNTS) else str(count)
    if index == 0:
        where = f"the highest of {of}"
    elif index == count - 1:
        where = f"the lowest of {of}"
    else:
        nth = _ORDINALS[index + 1] if index + 1 < len(_ORDINALS) else f"number {index + 1}"
        where = f"the {nth} of {of} from the top"
    return f"On the meter: {labels.rating(theme.ratings[index].label, own=True)}, {where}."


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _visual(script: Script, spec: SceneSpec, theme: Theme | None) -> tuple[str, tuple[str, ...]]:
    claim, verdict, labels, lang = script.claim, script.verdict, _labels(script, theme), script.language
    if spec.kind == "title":
        return "Title card", (f"{script.outlet.name} fact check: {quoted(script.title, lang)}",
                              sentence(f"Published {published(script, theme)}"))
    if spec.kind == "claim" and claim.clip is not None:
        who = claim.speaker.name + (f", {claim.speaker.title}" if claim.speaker.title else "")
        return "Claim", (sentence(f"The claim. Footage of {who}, {labels.claim_date(claim.date)}"),
                         f"The claim, in quotation marks: {quoted(claim.quote, lang)}")
    if spec.kind == "claim":
        who = claim.speaker.name + (f", {claim.speaker.title}" if claim.speaker.title else "")
        kind = "Photo" if claim.speaker.photo else "Initials"
        lines = [
            sentence(f"The claim. {kind} of {who}, {labels.claim_date(claim.date)}"),
            f"On screen, in quotation marks: {quoted(claim.quote, lang)}",
        ]
        if claim.appeared:
            lines.append(sentence(f"Where it was said: {claim.appeared.name}"))
        return "Claim card", tuple(lines)
    if spec.kind == "verdict":
        lines = [sentence(f"{labels['verdict']}: {labels.rating(verdict.rating).upper()}")]
        if theme is not None and theme.verdict_style == "meter":
            lines.append(meter_position(theme, verdict.rating, labels))
        return "Verdict card", (*lines, verdict.summary)
    if spec.kind == "end":  # what the end card shows: the verdict, the outlet, where to read the whole check
        lines = [sentence(f"{labels['verdict']}: {labels.rating(verdict.rating).upper()}"), sentence(script.outlet.name)]
        where = script_address(script)
        if where:
            words = end_heading(script, theme) if theme is not None else ""
            lines.append(sentence(f"{words} {where}".strip()))
        return "End card", tuple(lines)
    if spec.kind == "credits":
        lines = [sentence(f"{c.role}: {c.name}") for c in script.credits]
        lines += [sentence(f"Source: {s.title}" + (f", {s.publisher}" if s.publisher else "")) for s in script.sources]
        return "Credits", tuple(lines)
    assert spec.block is not None
    block = script.body[spec.block]
    if isinstance(block, PhotoBlock):
        return "Photo", (block.description, f"Caption: {block.caption}", f"Credit: {block.credit}")
    if isinstance(block, ClipBlock):
        return "Clip", (block.description, f"Caption: {block.caption}", f"Credit: {block.credit}")
    if isinstance(block, DocumentBlock):
        lines = [sentence(f"Document page: {block.where}")]
        if isinstance(block.highlight, str):
            lines.append(f"Highlighted on {block.where}: {quoted(block.highlight, lang)}")
        elif block.highlight is not None:
            lines.append(f"A passage of {block.where} is highlighted.")
        if block.description:
            lines.append(block.description)
        if block.credit:
            lines.append(f"Credit: {block.credit}")
        return "Document", tuple(lines)
    if isinstance(block, QuoteBlock):
        lines = [f"Quote card: {quoted(block.text, lang)} \u2014 {block.attribution}"]
        return "Quote", tuple(lines)
    if isinstance(block, FactBlock):
        lines = [sentence(block.headline)]
        if block.number is not None:
            lines.append(sentence(f"Shown large: {block.number}" + (f" {block.unit}" if block.unit else "")))
        if block.compare:
            bars = "; ".join(f"{c.label}: {_number(c.value)}" for c in block.compare)
            unit = f" ({block.unit})" if block.unit else ""
            lines.append(f"Bar chart{unit}: {bars}.")
        if block.source:
            lines.append(sentence(f"Source: {block.source}"))
        return "Fact card", tuple(lines)
    assert isinstance(block, NarrationBlock)
    lines = []
    if block.on_screen:
        lines.append(f"On screen: {block.on_screen}")
    if block.background and block.background.photo:
        lines.append("Over a photo background.")
    return "Narration", tuple(lines)


def transcript_entries(script: Script, specs: Sequence[SceneSpec], timeline: Timeline,
                       theme: Theme | None = None) -> tuple[Entry, ...]:
    """One entry per scene; ``theme``: the render's, for its words (dates, the verdict heading) and its
    meter (without it, the default words and the script's own ``labels:``)."""
    entries = []
    for spec, scene in zip(specs, timeline.scenes):
        heading, visual = _visual(script, spec, theme)
        speaker = NARRATOR if spec.narration else None
        entries.append(Entry(frame_to_ms(scene.start_frame, timeline.fps), heading, visual, speaker,
                             spec.narration, clip_heard(spec.clip)))
    return tuple(entries)


def clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def transcript_text(script: Script, specs: Sequence[SceneSpec], timeline: Timeline,
                    theme: Theme | None = None) -> str:
    out = [
        script.title,
        f"{script.outlet.name} \u2014 fact check, published {published(script, theme)}",
    ]
    if script.url:
        out.append(script.url)
    narrator = f"Narrator ({described(script) or 'voice-over'})"
    out += ["", f"Descriptive transcript. Duration {clock(timeline.duration_ms)}.",
            sentence(f"Speakers: {narrator}. The claim is by " + script.claim.speaker.name
                     + (f", {script.claim.speaker.title}" if script.claim.speaker.title else "")), ""]
    for entry in transcript_entries(script, specs, timeline, theme):
        out.append(f"[{clock(entry.start_ms)}] {entry.heading.upper()}")
        out += [f"  Visual: {line}" for line in entry.visual]
        out += [f"  {who}: {words}" for who, words in entry.heard]
        if entry.spoken:
            out.append(f"  {entry.speaker}: {entry.spoken}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
