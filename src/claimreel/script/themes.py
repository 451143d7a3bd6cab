"""Where a script's theme lives, and its rating scale: what checking a script needs of its theme,
read without loading the theme (that is the layout's: :mod:`claimreel.layout.theme`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..files import per_file_version

__all__ = ["rating_scale", "theme_names", "theme_pronounce", "themes_for", "themes_root"]


def themes_root() -> Path:
    """``assets/themes`` of the checkout (themes ship with the repository)."""
    return Path(__file__).resolve().parents[3] / "assets" / "themes"


def themes_for(workspace: Path, name: str) -> Path:
    """Where theme ``name`` of a script in ``workspace`` lives: the workspace's own
    ``assets/themes`` when it has that theme, else the themes shipped with claimreel."""
    local = workspace / "assets" / "themes"
    return local if (local / name / "theme.yaml").is_file() else themes_root()


def rating_scale(workspace: Path, name: str) -> tuple[str, ...] | None:
    """The rating names of theme ``name``, in scale order, read without loading the theme;
    None when the theme cannot be read (loading it then says why)."""
    import yaml

    try:
        raw = _theme_yaml(themes_for(workspace, name) / name / "theme.yaml")
        names = tuple(str(r["label"]) for r in raw["ratings"])
    except (OSError, yaml.YAMLError, UnicodeDecodeError, KeyError, TypeError):
        return None
    return names or None


def theme_pronounce(workspace: Path, name: str) -> dict[str, str]:
    """Theme ``name``'s ``pronounce:`` entries (an outlet's recurring names), read without loading the
    theme; empty when it has none or cannot be read (loading it then says why)."""
    import yaml

    try:
        raw = _theme_yaml(themes_for(workspace, name) / name / "theme.yaml").get("pronounce") or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


@per_file_version(keep=32)
def _theme_yaml(path: Path) -> Any:
    """A theme file's YAML as plain data, read once per version of the file (checking a script
    reads its theme's scale and pronunciations; the studio checks on every keystroke). Read only."""
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def theme_names(workspace: Path) -> list[str]:
    """Every theme a script in ``workspace`` can name (the workspace's own and the shipped ones, as
    :func:`themes_for` finds them), ``default`` first."""
    names = set()
    for folder in (themes_root(), workspace / "assets" / "themes"):
        if folder.is_dir():
            names.update(entry.name for entry in folder.iterdir() if (entry / "theme.yaml").is_file())
    return sorted(names, key=lambda name: (name != "default", name))
