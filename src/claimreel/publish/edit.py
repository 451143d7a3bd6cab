"""The edit package's timelines: a render's scenes and sound as OpenTimelineIO, and Final Cut Pro XML.

An :class:`EditPlan` says, in whole frames of the render's frame rate, which
file plays where on which track; :func:`edit_files` turns it into the files an
editing application opens: ``timeline.otio`` (OpenTimelineIO's own JSON, media
named relative to the file so the folder can move), ``timeline.xml`` (Final Cut
Pro 7 XML, which Premiere Pro and DaVinci Resolve import) and
``timeline.fcpxml`` (Final Cut Pro X), both through OpenTimelineIO's adapter
plugins and with absolute ``file://`` URLs, as those applications expect.

OpenTimelineIO is an optional dependency (``claimreel[export]``): it is imported
when the files are made, and :func:`require_adapters` says what to install.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import ClaimreelError

if TYPE_CHECKING:
    import opentimelineio

__all__ = ["ADAPTERS", "EditClip", "EditMarker", "EditPlan", "EditTrack", "edit_files", "otio_timeline",
           "require_adapters"]

#: file name in the package -> the OpenTimelineIO adapter that writes it
ADAPTERS = {"timeline.otio": "otio_json", "timeline.xml": "fcp_xml", "timeline.fcpxml": "fcpx_xml"}
_INSTALL = "install them with: pip install 'claimreel[export]'"


@dataclass(frozen=True)
class EditClip:
    """``frames`` frames of ``media`` from its frame ``source_start``, placed at ``record_start``.

    ``media_frames`` is the whole file's length in frames (the range an editor can trim into).
    """

    name: str
    media: Path
    record_start: int
    frames: int
    media_frames: int
    source_start: int = 0

    @property
    def record_end(self) -> int:
        return self.record_start + self.frames


@dataclass(frozen=True)
class EditTrack:
    name: str
    kind: str  # "video" or "audio"
    clips: tuple[EditClip, ...]


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


def require_adapters() -> None:
    """Raise a ClaimreelError naming what to install when OpenTimelineIO or an adapter is missing."""
    try:
        import opentimelineio as otio
    except ImportError:
        raise ClaimreelError(f"export --otio needs the opentimelineio package; {_INSTALL}") from None
    missing = sorted(set(ADAPTERS.values()) - set(otio.adapters.available_adapter_names()))
    if missing:
        raise ClaimreelError(f"export --otio needs OpenTimelineIO's {', '.join(missing)} adapter "
                             f"(otio-fcp-adapter, otio-fcpx-xml-adapter); {_INSTALL}")


def _range(otio: Any, start: int, frames: int, rate: float) -> "opentimelineio.opentime.TimeRange":
    return otio.opentime.TimeRange(otio.opentime.RationalTime(start, rate), otio.opentime.RationalTime(frames, rate))


def otio_timeline(plan: EditPlan, url: Callable[[Path], str], *, fcpx: bool = False
                  ) -> "opentimelineio.schema.Timeline":
    """The plan as an OpenTimelineIO timeline; ``url`` names each media file.

    Chapter markers sit on the timeline's stack (sequence markers in FCP 7 XML).
    ``fcpx``: shaped for the Final Cut Pro X adapter, which writes only clip
    markers (each goes on the video clip where it starts) and looks clips up by
    name in XPath predicates that a straight apostrophe breaks (names get ’).
    """
    import opentimelineio as otio

    def named(text: str) -> str:
        return text.replace("'", "\u2019") if fcpx else text

    rate = float(plan.fps)
    timeline = otio.schema.Timeline(name=named(plan.name), global_start_time=otio.opentime.RationalTime(0, rate))
    timeline.metadata["claimreel"] = {"fps": str(plan.fps), "width": plan.width, "height": plan.height}
    kinds = {"video": otio.schema.TrackKind.Video, "audio": otio.schema.TrackKind.Audio}
    for spec in plan.tracks:
        track = otio.schema.Track(name=spec.name, kind=kinds[spec.kind])
        at = 0
        for clip in sorted(spec.clips, key=lambda c: c.record_start):
            if clip.record_start < at:
                raise ValueError(f"{spec.name}: {clip.name} overlaps the clip before it")
            if clip.record_start > at:
                track.append(otio.schema.Gap(source_range=_range(otio, 0, clip.record_start - at, rate)))
            reference = otio.schema.ExternalReference(
                target_url=url(clip.media), available_range=_range(otio, 0, clip.media_frames, rate))
            track.append(otio.schema.Clip(name=named(clip.name), media_reference=reference,
                                          source_range=_range(otio, clip.source_start, clip.frames, rate)))
            at = clip.record_end
        timeline.tracks.append(track)
    for marker in plan.markers:
        if fcpx:
            _mark_clip(otio, timeline, EditMarker(named(marker.name), marker.frame), rate)
        else:
            timeline.tracks.markers.append(otio.schema.Marker(
                name=marker.name, marked_range=_range(otio, marker.frame, 0, rate),
                color=otio.schema.MarkerColor.RED))
    return timeline


def _mark_clip(otio: Any, timeline: Any, marker: EditMarker, rate: float) -> None:
    """``marker`` on the first video clip playing at its frame, in that clip's own time."""
    for clip in timeline.video_tracks()[0].find_clips():
        placed = clip.range_in_parent()
        if placed.start_time.value <= marker.frame < placed.end_time_exclusive().value:
            offset = clip.source_range.start_time.value + marker.frame - placed.start_time.value
            clip.markers.append(otio.schema.Marker(name=marker.name, marked_range=_range(otio, offset, 0, rate),
                                                   color=otio.schema.MarkerColor.RED))
            return


