"""What a render works on: a script checked and laid out (:class:`Prepared`), and the videos made from it.

These are plain data shared by the render job (:mod:`.render`), the social cuts
(:mod:`.cuts`) and the API's moviepy clips; they live apart from the job so
that the modules using them import this one, never each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..encode.profiles import LoudnessProfile
from ..layout.elements import SceneLayout
from ..layout.formats import Format
from ..layout.text import FontBook
from ..layout.theme import Theme
from ..narration.base import Speech
from ..script.load import LoadedScript
from ..script.model import Script
from ..timeline.build import SceneSpec
from ..timeline.model import Timeline

__all__ = ["Prepared", "Video"]


@dataclass
class Prepared:
    """A script checked and laid out for its formats, ready to encode."""

    loaded: LoadedScript
    theme: Theme
    book: FontBook
    specs: tuple[SceneSpec, ...]
    speeches: dict[int, tuple[Speech, str]]
    formats: tuple[Format, ...]
    timelines: dict[str, Timeline] = field(default_factory=dict)
    synthesized: int = 0
    layouts: dict[str, tuple[SceneLayout, ...]] = field(default_factory=dict)
    profile: LoudnessProfile | None = None
    music: Any = None  # the decoded music bed, [n, 2] float32 at 48 kHz, or None
    end_cards: dict[str, SceneLayout] = field(default_factory=dict)  # by format: the cuts' last scene
    # A social cut: its first frame is at full strength (no entrance: feeds show it as the thumbnail).
    social: bool = False
    # The scenes (by index here) that open one of the script's cuts: a card among them is encoded as
    # two units, its entrance and the rest, so the rest is shared with the cut that opens on it.
    openers: frozenset[int] = frozenset()
    # The checked Content Credentials identity (publish.credentials.SigningIdentity) when this render
    # signs, else None. It holds the key in memory and refuses to be pickled: it stays in this process.
    signing: Any = field(default=None, repr=False)

    @property
    def script(self) -> Script:
        return self.loaded.script


@dataclass(frozen=True)
class Video:
    """One video a render encodes: a format of the script, or of a social cut (``prepared`` narrowed)."""

    label: str  # names its progress stage, e.g. "video 16x9" or "cut claim-verdict 9x16"
    prepared: Prepared
    fmt: Format
    target: Path  # where its video-only MP4 goes

    @property
    def timeline(self) -> Timeline:
        return self.prepared.timelines[self.fmt.name]
