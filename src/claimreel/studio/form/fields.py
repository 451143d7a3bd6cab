"""The form's fields, generated from the script's JSON Schema and a script's data.

Every property of the schema becomes a field named by its dotted path (``claim.speaker.name``,
``body.2.text``): groups become fieldsets, lists of objects a fieldset per item, body blocks a
card per block of its type. The rating is the one field not read from the schema alone: its
choices are the script's theme's own scale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .schema_walk import Node, Schema

__all__ = ["RATING", "Field", "build_form", "display", "field_id", "form_pairs", "token"]

#: The field whose choices are the theme's scale.
RATING = "verdict.rating"
def token(list_name: str) -> str:
    """The index of an item not yet in list ``list_name``, which the page's script replaces when it
    adds one: one per depth of lists, so adding a card replaces its own index and not that of the
    lists inside it (a fact card's comparisons)."""
    depth = sum(1 for part in list_name.split(".") if part.isdigit() or part.startswith("__i"))
    return f"__i{depth}__"


def field_id(name: str) -> str:
    """The HTML id of the field named ``name`` (ids cannot hold dots usefully in CSS selectors)."""
    return "f-" + name.replace(".", "-")


def _label(key: str | int, node: Node) -> str:
    """A field's label from its key (a model's title would name its class: BlockVoice)."""
    if isinstance(key, int):
        return f"Item {key + 1}"
    return key.replace("_", " ").capitalize()


def yaml_example(node: Node) -> str:
    """How a "yaml" field's value is written, for its help."""
    if node.get("type") == "object" or "additionalProperties" in node or "propertyNames" in node:
        return "Written as YAML: {key: value, key: value}."
    if node.get("type") == "array":
        return "Written as YAML: [first, second]."
    return "Written as YAML."


def display(value: Any, kind: str) -> str:
    """A value as its input shows it."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if kind == "lines" and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if kind == "yaml":
        return _flow(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flow(value: Any) -> str:
    """A value as one line of YAML (flow style): what a "yaml" field's input shows."""
    import yaml

    def plain(v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        return v

    if isinstance(value, str):
        return value
    text = yaml.safe_dump(plain(value), default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False)
    return text.strip().removesuffix("...").strip()


@dataclass
class Field:
    """One field of the form (or a group of them)."""

    name: str  # dotted path, also the input's name
    key: str | int
    label: str
    kind: str  # see Schema.kind; also "rating" and "tag" (a block's fixed type)
    help: str = ""
    required: bool = False
    value: str = ""
    checked: bool = False
    options: tuple[str, ...] = ()
    chosen: tuple[str, ...] = ()  # a "choices" field's ticked options
    placeholder: str = ""
    children: list[Field] = field(default_factory=list)
    present: bool = True  # a group: written in the script (an absent optional one starts folded)
    item_types: tuple[str, ...] = ()  # a "blocks" or "list" field: what "add" offers
    item_type: str = ""  # a block card: its type
    templates: list[Field] = field(default_factory=list)  # a list's empty items, indexed by token()

    @property
    def id(self) -> str:
        return field_id(self.name)

    @property
    def depth(self) -> int:
        return self.name.count(".")


def _placeholder(node: Node) -> str:
    if "default" in node and node["default"] not in (None, [], {}, ""):
        return f"default: {display(node['default'], 'yaml')}"
    if node.get("examples") and not isinstance(node["examples"][0], list):
        return f"e.g. {node['examples'][0]}"
    return ""


class _Builder:
    def __init__(self, schema: Schema, scale: tuple[str, ...]) -> None:
        self.schema = schema
        self.scale = scale

    def value_field(self, name: str, key: str | int, node: Node, value: Any, required: bool) -> Field:
        node, _ = self.schema.unwrap(node)
        kind = "rating" if name == RATING else self.schema.kind(node)
        f = Field(name, key, _label(key, node), kind, help=str(node.get("description", "")), required=required,
                  placeholder=_placeholder(node))
        if kind == "group":
            f.present = isinstance(value, dict)
            f.children = self.group_children(name, node, value if isinstance(value, dict) else {})
        elif kind == "list":
            item = self.schema.item(node)
            items = value if isinstance(value, list) else []
            f.children = [self.item_field(f"{name}.{i}", i, item, v) for i, v in enumerate(items)]
            f.item_types = ("",)
            f.templates = [self.item_field(f"{name}.{token(name)}", token(name), item, {})]
        elif kind == "blocks":
            f.children = self.blocks(name, node, value if isinstance(value, list) else [])
            types, tag = self.schema.block_types(node), self.schema.tag(node)
            f.item_types = tuple(types)
            f.templates = [self.card(f"{name}.{token(name)}", token(name), t, types[t], tag, {tag: t}) for t in types]
        elif kind in ("choice", "rating"):
            f.options = tuple(str(o) for o in node.get("enum", [node.get("const")])) if kind == "choice" else self.scale
            f.value = display(value, kind) if value is not None else ""
        elif kind == "choices":
            f.options = tuple(str(o) for o in self.schema.item(node)["enum"])
            chosen = value if isinstance(value, list) else node.get("default") or []
            f.chosen = tuple(str(v) for v in chosen)
        elif kind == "bool":
            f.checked = bool(value) if value is not None else bool(node.get("default", False))
        else:
            f.value = display(value, kind)
            if kind == "yaml":
                f.help = f"{f.help}. {yaml_example(node)}" if f.help and not f.help.endswith(".") else \
                    f"{f.help} {yaml_example(node)}".strip()
        return f

    def group_children(self, name: str, node: Node, data: dict[str, Any], skip: str = "") -> list[Field]:
        required = set(node.get("required", ()))
        prefix = f"{name}." if name else ""
        keys = [key for key in node["properties"] if key != skip]
        if name:  # inside a group or card, what must be written first (a quote's text before its id)
            keys.sort(key=lambda key: key not in required)
        return [self.value_field(prefix + key, key, node["properties"][key], data.get(key), key in required)
                for key in keys]

    def item_field(self, name: str, index: int | str, node: Node, value: Any) -> Field:
        label = _label(index, node) if isinstance(index, int) else "New item"
        f = Field(name, index, label, "group", help=str(node.get("description", "")))
        f.children = self.group_children(name, node, value if isinstance(value, dict) else {})
        return f

    def blocks(self, name: str, node: Node, items: list[Any]) -> list[Field]:
        types, tag = self.schema.block_types(node), self.schema.tag(node)
        cards = []
        for i, value in enumerate(items):
            kind = str(value.get(tag, "")) if isinstance(value, dict) else ""
            cards.append(self.card(f"{name}.{i}", i, kind, types.get(kind), tag, value))
        return cards

    def card(self, name: str, index: int | str, kind: str, node: Node | None, tag: str, value: Any) -> Field:
        """A body block's card: its type fixed, its own fields (a block of an unknown type has none:
        the findings say what is wrong, and the YAML view fixes it)."""
        data = value if isinstance(value, dict) else {}
        label = f"{kind.capitalize() or 'Unknown'} block" if isinstance(index, str) else \
            f"Block {index + 1}: {kind or 'unknown type'}"
        f = Field(name, index, label, "group", item_type=kind,
                  help=str(node.get("description", "")) if node else "")
        f.children = [Field(f"{name}.{tag}", tag, "Type", "tag", value=kind)]
        if node is not None:
            f.children += self.group_children(name, node, data, skip=tag)
        return f


def build_form(schema: Schema, data: dict[str, Any], scale: tuple[str, ...]) -> list[Field]:
    """The form's top-level fields for a script's ``data`` (as far as it reads), the rating's
    choices from the theme's ``scale``."""
    return _Builder(schema, scale).group_children("", schema.root, data)


def form_pairs(fields: list[Field]) -> list[tuple[str, str]]:
    """What a browser posts for these fields untouched, in page order (the page's own inputs)."""
    pairs: list[tuple[str, str]] = []
    for f in fields:
        if f.kind == "group":
            pairs += form_pairs(f.children)
        elif f.kind in ("list", "blocks"):
            pairs.append((f.name + "!", ""))
            pairs += form_pairs(f.children)
        elif f.kind == "choices":
            pairs += [(f.name + "!", "")] + [(f.name, option) for option in f.chosen]
        elif f.kind == "bool":
            pairs += [(f.name, "false")] + ([(f.name, "true")] if f.checked else [])
        else:
            pairs.append((f.name, f.value))
    return pairs
