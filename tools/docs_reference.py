"""The manual's reference pages, generated from the code so they cannot drift from it.

A page holds a marker line and the build puts the generated Markdown in its place:

- ``<!-- reference: script-schema -->``: the script format, from ``claimreel schema``;
- ``<!-- reference: job-schema -->``: the job file format, from ``claimreel schema --job``;
- ``<!-- reference: cli -->``: every command and option, from the argument parser.

MkDocs runs this file as a hook (``hooks:`` in ``mkdocs.yml``); ``python tools/docs_reference.py
NAME`` prints one reference, to read it without building the site.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from typing import Any, Callable, Iterator

MARKER = re.compile(r"^<!-- reference: ([a-z-]+) -->$", re.MULTILINE)


# --- JSON Schema -> Markdown -------------------------------------------------------------------


def schema_markdown(schema: dict[str, Any], anchor_prefix: str) -> str:
    """The schema's top-level fields as a table, then one section per definition it uses."""
    defs = schema.get("$defs", {})
    link = _linker(anchor_prefix)
    parts = [_object_table(schema, link)]
    for name in _defs_in_order(schema, defs):
        definition = defs[name]
        parts.append(f"### {name} {{#{anchor_prefix}-{name.lower()}}}\n")
        if definition.get("description"):
            parts.append(html.escape(_one_line(definition["description"]), quote=False) + "\n")
        parts.append(_object_table(definition, link) if "properties" in definition else
                     f"Value: {_type(definition, link)}.\n")
    return "\n".join(parts)


def _linker(prefix: str) -> Callable[[str], str]:
    return lambda ref: f"[{ref.rsplit('/', 1)[-1]}](#{prefix}-{ref.rsplit('/', 1)[-1].lower()})"


