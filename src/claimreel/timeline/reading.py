"""How long a card's text must stay on screen to be read (the rule is written up in docs/reading-time.md).

A scene lasts as long as its narration, but what a card shows is often longer
than what is said over it (a quote card under one sentence of narration). The
viewer reads the card at the speed captions are held to: the caption reading
speed of the script's language (17 characters per second for English, 9 for
Chinese), plus a second to find the text after the cut. Characters are counted
as caption rules count them: letters, digits, punctuation and spaces between
words. The scene is held after its narration until that time has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from ..script.blocks import Block
    from ..script.model import Script

__all__ = ["FIND_SECONDS", "ReadingHold", "card_texts", "characters", "reading_seconds"]

#: Time to find the text on a card that has just appeared, before reading starts.
FIND_SECONDS = 1.0


@dataclass(frozen=True)
class ReadingHold:
    """A scene held past its narration so its card can be read (what ``validate`` and ``lint`` report)."""

    where: str  # the script field the card comes from, e.g. body.9
    kind: str
    characters: int
    spoken_seconds: float  # what the narration (or a silent card's usual hold) alone gives the scene
    held_seconds: float  # what the scene lasts now

    def message(self) -> str:
        return (f"{self.where} ({self.kind}): {self.characters} characters on screen need "
                f"{self.held_seconds:.1f} s to read; the scene would last {self.spoken_seconds:.1f} s, "
                f"so it holds {self.held_seconds - self.spoken_seconds:.1f} s longer")


def card_texts(script: Script, kind: str, block: Block | None = None) -> tuple[str, ...]:
    """The texts a card shows that a viewer reads (not the small print: credits, dates, the corner mark)."""
    if kind == "title":
        return (script.title,)
    if kind == "claim":  # over the claimant's own footage the card shows who, not the words
        if script.claim.clip is not None:
            return (script.claim.speaker.name,)
        return (script.claim.quote, script.claim.speaker.name)
    if kind == "verdict":
        return (script.verdict.shown, script.verdict.summary)
    if block is None:
        return ()
    texts = [block.on_screen] if block.on_screen else []
    if kind == "quote":
        texts += [block.text, block.attribution]  # type: ignore[union-attr]
    elif kind in ("photo", "clip"):
        texts.append(block.caption)  # type: ignore[union-attr]
    elif kind == "document":
        texts.append(block.where)  # type: ignore[union-attr]
    elif kind == "fact":
        texts.append(block.headline)  # type: ignore[union-attr]
        if block.number is not None:  # type: ignore[union-attr]
            texts.append(" ".join(t for t in (block.number, block.unit) if t))  # type: ignore[union-attr]
        for item in block.compare or ():  # type: ignore[union-attr]
            texts.append(f"{item.label} {item.value:g}")
    return tuple(texts)


def characters(texts: Sequence[str]) -> int:
    """The characters of ``texts`` as the reading rule counts them (words joined by single spaces)."""
    return len(" ".join(" ".join(t.split()) for t in texts if t.strip()))


def reading_seconds(texts: Sequence[str], language: str = "en") -> float:
    """Seconds a card showing ``texts`` needs on screen in ``language`` (0 for a card without text)."""
    from ..captions.translate import language_rules

    count = characters(texts)
    if not count:
        return 0.0
    return FIND_SECONDS + count / language_rules(language).max_cps
