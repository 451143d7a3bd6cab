"""The verdict meter beside the rating's choice: the theme's scale in its own colours, read from
the theme file as the script finds its theme (nothing drawn when the theme cannot be read: the
findings say why)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Step", "scale_steps"]


@dataclass(frozen=True)
class Step:
    label: str
    color: str
    text: str


def scale_steps(workspace: Path, theme: str) -> list[Step]:
    """Theme ``theme``'s ratings, mildest first, with their card colours."""
    import yaml

    from ...script.themes import themes_for

    try:
        path = themes_for(workspace, theme) / theme / "theme.yaml"
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [Step(str(r["label"]), str(r.get("color", "#555555")), str(r.get("text", "#ffffff")))
                for r in raw["ratings"]]
    except (OSError, yaml.YAMLError, UnicodeDecodeError, KeyError, TypeError, AttributeError):
        return []
