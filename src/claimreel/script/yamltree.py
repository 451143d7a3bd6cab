"""Safe YAML reading that remembers where every value was written.

PyYAML's composer gives a node tree with marks; this module turns it into
plain Python data (dicts, lists, scalars) plus, for every field path such as
``("body", 3, "caption")``, the node of its key and of its value, so later
stages can point a problem at ``file:line:col``.

Anchors and aliases are refused outright (no billion-laughs expansion), nesting
is capped, duplicate keys and unsupported tags are reported as problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from claimreel.errors import Problem, ScriptError

__all__ = ["FieldPath", "Tree", "decode", "is_typed_plain", "parse", "position"]

FieldPath = tuple[str | int, ...]

#: Deepest nesting accepted; real scripts need about six levels.
MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
#: Resolved tags whose plain spelling may stand in for text (``rating: False``).
TYPED_TAGS = {f"{_TAG}{name}" for name in ("int", "float", "bool", "timestamp")}
_CONTROL_HINT = "remove it; only line breaks and tabs are allowed in text"
_SYNTAX_HINT = "check the indentation, and put text that holds ': ' or ' #' in quotes"


@dataclass(frozen=True)
class Tree:
    """Plain data read from YAML, with the nodes it came from."""

    data: Any
    values: Mapping[FieldPath, Node]
    keys: Mapping[FieldPath, Node]
    problems: tuple[Problem, ...]


class _Refused(Exception):
    """A construct this loader does not accept; stops parsing."""

    def __init__(self, mark: yaml.Mark, message: str, hint: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.hint = hint


class _Loader(yaml.SafeLoader):
    """Pure-Python safe loader that refuses anchors, aliases and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _Refused(
                event.start_mark,
                f"aliases like '*{event.anchor}' are not allowed",
                "write the value out in full instead of referring to an anchor",
            )
        if getattr(event, "anchor", None) is not None:
            raise _Refused(
                event.start_mark,
                f"anchors like '&{event.anchor}' are not allowed",
                "remove the anchor and write each value out in full",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark,
                    f"nested more than {MAX_DEPTH} levels deep",
                    "flatten the structure; scripts need only a few levels",
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _syntax(exc: yaml.MarkedYAMLError) -> tuple[str, str]:
    """Message and hint for a YAML syntax error."""
    problem = str(exc.problem or exc.context)
    if "another document" in problem:
        return (
            "invalid YAML: a second document starts here",
            "a script is one document: remove the second '---' and what follows it",
        )
    message = f"invalid YAML: {problem}"
    if exc.context and exc.problem and exc.context_mark:
        message += f", {exc.context} on line {exc.context_mark.line + 1}"
    if "'\\t'" in problem:
        return message, "indent with spaces, not tabs"
    return message, _SYNTAX_HINT


def position(node: Node) -> tuple[int, int]:
    """1-based line and column where ``node`` starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def _line_col(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def decode(raw: bytes, file: str) -> str:
    """UTF-8 (with or without a BOM) to text; a clear problem for anything else."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScriptError(
            [Problem(file, 1, 1, "", "the file is UTF-16 text, not UTF-8", "save it as UTF-8")]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = raw.rfind(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        line = raw.count(b"\n", 0, start) + 1
        raise ScriptError(
            [
                Problem(
                    file,
                    line,
                    column,
                    "",
                    f"not UTF-8 text: byte 0x{raw[start]:02x} cannot be decoded",
                    "save the file as UTF-8",
                )
            ]
        ) from None


def _compose(text: str, file: str) -> Node | None:
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line, column = _line_col(text, exc.position)
        message = f"control character U+{exc.character:04X} is not allowed"
        raise ScriptError([Problem(file, line, column, "", message, _CONTROL_HINT)]) from None
    try:
        return loader.get_single_node()
    except _Refused as exc:
        line, column = exc.mark.line + 1, exc.mark.column + 1
        raise ScriptError([Problem(file, line, column, "", exc.message, exc.hint)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message, hint = _syntax(exc)
        raise ScriptError([Problem(file, line, column, "", message, hint)]) from None
    except yaml.YAMLError as exc:  # a ReaderError met while scanning, or any other
        raise ScriptError([Problem(file, 1, 1, "", f"invalid YAML: {exc}", _SYNTAX_HINT)]) from None
    finally:
        loader.dispose()


class _Builder:
    def __init__(self, file: str, loader: yaml.SafeLoader) -> None:
        self.file = file
        self.loader = loader
        self.values: dict[FieldPath, Node] = {}
        self.keys: dict[FieldPath, Node] = {}
        self.problems: list[Problem] = []

    def problem(self, node: Node, path: FieldPath, message: str, hint: str = "") -> None:
        line, column = position(node)
        dotted = ".".join(str(p) for p in path)
        self.problems.append(Problem(self.file, line, column, dotted, message, hint))

    def build(self, node: Node, path: FieldPath) -> Any:
        self.values[path] = node
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != f"{_TAG}seq":
                self.problem(node, path, f"unsupported YAML tag '{_short(node.tag)}'", "remove the tag")
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: FieldPath) -> dict[str, Any]:
        if node.tag != f"{_TAG}map":
            self.problem(node, path, f"unsupported YAML tag '{_short(node.tag)}'", "remove the tag")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, path, "a key must be a plain name", "write it as name: value")
                continue
            key = key_node.value
            here = path + (key,)
            if key in result:
                first = self.keys[here].start_mark.line + 1
                self.problem(
                    key_node, here, f"duplicate key '{key}'", f"it is already set on line {first}; keep one"
                )
            self.keys[here] = key_node
            result[key] = self.build(value_node, here)
        return result

    def _scalar(self, node: ScalarNode, path: FieldPath) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.problem(node, path, f"unsupported YAML tag '{_short(node.tag)}'", "remove the tag")
            return node.value
        try:
            return self.loader.yaml_constructors[node.tag](self.loader, node)
        except (ValueError, IndexError, OverflowError, TypeError, yaml.YAMLError):
            # e.g. 2022-13-45 looks like a date but is not one: keep the text
            # and let validation say what is expected.
            return node.value


def parse(text: str, file: str) -> Tree:
    """Parse ``text``; fatal YAML errors raise :class:`ScriptError`."""
    root = _compose(text, file)
    if root is None:
        raise ScriptError(
            [Problem(file, 1, 1, "", "the script is empty", "start from the template of 'claimreel new ID'")]
        )
    builder = _Builder(file, yaml.SafeLoader(""))
    data = builder.build(root, ())
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({root.value!r})"
        line, column = position(root)
        raise ScriptError(
            [
                Problem(
                    file,
                    line,
                    column,
                    "",
                    f"the top level must be a mapping of fields, got {kind}",
                    "start with lines like 'id: my-fact-check' and 'title: ...'",
                )
            ]
        )
    return Tree(data, builder.values, builder.keys, tuple(builder.problems))


def is_typed_plain(node: Node | None) -> bool:
    """True for an unquoted scalar YAML read as a number, boolean or date."""
    return isinstance(node, ScalarNode) and node.style is None and node.tag in TYPED_TAGS

