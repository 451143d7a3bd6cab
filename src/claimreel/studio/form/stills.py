"""The scene being edited, drawn from the form's unsaved script: its still in 16:9 and in the
vertical format, side by side.

The script the form would save is prepared as a storyboard prepares it (checked, spoken from the
speech cache, laid out; only an edited block's narration is spoken again), and the one scene is
drawn. Stills are kept by a digest of the text, the scene and the workspace's files
(``render/cache/studio/form/<digest>-<format>.jpg``), and each scene's drawing is also kept where
the storyboards keep theirs, so an edit elsewhere draws nothing again.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from ...errors import ClaimreelError
from ...files import atomic_write_bytes, temp_beside

__all__ = ["FORMATS", "StillsDrawn", "draw_stills", "scene_wanted", "still_file"]

#: The two shapes shown side by side: the landscape video and the vertical one.
FORMATS = ("16x9", "9x16")
_KEY = re.compile(r"^[0-9a-f]{40}-(16x9|9x16)$")

#: Which scene a top-level field is seen in (others: the title card).
_SCENE_OF = {"claim": "claim", "verdict": "verdict", "credits": "credits", "sources": "credits"}


class StillsDrawn(dict):
    """Format name -> still key, and the scene's name (``scene``)."""

    scene: str = ""


def scene_wanted(place: tuple[str | int, ...]) -> tuple[str, int | None]:
    """The scene a field at ``place`` is seen in: ``("body", index)`` or a fixed scene's kind."""
    if len(place) >= 2 and place[0] == "body" and isinstance(place[1], int):
        return "body", place[1]
    return _SCENE_OF.get(str(place[0]) if place else "", "title"), None


def _index(scenes: Any, kind: str, block: int | None) -> int:
    for i, scene in enumerate(scenes):
        if (block is not None and scene.block == block) or (block is None and scene.kind == kind):
            return i
    return 0  # the title card (a field seen in no scene of its own)


def still_file(folder: Path, key: str) -> Path:
    """The file of a still key, refused unless it is one this module made."""
    if not _KEY.match(key):
        from ..workspace import OutsideWorkspace

        raise OutsideWorkspace(key)
    return folder / f"{key}.jpg"


def draw_stills(script_path: Path, text: str, place: tuple[str | int, ...], *, cache: Path, folder: Path,
                stills: Path, salt: str) -> StillsDrawn:
    """Keys of the stills (see :func:`still_file`) of the scene ``place`` is seen in, for script
    ``text`` as if saved over ``script_path``; raises the script's problem when it does not prepare."""
    kind, block = scene_wanted(place)
    digest = hashlib.sha1(f"{text}\0{kind}\0{block}\0{salt}".encode()).hexdigest()
    drawn = StillsDrawn({fmt: f"{digest}-{fmt}" for fmt in FORMATS})
    names = folder / f"{digest}.scene"
    if all(still_file(folder, key).is_file() for key in drawn.values()) and names.is_file():
        drawn.scene = names.read_text(encoding="utf-8")
        return drawn
    prepared = _prepare(script_path, text, cache)
    for fmt in prepared.formats:
        timeline = prepared.timelines[fmt.name]
        index = _index(timeline.scenes, kind, block)
        still = _scene_still(prepared, fmt, index, stills, salt)
        atomic_write_bytes(still_file(folder, drawn[fmt.name]), still)
        drawn.scene = f"{timeline.scenes[index].kind} scene {index + 1} of {len(timeline.scenes)}"
    atomic_write_bytes(names, drawn.scene.encode("utf-8"))
    return drawn


def _prepare(script_path: Path, text: str, cache: Path) -> Any:
    from ...files import atomic_write_text
    from ...pipeline.storyboard import prepare_boards

    draft = temp_beside(script_path)
    try:
        atomic_write_text(draft, text)
        return prepare_boards(draft, FORMATS, cache=cache)
    except ClaimreelError as exc:  # said of the script, not of the hidden draft it was checked as
        raise ClaimreelError(str(exc).replace(str(draft), script_path.name).replace(draft.name, script_path.name)
                             ) from None
    finally:
        draft.unlink(missing_ok=True)


def _scene_still(prepared: Any, fmt: Any, index: int, stills: Path, salt: str) -> bytes:
    """One scene's still at the storyboard's size, from the storyboards' still cache when drawn before."""
    from ...pipeline.storyboard import sheet_scene, still_key
    from ...publish.images import scene_still

    layout, scene = prepared.layouts[fmt.name][index], prepared.timelines[fmt.name].scenes[index]
    small, size = sheet_scene(layout, fmt)
    path = stills / f"{still_key(small, size, prepared.book, scene.frames, salt)}.jpg"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        still = scene_still(small, scene, size, prepared.theme, prepared.book, optimize=False)
        atomic_write_bytes(path, still)
        return still
