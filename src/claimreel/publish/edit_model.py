"""The edit package's plan as data: which file plays where on which track, in whole frames.

Made by :mod:`claimreel.publish.edit_plan`, written out by :mod:`claimreel.publish.edit`
(OpenTimelineIO, FCP 7 XML) and :mod:`claimreel.publish.fcpxml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

__all__ = ["EditClip", "EditMarker", "EditMedia", "EditPlan", "EditTrack", "file_url"]


def file_url(path: Path) -> str:
    """A file as the XML timelines name it: an absolute ``file://`` URL, as those applications expect."""
    return path.resolve().as_uri()


@dataclass(frozen=True)
class EditMedia:
    """A file of the package as editing software should declare it: at its own frame rate and size.

    ``frames`` is its length in its own frames; ``width``/``height`` 0 for sound alone; ``sound``:
    it carries sound an editor hears (the rendered scenes are silent: the sound is on its tracks).
    """

    path: Path
    rate: Fraction
    frames: int
    width: int = 0
    height: int = 0
    sound: bool = False

    @property
    def picture(self) -> bool:
        return self.width > 0

    @property
    def duration(self) -> Fraction:
        """Seconds, exactly."""
        return Fraction(self.frames) / self.rate


@dataclass(frozen=True)
class EditClip:
    """``frames`` frames of ``media`` from ``source_start``, placed at ``record_start`` (the timeline's frames)."""

    name: str
    media: EditMedia
    record_start: int
    frames: int
    source_start: int = 0

    @property
    def record_end(self) -> int:
        return self.record_start + self.frames


@dataclass(frozen=True)
class EditTrack:
    name: str
    kind: str  # "video" or "audio"
    clips: tuple[EditClip, ...]
    enabled: bool = True  # a disabled track is there to re-cut from, and does not play


@dataclass(frozen=True)
class EditMarker:
    """A chapter: named, starting at ``frame`` on the timeline (a point marker, as chapters are)."""

    name: str
    frame: int


@dataclass(frozen=True)
class EditPlan:
    name: str
    fps: Fraction
    width: int
    height: int
    total_frames: int
    tracks: tuple[EditTrack, ...]
    markers: tuple[EditMarker, ...]

    def seconds(self, frame: int) -> Fraction:
        """The exact time of ``frame`` on this timeline."""
        return Fraction(frame) / self.fps
