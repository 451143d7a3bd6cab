"""What an audio description says of each scene: the descriptions track's text, in parts, each with
a shorter form.

A scene is described by its heading (the transcript's "Photo", "Fact card"...) and then each of its
"Visual:" lines, the same entries ``descriptions.vtt`` and the transcript are written from. When a
scene's gaps are short, the description says less: the heading first (the shortest useful part),
then each line's key numbers or words (:func:`key_form`), and a line in full only where it fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..script.model import Script
from ..timeline.build import SceneSpec
from ..timeline.model import Timeline
from .transcript import Entry, transcript_entries

__all__ = ["Part", "description_parts", "key_form"]

_NUMBER = re.compile(r"^[^\w]*\d")  # a word that is a number: "12", "3.5", "$40", "(2021)"
_WORD_EDGE = re.compile(r"^[^\w\d]+|[^\w\d%]+$")


@dataclass(frozen=True)
class Part:
    """One thing to say of a scene: ``text`` in full, and ``short`` (its key numbers or words) or None."""

    text: str
    short: str | None
    essential: bool  # a scene must be able to say it (short form if need be): its heading and its numbers


def key_form(line: str) -> str | None:
    """A line's key numbers, each with the word before it ("Published 21 September 2022",
    "April 12, May 3.5."), else the words after its label ("Credit: Test photo" -> "Test photo"); None
    if there is nothing shorter to say."""
    words = line.split()
    kept = [False] * len(words)
    for i, word in enumerate(words):
        if _NUMBER.match(word):
            kept[i] = True
            if i and not words[i - 1].endswith((";", ",")):  # the word that says what it counts ("April: 12")
                kept[i - 1] = True
    runs: list[list[str]] = [[]]
    for word, keep in zip(words, kept):
        if keep:
            runs[-1].append(_WORD_EDGE.sub("", word))
            if word.endswith((";", ",")) or _NUMBER.match(word) and word.endswith(":"):  # a clause ends
                runs.append([])
        elif runs[-1]:
            runs.append([])
    phrases = [" ".join(w for w in run if w) for run in runs if run]
    if phrases:
        short = ", ".join(p for p in phrases if p) + "."
    elif ": " in line:
        short = line.split(": ", 1)[1]
    else:
        return None
    return short if len(short) < len(line) else None


def _entry_parts(entry: Entry) -> list[Part]:
    parts = [Part(f"{entry.heading}.", None, True)]
    parts += [_line(line) for line in entry.visual if line.strip()]
    return parts


def _line(text: str) -> Part:
    return Part(text, key_form(text), any(_NUMBER.match(word) for word in text.split()))


def description_parts(script: Script, specs: Sequence[SceneSpec], timeline: Timeline, theme: object = None
                      ) -> list[list[Part]]:
    """Per scene position, what its description says, in the order it is said."""
    # The end card (of a cut, or of a full video that gives its address) is described as the
    # transcript describes it.
    return [_entry_parts(entry) for entry in transcript_entries(script, specs, timeline, theme)]  # type: ignore[arg-type]
