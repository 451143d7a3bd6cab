"""Caption findings beside the form's cards: what ``claimreel lint`` finds (the script page's caption
findings, :func:`claimreel.studio.findings.lint_findings`), each shown with the card or field whose
scene holds the cue.

They need the narration's timings, so they are found for the saved script (once per version, with
the script page's report), not for the unsaved form as it is typed. A caption finding carries the
line its scene starts from; that line names the scene's card here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...errors import ClaimreelError
from .checks import FieldFinding

__all__ = ["SCENE_FIELDS", "place_captions"]

#: The top-level fields a fixed scene is written in (the title card: the intro, or else the title).
SCENE_FIELDS = ("intro", "title", "claim", "verdict", "credits")


def _scene_lines(text: str) -> dict[int, str]:
    """The line each scene starts from in the YAML, and the form field (or card) it is edited in."""
    from ...script.yamltree import parse, position

    try:
        tree = parse(text, "form")
    except ClaimreelError:
        return {}
    lines: dict[int, str] = {}
    for path, node in tree.keys.items():
        if len(path) == 1 and path[0] in SCENE_FIELDS:
            lines[position(node)[0]] = str(path[0])
    for path, node in tree.values.items():
        if len(path) == 2 and path[0] == "body" and isinstance(path[1], int):
            lines[position(node)[0]] = f"body.{path[1]}"
    return lines


def place_captions(findings: Iterable[Any], text: str) -> tuple[dict[str, list[FieldFinding]], list[FieldFinding]]:
    """The caption findings (source ``lint``) of the script ``text`` by the name of the card or field
    whose scene holds the cue (``body.2``, ``claim``), and those of no scene; each in the script
    page's words (``cue 3: cps_hard: value 21, limit 20: ...``)."""
    lines = _scene_lines(text)
    placed: dict[str, list[FieldFinding]] = {}
    other: list[FieldFinding] = []
    for f in findings:
        if f.source != "lint":
            continue
        shown = FieldFinding(f"{f.field}: {f.message}" if f.field else f.message, f.hint or "", line=f.line)
        slot = lines.get(f.line) if f.line else None
        if slot:
            placed.setdefault(slot, []).append(shown)
        else:
            other.append(shown)
    return placed, other
