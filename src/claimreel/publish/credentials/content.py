"""What went into a render, said the way C2PA manifests say it.

:func:`story_of` gathers it once per render from the script and its narration plan: every
photo, clip, document page, logo, music bed and voice-over file used (a :class:`Source`, with
its hash, its role and how it was changed), and the engine that spoke each narrated scene.
:func:`video_manifest`, :func:`cut_manifest` and :func:`image_manifest` turn that into the
manifest definitions and ingredient lists :mod:`.sign` hands to the C2PA library.

Digital source types are IPTC's (``http://cv.iptc.org/newscodes/digitalsourcetype/``). A speech
engine's type is looked up by its name in :data:`VOICE_SOURCE_TYPES`: a neural voice (``piper``,
``gtts``) is ``trainedAlgorithmicMedia``, a rule-based synthesiser (``espeak``) ``algorithmicMedia``,
a recorded voice-over ``digitalCapture``; an engine not listed there is disclosed as trained (the
cautious reading of the EU AI Act's marking duty for synthetic audio).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ...files import file_sha256
from ...script.load import LoadedScript

__all__ = ["IPTC", "VOICE_SOURCE_TYPES", "Narration", "Source", "Story", "cut_manifest", "image_manifest",
           "mime_of", "story_of", "video_manifest"]

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"

#: A speech engine's IPTC digital source type, by the engine's name.
VOICE_SOURCE_TYPES: Mapping[str, str] = {
    "piper": "trainedAlgorithmicMedia",  # a neural (VITS) voice
    "gtts": "trainedAlgorithmicMedia",  # Google's neural text-to-speech
    "espeak": "algorithmicMedia",  # formant synthesis by rules, no trained model
    "fake": "algorithmicMedia",  # the test engine's tones
    "recorded": "digitalCapture",  # a person's recorded voice-over
}
_VOICE_WORDS = {"trainedAlgorithmicMedia": "a neural (AI) synthetic voice",
                "algorithmicMedia": "a rule-based synthetic voice", "digitalCapture": "a recorded human voice"}
_STAND_IN = "stand-in"
_MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
         ".gif": "image/gif", ".tif": "image/tiff", ".tiff": "image/tiff", ".pdf": "application/pdf",
         ".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm",
         ".mkv": "video/x-matroska", ".wav": "audio/wav", ".mp3": "audio/mpeg", ".m4a": "audio/mp4",
         ".flac": "audio/flac", ".ogg": "audio/ogg"}


def mime_of(path: Path) -> str:
    """A source file's media type, by its extension (what the C2PA library is told it is)."""
    return _MIME.get(path.suffix.lower(), "application/octet-stream")


@dataclass(frozen=True)
class Source:
    """A file the render used: ``where`` in the script, its ``role`` in words, how it was ``edits``."""

    id: str  # the ingredient's label in a manifest, e.g. "body.3.image"
    path: Path
    kind: str  # photo, clip, document, logo, music, voice-over
    role: str
    sha256: str
    edits: tuple[str, ...] = ()
    stand_in: bool = False
    credit: str = ""

    @property
    def title(self) -> str:
        return self.path.name

    @property
    def mime(self) -> str:
        return mime_of(self.path)


@dataclass(frozen=True)
class Narration:
    """Scenes spoken by one engine, and what kind of media that makes their sound."""

    engine: str
    scenes: int

    @property
    def source_type(self) -> str:
        return VOICE_SOURCE_TYPES.get(self.engine, "trainedAlgorithmicMedia")

    @property
    def synthetic(self) -> bool:
        return self.source_type != "digitalCapture"

    def described(self) -> str:
        """As the voice of the audio description track (``scenes`` unused)."""
        return f"audio description: {_VOICE_WORDS[self.source_type]} ({self.engine})"

    def words(self) -> str:
        return f"{self.scenes} narrated scene{'s' if self.scenes != 1 else ''}: {_VOICE_WORDS[self.source_type]} " \
               f"({self.engine})"


@dataclass(frozen=True)
class Story:
    """Everything a render's manifests say, gathered once."""

    script_id: str
    title: str
    url: str | None
    publisher: str
    publisher_url: str | None
    generator_version: str
    sources: tuple[Source, ...]
    narration: tuple[Narration, ...]
    description: Narration | None = None  # the voice of the audio description track, if any

    @property
    def source_type(self) -> str:
        """The whole video's IPTC type: a composite, with AI elements if any voice is neural."""
        kinds = {n.source_type for n in self.narration + ((self.description,) if self.description else ())}
        if "trainedAlgorithmicMedia" in kinds:
            return "compositeWithTrainedAlgorithmicMedia"
        return "compositeSynthetic" if "algorithmicMedia" in kinds else "composite"


