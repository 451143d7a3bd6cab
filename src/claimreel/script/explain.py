"""Pydantic validation errors, said in plain words at the place they happened.

Each pydantic error has a ``loc`` such as ``("body", 3, "photo", "caption")``;
the discriminated body union puts the block's tag (``"photo"``) in it, which is
not part of the YAML, so :func:`locate` walks the model types alongside the loc
and drops it. The model a field belongs to gives did-you-mean suggestions for
misspelt field names.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from dataclasses import dataclass
from typing import Annotated, Any, Iterable, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from yaml.nodes import Node

from claimreel.errors import Problem
from claimreel.script.fields import BLOCK_ID_PATTERN, ID_PATTERN
from claimreel.script.model import Script
from claimreel.script.yamltree import FieldPath, Tree, position

__all__ = ["Located", "dotted", "explain", "locate", "slug"]


@dataclass(frozen=True)
class Located:
    """A pydantic ``loc`` turned into a YAML field path."""

    path: FieldPath
    owner: type[BaseModel] | None  # the model whose field the last segment names
    tags: tuple[str, ...] = ()  # block types allowed where the path ends, if a union


def dotted(path: FieldPath) -> str:
    return ".".join(str(p) for p in path)


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
            continue
        if origin in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _union_tags(tp: Any) -> dict[str, type[BaseModel]]:
    """Block classes of a discriminated union by their ``type`` literal."""
    if get_origin(tp) not in (Union, types.UnionType):
        return {}
    tags: dict[str, type[BaseModel]] = {}
    for member in get_args(tp):
        field = member.model_fields.get("type") if _is_model(member) else None
        if field is not None and get_origin(field.annotation) is Literal:
            for value in get_args(field.annotation):
                tags[str(value)] = member
    return tags


def locate(loc: Iterable[str | int], model: type[BaseModel] = Script) -> Located:
    """Strip union tags from ``loc`` and find the model owning its last segment."""
    tp: Any = model
    owner: type[BaseModel] | None = None
    path: list[str | int] = []
    for part in loc:
        tp = _unwrap(tp)
        tags = _union_tags(tp)
        if tags and isinstance(part, str) and part in tags:
            tp = tags[part]
            continue
        path.append(part)
        if _is_model(tp) and isinstance(part, str):
            owner = tp
            field = tp.model_fields.get(part)
            tp = field.annotation if field is not None else None
        elif get_origin(tp) is tuple and isinstance(part, int):
            args = get_args(tp)
            if len(args) == 2 and args[1] is Ellipsis:
                tp = args[0]
            else:
                tp = args[part] if part < len(args) else None
            owner = None
        else:
            tp, owner = None, None
    return Located(tuple(path), owner, tuple(_union_tags(_unwrap(tp))))


def slug(text: str) -> str:
    """A valid script id made from ``text`` (may be empty)."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")[:64]


