"""The script stage: YAML fact-check scripts read into a checked, immutable model."""

from __future__ import annotations

from claimreel.script.load import LoadedScript, load_script, load_text, workspace_root
from claimreel.script.fields import RATINGS
from claimreel.script.model import Script
from claimreel.script.schema import json_schema
from claimreel.script.template import new_script_text

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
