"""``claimreel schema``: the script format as JSON Schema, for editors' autocompletion."""

from __future__ import annotations

import argparse
import json

HELP = "print the JSON Schema of the script format (--job: of the job file format)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--job", action="store_true", help="the schema of job files (render/jobs/*.yaml)")


def run(args: argparse.Namespace) -> int:
    from ..jobs.jobfile import job_schema
    from ..script.schema import json_schema

    print(json.dumps(job_schema() if args.job else json_schema(), indent=2, ensure_ascii=False))
    return 0
