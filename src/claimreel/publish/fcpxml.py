"""An :class:`~claimreel.publish.edit.EditPlan` as Final Cut Pro X XML (FCPXML 1.8), every time exact.

Written here rather than through OpenTimelineIO's ``fcpx_xml`` adapter, which
turns rational times into floats and rounds them down (a connected clip lands a
frame early), writes no frame duration for 29.97 fps, and looks clips up by name
in XPath (a title's apostrophe breaks it). Here every time is a rational number
of seconds on the timeline's frame grid (``1001/30000s`` steps at 29.97 fps).

The shape: the first video track is the primary storyline (gaps fill its
holes); every other clip is connected to the storyline clip playing when it
starts, video tracks on lanes 1, 2, ... above, audio tracks on lanes -1, -2, ...
below. Track names become roles (``video.Scenes``, ``dialogue.Narration``,
``music.Music``), as FCP X groups clips by role where other software has named
tracks; a disabled track's clips are disabled. Each file is an asset with its
own format (frame rate and size), chapters are markers on the storyline.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from fractions import Fraction

from .edit_model import EditClip, EditMedia, EditPlan, EditTrack, file_url

__all__ = ["fcpxml", "rational"]

_ROLE = {"Narration": "dialogue", "Music": "music", "Clip sound": "effects"}  # by the track name's first word(s)


def rational(seconds: Fraction) -> str:
    """FCPXML's time form: ``0s``, ``3s``, ``1001/30000s``."""
    if seconds.denominator == 1:
        return f"{seconds.numerator}s"
    return f"{seconds.numerator}/{seconds.denominator}s"


def _role(track: EditTrack) -> str:
    if track.kind == "video":
        return f"video.{track.name}"
    main = next((role for prefix, role in _ROLE.items() if track.name.startswith(prefix)), "dialogue")
    return f"{main}.{track.name}"


class _Resources:
    """Formats (one per frame rate and size) and assets (one per file), with ids in the order made."""

    def __init__(self, root: ET.Element) -> None:
        self.element = ET.SubElement(root, "resources")
        self.formats: dict[tuple[Fraction, int, int], str] = {}
        self.assets: dict[EditMedia, str] = {}

    def _id(self) -> str:
        return f"r{len(self.formats) + len(self.assets) + 1}"

    def format(self, rate: Fraction, width: int, height: int) -> str:
        key = (rate, width, height)
        if key not in self.formats:
            attrs = {"id": self._id(), "frameDuration": rational(1 / rate)}
            if width:
                attrs.update(width=str(width), height=str(height))
            self.formats[key] = attrs["id"]
            ET.SubElement(self.element, "format", attrs)
        return self.formats[key]

    def asset(self, media: EditMedia, heard: bool) -> str:
        """The asset of ``media``: a picture has a format of its own rate and size; sound alone has none."""
        if media not in self.assets:
            fmt = {"format": self.format(media.rate, media.width, media.height)} if media.picture else {}
            attrs = {"id": self._id(), "name": media.path.stem, "src": file_url(media.path),
                     "start": "0s", "duration": rational(media.duration), **fmt,
                     "hasVideo": "1" if media.picture else "0", "hasAudio": "1" if media.sound and heard else "0"}
            if attrs["hasAudio"] == "1":
                attrs.update(audioSources="1", audioRate="48k")
            self.assets[media] = attrs["id"]
            ET.SubElement(self.element, "asset", attrs)
        return self.assets[media]


def _in_point(plan: EditPlan, clip: EditClip) -> Fraction:
    """Where ``clip`` starts in its file, on the file's own frame grid (the frame showing then)."""
    start = plan.seconds(clip.source_start)
    rate = clip.media.rate
    return start if rate == plan.fps else Fraction(math.floor(start * rate)) / rate


