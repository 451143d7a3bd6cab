"""``claimreel schema``: the script format as JSON Schema, for editors' autocompletion."""

from __future__ import annotations

import argparse
import json

HELP = "print the JSON Schema of the script format"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from ..script.schema import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0
