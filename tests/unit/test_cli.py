"""The command line in-process, and once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


from claimreel.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_validate_accepts_the_flagship(capsys):
    assert main(["validate", str(REPO / "scripts" / "xinjiang-un-report.yaml")]) == 0
    assert "xinjiang-un-report.yaml: ok (13 body blocks)" in capsys.readouterr().out


def test_validate_reports_every_problem_with_place_and_exit_2(workspace, capsys):
    script = workspace / "scripts" / "small-check.yaml"
    text = script.read_text().replace('rating: "False"', "rating: Flase").replace("caption:", "captoin:")
    script.write_text(text)
    assert main(["validate", str(script)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert any(":18:5: body.0.captoin: unknown field 'captoin'" in line and "did you mean 'caption'" in line
               for line in err), err
    assert any(": verdict.rating: unknown rating 'Flase'" in line and "'False'" in line for line in err), err
    assert all(line.startswith(str(script)) for line in err)


def test_validate_missing_image_names_file_and_fix(workspace, capsys):
    (workspace / "assets" / "photos" / "river.jpg").unlink()
    assert main(["validate", str(workspace / "scripts" / "small-check.yaml")]) == 2
    err = capsys.readouterr().err
    assert "body.0.image:" in err and "assets/photos/river.jpg" in err and "not found" in err


def test_unknown_format_is_a_usage_error(workspace, capsys):
    code = main(["render", str(workspace / "scripts" / "small-check.yaml"), "--format", "16x10",
                 "--out", str(workspace / "out")])
    assert code == 2
    assert "--format: unknown format '16x10'" in capsys.readouterr().err
    assert not (workspace / "out" / "small-check").exists()


def test_schema_is_json_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"claim", "verdict", "body"} <= set(schema["required"])


def test_new_scaffolds_a_script_that_validates(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "bridge-claim"]) == 0
    assert main(["validate", "scripts/bridge-claim.yaml"]) == 0
    assert main(["new", "bridge-claim"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["new", "Bad Id"]) == 2


def test_cli_as_a_subprocess_exit_codes():
    """The program's exit status is main's, and what it printed reaches a pipe whole (it ends without
    the interpreter's teardown, after flushing)."""
    ok = subprocess.run([sys.executable, "-m", "claimreel", "schema"], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["title"] == "claimreel script"
    bad = subprocess.run([sys.executable, "-m", "claimreel", "validate", "no-such.yaml"],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert "no-such.yaml" in bad.stderr and "Traceback" not in bad.stderr
    usage = subprocess.run([sys.executable, "-m", "claimreel", "frobnicate"], capture_output=True, text=True)
    assert usage.returncode == 2


def test_render_names_loudness_loudness_and_lint_keeps_profile(workspace, capsys):
    """One flag name, one meaning: render's loudness flag is --loudness; --profile is lint's caption rules."""
    from claimreel.cli import build_parser

    args = build_parser().parse_args(["render", "x.yaml", "--loudness", "ebu-r128"])
    assert args.loudness == "ebu-r128"
    script = workspace / "scripts" / "small-check.yaml"
    assert main(["render", str(script), "--profile", "web", "--out", str(workspace / "out")]) == 2
    assert "unrecognized arguments: --profile" in capsys.readouterr().err
    assert not (workspace / "out").exists()
    assert build_parser().parse_args(["lint", "x.srt", "--profile", "bbc"]).profile == "bbc"


def test_validate_warns_once_when_media_addresses_will_be_left_out(workspace, capsys):
    script = workspace / "scripts" / "small-check.yaml"
    assert main(["validate", str(script)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{script}: warning: no publish.media_base_url: claimreview.jsonld will have no contentUrl, "
                   "embedUrl or thumbnailUrl (set publish: {media_base_url: https://...}, or give the "
                   "render a media_base_url)"]
    script.write_text(script.read_text() + "publish: {media_base_url: https://media.example.org/small/}\n")
    assert main(["validate", str(script)]) == 0
    assert capsys.readouterr().err == ""


def test_render_refuses_a_media_base_url_that_is_no_address(workspace, capsys):
    script = workspace / "scripts" / "small-check.yaml"
    assert main(["render", str(script), "--media-base-url", "media/", "--out", str(workspace / "out")]) == 2
    assert "--media-base-url: 'media/' is not an http(s) address" in capsys.readouterr().err
