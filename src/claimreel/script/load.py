"""Load a script file: YAML → checked, immutable :class:`Script` with its assets.

Every problem found — YAML syntax, duplicate keys, wrong types, unknown fields,
unusable asset files, invisible control characters — is
collected with its ``file:line:col`` and field path, and all of them are raised
together as one :class:`~claimreel.errors.ScriptError`. The rating is checked
against the scale of the script's own theme. The loaded script keeps every value's
place, so checks made later (layout) can point at the script too.

Asset paths in a script are written relative to the *workspace*: the nearest
folder at or above the script that holds an ``assets/`` folder or a
``pyproject.toml`` (else the script's own folder). Renderers look files up
with ``loaded.assets[path_as_written]``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from claimreel.errors import Problem, ScriptError
from claimreel.script import checks
from claimreel.script.cuts import cut_problems
from claimreel.script.explain import dotted, explain, locate
from claimreel.script.model import Script
from claimreel.script.themes import rating_scale
from claimreel.script.yamltree import FieldPath, Tree, decode, is_typed_plain, parse, position

__all__ = ["MAX_SCRIPT_BYTES", "LoadedScript", "Reading", "load_script", "load_text", "read_script", "script_formats",
           "workspace_root"]

#: Largest script file read; real scripts are a few kilobytes.
MAX_SCRIPT_BYTES = 1_000_000


@dataclass(frozen=True)
class LoadedScript:
    """A valid script, where it was read from, and its assets as absolute paths."""

    script: Script
    path: Path
    root: Path
    assets: Mapping[str, Path]
    #: Where each value was written, ``(line, column)`` by field path, for checks made later
    #: (the theme's rating scale, layout) to point at the script.
    places: Mapping[FieldPath, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))

    def problem(self, path: FieldPath | str, message: str, hint: str = "") -> Problem:
        """A problem pinned to the value at ``path`` (or the nearest written field above it);
        ``path`` is a field path or its dotted form (``body.3.end``)."""
        if isinstance(path, str):
            path = tuple(int(part) if part.isdigit() else part for part in path.split(".") if part)
        for end in range(len(path), -1, -1):
            if path[:end] in self.places:
                line, column = self.places[path[:end]]
                break
        else:
            line, column = 1, 1
        return Problem(str(self.path), line, column, dotted(path), message, hint)


def workspace_root(script_path: Path) -> Path:
    """The folder asset paths are relative to (see the module docstring)."""
    folder = script_path.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / "assets").is_dir() or (candidate / "pyproject.toml").is_file():
            return candidate
    return folder


@dataclass(frozen=True)
class Reading:
    """What reading a script found: every problem, and the script when its fields parse.

    ``loaded`` is there even when other problems were found (a missing file, an unknown rating),
    so the checks made later can still run and report theirs; the assets it holds are those that
    could be used."""

    loaded: LoadedScript | None
    problems: tuple[Problem, ...]

    def checked(self) -> LoadedScript:
        """The loaded script; ScriptError listing every problem when there is one."""
        if self.problems or self.loaded is None:
            raise ScriptError(self.problems)
        return self.loaded


def read_script(
    path: Path, *, ratings: Sequence[str] | None = None, check_assets: bool = True
) -> Reading:
    """Read and check the script at ``path``, keeping every problem (see :func:`load_script`)."""
    path = Path(path)
    file = str(path)
    root = workspace_root(path)
    try:  # an unreadable file or broken YAML leaves nothing more to check
        script, assets, places, problems = _load(decode(_read(path, file), file), file, root, ratings,
                                                 check_assets)
    except ScriptError as exc:
        return Reading(None, exc.problems)
    loaded = LoadedScript(script, path, root, MappingProxyType(assets), places) if script is not None else None
    return Reading(loaded, tuple(problems))


def script_formats(path: Path) -> tuple[str, ...]:
    """The formats the script at ``path`` asks for, read before it is checked (a render then reports
    every problem at once); ScriptError with the problems found when its fields do not parse."""
    reading = read_script(path)
    if reading.loaded is None:
        raise ScriptError(reading.problems)
    return tuple(reading.loaded.script.formats)


def load_script(
    path: Path, *, ratings: Sequence[str] | None = None, check_assets: bool = True
) -> LoadedScript:
    """Read, validate and check the script at ``path``; raise ScriptError listing every problem.

    ``ratings``: the rating scale to check ``verdict.rating`` against; by default the
    scale of the theme the script names. With ``check_assets=False`` asset
    paths are checked for form only (no file is opened).
    """
    return read_script(path, ratings=ratings, check_assets=check_assets).checked()


def load_text(
    text: str,
    *,
    filename: str = "<string>",
    root: Path | None = None,
    ratings: Sequence[str] | None = None,
    check_assets: bool = True,
) -> LoadedScript:
    """Like :func:`load_script` for text in memory; assets resolve against ``root`` (default: cwd)."""
    base = (root if root is not None else Path.cwd()).resolve()
    script, assets, places, problems = _load(text.removeprefix("\ufeff"), filename, base, ratings, check_assets)
    if problems or script is None:
        raise ScriptError(problems)
    return LoadedScript(script, Path(filename), base, MappingProxyType(assets), places)


def _read(path: Path, file: str) -> bytes:
    def fail(message: str, hint: str) -> ScriptError:
        return ScriptError([Problem(file, 1, 1, "", message, hint)])

    try:
        size = path.stat().st_size
        if size > MAX_SCRIPT_BYTES:
            raise fail(
                f"the script is too large ({size} bytes, at most {MAX_SCRIPT_BYTES})",
                "is this the right file? scripts are a few kilobytes",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise fail("script not found", "check the path") from None
    except IsADirectoryError:
        raise fail("this is a folder, not a script file", "name the .yaml file inside it") from None
    except OSError as exc:
        raise fail(f"cannot read the script: {exc.strerror or exc}", "check the file's permissions") from None


def _load(
    text: str, file: str, root: Path, ratings: Sequence[str] | None, check_assets: bool
) -> tuple[Script | None, dict[str, Path], Mapping[FieldPath, tuple[int, int]], list[Problem]]:
    tree = parse(text, file)
    data, script, errors = _validate(tree)
    problems = list(tree.problems)
    problems += explain(errors, tree, file)
    flagged = {locate(e["loc"]).path for e in errors}
    more, assets = _check(tree, data, file, root, ratings, check_assets, flagged)
    problems += more
    if script is not None and script.claim.date.day > script.published:
        line, column = position(tree.values[("claim", "date")])
        problems.append(Problem(
            file, line, column, "claim.date",
            f"the claim is dated {script.claim.date.iso}, after the fact-check's publication on "
            f"{script.published.isoformat()}",
            "check both dates; a claim is checked after it is made",
        ))
    return script, assets, MappingProxyType({path: position(node) for path, node in tree.values.items()}), problems


def _validate(tree: Tree) -> tuple[Any, Script | None, list[ErrorDetails]]:
    """Validate; an unquoted ``False`` or ``40`` where text is expected counts as text."""
    data = copy.deepcopy(tree.data)
    for attempt in range(2):
        try:
            return data, Script.model_validate(data), []
        except ValidationError as exc:
            errors = exc.errors()
        retyped = False
        for error in errors:
            path = locate(error["loc"]).path
            node = tree.values.get(path)
            if attempt == 0 and error["type"] == "string_type" and is_typed_plain(node):
                _put(data, path, node.value)  # type: ignore[union-attr]
                retyped = True
        if not retyped:
            break
    return data, None, errors


def _put(data: Any, path: FieldPath, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _check(
    tree: Tree,
    data: dict[str, Any],
    file: str,
    root: Path,
    ratings: Sequence[str] | None,
    check_assets: bool,
    flagged: set[FieldPath],
) -> tuple[list[Problem], dict[str, Path]]:
    """Ratings, invisible characters, cut references and asset files; skips paths already reported."""
    problems: list[Problem] = []

    def report(path: FieldPath, failure: checks.Failure) -> None:
        line, column = position(tree.values[path])
        problems.append(Problem(file, line, column, dotted(path), failure.message, failure.hint))
        flagged.add(path)

    for path, text in checks.text_fields(data):
        failure = checks.check_text(text)
        if failure is not None and path not in flagged:
            report(path, failure)

    verdict = data.get("verdict")
    rating = verdict.get("rating") if isinstance(verdict, dict) else None
    if ratings is None and isinstance(rating, str):
        ratings = _named_theme_scale(data, root)
    if ratings is not None and isinstance(rating, str) and ("verdict", "rating") not in flagged:
        failure = checks.check_rating(rating.strip(), ratings)
        if failure is not None:
            report(("verdict", "rating"), failure)

    for path, failure in cut_problems(data):
        if path not in flagged and path in tree.values:
            report(path, failure)

    assets: dict[str, Path] = {}
    # One look at each file for each use: a PDF is a document block's page but no photo block's image.
    seen: dict[tuple[str, str | None], Path | checks.Failure] = {}
    for path, value in checks.asset_fields(data):
        if path in flagged:
            continue
        use = _picture_use(data, path, value)
        if (value, use) not in seen:
            seen[value, use] = _check_asset(value, root, check_assets, use)
        outcome = seen[value, use]
        if isinstance(outcome, checks.Failure):
            report(path, outcome)
        else:
            assets[value] = outcome
    return problems, assets


def _named_theme_scale(data: dict[str, Any], root: Path) -> Sequence[str] | None:
    """The rating scale of the theme the script names (the default theme when it names none)."""
    name = data.get("theme", "default")
    return rating_scale(root, name) if isinstance(name, str) and name.strip() else None


def _picture_use(data: dict[str, Any], path: FieldPath, value: str) -> str | None:
    """The fix to offer if the file at ``path`` must be a picture and is a PDF; None if it need
    not be a picture."""
    if not checks.is_picture(data, path, Path(value)):
        return None
    in_photo_block = len(path) == 3 and path[0] == "body" and path[2] == "image"
    return checks.PDF_IN_PHOTO_BLOCK if in_photo_block else checks.PDF_AS_PICTURE


def _check_asset(value: str, root: Path, open_files: bool, pdf_hint: str | None) -> Path | checks.Failure:
    target = checks.check_asset_path(value, root)
    if isinstance(target, checks.Failure) or not open_files:
        return target
    resolved = checks.check_asset_file(target, root)
    if isinstance(resolved, checks.Failure) or pdf_hint is None:
        return resolved
    return checks.check_image(resolved, pdf_hint=pdf_hint) or resolved