def _sub(parent: ET.Element, tag: str, text: object = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def _fcp7_details(text: str, plan: EditPlan, silent: set[str]) -> str:
    """What the FCP 7 XML adapter leaves out: the sequence's frame size, that the rendered segments
    (``silent``: their URLs) have no sound, and which source track an audio clip plays."""
    root = ET.fromstring(text)
    for fmt in root.iter("format"):
        chars = _sub(fmt, "samplecharacteristics")
        _sub(chars, "width", plan.width)
        _sub(chars, "height", plan.height)
        _sub(chars, "pixelaspectratio", "square")
        rate = _sub(chars, "rate")
        _sub(rate, "timebase", round(plan.fps))
        _sub(rate, "ntsc", "FALSE" if plan.fps.denominator == 1 else "TRUE")
    for file in root.iter("file"):
        media = file.find("media")
        if media is not None and file.findtext("pathurl") in silent:
            for audio in media.findall("audio"):
                media.remove(audio)
    for track in root.iterfind(".//media/audio/track"):
        for item in track.iterfind("clipitem"):
            source = _sub(item, "sourcetrack")
            _sub(source, "mediatype", "audio")
            _sub(source, "trackindex", 1)
    ET.indent(root, "    ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xmeml>\n{body}\n'


def _fcpx_formats(text: str, plan: EditPlan) -> str:
    """Give FCP X's ``<format>`` elements the frame size (the adapter guesses a name with ffprobe, if found)."""
    root = ET.fromstring(text)
    for element in root.iter("format"):
        element.set("width", str(plan.width))
        element.set("height", str(plan.height))
        if not element.get("name"):
            element.attrib.pop("name", None)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n{body}\n'


def edit_files(plan: EditPlan, folder: Path) -> dict[str, bytes]:
    """The timeline files of ``plan`` as bytes, by name; ``folder`` is where they (and ``media/``) will live.

    Media paths in the plan are absolute and under ``folder``.
    """
    import opentimelineio as otio

    require_adapters()
    folder = folder.resolve()

    def relative(path: Path) -> str:
        return path.resolve().relative_to(folder).as_posix()

    def file_url(path: Path) -> str:
        return path.resolve().as_uri()

    heard = {clip.media for track in plan.tracks if track.kind == "audio" for clip in track.clips}
    silent = {file_url(clip.media) for track in plan.tracks if track.kind == "video" for clip in track.clips
              if clip.media not in heard}
    files = {
        "timeline.otio": otio.adapters.write_to_string(otio_timeline(plan, relative), ADAPTERS["timeline.otio"]),
        "timeline.xml": _fcp7_details(otio.adapters.write_to_string(
            otio_timeline(plan, file_url), ADAPTERS["timeline.xml"]), plan, silent),
        "timeline.fcpxml": _fcpx_formats(otio.adapters.write_to_string(
            otio_timeline(plan, file_url, fcpx=True), ADAPTERS["timeline.fcpxml"]), plan),
    }
    return {name: text.encode("utf-8") for name, text in files.items()}
