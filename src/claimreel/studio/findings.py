"""A script's findings: what ``claimreel validate`` and ``claimreel lint`` find, each at its line.

Validation problems carry their line (every problem of a
:class:`~claimreel.errors.ScriptError` is pinned to its place in the YAML); a caption
finding is pinned to the line of the block whose scene holds the cue. For a valid
script one storyboard preparation (:func:`inspect`) serves the validation, the caption
checks, the scenes and the storyboards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ClaimreelError
from ..timeline.model import frame_to_ms

if TYPE_CHECKING:
    from ..api import Finding as ApiFinding

__all__ = ["Finding", "inspect", "lint_findings", "loose_fields", "validate_file", "warm_up", "worker_warm_up"]


@dataclass(frozen=True)
class Finding:
    """One problem: where (line and column, or None for the whole script), what, and the fix."""

    source: str  # "validate" or "lint"
    line: int | None
    column: int | None
    field: str
    message: str
    hint: str = ""


def warm_up(root: Path) -> None:
    """Import what checking a script and drawing its storyboards use (the render's pipeline with
    OpenCV, Pillow's image plugins, PDFium, the speech engines, the caption checks), find ffmpeg and
    read the fonts' character maps (those of the workspace ``root`` and of the shipped themes): the studio runs this once when it starts, in
    the background and in each worker process, so the first script opened does not wait for it."""
    import pypdfium2  # noqa: F401  (document pages)
    from PIL import Image

    from ..api import validate  # noqa: F401
    from ..captions import check, profiles, translate  # noqa: F401
    from ..encode import decode  # noqa: F401
    from ..encode.ffmpeg import Ffmpeg
    from ..layout import theme_file  # noqa: F401
    from ..layout.text import read_cmaps
    from ..layout.theme import themes_root
    from ..narration import align  # noqa: F401
    from ..narration.engines import espeak, recorded  # noqa: F401
    from ..pipeline import storyboard  # noqa: F401
    from ..script import yamltree  # noqa: F401

    Image.init()  # every image plugin, which the first Image.open would load
    Ffmpeg().binary  # found once per process
    folders = {(root / "assets" / "fonts").resolve(), (themes_root().parent / "fonts").resolve()}
    read_cmaps(p for folder in sorted(folders) for p in sorted(folder.glob("*")) if p.suffix.lower() in (".otf", ".ttf"))


def worker_warm_up(root: Path) -> None:
    """A studio worker process's first task: :func:`warm_up`, then the drawing workers' own."""
    from ..pipeline.segments import warm_up as drawing

    warm_up(root)
    drawing()


def loose_fields(text: str, file: str) -> dict[str, Any]:
    """Title, language, formats and cuts as far as the YAML can be read, valid or not (the
    refusing parser: no aliases, no deep nesting)."""
    from ..script.yamltree import parse

    try:
        data = parse(text, file).data
    except Exception:  # any text at all must still list; the findings say what is wrong
        return {}
    return data if isinstance(data, dict) else {}


def _errors(findings: list[ApiFinding]) -> list[Finding]:
    """The API's error findings as this page shows them (its warnings and notes are not problems)."""
    return [Finding("validate", f.line, f.column, f.path, f.message, f.hint) for f in findings if f.severity == "error"]


def _problems(exc: ClaimreelError, path: Path) -> list[Finding]:
    from ..api import findings_from

    return _errors(findings_from(exc, path))


def validate_file(path: Path) -> tuple[list[Finding], Any]:
    """Every validation problem of the script at ``path`` (what ``claimreel validate`` checks, in
    its words: :func:`claimreel.pipeline.problems.validation`), and the loaded script when it is valid;
    the checks run once for both."""
    from ..errors import in_file_order
    from ..pipeline.problems import validation

    checked = validation(path)
    if checked.problems:
        return [Finding("validate", p.line, p.column, p.path, p.message, p.hint)
                for p in in_file_order(checked.problems)], None
    return [], checked.written


def _block_lines(text: str, file: str) -> dict[tuple[str, int | None], int]:
    """The line each scene starts from in the YAML: body blocks by index, fixed scenes by kind."""
    from ..script.yamltree import parse, position

    try:
        tree = parse(text, file)
    except Exception:
        return {}
    lines: dict[tuple[str, int | None], int] = {}
    for path, node in tree.keys.items():
        if len(path) == 1 and path[0] in ("intro", "title", "claim", "verdict", "credits"):
            lines[(str(path[0]), None)] = position(node)[0]
    for path, node in tree.values.items():
        if len(path) == 2 and path[0] == "body" and isinstance(path[1], int):
            lines[("body", path[1])] = position(node)[0]
    return lines


def _scene_line(lines: dict[tuple[str, int | None], int], kind: str, block: int | None) -> int | None:
    if block is not None:
        return lines.get(("body", block))
    for key in {"open": ("intro", "title"), "title": ("intro", "title")}.get(kind, (kind,)):
        if (key, None) in lines:
            return lines[(key, None)]
    return None


def inspect(path: Path, text: str, cache: Path) -> tuple[list[Finding], Any, list[str]]:
    """Findings of the validation, and for a valid script its storyboard preparation (spoken, timed and
    laid out in every format: what the caption checks, the scenes and the storyboards need), in one
    pass. A failure that is not the script's fault (a speech engine that cannot run here) still
    reports the script's validity, with a note."""
    from ..errors import RenderError
    from ..pipeline.storyboard import prepare_boards

    data = loose_fields(text, str(path))
    formats = data.get("formats") if isinstance(data.get("formats"), list) else ["16x9"]
    try:
        prepared = prepare_boards(path, [str(f) for f in formats], cache=cache)
    except RenderError as exc:
        findings, _ = validate_file(path)
        first = str(exc).splitlines()[0]
        return findings, None, [f"storyboards, scenes and caption checks are not available: {first}"]
    except ClaimreelError as exc:
        return _problems(exc, path), None, []
    return [], prepared, []


def _caption_groups(prepared: Any) -> list[tuple[str, Any]]:
    """The script's formats grouped by the captions they get (formats with the same caption rules and
    frame rate share one timeline): a label and the first format of each group."""
    from ..captions.profiles import DEFAULT_PROFILE, profile_rules

    groups: dict[Any, list[Any]] = {}
    for fmt in prepared.formats:
        groups.setdefault((profile_rules(DEFAULT_PROFILE, fmt.name), fmt.fps), []).append(fmt)
    return [("/".join(f.name for f in group), group[0]) for group in groups.values()]


def lint_findings(prepared: Any, text: str) -> tuple[list[Finding], list[str]]:
    """Caption findings of every format the script declares (and its translated tracks), each pinned
    to the line of the block whose scene holds the cue: :func:`claimreel.captions.lint.lint_tracks`,
    the check ``claimreel lint`` makes, with the default profile and each format's own rules; and notes."""
    from ..captions.lint import lint_tracks

    lines = _block_lines(text, str(prepared.loaded.path))
    groups = _caption_groups(prepared)
    found = []
    for label, fmt in groups:
        timeline = prepared.timelines[fmt.name]
        translations = _translations(prepared, timeline, fmt)
        for tracked in lint_tracks(timeline.cues, translations, fmt.name, timeline.fps,
                                   voice_rate=prepared.loaded.script.voice.rate):
            finding = tracked.finding
            scene = next((s for s in timeline.scenes if frame_to_ms(s.start_frame, timeline.fps) <= finding.start_ms
                          < frame_to_ms(s.end_frame, timeline.fps)), None)
            line = _scene_line(lines, scene.kind, scene.block) if scene else None
            where = tracked.place(f"cue {finding.cue_index}" + (f" in {label}" if len(groups) > 1 else ""))
            said = f"{finding.rule}: value {finding.value:g}, limit {finding.limit:g}: {finding.message}"
            found.append(Finding("lint", line, 1 if line else None, where, said))
    notes = []
    estimated = sum(1 for speech, _ in prepared.speeches.values() if speech.estimated)
    if estimated:
        notes.append(f"word timings were estimated for {estimated} of {len(prepared.speeches)} narration blocks; "
                     "caption timing is approximate")
    return found, notes


def _translations(prepared: Any, timeline: Any, fmt: Any) -> dict[str, Any]:
    """The translated caption tracks of ``prepared`` in ``fmt``, timed to ``timeline``'s narration."""
    from ..captions.translate import translated_tracks
    from ..timeline.model import spoken_words

    return translated_tracks(prepared.specs, spoken_words(prepared.speeches, timeline), fmt.fps, fmt.name)