def story_of(loaded: LoadedScript, engines: Mapping[int, str], voice_files: Sequence[tuple[str, Path]],
             version: str, music: Path | None = None, described_by: str | None = None) -> Story:
    """The render's story: ``engines`` is each narrated scene's engine name, ``voice_files`` the
    recorded voice-overs used (where in the script, file), ``music`` the music bed's file,
    ``described_by`` the engine that speaks the audio description track."""
    script = loaded.script
    counts: dict[str, int] = {}
    for name in engines.values():
        counts[name] = counts.get(name, 0) + 1
    sources = _visual_sources(loaded) + tuple(
        Source(where, path, "voice-over", f"recorded narration ({where})", file_sha256(path))
        for where, path in voice_files)
    if music is not None:
        sources += (Source("music.file", music, "music", "music bed", file_sha256(music),
                           ("trimmed", "volume adjusted")),)
    return Story(script.id, script.title, script.url, script.outlet.name, script.outlet.url, version,
                 _unique(sources), tuple(Narration(name, n) for name, n in sorted(counts.items())),
                 Narration(described_by, 0) if described_by else None)


def _unique(sources: Sequence[Source]) -> tuple[Source, ...]:
    """One ingredient per file: a file used twice keeps its first role."""
    seen: dict[Path, Source] = {}
    for source in sources:
        seen.setdefault(source.path, source)
    return tuple(seen.values())


def _visual_sources(loaded: LoadedScript) -> tuple[Source, ...]:
    script, assets = loaded.script, loaded.assets
    found: list[Source] = []

    def add(where: str, value: str | None, kind: str, role: str, edits: tuple[str, ...], credit: str = "") -> None:
        if value and value in assets:
            path = assets[value]
            found.append(Source(where, path, kind, role, file_sha256(path), edits,
                                _STAND_IN in credit.casefold() or _STAND_IN in path.name.casefold(), credit))

    add("outlet.logo", script.outlet.logo, "logo", "the outlet's corner mark", ("resized",))
    add("claim.speaker.photo", script.claim.speaker.photo, "photo", f"portrait of {script.claim.speaker.name}",
        ("cropped", "resized"))
    if script.claim.clip is not None:
        clip = script.claim.clip
        add("claim.clip.file", clip.file, "clip", "the claimant's footage on the claim card", _clip_edits(clip))
    for i, block in enumerate(script.body):
        where = f"body.{i}"
        kind = getattr(block, "type", "")
        if kind == "photo":
            add(f"{where}.image", block.image, "photo", block.caption, ("cropped", "resized"),
                block.credit)
        elif kind == "clip":
            add(f"{where}.file", block.file, "clip", block.caption, _clip_edits(block), block.credit)
        elif kind == "document":
            page = f", page {block.page}" if block.page else ""
            edits = ("resized",) + (("highlighted",) if block.highlight else ())
            add(f"{where}.file", block.file, "document", f"{block.source}{page}", edits,
                block.credit or "")
        background = getattr(block, "background", None)
        if background is not None and background.photo:
            add(f"{where}.background.photo", background.photo, "photo", "background photo", ("cropped", "resized"))
    return tuple(found)


def _clip_edits(clip: Any) -> tuple[str, ...]:
    return (f"trimmed to {clip.start:g}-{clip.end:g} s", "cropped", "resized")


def _actions(story: Story, sources: Sequence[Source], parent: str | None) -> list[dict[str, Any]]:
    agent = {"name": "claimreel", "version": story.generator_version}
    actions: list[dict[str, Any]] = [{
        "action": "c2pa.created", "digitalSourceType": IPTC + story.source_type, "softwareAgent": agent,
        "description": "Fact-check explainer video composed by claimreel from the script "
                       f"{story.script_id!r}: title, claim, verdict and credits cards drawn, sources placed, "
                       "narration and captions added",
    }]
    for source in sources:
        capture = {"digitalSourceType": IPTC + "digitalCapture"} if source.kind == "voice-over" else {}
        if source.id != parent:  # a parent ingredient is what the video is made on, not placed in it
            actions.append({"action": "c2pa.placed", "parameters": {"ingredientIds": [source.id]},
                            "description": f"{source.kind} placed: {source.role}", **capture})
        if source.edits:
            actions.append({"action": "c2pa.edited", "parameters": {"ingredientIds": [source.id]},
                            "description": f"{source.kind} {', '.join(source.edits)}"})
    for voice in story.narration:
        if voice.synthetic:
            actions.append({"action": "c2pa.edited", "digitalSourceType": IPTC + voice.source_type,
                            "softwareAgent": {"name": voice.engine},
                            "description": f"narration synthesised: {voice.words()}"})
    if story.description is not None and story.description.synthetic:
        voice = story.description
        actions.append({"action": "c2pa.edited", "digitalSourceType": IPTC + voice.source_type,
                        "softwareAgent": {"name": voice.engine},
                        "description": f"audio description synthesised: {_VOICE_WORDS[voice.source_type]} "
                                       f"({voice.engine})"})
    return actions


