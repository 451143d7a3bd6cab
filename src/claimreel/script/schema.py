"""The script format as JSON Schema, so editors can check and autocomplete scripts."""

from __future__ import annotations

from typing import Any

from claimreel.script.fields import RATINGS
from claimreel.script.model import Script

__all__ = ["SCHEMA_DIALECT", "json_schema"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a claimreel script."""
    schema = Script.model_json_schema()
    verdict = schema.get("$defs", {}).get("Verdict", {}).get("properties", {}).get("rating")
    if verdict is not None:
        # The theme decides the scale; the default one is offered for completion.
        verdict["examples"] = list(RATINGS)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "claimreel script",
        **{k: v for k, v in schema.items() if k != "title"},
    }