_PATTERNS = {
    ID_PATTERN: "must be lower-case letters, digits and dashes, starting with a letter or digit",
    BLOCK_ID_PATTERN: "must be lower-case letters, digits and dashes, starting with a letter",
    r"^https?://\S+$": "expected a web address starting with http:// or https://",
    r"^#[0-9a-fA-F]{6}$": "expected a colour like #1a2b3c",
    r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$": "expected a language tag like en or en-GB",
}
_EXPECT_DATE = "expected a date like 2022-09-21"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return f"'{value}'"


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    options = sorted(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "allowed: " + ", ".join(options)


def _words(error: ErrorDetails, where: Located) -> tuple[str, str]:
    """Message and hint for one error."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    name = where.path[-1] if where.path else ""
    if kind == "missing":
        field = where.owner.model_fields.get(str(name)) if where.owner else None
        hint = f"add '{name}:'"
        if field is not None and field.description:
            text = field.description
            hint += " — " + (text[:1].lower() + text[1:] if text[1:2].islower() else text)
        return "field required", hint
    if kind == "extra_forbidden":
        allowed = where.owner.model_fields if where.owner else {}
        return f"unknown field '{name}'", _did_you_mean(str(name), allowed)
    if kind == "union_tag_invalid":
        tags = where.tags or tuple(re.findall(r"'([^']+)'", ctx.get("expected_tags", "")))
        return f"unknown block type '{ctx.get('tag')}'", _did_you_mean(str(ctx.get("tag")), tags)
    if kind == "union_tag_not_found":
        return "block has no 'type'", "add 'type:' with one of " + ", ".join(where.tags)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of fields, got {_kind(value)}", "write it as 'name: value' lines"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {_kind(value)}", "write each item on a line starting with '- '"
    if kind == "string_type":
        if value is None:
            return "expected text, got nothing", "write the text, or remove the line if it is optional"
        if isinstance(value, (list, dict)):
            return f"expected text, got {_kind(value)}", "write the text on the same line, after the colon"
        return f"expected text, got {_kind(value)}", "put the text in quotes"
    if kind == "string_too_short":
        return "must not be empty", "write the text, or remove the line if it is optional"
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return f"too long: {len(str(value))} characters, at most {limit}", "shorten it or split it"
    if kind == "string_pattern_mismatch":
        said = _PATTERNS.get(str(ctx.get("pattern")), f"does not match {ctx.get('pattern')}")
        hint = ""
        if ctx.get("pattern") == ID_PATTERN and slug(str(value)):
            hint = f"e.g. '{slug(str(value))}'"
        elif ctx.get("pattern") == BLOCK_ID_PATTERN and slug(str(value)):
            made = slug(str(value))
            hint = f"e.g. '{made if made[0].isalpha() else 'block-' + made}'"
        return said, hint
    if kind.startswith("date_") or kind.startswith("datetime_"):
        if kind == "date_from_datetime_inexact":
            return "expected a date without a time, like 2022-09-21", ""
        return _EXPECT_DATE + f", got {_kind(value)}", ""
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_kind(value)}", ""
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"expected a number, got {_kind(value)}", ""
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": ("at least", "ge"), "greater_than": ("more than", "gt"),
                 "less_than_equal": ("at most", "le"), "less_than": ("less than", "lt")}[kind]
        return f"must be {words[0]} {_number(ctx.get(words[1]))}, got {_number(value)}", ""
    if kind == "literal_error":
        expected = re.findall(r"'([^']+)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(value), expected, n=1, cutoff=0.6)
        return f"expected one of {', '.join(expected)}, got {_kind(value)}", (
            f"did you mean '{close[0]}'?" if close and isinstance(value, str) else ""
        )
    if kind == "too_short":
        field = where.owner.model_fields.get(str(name)) if where.owner else None
        examples = field.examples if field is not None and field.examples else None
        hint = f"list them, e.g. [{', '.join(examples[0])}]" if examples else ""
        return f"needs at least {ctx.get('min_length')} item(s)", hint
    if kind == "too_long":
        return f"takes at most {ctx.get('max_length')} item(s)", ""
    message = str(error.get("msg", ""))
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return (message[:1].lower() + message[1:]) or kind, ""


def _node_for(tree: Tree, where: Located, kind: str) -> Node:
    path = where.path
    if kind == "extra_forbidden" and path in tree.keys:
        return tree.keys[path]
    if kind == "missing":
        path = path[:-1]
    if kind == "union_tag_invalid" and path + ("type",) in tree.values:
        return tree.values[path + ("type",)]
    while path not in tree.values:
        path = path[:-1]
    return tree.values[path]


def explain(errors: Iterable[ErrorDetails], tree: Tree, file: str,
            model: type[BaseModel] = Script) -> list[Problem]:
    """Turn pydantic errors (from validating ``model``) into problems pinned to the YAML."""
    errors = list(errors)
    located = [locate(e["loc"], model) for e in errors]
    problems: list[Problem] = []
    for error, where in zip(errors, located):
        kind = error["type"]
        # pydantic counts a list as too short when its items failed; not news.
        if kind == "too_short" and any(
            other.path[: len(where.path)] == where.path and other.path != where.path for other in located
        ):
            continue
        message, hint = _words(error, where)
        path = where.path + (("type",) if kind == "union_tag_invalid" else ())
        line, column = position(_node_for(tree, where, kind))
        problems.append(Problem(file, line, column, dotted(path), message, hint))
    return problems
