"""A posted form read back into script data, and that data written into the script's YAML.

Inputs are named by dotted paths (see :mod:`.fields`). A list's items come in the order the page
lists them, whatever their index says: the page's script moves a card by moving it, and adds one
with a fresh index, never renumbering. An item keeps the index it was opened with, so its YAML
(and the comments in it) moves with it when it is saved.

Writing goes through ruamel.yaml's round trip: a value the form did not change keeps its node
(quoting, folding, comments); keys the schema does not know are left for the findings to name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

from .fields import RATING, display
from .schema_walk import Node, Schema

__all__ = ["Posted", "draft_text", "read_posted", "write_yaml"]

_EMPTY = object()


@dataclass
class Posted:
    """What a form said: the script data, and for each written place the input it came from
    (``("body", 2, "text")`` -> ``"body.n1.text"``), which is how findings find their field."""

    data: dict[str, Any]
    names: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    origins: dict[tuple[str | int, ...], list[int | None]] = field(default_factory=dict)


class _Reader:
    def __init__(self, schema: Schema, pairs: Iterable[tuple[str, str]], original: Any) -> None:
        self.schema = schema
        self.values: dict[str, list[str]] = {}
        self.order: list[str] = []
        for key, value in pairs:
            if key not in self.values:
                self.order.append(key)
            self.values.setdefault(key, []).append(value.replace("\r\n", "\n"))
        self.original = original
        self.posted = Posted({})

    def last(self, name: str) -> str | None:
        found = self.values.get(name)
        return found[-1] if found else None

    def tokens(self, name: str) -> list[str]:
        """The item indexes of list ``name`` in the order the page lists them."""
        prefix, seen = name + ".", []
        for key in self.order:
            if key.startswith(prefix):
                token = key[len(prefix):].split(".", 1)[0]
                if token not in seen:
                    seen.append(token)
        return seen

    def group(self, name: str, node: Node, path: tuple, old: Any, skip: str = "") -> dict[str, Any]:
        out: dict[str, Any] = {}
        required = set(node.get("required", ()))
        old = old if isinstance(old, dict) else {}
        for key, sub in node["properties"].items():
            if key == skip:
                continue
            child = f"{name}.{key}" if name else key
            value = self.value(child, sub, path + (key,), old.get(key, _EMPTY), key in required)
            if value is not _EMPTY:
                out[key] = value
        for key, value in old.items():  # keys the schema does not know: kept for the findings to name
            if key not in node["properties"] and key != skip:
                out[key] = value
        return out

    def value(self, name: str, node: Node, path: tuple, old: Any, required: bool) -> Any:
        node, _ = self.schema.unwrap(node)
        kind = "rating" if name == RATING else self.schema.kind(node)
        self.posted.names[path] = name
        if kind == "group":
            data = self.group(name, node, path, old)
            return data if required or not _blank(data) else _EMPTY
        if kind in ("list", "blocks"):
            return self.items(name, node, path, old, kind)
        if kind == "choices":
            chosen = [v for v in self.values.get(name, []) if v]
            return self.unless_default(chosen, node, old) if chosen or name + "!" in self.values else _EMPTY
        text = self.last(name)
        if text is None:
            return old  # not on the page (not even empty): left as it is
        if kind == "bool":
            return self.unless_default(text == "true", node, old)
        if old is not _EMPTY and text == display(old, kind):
            return old  # as the page showed it: the script's own value (a number stays a number)
        if text.strip() == "":
            return "" if required and kind not in ("yaml", "number") else _EMPTY
        if kind == "number":
            return _number(text)
        if kind == "yaml":
            return _yaml_value(text)
        if kind == "lines":
            return [line.strip() for line in text.splitlines() if line.strip()]
        return text

    @staticmethod
    def unless_default(value: Any, node: Node, old: Any) -> Any:
        """``value``, unless it is the default and the script did not write it (it stays unwritten)."""
        return _EMPTY if old is _EMPTY and value == node.get("default", False if value in (True, False) else None) \
            else value

    def items(self, name: str, node: Node, path: tuple, old: Any, kind: str) -> Any:
        tokens = self.tokens(name)
        if not tokens and name + "!" not in self.values:
            return old  # the list is not on the page
        out, origins = [], []
        types = self.schema.block_types(node) if kind == "blocks" else {}
        tag = self.schema.tag(node) if kind == "blocks" else ""
        for position, token in enumerate(tokens):
            item_name, item_path = f"{name}.{token}", path + (position,)
            origin = int(token) if token.isdigit() else None
            before = old[origin] if isinstance(old, list) and origin is not None and origin < len(old) else {}
            self.posted.names[item_path] = item_name
            if kind == "blocks":
                block_type = self.last(f"{item_name}.{tag}") or ""
                self.posted.names[item_path + (tag,)] = f"{item_name}.{tag}"
                if block_type not in types:
                    out.append(before if before else {tag: block_type})
                else:
                    out.append({tag: block_type, **self.group(item_name, types[block_type], item_path, before, tag)})
            else:
                out.append(self.group(item_name, self.schema.item(node), item_path, before))
            origins.append(origin)
        self.posted.origins[path] = origins
        if not out and old is _EMPTY and not node.get("minItems"):
            return _EMPTY
        return out


def _blank(value: Any) -> bool:
    """Nothing written: empty text, or a group or list of nothing else (a required field left empty
    in an optional group does not make the group written)."""
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return not value
    return value == ""


def _number(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text.strip())
        except ValueError:
            pass
    return text  # the findings say it must be a number


def _yaml_value(text: str) -> Any:
    """A "yaml" field's text as a value (a date or a month stays text, as the script wrote it)."""
    import yaml

    try:
        value = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, OverflowError):  # 2022-13-45 reads as a date that is not one
        return text  # the findings say what shape is wanted
    return _dates_as_text(value)


