"""A theme file's schema: ``assets/themes/NAME/theme.yaml`` validated with pydantic.

Only :func:`claimreel.layout.theme.load_theme` reads it (imported there, so code that
only uses :class:`~claimreel.layout.theme.Theme` objects never loads pydantic or YAML).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from ..errors import Problem, ScriptError, ThemeError
from ..files import per_file_version
from ..script.explain import dotted
from ..script.fields import LABEL_KEYS
from ..script.yamltree import FieldPath, Tree, decode, parse, position

__all__ = ["ThemeFile", "label_sets", "read_theme_file"]

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


class _CredentialsModel(BaseModel):
    """The newsroom's Content Credentials signing identity: file paths (relative to the theme), never the key."""

    model_config = ConfigDict(extra="forbid")
    cert: str = Field(description="Certificate chain PEM: the signing certificate first, then intermediates")
    key: str = Field(description="The signing certificate's private key, PEM (kept outside the repository)")
    tsa_url: str | None = Field(default=None, description="An RFC 3161 timestamp authority's address")


class _PublishModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    credentials: _CredentialsModel | None = None


class _ThemeModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    fonts: _FontsModel
    colors: dict[str, str]
    caption_box_opacity: float = Field(default=0.78, ge=0.5, le=1.0)
    caption_style: Literal["boxed", "outlined", "highlight"] = "boxed"
    ratings: list[_RatingModel] = Field(
        min_length=2, description="The rating scale in order, best first (the claim holds) to worst"
    )
    verdict_style: Literal["badge", "meter"] = "badge"
    fallback_fonts: list[_FallbackModel] = Field(default_factory=list)
    logo: _LogoModel | None = None
    lower_third: _LowerThirdModel = _LowerThirdModel()
    labels: dict[str, dict[str, str | dict[str, str]]] = Field(
        default_factory=dict, description="On-screen words by language (primary subtag: en, zh, ug...)"
    )
    end_card: _EndCardModel | None = None
    publish: _PublishModel | None = None



@dataclass(frozen=True)
class ThemeFile:
    """A validated theme file and where each of its values was written."""

    path: Path
    model: _ThemeModel
    tree: Tree

    def problem(self, where: FieldPath, message: str, hint: str = "") -> Problem:
        """A problem pinned to the value at ``where`` (or the nearest field above it that was written)."""
        return _placed(self.path, self.tree, where, message, hint)

    def error(self, where: FieldPath, message: str, hint: str = "") -> ThemeError:
        return ThemeError([self.problem(where, message, hint)])


def _placed(path: Path, tree: Tree, where: FieldPath, message: str, hint: str, *, key: bool = False) -> Problem:
    """``message`` at the value written at ``where`` (at its key when ``key``: an unknown field)."""
    first, second = (tree.keys, tree.values) if key else (tree.values, tree.keys)
    for end in range(len(where), -1, -1):
        node = first.get(where[:end]) or second.get(where[:end])
        if node is not None:
            line, column = position(node)
            break
    else:
        line, column = 1, 1
    return Problem(str(path), line, column, dotted(where), message, hint)


def _words(error: ErrorDetails) -> tuple[str, str]:
    """A pydantic error in a theme file as what is wrong and how to fix it."""
    kind, name = error["type"], str(error["loc"][-1]) if error["loc"] else ""
    if kind == "missing":
        return f"missing field '{name}'", f"add '{name}:' (see assets/themes/default/theme.yaml)"
    if kind == "extra_forbidden":
        return f"unknown field '{name}'", "remove it or check its spelling against assets/themes/default/theme.yaml"
    if kind == "string_pattern_mismatch":
        return f"expected a colour like #1a2b3c, got {error['input']!r}", "write the colour as # and six hex digits"
    return error["msg"][0].lower() + error["msg"][1:], "see assets/themes/default/theme.yaml for an example"


@per_file_version(keep=32)
def read_theme_file(path: Path) -> ThemeFile:
    """The theme file at ``path``, validated; every problem is reported at its ``file:line:col`` (exit 2).
    Read once per version of the file (the studio checks a script on every keystroke): read only."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ThemeError([Problem(str(path), 1, 1, "", f"cannot read the theme: {exc.strerror or exc}",
                                  "check the file's permissions")]) from None
    try:
        tree = parse(decode(raw, str(path)), str(path))
    except ScriptError as exc:
        raise ThemeError(exc.problems) from None
    if tree.problems:
        raise ThemeError(tree.problems)
    try:
        model = _ThemeModel.model_validate(tree.data)
    except ValidationError as exc:
        raise ThemeError([_placed(path, tree, tuple(e["loc"]), *_words(e), key=e["type"] == "extra_forbidden")
                          for e in exc.errors()]) from None
    return ThemeFile(path, model, tree)


def label_sets(theme: ThemeFile) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The theme's label sets and rating display names by language; unknown keys are errors."""
    model = theme.model
    words: dict[str, dict[str, str]] = {}
    ratings: dict[str, dict[str, str]] = {}
    known = {r.label.casefold() for r in model.ratings}
    for lang, entries in model.labels.items():
        if lang != lang.lower() or not lang.isalpha() or not 2 <= len(lang) <= 3:
            raise theme.error(("labels", lang), "a label set is named by a language's primary subtag",
                              "e.g. zh or ug")
        words[lang], ratings[lang] = {}, {}
        for key, value in entries.items():
            if key == "ratings" and isinstance(value, dict):
                for name, shown in value.items():
                    if name.casefold() not in known:
                        raise theme.error(("labels", lang, "ratings", name), f"the theme has no rating {name!r}",
                                          f"it has {', '.join(r.label for r in model.ratings)}")
                    ratings[lang][name] = shown
            elif key in LABEL_KEYS and isinstance(value, str):
                words[lang][key] = value
            else:
                raise theme.error(("labels", lang, key), f"unknown label key {key!r}",
                                  f"allowed: {', '.join(LABEL_KEYS)}, ratings")
    return words, ratings
