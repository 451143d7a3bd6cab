"""The manual's generated references say everything the schema and the parser hold, and every
marker in the manual names a reference that exists."""

from __future__ import annotations

import argparse
import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("docs_reference", REPO / "tools" / "docs_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fields(schema: dict) -> set[str]:
    names = set(schema.get("properties", {}))
    for definition in schema.get("$defs", {}).values():
        names |= set(definition.get("properties", {}))
    return names


def test_every_field_of_both_schemas_is_in_its_reference():
    from claimreel.jobs.jobfile import job_schema
    from claimreel.script.schema import json_schema

    gen = _generator()
    for name, schema in (("script-schema", json_schema()), ("job-schema", job_schema())):
        text = gen.reference(name)
        missing = [f for f in _fields(schema) if f"| `{f}` |" not in text]
        assert missing == [], name
        for definition in schema.get("$defs", {}):
            assert f"### {definition} {{#" in text


def test_every_command_and_option_is_in_the_cli_reference():
    from claimreel.cli import build_parser

    text = _generator().reference("cli")
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for name, command in commands.items():
        assert f"### `claimreel {name}" in text
        for action in command._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in text, (name, option)
    assert "### `claimreel jobs submit`" in text and "### `claimreel jobs run`" in text


def test_the_markers_in_the_manual_name_known_references():
    gen = _generator()
    markers = [m.group(1) for page in (REPO / "docs").glob("*.md") for m in gen.MARKER.finditer(page.read_text())]
    assert sorted(markers) == ["cli", "job-schema", "script-schema"]
