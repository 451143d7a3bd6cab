"""Job files and the ``jobs`` commands that need no runner: exact messages, exit codes, nothing queued."""

from __future__ import annotations

import json
import sqlite3
import textwrap
from pathlib import Path

import pytest

from claimreel.cli import main
from claimreel.jobs import Queue, load_job_file
from claimreel.jobs.schema import MIGRATIONS

from ..conftest import REPO, make_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    make_workspace(tmp_path)
    (tmp_path / "render" / "jobs").mkdir(parents=True)
    return tmp_path


def _job(ws: Path, text: str) -> Path:
    path = ws / "render" / "jobs" / "batch.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _submit(ws: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["jobs", "submit", *args, "--queue", str(ws / "q.db")])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_committed_job_files_expand_as_documented():
    social = load_job_file(REPO / "render" / "jobs" / "social.yaml")
    assert [(t.script.name, t.formats, t.cuts) for t in social.tasks] == [
        ("xinjiang-un-report.yaml", ("9x16", "1x1"), None)]
    every = load_job_file(REPO / "render" / "jobs" / "examples-all.yaml")
    assert sorted(t.script.name for t in every.tasks) == sorted(p.name for p in (REPO / "scripts").glob("*.yaml"))
    assert {(t.formats, t.cuts, t.preview) for t in every.tasks} == {(("16x9", "9x16", "1x1", "4x5"), None, False)}
    assert {t.out for t in every.tasks} == {REPO / "render" / "out"}


def test_job_file_errors_are_placed_and_nothing_is_queued(ws, capsys):
    path = _job(ws, """\
        name: Morning batch
        renders:
          - scripts: [scripts/small-check.yaml, "scripts/nothing-*.yaml", scripts/gone.yaml]
            formats: [16x9, all]
            cuts: [none, claim-verdict]
            preview: yes
          - scripts: scripts/small-check.yaml
          - scripts: [scripts/small-check.yaml]
            voice: fake
        """)
    code, out, err = _submit(ws, capsys, str(path))
    f = str(path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{f}:3:41: renders.0.scripts.1: 'scripts/nothing-*.yaml' matches no file (check the pattern; it is "
        f"relative to the workspace root {ws})",
        f"{f}:3:67: renders.0.scripts.2: script 'scripts/gone.yaml' not found (check the path; it is relative to "
        f"the workspace root {ws})",
        f"{f}:4:14: renders.0.formats: 'all' together with format names (give either all or a list of formats)",
        f"{f}:5:11: renders.0.cuts: 'none' together with other cut names (give all, none, or a list of cut names)",
        f"{f}:8:15: renders.2.scripts.0: scripts/small-check.yaml is already rendered into render/out by "
        "renders.1.scripts.0 (render a script once per output folder: merge the two entries' formats, or give "
        "one another out)",
    ]
    assert not (ws / "q.db").exists()


@pytest.mark.parametrize("text, expected", [
    ("name: x\nrenders:\n  - scripts: [scripts/small-check.yaml]\n    formatz: [16x9]\n",
     "4:5: renders.0.formatz: unknown field 'formatz' (did you mean 'formats'?)"),
    ("name: x\nrenders:\n  - scripts: [scripts/small-check.yaml]\n    formats: [16x10]\n",
     "4:15: renders.0.formats.0: expected one of 16x9, 9x16, 1x1, 4x5, all, got '16x10' (did you mean '1x1'?)"),
    ("name: x\nrenders: []\n", "2:10: renders: needs at least 1 item(s)"),
    ("renders:\n  - scripts: [scripts/small-check.yaml]\n",
     "1:1: name: field required (add 'name:' — what the job is, for people)"),
    ("name: x\nrenders:\n  - scripts: [../elsewhere.yaml]\n",
     "3:15: renders.0.scripts.0: '../elsewhere.yaml' leaves the workspace (write it relative to the workspace "
     "root {ws})"),
])
def test_job_file_field_errors(ws, capsys, text, expected):
    path = _job(ws, text)
    code, _, err = _submit(ws, capsys, str(path))
    assert code == 2
    assert err.strip() == f"claimreel: {path}:{expected.format(ws=ws)}"


def test_a_bad_script_in_a_job_file_names_the_script_and_queues_nothing(ws, capsys):
    script = ws / "scripts" / "small-check.yaml"
    script.write_text(script.read_text().replace("rating: \"False\"", "rating: Flase"), encoding="utf-8")
    code, out, err = _submit(ws, capsys, str(_job(ws, "name: x\nrenders:\n  - scripts: ['scripts/*.yaml']\n")))
    assert (code, out) == (2, "")
    assert err.startswith(f"claimreel: {script}:13:11: verdict.rating: unknown rating 'Flase'")
    assert not (ws / "q.db").exists()


def test_options_beside_a_job_file_conflict(ws, capsys):
    path = _job(ws, "name: x\nrenders:\n  - scripts: [scripts/small-check.yaml]\n")
    code, _, err = _submit(ws, capsys, str(path), "--format", "9x16", "--preview")
    assert code == 2
    assert err == (f"claimreel: {path}: --format, --preview cannot be combined with a job file; set the options "
                   "in the file's renders, or submit the scripts themselves\n")
    code, _, err = _submit(ws, capsys, str(path), str(ws / "scripts" / "small-check.yaml"))
    assert code == 2 and "give either job files or scripts to one submit, not both" in err
    assert not (ws / "q.db").exists()


def test_submit_scripts_with_render_options_then_status_and_cancel(ws, capsys):
    script = ws / "scripts" / "small-check.yaml"
    code, out, _ = _submit(ws, capsys, str(script), "--format", "9x16,1x1", "--preview", "--voice", "fake",
                           "--loudness", "ebu-r128", "--out", str(ws / "out"))
    assert code == 0
    job = out.strip()
    task = Queue(ws / "q.db").status(job).tasks[0]
    assert task.options == {"formats": ["9x16", "1x1"], "cuts": [], "loudness": "ebu-r128", "voice": "fake",
                            "preview": True, "out": str(ws / "out")}
    assert task.out == str(ws / "out" / "_previews" / "small-check")
    assert main(["jobs", "status", job, "--json", "--queue", str(ws / "q.db")]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["id"] == job and listed[0]["state"] == "queued" and listed[0]["tasks"][0]["state"] == "queued"
    assert main(["jobs", "cancel", job, "--queue", str(ws / "q.db")]) == 0
    assert capsys.readouterr().out == f"cancelled 1 task(s) of job {job}\n"
    assert main(["jobs", "wait", job, "--queue", str(ws / "q.db")]) == 1
    assert main(["jobs", "retry", job, "--queue", str(ws / "q.db")]) == 0
    assert capsys.readouterr().out.endswith(f"queued 1 task(s) of job {job} again\n")
    assert main(["jobs", "logs", job, "--queue", str(ws / "q.db")]) == 0
    logs = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 1)[1] for line in logs] == ["cancelled", "queued again (retry)"]


