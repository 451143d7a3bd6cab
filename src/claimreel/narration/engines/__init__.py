"""Speech engines by name.

How to add an engine:

1. Write ``narration/engines/<name>.py`` with a class that has a ``name``
   attribute, ``version() -> str`` (changes whenever the audio would) and
   ``synthesize(text, voice) -> Speech`` raising
   :class:`claimreel.errors.NarrationError` on failure (see ``narration/base.py``).
   Give one :class:`~claimreel.narration.base.Word` per whitespace-separated
   token of the text (``narration.timing`` has the helpers). Do no work at import.
2. Add a factory to :data:`ENGINES` below that imports the module inside the
   function, so choosing one engine never loads another's libraries. A factory is given
   the folder where the engine may keep what it derives from its model once for later
   processes (the speech cache's ``models/``), or None.
3. Add the name to ``EngineName`` in ``script/sound.py`` so scripts can pick it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...errors import ClaimreelError
from ..base import Engine

__all__ = ["ENGINES", "UnknownEngine", "get_engine", "release_voices"]


def _espeak(keep: Path | None) -> Engine:
    from .espeak import EspeakEngine

    return EspeakEngine()


def _fake(keep: Path | None) -> Engine:
    from .fake import FakeEngine

    return FakeEngine()


def _gtts(keep: Path | None) -> Engine:
    import os

    from .gtts import DEFAULT_BASE_URL, GttsEngine

    return GttsEngine(base_url=os.environ.get("CLAIMREEL_GTTS_URL", DEFAULT_BASE_URL))


def _piper(keep: Path | None) -> Engine:
    from .piper import PiperEngine

    return PiperEngine(keep)


def _recorded(keep: Path | None) -> Engine:
    raise ClaimreelError(
        "the recorded engine reads the script's audio files; set voice.engine: recorded in the "
        "script with audio: on each block (or voice.audio), not the voice option"
    ).naming("voice")


ENGINES: dict[str, Callable[[Path | None], Engine]] = {
    "espeak": _espeak, "fake": _fake, "gtts": _gtts, "piper": _piper, "recorded": _recorded}


class UnknownEngine(ClaimreelError):
    """A voice engine name that no registered engine has."""

    options = ("voice",)

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(
            f"unknown speech engine {name!r}; known engines: {', '.join(self.known)}; "
            "set voice.engine in the script (or the voice option) to one of them"
        )


def release_voices() -> None:
    """Let go of the voice models this process has loaded (Piper's; the other engines load none that
    is large), once its speech is said: a render's workers draw the scenes after the narration, and
    the render says its descriptions at the start of its audio work."""
    import sys

    piper = sys.modules.get(f"{__name__}._pipermodel")  # never loaded: nothing to let go of
    if piper is not None:
        piper.release()


def get_engine(name: str, keep: Path | None = None) -> Engine:
    """A new engine called ``name``; :class:`UnknownEngine` (exit 2) if there is none. ``keep``: where
    it may keep what it derives from its model (see :data:`ENGINES`)."""
    factory = ENGINES.get(name)
    if factory is None:
        raise UnknownEngine(name, sorted(ENGINES))
    return factory(keep)
