"""The edit package's timelines: a render's scenes and sound as OpenTimelineIO, and Final Cut Pro XML.

An :class:`EditPlan` (made by :mod:`claimreel.publish.edit_plan`) says, in whole
frames of the render's frame rate, which file plays where on which track;
:func:`edit_files` turns it into the files an editing application opens:

- ``timeline.otio``: OpenTimelineIO's own JSON;
- ``timeline.xml``: Final Cut Pro 7 XML (Premiere Pro, DaVinci Resolve), through
  OpenTimelineIO's ``fcp_xml`` adapter, then completed with what the adapter
  leaves out (track names, a disabled track, each file's own frame size and rate);
- ``timeline.fcpxml``: Final Cut Pro X, written by :mod:`claimreel.publish.fcpxml`
  (the ``fcpx_xml`` adapter rounds rational times down and drops apostrophes' clips).

Media is named absolutely (a path in the ``.otio``, a ``file://`` URL in the XML
files), so each timeline finds its media from wherever it is opened
(``otiotool --verify-media`` from any folder); a package moved elsewhere is
relinked by the editing software, or by ``otiotool --copy-media-to-folder``.

OpenTimelineIO is an optional dependency (``claimreel[export]``): it is imported
when the files are made, and :func:`require_adapters` says what to install.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import ClaimreelError
from .edit_model import EditClip, EditMarker, EditMedia, EditPlan, EditTrack, file_url

if TYPE_CHECKING:
    import opentimelineio

__all__ = ["ADAPTERS", "EditClip", "EditMarker", "EditMedia", "EditPlan", "EditTrack", "edit_files",
           "otio_timeline", "require_adapters"]

#: file name in the package -> the OpenTimelineIO adapter that writes it (claimreel writes the FCPXML)
ADAPTERS = {"timeline.otio": "otio_json", "timeline.xml": "fcp_xml"}
_INSTALL = "install them with: pip install 'claimreel[export]'"


def require_adapters() -> None:
    """Raise a ClaimreelError naming what to install when OpenTimelineIO or an adapter is missing."""
    try:
        import opentimelineio as otio
    except ImportError:
        raise ClaimreelError(f"the OpenTimelineIO export needs the opentimelineio package; {_INSTALL}") from None
    missing = sorted(set(ADAPTERS.values()) - set(otio.adapters.available_adapter_names()))
    if missing:
        raise ClaimreelError(f"the OpenTimelineIO export needs its {', '.join(missing)} adapter "
                             f"(otio-fcp-adapter); {_INSTALL}")


def _range(otio: Any, start: int, frames: int, rate: Fraction) -> "opentimelineio.opentime.TimeRange":
    return otio.opentime.TimeRange(otio.opentime.RationalTime(start, float(rate)),
                                   otio.opentime.RationalTime(frames, float(rate)))


def file_path(path: Path) -> str:
    """The ``.otio``'s media reference: an absolute path (``otiotool --verify-media`` checks it as one)."""
    return str(path.resolve())


def _reference(otio: Any, media: EditMedia, url: Callable[[Path], str]) -> "opentimelineio.schema.ExternalReference":
    reference = otio.schema.ExternalReference(target_url=url(media.path),
                                              available_range=_range(otio, 0, media.frames, media.rate))
    if media.picture:
        reference.metadata["claimreel"] = {"fps": str(media.rate), "width": media.width, "height": media.height}
    return reference


