"""A form's findings, each beside its field: what ``claimreel validate`` finds in the script the
form would save, in its words, placed by the finding's field path (or, for a finding known only by
its line, by the field written on that line)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import ClaimreelError
from ...files import temp_beside

__all__ = ["FieldFinding", "draft_findings", "place_findings"]

Place = tuple[str | int, ...]


@dataclass(frozen=True)
class FieldFinding:
    """One finding as the form shows it."""

    message: str
    hint: str = ""
    field: str = ""  # the finding's own dotted path (a finding not beside a field says it)
    line: int | None = None

    @property
    def text(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    @property
    def where(self) -> str:
        """Where a finding beside no field is: its field path, else its line, else nothing."""
        return f"{self.field}: " if self.field else f"line {self.line}: " if self.line else ""


def draft_findings(script_path: Path, text: str) -> list[Any]:
    """The error findings of ``text`` checked as if it were saved over ``script_path``: written to
    a hidden file beside it (so its assets resolve from the same workspace), checked, removed."""
    from ...api import validate
    from ...files import atomic_write_text

    draft = temp_beside(script_path)
    try:
        atomic_write_text(draft, text)
        return [f for f in validate(draft) if f.severity == "error"]
    finally:
        draft.unlink(missing_ok=True)


def _place(dotted: str) -> Place:
    return tuple(int(p) if p.isdigit() else p for p in dotted.split(".")) if dotted else ()


def _line_places(text: str) -> dict[int, Place]:
    """The field written on each line of the YAML (the deepest key starting there)."""
    from ...script.yamltree import parse, position

    try:
        tree = parse(text, "form")
    except ClaimreelError:  # text that does not parse has its one finding at its line; no field to put it by
        return {}
    places: dict[int, Place] = {}
    for path, node in list(tree.keys.items()) + list(tree.values.items()):
        line = position(node)[0]
        if path and len(path) >= len(places.get(line, ())):
            places[line] = path
    return places


def place_findings(findings: Iterable[Any], names: dict[Place, str], text: str
                   ) -> tuple[dict[str, list[FieldFinding]], list[FieldFinding]]:
    """``findings`` (the API's, or the script page's: ``path`` or ``field``, ``line``, ``message``,
    ``hint``) by the name of the form field they belong to (the nearest written field above their
    path, ``names`` mapping places to field names), and those that belong to no field."""
    lines: dict[int, Place] | None = None
    placed: dict[str, list[FieldFinding]] = {}
    other: list[FieldFinding] = []
    for f in findings:
        dotted = f.path if hasattr(f, "path") else f.field
        place = _place(dotted or "")
        if not place and getattr(f, "line", None):
            lines = _line_places(text) if lines is None else lines
            place = lines.get(f.line, ())
        shown = FieldFinding(f.message, f.hint or "", dotted or "", getattr(f, "line", None))
        while place and place not in names:
            place = place[:-1]
        if place:
            placed.setdefault(names[place], []).append(shown)
        else:
            other.append(shown)
    return placed, other