def _dates_as_text(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value


def read_posted(schema: Schema, pairs: Iterable[tuple[str, str]], original: dict[str, Any]) -> Posted:
    """The script data a form posted (its ``(name, value)`` pairs, in page order); ``original``: the
    script's data as the page was opened, for what the page did not show."""
    reader = _Reader(schema, pairs, original)
    reader.posted.data = reader.group("", schema.root, (), original)
    return reader.posted


# -- writing ------------------------------------------------------------------------------------

def _yaml(text: str):
    """A round-trip YAML (comments, key order and quoting stay) indenting as ``text`` does."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml = YAML()
    yaml.width = 4096  # never re-wraps a line the script wrote long
    yaml.preserve_quotes = True
    try:
        _, indent, dash = load_yaml_guess_indent(text)
    except (YAMLError, ValueError, TypeError):  # text that does not parse: the template's own indentation
        indent, dash = None, None
    # the guess is a list item's indent and its dash's offset (4 and 2 for the template's "  - ")
    indent, dash = indent or 2, dash or 0
    yaml.indent(mapping=max(indent - dash, 2) if dash else indent, sequence=max(indent, dash + 2), offset=dash)
    return yaml


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _merge(old: Any, new: Any, origins: dict, path: tuple) -> Any:
    """``new`` written over ``old`` (ruamel nodes), keeping every node whose value did not change."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    if isinstance(old, CommentedMap) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for position, (key, value) in enumerate(new.items()):
            if key in old:
                old[key] = _merge(old[key], value, origins, path + (key,))
            else:
                at = list(old).index(list(new)[position - 1]) + 1 if position and list(new)[position - 1] in old \
                    else len(old)
                old.insert(at, key, _merge(None, value, origins, path + (key,)))
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        sources = origins.get(path) or list(range(len(new)))
        items = [_merge(old[o] if o is not None and o < len(old) else None, v, origins, path + (i,))
                 for i, (o, v) in enumerate(zip(sources, new))]
        del old[:]
        old.extend(items)
        return old
    if old is not None and _plain(old) == _plain(new):
        return old
    if isinstance(old, (FoldedScalarString, LiteralScalarString)) and isinstance(new, str):
        return type(old)(new)
    if isinstance(new, dict):
        return _merge(CommentedMap(), new, origins, path)
    if isinstance(new, list):
        return _merge(CommentedSeq(), new, origins, path)
    return new


def write_yaml(original_text: str, posted: Posted) -> str:
    """The script's text with the form's data written in: ``original_text`` (the file as the page
    was opened) round-tripped, so what the form did not change stays as it was written."""
    yaml = _yaml(original_text)
    doc = yaml.load(original_text) if original_text.strip() else None
    from ruamel.yaml.comments import CommentedMap

    doc = _merge(doc if isinstance(doc, CommentedMap) else CommentedMap(), posted.data, posted.origins, ())
    out = StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def draft_text(posted: Posted) -> str:
    """The form's data as plain YAML: what :func:`write_yaml` writes, value for value, without
    keeping the script's comments and layout (for checking as the user types: a tenth of the time)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(posted.data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=4096)