def _assertions(story: Story, actions: list[dict[str, Any]], sources: Sequence[Source]) -> list[dict[str, Any]]:
    publisher = {"@type": "Organization", "name": story.publisher, **({"url": story.publisher_url}
                                                                      if story.publisher_url else {})}
    work = {"@context": "https://schema.org", "@type": "CreativeWork", "name": story.title,
            "author": [publisher], "publisher": publisher, "identifier": story.script_id,
            **({"url": story.url} if story.url else {})}
    return [
        {"label": "c2pa.actions.v2", "data": {"actions": actions}},
        {"label": "stds.schema-org.CreativeWork", "data": work, "kind": "Json"},
        {"label": "org.claimreel.story", "data": {
            "script_id": story.script_id, "fact_check_url": story.url, "publisher": story.publisher,
            "publisher_url": story.publisher_url,
            "narration": [{"engine": n.engine, "scenes": n.scenes, "digital_source_type": IPTC + n.source_type,
                           "synthetic": n.synthetic} for n in story.narration],
            **({"audio_description": {"engine": story.description.engine,
                                      "digital_source_type": IPTC + story.description.source_type,
                                      "synthetic": story.description.synthetic}} if story.description else {}),
            "sources": [{"id": s.id, "title": s.title, "kind": s.kind, "role": s.role, "sha256": s.sha256,
                         "edits": list(s.edits), "stand_in": s.stand_in, "credit": s.credit} for s in sources],
        }},
    ]


def _base(story: Story, title: str, mime: str) -> dict[str, Any]:
    return {"claim_generator_info": [{"name": "claimreel", "version": story.generator_version}],
            "title": title, "format": mime}


def _ingredient(source: Source, relationship: str) -> dict[str, Any]:
    description = f"{source.kind}: {source.role}" + (" (a stand-in, not the original)" if source.stand_in else "")
    return {"title": source.title, "format": source.mime, "relationship": relationship, "label": source.id,
            "description": description, "metadata": {"dataSource": {"type": "localProvider.REE",
                                                                     "details": f"sha256:{source.sha256}"}}}


def video_manifest(story: Story, title: str, parent: str | None = None
                   ) -> tuple[dict[str, Any], list[tuple[dict[str, Any], Path]]]:
    """A full video's manifest and its ingredients (each with the file to read); ``parent``: the id of
    the source that carries its own Content Credentials and so is kept as the parent ingredient."""
    manifest = _base(story, title, "video/mp4")
    manifest["assertions"] = _assertions(story, _actions(story, story.sources, parent), story.sources)
    return manifest, [(_ingredient(s, "parentOf" if s.id == parent else "componentOf"), s.path)
                      for s in story.sources]


def cut_manifest(story: Story, title: str, cut: str, parent_video: Path
                 ) -> tuple[dict[str, Any], list[tuple[dict[str, Any], Path]]]:
    """A social cut's manifest: the full video (signed) is its parent, trimmed to the cut's scenes."""
    manifest = _base(story, title, "video/mp4")
    actions = [
        {"action": "c2pa.opened", "parameters": {"ingredientIds": ["video"]},
         "description": "the full fact-check video"},
        {"action": "c2pa.edited", "parameters": {"ingredientIds": ["video"]},
         "description": f"social cut {cut!r}: trimmed to some of the video's scenes, end card added",
         "softwareAgent": {"name": "claimreel", "version": story.generator_version}},
    ]
    manifest["assertions"] = _assertions(story, actions, story.sources)
    video = {"title": parent_video.name, "format": "video/mp4", "relationship": "parentOf", "label": "video",
             "description": "the full fact-check video this cut is taken from"}
    return manifest, [(video, parent_video)]


def image_manifest(story: Story, title: str, mime: str, what: str) -> dict[str, Any]:
    """A poster's or storyboard's manifest: drawn from the video's scenes (sources listed, not re-read)."""
    manifest = _base(story, title, mime)
    actions = [{"action": "c2pa.created", "digitalSourceType": IPTC + "compositeSynthetic",
                "softwareAgent": {"name": "claimreel", "version": story.generator_version},
                "description": f"{what} of the fact-check video {story.script_id!r}, drawn from its scenes"}]
    manifest["assertions"] = _assertions(story, actions, story.sources)
    return manifest
