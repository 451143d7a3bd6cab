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
    essential: bool  # the heading and the short forms are what a scene must be able to say


def key_form(line: str) -> str | None:
    """A line's key numbers (each with the word before it: "April 12, May 3.5"), else the words after
    its label ("Credit: Test photo" -> "Test photo"); None if there is nothing shorter to say."""
    words = line.split()
    numbers = []
    for i, word in enumerate(words):
        if _NUMBER.match(word):
            before = _WORD_EDGE.sub("", words[i - 1]) if i else ""
            numbers.append(" ".join(w for w in (before, _WORD_EDGE.sub("", word)) if w))
    if numbers:
        short = ", ".join(dict.fromkeys(numbers)) + "."
    elif ": " in line:
        short = line.split(": ", 1)[1]
    else:
        return None
    return short if len(short) < len(line) else None


def _entry_parts(entry: Entry) -> list[Part]:
    parts = [Part(f"{entry.heading}.", None, True)]
    parts += [Part(line, key_form(line), True) for line in entry.visual if line.strip()]
    return parts


def description_parts(script: Script, specs: Sequence[SceneSpec], timeline: Timeline, theme: object = None
                      ) -> list[list[Part]]:
    """Per scene position, what its description says, in the order it is said."""
    out: list[list[Part]] = []
    known = [(i, s) for i, s in enumerate(specs) if s.kind != "end"]  # a social cut's end card is not a script scene
    entries = dict(zip((i for i, _ in known), transcript_entries(
        script, [s for _, s in known], _scenes(timeline, [i for i, _ in known]), theme)))  # type: ignore[arg-type]
    for index, spec in enumerate(specs):
        if index in entries:
            out.append(_entry_parts(entries[index]))
        else:
            out.append([Part("End card.", None, True), *(Part(text, key_form(text), True)
                                                           for text in spec.card if text.strip())])
    return out


def _scenes(timeline: Timeline, positions: list[int]) -> Timeline:
    """``timeline`` with only the scenes at ``positions`` (the entries need each scene's start)."""
    import dataclasses

    return dataclasses.replace(timeline, scenes=tuple(timeline.scenes[i] for i in positions))
