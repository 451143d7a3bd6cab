"""The script stage: YAML fact-check scripts read into a checked, immutable model.

The names below load on first use: a module that needs only part of the stage (a render's worker
process drawing frames needs the themes, not the script's model) does not import the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimreel.script.fields import RATINGS
    from claimreel.script.load import LoadedScript, load_script, load_text, workspace_root
    from claimreel.script.model import Script
    from claimreel.script.schema import json_schema
    from claimreel.script.template import new_script_text

_WHERE = {"RATINGS": "fields", "LoadedScript": "load", "load_script": "load", "load_text": "load",
          "workspace_root": "load", "Script": "model", "json_schema": "schema", "new_script_text": "template"}

__all__ = [
    "RATINGS",
    "LoadedScript",
    "Script",
    "json_schema",
    "load_script",
    "load_text",
    "new_script_text",
    "workspace_root",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