def _defs_in_order(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    """Definitions in the order a reader meets them: breadth first from the top-level fields."""
    seen: list[str] = []
    queue = [schema]
    while queue:
        for ref in _refs(queue.pop(0)):
            name = ref.rsplit("/", 1)[-1]
            if name in defs and name not in seen:
                seen.append(name)
                queue.append(defs[name])
    return seen + sorted(set(defs) - set(seen))


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            elif key != "$defs":
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _object_table(node: dict[str, Any], link: Callable[[str], str]) -> str:
    required = set(node.get("required", ()))
    rows = ["| field | type | required / default | what it is |", "|---|---|---|---|"]
    for name, field in node.get("properties", {}).items():
        need = "**required**" if name in required else _default(field)
        rows.append(f"| `{name}` | {_cell(_type(field, link))} | {_cell(need)} | "
                    f"{_text(field.get('description', ''))} |")
    closed = "" if node.get("additionalProperties", True) is not False else "\nNo other fields are allowed.\n"
    return "\n".join(rows) + "\n" + closed


def _default(field: dict[str, Any]) -> str:
    if "default" not in field:
        return "optional"
    value = field["default"]
    if value is None or value == [] or value == {}:
        return "optional"
    return "default `" + json.dumps(value, ensure_ascii=False) + "`"


def _type(node: dict[str, Any], link: Callable[[str], str]) -> str:
    """A schema node as words: ``text (1-200 characters)``, ``list of [Credit](#...)``."""
    if "$ref" in node:
        return link(node["$ref"])
    if "const" in node:
        return f"`{json.dumps(node['const'], ensure_ascii=False)}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [_type(option, link) for option in node[key] if option.get("type") != "null"]
            return " or ".join(dict.fromkeys(options))
    kind = node.get("type")
    if kind == "array":
        if "prefixItems" in node:
            return "[" + ", ".join(_type(item, link) for item in node["prefixItems"]) + "]"
        return "list of " + _type(node.get("items", {}), link) + _bounds(node, "minItems", "maxItems", "items")
    if kind == "object":
        values = next(iter(node.get("patternProperties", {}).values()), node.get("additionalProperties"))
        keys = node.get("propertyNames", {}).get("pattern") or next(iter(node.get("patternProperties", {})), None)
        key_words = f"keys matching `{keys}`" if keys else "keys"
        return f"map of {key_words} to " + (_type(values, link) if isinstance(values, dict) else "anything")
    if kind == "string":
        words = {"date": "date (YYYY-MM-DD)"}.get(node.get("format", ""), "text")
        words += _bounds(node, "minLength", "maxLength", "characters")
        return words + (f", matching `{node['pattern']}`" if "pattern" in node else "")
    if kind in ("integer", "number"):
        low, high = node.get("minimum", node.get("exclusiveMinimum")), node.get("maximum")
        span = f" ({low} to {high})" if low is not None and high is not None else (
            f" (at least {low})" if low is not None else f" (at most {high})" if high is not None else "")
        return ("whole number" if kind == "integer" else "number") + span
    if kind == "boolean":
        return "true or false"
    return kind or "any value"


def _bounds(node: dict[str, Any], low_key: str, high_key: str, unit: str) -> str:
    low, high = node.get(low_key), node.get(high_key)
    if low is not None and high is not None:
        return f" ({low} to {high} {unit})"
    if high is not None:
        return f" (at most {high} {unit})"
    if low:
        return f" (at least {low} {unit})"
    return ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _text(text: str) -> str:
    """Prose for a table cell: ``<id>`` in a help text is words, not an HTML tag."""
    return _cell(html.escape(_one_line(text), quote=False))


# --- argparse -> Markdown ----------------------------------------------------------------------


def cli_markdown(parser: argparse.ArgumentParser) -> str:
    """One section per command (``jobs`` has one per subcommand): usage, then a table of arguments."""
    parts: list[str] = []
    for path, command in _commands(parser, []):
        parts.append(f"### `claimreel {' '.join(path)}` {{#cli-{'-'.join(path)}}}\n")
        if command.description:
            parts.append(html.escape(_one_line(command.description), quote=False) + "\n")
        parts.append("```text\n" + _one_line(command.format_usage()) + "\n```\n")
        parts.append(_arguments_table(command))
    return "\n".join(parts)


def _commands(parser: argparse.ArgumentParser, path: list[str]) -> Iterator[tuple[list[str], argparse.ArgumentParser]]:
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if path and not subparsers:
        yield path, parser
    for action in subparsers:
        if path:
            yield path, parser
        for name, child in action.choices.items():
            yield from _commands(child, [*path, name])


def _arguments_table(parser: argparse.ArgumentParser) -> str:
    rows = ["| argument | what it does |", "|---|---|"]
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)) or action.help == argparse.SUPPRESS:
            continue
        name = ", ".join(action.option_strings) or action.metavar or action.dest
        if action.option_strings and action.nargs != 0:
            name += " " + (action.metavar or action.dest.upper())
        text = _text(action.help % {"default": action.default} if action.help and "%(default)" in action.help
                     else action.help or "")
        if action.choices and not isinstance(action, argparse._SubParsersAction):
            text += " (one of: " + ", ".join(f"`{c}`" for c in action.choices) + ")"
        rows.append(f"| `{_cell(name)}` | {text} |")
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for action in subcommands:
        rows.append("| `COMMAND` | one of: " + ", ".join(f"`{c}`" for c in action.choices) + " |")
    return "\n".join(rows) + "\n" if len(rows) > 2 else ""


# --- what the markers stand for ----------------------------------------------------------------


def reference(name: str) -> str:
    if name == "script-schema":
        from claimreel.script.schema import json_schema

        return schema_markdown(json_schema(), "script")
    if name == "job-schema":
        from claimreel.jobs.jobfile import job_schema

        return schema_markdown(job_schema(), "job")
    if name == "cli":
        from claimreel.cli import build_parser

        return cli_markdown(build_parser())
    raise KeyError(f"<!-- reference: {name} -->: no such reference (script-schema, job-schema, cli)")


def on_page_markdown(markdown: str, **_: Any) -> str:
    """MkDocs hook: put each reference where its marker stands."""
    return MARKER.sub(lambda match: reference(match.group(1)), markdown)


if __name__ == "__main__":
    print(reference(sys.argv[1]))
