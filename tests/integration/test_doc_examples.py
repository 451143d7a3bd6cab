"""Every example of the README and the manual runs as written.

Each page's ``python``, ``sh`` and ``bash`` blocks run in order, as files (``python example.py``,
``bash example.sh``), in a fresh workspace of the page's own whose ``scripts/xinjiang-un-report.yaml``
is a short script with the test voice, so the examples render in seconds; ``claimreel`` is this
checkout's. A block marked ``<!-- example: not-run (why) -->`` on the line before it (it installs
software, serves until stopped, takes minutes) is left out and counted.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import probe
from tests.conftest import SMALL_SCRIPT, make_workspace

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
RUNNABLE = {"python", "sh", "bash"}
NOT_RUN = re.compile(r"^<!-- example: not-run \((.+)\) -->$")
FENCE = re.compile(r"^(```+|~~~+)\s*([\w+-]*)")
# What the examples render: the shared small script without its photo (a moving scene costs the most).
EXAMPLE_SCRIPT = re.sub(r"  - type: photo\n(?:    .*\n)+", "", SMALL_SCRIPT)


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # of the opening fence, from 1
    language: str
    code: str
    not_run: str | None  # why, when marked

    def __str__(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of ``page`` in order (fences inside a block are its text)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found, index = [], 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        close = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == opening.group(1)), len(lines))
        marker = NOT_RUN.match(lines[index - 1].strip()) if index else None
        found.append(Block(page, index + 1, opening.group(2), "\n".join(lines[index + 1:close]) + "\n",
                           marker.group(1) if marker else None))
        index = close + 1
    return found


def examples(page: Path) -> list[Block]:
    return [block for block in blocks(page) if block.language in RUNNABLE]


def test_every_block_says_what_it_is_and_every_skip_why():
    """A block without a language could hide a command from this test; a not-run marker stands
    only before a runnable block."""
    unnamed = [str(b) for page in PAGES for b in blocks(page) if not b.language]
    assert unnamed == [], "give these blocks a language (python, sh, yaml, text...)"
    stray = [str(b) for page in PAGES for b in blocks(page) if b.not_run and b.language not in RUNNABLE]
    assert stray == []
    run = [b for page in PAGES for b in examples(page) if not b.not_run]
    skipped = [b for page in PAGES for b in examples(page) if b.not_run]
    print(f"\n{len(run)} examples run, {len(skipped)} not run:")
    for block in skipped:
        print(f"  {block}: {block.not_run}")
    assert len(run) >= 8 and all(b.not_run.strip() for b in skipped)


# The only address outside the repository a page links to: the source of a fact it states.
OUTSIDE_LINKS = {"https://distributed.dask.org"}


def test_links_stay_inside_the_repository_and_resolve():
    """mkdocs build --strict checks the manual's own links; this also checks the README's, and that no
    page links to another site beyond the sources it cites."""
    bad = []
    for page in PAGES:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                if target not in OUTSIDE_LINKS:
                    bad.append(f"{page.relative_to(REPO)}: {target}")
            elif target.split("#")[0] and not (page.parent / target.split("#")[0]).exists():
                bad.append(f"{page.relative_to(REPO)}: {target} (no such file)")
    assert bad == []


def test_every_yaml_block_parses():
    """Scripts and job files shown in the manual are YAML a reader can paste (fields may be abridged)."""
    import yaml

    broken = []
    for block in (b for page in PAGES for b in blocks(page) if b.language == "yaml"):
        try:
            yaml.safe_load(block.code)
        except yaml.YAMLError as error:
            broken.append(f"{block}: {error}")
    assert broken == []


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> Path:
    """A folder whose ``claimreel`` runs this checkout's package with this interpreter."""
    folder = tmp_path_factory.mktemp("bin")
    command = folder / "claimreel"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m claimreel "$@"\n', encoding="utf-8")
    command.chmod(0o755)
    return folder


_RUNS: dict[Path, tuple[Path, list[str]]] = {}


def run_page(page: Path, root: Path, shim: Path) -> tuple[Path, list[str]]:
    """Run the page's examples once, in order, in a workspace under ``root``; their stdout."""
    if page in _RUNS:
        return _RUNS[page]
    workspace = root / page.stem
    script = make_workspace(workspace, EXAMPLE_SCRIPT)
    script.rename(script.with_name("xinjiang-un-report.yaml"))
    shutil.copytree(REPO / "render" / "jobs", workspace / "render" / "jobs")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}
    env.pop("CLAIMREEL_QUEUE", None)
    printed = []
    for block in examples(page):
        if block.not_run:
            continue
        name = f"example_{block.line}.{'py' if block.language == 'python' else 'sh'}"
        (workspace / name).write_text(block.code, encoding="utf-8")
        command = [sys.executable, name] if block.language == "python" else ["bash", "-euo", "pipefail", name]
        done = subprocess.run(command, cwd=workspace, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{block} failed ({done.returncode}):\n{block.code}\n{done.stdout}\n{done.stderr}"
        printed.append(done.stdout)
    _RUNS[page] = (workspace, printed)
    return _RUNS[page]


@pytest.mark.parametrize("page", [p for p in PAGES if any(not b.not_run for b in examples(p))],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_the_examples_run_as_written(page, tmp_path_factory, shim):
    workspace, printed = run_page(page, tmp_path_factory.getbasetemp() / "examples", shim)
    assert len(printed) == len([b for b in examples(page) if not b.not_run])


def test_the_api_examples_write_what_they_say(tmp_path_factory, shim):
    """The Python API page's render prints its progress and writes both previews, uncut; its moviepy
    example writes the verdict scene over stand-in footage."""
    workspace, printed = run_page(REPO / "docs" / "api.md", tmp_path_factory.getbasetemp() / "examples", shim)
    first = printed[0]
    assert "narration: 0/" in first and "video 9x16: " in first and "(100%)" in first
    assert f"{Path('render/out/_previews/small-check')}: " in first
    out = workspace / "render" / "out" / "_previews" / "small-check"
    for fmt, size in (("16x9", (960, 540)), ("9x16", (540, 960))):
        info = probe(Ffmpeg(), out / fmt / "video.mp4")
        assert (info.width, info.height) == size
        assert not (out / fmt / "cuts").exists()
    overlay = probe(Ffmpeg(), workspace / "render" / "verdict-over-footage.mp4")
    assert (overlay.width, overlay.height) == (960, 540)


def test_the_jobs_examples_queue_each_job_once(tmp_path_factory, shim):
    """The render jobs page's examples: three jobs in all (the job file, the scripts with options,
    the Python one), each rendered, none queued twice."""
    workspace, printed = run_page(REPO / "docs" / "jobs.md", tmp_path_factory.getbasetemp() / "examples", shim)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, "-m", "claimreel", "jobs", "status"], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=60)
    jobs = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(jobs) == 3 and all(" done " in line for line in jobs), done.stdout
    assert (workspace / "render" / "out" / "small-check" / "9x16" / "video.mp4").is_file()