def test_unknown_options_in_a_submit_are_refused(ws, capsys):
    script = ws / "scripts" / "small-check.yaml"
    code, _, err = _submit(ws, capsys, str(script), "--cuts", "nope")
    assert code == 2
    assert err == (f"claimreel: {script}: --cuts: the script has no cut named 'nope'; its cuts: none "
                   "(or give --cuts none)\n")
    code, _, err = _submit(ws, capsys, str(script), "--voice", "robot")
    assert err == f"claimreel: {script}: unknown voice engine 'robot'; use one of espeak, fake, gtts, piper, recorded\n"
    assert not (ws / "q.db").exists()


def test_a_damaged_queue_is_exit_2_and_kept(ws, capsys):
    db = ws / "q.db"
    db.write_bytes(b"\x00garbage" * 500)
    assert main(["jobs", "status", "--queue", str(db)]) == 2
    assert "not a usable queue database (file is not a database); it is left as it is" in capsys.readouterr().err
    assert db.read_bytes() == b"\x00garbage" * 500
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    assert main(["jobs", "status", "--queue", str(db)]) == 2
    assert f"written by a newer claimreel (schema 99, this one knows {len(MIGRATIONS)})" in capsys.readouterr().err


def test_the_queue_comes_from_the_environment(ws, capsys, monkeypatch):
    monkeypatch.setenv("CLAIMREEL_QUEUE", str(ws / "env.db"))
    assert main(["jobs", "submit", str(ws / "scripts" / "small-check.yaml")]) == 0
    job = capsys.readouterr().out.strip()
    assert Queue(ws / "env.db").status(job).tasks[0].story == "small-check"


def test_schema_job_describes_job_files(capsys):
    assert main(["schema", "--job"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "claimreel job file"
    render = schema["$defs"]["JobRender"]
    assert set(render["properties"]) == {"scripts", "formats", "cuts", "loudness", "voice", "preview", "described",
                                         "out"}
    assert render["additionalProperties"] is False and schema["required"] == ["name", "renders"]
