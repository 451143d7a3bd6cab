"""The Python API's surface: what ``claimreel`` exports, that importing it does no work, and validate's findings."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import claimreel
from claimreel import api
from claimreel.cli import main
from claimreel.cli.render import forward_to
from claimreel.errors import ClaimreelError
from claimreel.pipeline.progress import LineProgress

SRC = Path(__file__).resolve().parents[2] / "src"
PUBLIC = {"ClaimreelError", "Finding", "ProgressEvent", "RenderResult", "clips", "jobs", "load_script", "render",
          "validate"}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}


def test_exported_names_stay_exported():
    assert set(claimreel.__all__) == PUBLIC
    assert claimreel.__all__ == sorted(claimreel.__all__)
    assert dir(claimreel) == sorted(PUBLIC)
    for name in PUBLIC:
        value = getattr(claimreel, name)
        assert getattr(value, "__name__", name).rpartition(".")[2] == name, name
        assert (getattr(value, "__module__", None) or value.__name__).startswith("claimreel"), name


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        claimreel.nonesuch  # noqa: B018


def test_jobs_is_the_queue_package_loaded_on_first_use():
    jobs = claimreel.jobs
    assert jobs.__name__ == "claimreel.jobs"
    assert hasattr(jobs, "Queue") and hasattr(jobs, "TaskSpec")


def test_import_claimreel_does_no_work():
    """``import claimreel`` loads no other module of the package and no heavy dependency, in well under 0.3 s."""
    code = ("import claimreel, sys; print(' '.join(sorted(sys.modules)));"
            "print(' '.join(n for n in vars(claimreel) if not n.startswith('_')) or '-')")
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                          env=_env(), check=True)
    modules, names = done.stdout.splitlines()
    assert names == "-", "claimreel's namespace holds no public name before one is asked for"
    loaded = set(modules.split())
    assert {m for m in loaded if m.startswith("claimreel")} == {"claimreel"}
    assert not loaded & {"numpy", "PIL", "moviepy", "pydantic", "yaml", "cv2", "rich"}
    # -X importtime: "import time: self [us] | cumulative | imported package"
    rows = [line.split("|") for line in done.stderr.splitlines() if line.startswith("import time:")]
    cumulative = {row[2].strip(): int(row[1]) for row in rows[1:]}
    assert cumulative["claimreel"] < 300_000, f"import claimreel took {cumulative['claimreel']} us"


def test_validate_a_good_script_finds_no_error_and_advises_once(workspace):
    script = workspace / "scripts" / "small-check.yaml"
    findings = [f for f in claimreel.validate(script) if f.severity != "note"]  # notes: cards held to be read
    assert [(f.severity, f.line) for f in findings] == [("warning", None)]
    assert str(findings[0]) == (f"{script}: warning: no publish.media_base_url: claimreview.jsonld will have no "
                                "contentUrl, embedUrl or thumbnailUrl (set publish: {media_base_url: https://...}, "
                                "or give the render a media_base_url)")
    script.write_text(script.read_text() + "publish: {media_base_url: https://media.example.org/small/}\n")
    assert [f for f in claimreel.validate(script) if f.severity != "note"] == []


def test_findings_carry_place_field_and_fix_and_print_as_the_cli_does(workspace, capsys):
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text().replace('rating: "False"', "rating: Flase").replace("caption:", "captoin:"))
    findings = claimreel.validate(script)
    typo = next(f for f in findings if f.path == "body.0.captoin")
    assert (typo.file, typo.line, typo.column, typo.severity) == (str(script), 18, 5, "error")
    assert "unknown field 'captoin'" in typo.message and "did you mean 'caption'" in str(typo)
    rating = next(f for f in findings if f.path == "verdict.rating")
    assert "unknown rating 'Flase'" in rating.message
    assert main(["validate", str(script)]) == 2
    assert capsys.readouterr().err.splitlines() == [str(f) for f in findings]


def test_a_finding_without_a_position_names_its_field(workspace):
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text().replace("text: It was flowing.", "text: It was \u16a0 flowing."))
    (finding,) = claimreel.validate(script)
    assert (finding.file, finding.line, finding.column, finding.path) == (str(script), None, None, "body.1.text")
    assert finding.message.startswith("no font covers '\u16a0' (U+16A0)")
    assert str(finding) == f"{script}: body.1.text: {finding.message}"


def test_a_cap_is_a_finding_about_the_whole_script(workspace, monkeypatch):
    monkeypatch.setenv("CLAIMREEL_MAX_TEXT", "40")
    (finding,) = claimreel.validate(workspace / "scripts" / "small-check.yaml")
    assert finding.path == "" and finding.line is None
    assert finding.message.startswith("the script holds") and "(max_text or CLAIMREEL_MAX_TEXT)" in finding.message


@pytest.mark.parametrize("line", [
    "s.yaml: theme 'default': text (#777777 on #808080) has contrast 1.01:1, below 4.5:1 (WCAG 1.4.3); fix",
    "s.yaml: 16x9: body.2.narration: the word 'x' is longer than a caption line; break it up",
    "s.yaml: music.file: assets/music/none.ogg: file not found; check the path",
    "--cuts: the script has no cut named 'nope'; its cuts: none",
])
def test_an_error_line_and_its_finding_read_the_same(line):
    (finding,) = api.findings_from(ClaimreelError(line), "s.yaml")
    assert str(finding) == line
    assert finding.file == ("s.yaml" if line.startswith("s.yaml") else "")


def test_an_unknown_format_is_the_callers_mistake_not_a_finding(workspace):
    with pytest.raises(ClaimreelError, match="^formats: unknown format '16x10'"):
        claimreel.validate(workspace / "scripts" / "small-check.yaml", formats="16x10")


def test_load_script_gives_the_checked_model(workspace):
    loaded = claimreel.load_script(str(workspace / "scripts" / "small-check.yaml"))
    assert loaded.script.id == "small-check" and len(loaded.script.body) == 3
    assert loaded.assets["assets/photos/river.jpg"] == (workspace / "assets" / "photos" / "river.jpg").resolve()


def test_progress_events_count_each_stage_to_its_total():
    seen: list[claimreel.ProgressEvent] = []
    events = api._Events(seen.append)
    events.start("narration", 4)
    for _ in range(4):
        events.advance("narration")
    events.start("video 16x9", 0)
    assert [(e.stage, e.done, e.total, e.percent) for e in seen] == [
        ("narration", 0, 4, 0.0), ("narration", 1, 4, 25.0), ("narration", 2, 4, 50.0),
        ("narration", 3, 4, 75.0), ("narration", 4, 4, 100.0), ("video 16x9", 0, 0, 100.0)]


def test_the_cli_shows_api_events_as_it_showed_the_render_jobs_progress():
    clock = iter(range(100)).__next__
    direct, relayed = io.StringIO(), io.StringIO()
    plain = LineProgress(direct, clock=clock, heartbeat=False)
    clock = iter(range(100)).__next__
    shown = forward_to(LineProgress(relayed, clock=clock, heartbeat=False))
    events = api._Events(shown)
    for progress in (plain, events):
        progress.start("narration", 2)
        progress.advance("narration")
        progress.advance("narration")
        progress.start("video 16x9", 3)
        progress.advance("video 16x9", 3)
    assert relayed.getvalue() == direct.getvalue()
    assert "video 16x9: done (3)" in relayed.getvalue()
