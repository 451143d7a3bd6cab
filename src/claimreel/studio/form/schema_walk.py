"""Reading the script's JSON Schema: references followed, optional values unwrapped, and what kind
of input each part wants. Everything here is generic: a field added to the model appears in the
form because it appears in the schema."""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["Schema", "script_schema"]

Node = dict[str, Any]


@functools.lru_cache(maxsize=1)
def _schema() -> Node:
    from ...script.schema import json_schema

    return json_schema()


def script_schema() -> Schema:
    """The schema ``claimreel schema`` prints, read once per process."""
    return Schema(_schema())


class Schema:
    """A JSON Schema document with its ``$defs``, and the questions the form asks of its parts."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.defs: dict[str, Node] = root.get("$defs", {})

    def resolve(self, node: Node) -> Node:
        """``node`` with its ``$ref`` followed (the node's own description kept)."""
        while "$ref" in node:
            target = self.defs[node["$ref"].rsplit("/", 1)[-1]]
            extra = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **extra}
        return node

    def unwrap(self, node: Node) -> tuple[Node, bool]:
        """The value's schema without its "or null" alternative, and whether null was allowed."""
        node = self.resolve(node)
        options = node.get("anyOf")
        if options and any(o.get("type") == "null" for o in options):
            rest = [o for o in options if o.get("type") != "null"]
            outer = {k: v for k, v in node.items() if k != "anyOf"}
            inner = self.resolve(rest[0]) if len(rest) == 1 else {"anyOf": rest}
            return {**inner, **{k: v for k, v in outer.items() if k in ("description", "default", "title")}}, True
        return node, False

    def kind(self, node: Node) -> str:
        """The input a value of schema ``node`` (unwrapped) is edited with."""
        if "properties" in node:
            return "group"
        if node.get("type") == "array" and "items" in node and "prefixItems" not in node:
            items = self.resolve(node["items"])
            if "oneOf" in items and "discriminator" in items:
                return "blocks"
            items, _ = self.unwrap(items)
            if "properties" in items:
                return "list"
            if "enum" in items:
                return "choices"
            if items.get("type") == "string":
                return "lines"
            return "yaml"
        if "enum" in node or "const" in node:
            return "choice"
        kind = node.get("type")
        if kind == "boolean":
            return "bool"
        if kind in ("integer", "number"):
            return "number"
        if kind == "string":
            # long free text gets a box; names, addresses and paths a line
            return "textarea" if node.get("maxLength", 0) > 500 and "pattern" not in node else "text"
        return "yaml"  # several shapes (a date or a month or a mapping), a pair of numbers, a mapping

    def item(self, node: Node) -> Node:
        """The schema of a list's items (a "list" kind)."""
        return self.unwrap(self.resolve(node["items"]))[0]

    def block_types(self, node: Node) -> dict[str, Node]:
        """A "blocks" list's item schemas by their ``type`` value, in the schema's order."""
        items = self.resolve(node["items"])
        prop = items["discriminator"]["propertyName"]
        types = {}
        for option in items["oneOf"]:
            block = self.resolve(option)
            tag = block["properties"][prop]
            types[str(tag.get("const", (tag.get("enum") or [""])[0]))] = block
        return types

    def tag(self, node: Node) -> str:
        """The discriminating property of a "blocks" list (``type``)."""
        return self.resolve(node["items"])["discriminator"]["propertyName"]