def _clip(plan: EditPlan, resources: _Resources, track: EditTrack, clip: EditClip, heard: bool) -> ET.Element:
    """An asset-clip for ``clip`` (offset set by the caller)."""
    attrs = {"ref": resources.asset(clip.media, heard), "name": clip.name, "offset": "0s",
             "duration": rational(plan.seconds(clip.frames)), "start": rational(_in_point(plan, clip))}
    if track.kind == "video":
        attrs["videoRole"] = _role(track)
        if clip.media.sound:
            attrs["srcEnable"] = "video"  # its sound, where heard, is a clip of its own on an audio track
    else:
        attrs["audioRole"] = _role(track)
        if clip.media.picture:
            attrs["srcEnable"] = "audio"
    if not track.enabled:
        attrs["enabled"] = "0"
    return ET.Element("asset-clip", attrs)


@dataclass(frozen=True)
class _Item:
    """A storyline item: ``frames`` from the timeline's frame ``first``, its own time from ``start`` frames."""

    first: int
    frames: int
    start: int
    element: ET.Element

    def holds(self, frame: int) -> bool:
        return self.first <= frame < self.first + self.frames

    def local(self, plan: EditPlan, frame: int) -> str:
        """``frame`` of the timeline in this item's own time (its start plus the way in)."""
        return rational(plan.seconds(self.start + frame - self.first))


def _storyline(plan: EditPlan, resources: _Resources, track: EditTrack | None, heard: set[EditMedia]
               ) -> list[_Item]:
    """The primary storyline: ``track``'s clips, gaps between them and to the timeline's end."""
    items: list[_Item] = []
    at = 0

    def gap(frames: int) -> None:
        items.append(_Item(at, frames, 0, ET.Element("gap", {"name": "Gap", "offset": "0s", "start": "0s",
                                                              "duration": rational(plan.seconds(frames))})))

    for clip in sorted(track.clips if track else (), key=lambda c: c.record_start):
        if clip.record_start > at:
            gap(clip.record_start - at)
        element = _clip(plan, resources, track, clip, clip.media in heard)  # type: ignore[arg-type]
        items.append(_Item(clip.record_start, clip.frames, clip.source_start, element))
        at = clip.record_end
    if at < plan.total_frames or not items:
        gap(max(plan.total_frames - at, 1))
    for item in items:
        item.element.set("offset", rational(plan.seconds(item.first)))
    return items


def fcpxml(plan: EditPlan) -> str:
    """The FCPXML document of ``plan``."""
    root = ET.Element("fcpxml", version="1.8")
    resources = _Resources(root)
    sequence_format = resources.format(plan.fps, plan.width, plan.height)
    heard = {c.media for t in plan.tracks if t.kind == "audio" for c in t.clips}
    video = [t for t in plan.tracks if t.kind == "video"]
    primary = video[0] if video else None
    items = _storyline(plan, resources, primary, heard)
    lanes = [(t, i + 1) for i, t in enumerate(video[1:])]
    lanes += [(t, -(i + 1)) for i, t in enumerate(t for t in plan.tracks if t.kind == "audio")]
    for track, lane in lanes:
        for clip in sorted(track.clips, key=lambda c: c.record_start):
            item = next(i for i in items if i.holds(clip.record_start))
            element = _clip(plan, resources, track, clip, clip.media in heard)
            element.set("lane", str(lane))
            element.set("offset", item.local(plan, clip.record_start))
            item.element.append(element)
    for marker in plan.markers:
        item = next((i for i in items if i.holds(marker.frame)), items[-1])
        ET.SubElement(item.element, "marker", {"start": item.local(plan, marker.frame),
                                               "duration": rational(plan.seconds(1)), "value": marker.name})
    project = ET.SubElement(root, "project", name=plan.name)
    sequence = ET.SubElement(project, "sequence", {"format": sequence_format, "tcStart": "0s", "tcFormat": "NDF",
                                                   "duration": rational(plan.seconds(plan.total_frames))})
    spine = ET.SubElement(sequence, "spine")
    spine.extend(item.element for item in items)
    ET.indent(root, "    ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n{body}\n'