def otio_timeline(plan: EditPlan, url: Callable[[Path], str] = file_path) -> "opentimelineio.schema.Timeline":
    """The plan as an OpenTimelineIO timeline, ``url`` naming each file; chapter markers sit on the
    timeline's stack.

    Clips are placed at the timeline's rate; each media reference has its own file's rate.
    """
    import opentimelineio as otio

    timeline = otio.schema.Timeline(name=plan.name, global_start_time=otio.opentime.RationalTime(0, float(plan.fps)))
    timeline.metadata["claimreel"] = {"fps": str(plan.fps), "width": plan.width, "height": plan.height}
    kinds = {"video": otio.schema.TrackKind.Video, "audio": otio.schema.TrackKind.Audio}
    for spec in plan.tracks:
        track = otio.schema.Track(name=spec.name, kind=kinds[spec.kind])
        track.enabled = spec.enabled
        at = 0
        for clip in sorted(spec.clips, key=lambda c: c.record_start):
            if clip.record_start < at:
                raise ValueError(f"{spec.name}: {clip.name} overlaps the clip before it")
            if clip.record_start > at:
                track.append(otio.schema.Gap(source_range=_range(otio, 0, clip.record_start - at, plan.fps)))
            track.append(otio.schema.Clip(name=clip.name, media_reference=_reference(otio, clip.media, url),
                                          source_range=_range(otio, clip.source_start, clip.frames, plan.fps)))
            at = clip.record_end
        timeline.tracks.append(track)
    for marker in plan.markers:
        timeline.tracks.markers.append(otio.schema.Marker(
            name=marker.name, marked_range=_range(otio, marker.frame, 0, plan.fps),
            color=otio.schema.MarkerColor.RED))
    return timeline


def _sub(parent: ET.Element, tag: str, text: object = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def _characteristics(parent: ET.Element, width: int, height: int, rate: Fraction) -> None:
    """FCP 7's ``samplecharacteristics``: a frame size and rate (timebase rounded up, NTSC flagged)."""
    chars = _sub(parent, "samplecharacteristics")
    rate_e = _sub(chars, "rate")
    _sub(rate_e, "timebase", -(-rate.numerator // rate.denominator))
    _sub(rate_e, "ntsc", "FALSE" if rate.denominator == 1 else "TRUE")
    _sub(chars, "width", width)
    _sub(chars, "height", height)
    _sub(chars, "pixelaspectratio", "square")


def _fcp7_details(text: str, plan: EditPlan) -> str:
    """What the FCP 7 XML adapter leaves out: the sequence's frame size; each track's name and whether
    it plays; each file's own frame size and rate, and whether it has sound; which source track an
    audio clip plays."""
    root = ET.fromstring(text)
    for fmt in root.iter("format"):
        _characteristics(fmt, plan.width, plan.height, plan.fps)
    media_of = {file_url(clip.media.path): clip.media for track in plan.tracks for clip in track.clips}
    for file in root.iter("file"):
        media, found = file.find("media"), media_of.get(file.findtext("pathurl") or "")
        if media is None or found is None:
            continue
        for kind in ("video", "audio"):
            for element in media.findall(kind):
                media.remove(element)
        if found.picture:
            _characteristics(_sub(media, "video"), found.width, found.height, found.rate)
        if found.sound:
            _sub(media, "audio")
    sequence = root.find(".//sequence/media")
    tracks = [*sequence.iterfind("video/track"), *sequence.iterfind("audio/track")] if sequence is not None else []
    ordered = [t for t in plan.tracks if t.kind == "video"] + [t for t in plan.tracks if t.kind == "audio"]
    for element, spec in zip(tracks, ordered):
        element.insert(0, ET.Element("name"))
        element[0].text = spec.name
        _sub(element, "enabled", "TRUE" if spec.enabled else "FALSE")
        for item in element.iterfind("clipitem") if not spec.enabled else ():
            _sub(item, "enabled", "FALSE")
    for track in root.iterfind(".//media/audio/track"):
        for item in track.iterfind("clipitem"):
            source = _sub(item, "sourcetrack")
            _sub(source, "mediatype", "audio")
            _sub(source, "trackindex", 1)
    ET.indent(root, "    ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xmeml>\n{body}\n'


def edit_files(plan: EditPlan) -> dict[str, bytes]:
    """The timeline files of ``plan`` as bytes, by name; media paths in the plan are where the files will be."""
    import opentimelineio as otio

    from .fcpxml import fcpxml

    require_adapters()
    files = {
        "timeline.otio": otio.adapters.write_to_string(otio_timeline(plan), ADAPTERS["timeline.otio"]),
        "timeline.xml": _fcp7_details(otio.adapters.write_to_string(otio_timeline(plan, file_url),
                                                                    ADAPTERS["timeline.xml"]), plan),
        "timeline.fcpxml": fcpxml(plan),
    }
    return {name: text.encode("utf-8") for name, text in files.items()}
