"""A theme file's schema: ``assets/themes/NAME/theme.yaml`` validated with pydantic.

Only :func:`claimreel.layout.theme.load_theme` reads it (imported there, so code that
only uses :class:`~claimreel.layout.theme.Theme` objects never loads pydantic or YAML).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ClaimreelError
from ..script.model import LABEL_KEYS

__all__ = ["label_sets", "read_theme_file"]

HEX = r"^#[0-9a-fA-F]{6}$"


class _FontsModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    regular: str
    medium: str
    semibold: str
    bold: str


class _FallbackModel(BaseModel):
    """A fallback font family: one file per weight it has (missing weights use the nearest)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    covers: str = Field(default="", description="What it is for, e.g. Arabic script")
    regular: str
    medium: str | None = None
    semibold: str | None = None
    bold: str | None = None
    license: str | None = None


class _LogoModel(BaseModel):
    """The outlet's corner mark: ``file`` (optional: a script's ``outlet.logo`` may give it) and its height."""

    model_config = ConfigDict(extra="forbid")
    file: str | None = None
    height: int = Field(default=40, ge=12, le=200, description="Height at 1080p in pixels")


class _LowerThirdModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    opacity: float = Field(default=0.86, ge=0.6, le=1.0)
    rule: bool = True
    radius: int = Field(default=6, ge=0, le=40)


class _RatingModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    color: str = Field(pattern=HEX)
    text: str = Field(pattern=HEX)


class _EndCardModel(BaseModel):
    """The last scene of every social cut: the verdict, the outlet's mark and the article's address."""

    model_config = ConfigDict(extra="forbid")
    seconds: float = Field(default=4.0, ge=2.0, le=15.0, description="Shortest it holds (longer to be read)")
    heading: dict[str, str] = Field(
        default_factory=lambda: {"en": "Read the full fact check at"},
        description="Words above the address, by language (primary subtag: en, zh, ug...)",
    )


class _ThemeModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    fonts: _FontsModel
    colors: dict[str, str]
    caption_box_opacity: float = Field(default=0.78, ge=0.5, le=1.0)
    caption_style: Literal["boxed", "outlined", "highlight"] = "boxed"
    ratings: list[_RatingModel] = Field(min_length=1)
    fallback_fonts: list[_FallbackModel] = Field(default_factory=list)
    logo: _LogoModel | None = None
    lower_third: _LowerThirdModel = _LowerThirdModel()
    labels: dict[str, dict[str, str | dict[str, str]]] = Field(
        default_factory=dict, description="On-screen words by language (primary subtag: en, zh, ug...)"
    )
    end_card: _EndCardModel | None = None



def read_theme_file(path: Path) -> _ThemeModel:
    """The theme file at ``path``, validated (exit 2 naming the file on anything wrong)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return _ThemeModel.model_validate(raw)
    except (yaml.YAMLError, ValidationError, UnicodeDecodeError) as exc:
        raise ClaimreelError(f"{path}: invalid theme: {exc}; fix the theme file") from None


def label_sets(path: Path, model: _ThemeModel) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The theme's label sets and rating display names by language; unknown keys are errors."""
    words: dict[str, dict[str, str]] = {}
    ratings: dict[str, dict[str, str]] = {}
    known = {r.label.casefold() for r in model.ratings}
    for lang, entries in model.labels.items():
        where = f"{path}: labels.{lang}"
        if lang != lang.lower() or not lang.isalpha() or not 2 <= len(lang) <= 3:
            raise ClaimreelError(f"{where}: a label set is named by a language's primary subtag, e.g. zh or ug")
        words[lang], ratings[lang] = {}, {}
        for key, value in entries.items():
            if key == "ratings" and isinstance(value, dict):
                for name, shown in value.items():
                    if name.casefold() not in known:
                        raise ClaimreelError(
                            f"{where}.ratings.{name}: the theme has no rating {name!r}; "
                            f"it has {', '.join(r.label for r in model.ratings)}"
                        )
                    ratings[lang][name] = shown
            elif key in LABEL_KEYS and isinstance(value, str):
                words[lang][key] = value
            else:
                raise ClaimreelError(
                    f"{where}.{key}: unknown label key {key!r}; allowed: {', '.join(LABEL_KEYS)}, ratings"
                )
    return words, ratings
