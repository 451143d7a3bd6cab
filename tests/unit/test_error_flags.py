"""The library says what is wrong in its own terms; the command line names its flags.

An option is named in a library message as the Python API and job files name it
(``formats``, ``max_text``); only ``cli/`` knows it is typed ``--format`` or ``--max-text``,
and spells it so when it prints the message.
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

from claimreel import api
from claimreel.cli import build_parser, main
from claimreel.cli.flags import command_flags, with_flags
from claimreel.errors import ClaimreelError

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "claimreel"
# Text that is not a message: the commented template of a new script shows the commands to run on it.
NOT_MESSAGES = {"script/template.py"}


def _all_flags(parser: argparse.ArgumentParser) -> set[str]:
    flags = set()
    for action in parser._actions:
        flags |= {option for option in action.option_strings if option.startswith("--")}
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                flags |= _all_flags(sub)
    return flags - {"--help"}


def _texts(tree: ast.Module) -> list[ast.Constant]:
    """The module's string literals that are not docstrings (f-strings' literal parts included)."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_module_outside_the_command_line_names_a_flag():
    flags = sorted(_all_flags(build_parser()), key=len, reverse=True)
    assert {"--format", "--voice", "--max-text", "--queue", "--cluster"} <= set(flags)
    flag = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, flags)) + r")(?![\w-])")
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith("cli/") or where in NOT_MESSAGES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), where)
        found += [f"{where}:{node.lineno}: {flag.search(node.value).group()}"
                  for node in _texts(tree) if flag.search(node.value)]
    assert found == []


FLAGS = {"format": "--format", "cuts": "--cuts", "max_text": "--max-text", "sign_cert": "--sign-cert",
         "sign_key": "--sign-key", "queue": "--queue", "voice": "--voice"}


@pytest.mark.parametrize(("message", "options", "printed"), [
    ("formats: unknown format 'x'", ("formats",), "--format: unknown format 'x'"),
    ("a.yaml: cuts: no cut named 'c' (or give the cuts option none)", ("cuts",),
     "a.yaml: --cuts: no cut named 'c' (or give --cuts none)"),
    ("raise the cap (max_text or CLAIMREEL_MAX_TEXT)", ("max_text",), "raise the cap (--max-text or CLAIMREEL_MAX_TEXT)"),
    ("k.pem: not a PEM (sign_cert/sign_key)", ("sign_cert", "sign_key"), "k.pem: not a PEM (--sign-cert/--sign-key)"),
    ("the queue database is locked; give the queue option another file", ("queue",),
     "the queue database is locked; give --queue another file"),
    ("voice: the voice of the script", (), "voice: the voice of the script"),  # names no option: as it is
    ("cluster x: unreachable", ("cluster",), "cluster x: unreachable"),  # a flag this command lacks: as it is
])
def test_the_command_line_spells_the_options_a_message_names_as_its_flags(message, options, printed):
    assert with_flags(message, options, FLAGS) == printed


def test_the_flags_are_those_of_the_command_that_ran():
    parser = build_parser()
    flags = command_flags(parser, parser.parse_args(["jobs", "run", "--once"]))
    assert flags["cluster"] == "--cluster" and flags["jobs"] == "--jobs" and "format" not in flags
    flags = command_flags(parser, parser.parse_args(["render", "s.yaml"]))
    assert flags["format"] == "--format" and flags["max_text"] == "--max-text"


@pytest.fixture(scope="module")
def script(tmp_path_factory) -> Path:
    from ..conftest import SMALL_SCRIPT, make_workspace

    return make_workspace(tmp_path_factory.mktemp("flags"), SMALL_SCRIPT)


def test_a_cap_is_named_as_an_option_by_the_api_and_as_a_flag_by_the_command_line(script, capsys, tmp_path):
    with pytest.raises(ClaimreelError) as caught:
        api.render(script, formats="16x9", max_text=20, voice="fake", out=tmp_path / "out", cache=tmp_path / "cache")
    assert "raise the cap (max_text or CLAIMREEL_MAX_TEXT)" in str(caught.value)
    code = main(["render", str(script), "--format", "16x9", "--max-text", "20", "--voice", "fake",
                 "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")])
    assert code == 2
    assert "raise the cap (--max-text or CLAIMREEL_MAX_TEXT)" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "said"), [
    (["--jobs", "-1"], "claimreel: --jobs: give 0 (one per core) or a positive number"),
    (["--format", "8x8"], "claimreel: --format: unknown format '8x8'"),
    (["--cuts", "nope"], "claimreel: --cuts: the script has no cut named 'nope'"),
])
def test_a_bad_option_is_named_by_its_flag(script, capsys, tmp_path, argv, said):
    code = main(["render", str(script), *argv, "--voice", "fake", "--out", str(tmp_path / "out"),
                 "--cache", str(tmp_path / "cache")])
    lines = capsys.readouterr().err.splitlines()  # progress lines may come first
    assert code == 2
    assert any(line.startswith(said) for line in lines), lines
