"""The flagship's captions, made with the real timings of its neural voice (Piper), lint clean under the
default profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.cli import main

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


def test_the_flagship_lints_clean(capsys, monkeypatch, flagship_cache):
    monkeypatch.chdir(REPO)
    cache = flagship_cache
    code = main(["lint", "scripts/xinjiang-un-report.yaml", "--cache", str(cache)])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert (code, lines[-1], err) == (0, "scripts/xinjiang-un-report.yaml: clean (26 cues, profile netflix)", "")
    # The long cards are held to be read, and each hold is a note (not a finding).
    held = [line.split(": ")[2].split(" ")[0] for line in lines[:-1]]
    assert all(line.startswith("scripts/xinjiang-un-report.yaml: note: ") for line in lines[:-1])
    assert {"claim", "verdict", "body.7"} <= set(held)


def test_the_translated_examples_lint_clean(capsys, monkeypatch, flagship_cache):
    monkeypatch.chdir(REPO)
    cache = flagship_cache
    code = main(["lint", "scripts/xinjiang-un-report-subs-zh.yaml", "scripts/xinjiang-un-report-subs-ar.yaml",
                 "--cache", str(cache)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert [line for line in out.splitlines() if ": note: " not in line] == [
        "scripts/xinjiang-un-report-subs-zh.yaml: clean (10 cues, 9 zh-Hans cues, profile netflix)",
        "scripts/xinjiang-un-report-subs-ar.yaml: clean (10 cues, 9 ar cues, profile netflix)",
    ]
