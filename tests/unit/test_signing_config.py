"""Where a signing identity comes from (theme, environment, the queue) and what ``validate`` says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("c2pa")

from claimreel.cli import main  # noqa: E402
from claimreel.jobs import Queue  # noqa: E402
from claimreel.layout.theme import load_theme  # noqa: E402

from ..credentials_support import make_identity  # noqa: E402

FONTS = Path(load_theme("default").folder).parent.parent / "fonts"


def _themed(workspace: Path, cert: Path, key: Path) -> tuple[Path, Path]:
    """The small script on a theme ``desk`` whose publish.credentials names ``cert`` and ``key``."""
    folder = workspace / "assets" / "themes" / "desk"
    folder.mkdir(parents=True)
    text = (Path(load_theme("default").folder) / "theme.yaml").read_text()
    text = text.replace("name: default", "name: desk").replace("../../fonts/", f"{FONTS}/")
    theme = folder / "theme.yaml"
    theme.write_text(text + f"publish:\n  credentials: {{cert: {cert}, key: {key}}}\n")
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text() + "theme: desk\n")
    return theme, script


def test_validate_says_how_to_sign_when_nothing_is_configured(workspace, capsys, monkeypatch):
    monkeypatch.delenv("CLAIMREEL_SIGN_CERT", raising=False)
    monkeypatch.delenv("CLAIMREEL_SIGN_KEY", raising=False)
    assert main(["validate", str(workspace / "scripts" / "small-check.yaml")]) == 0
    out = capsys.readouterr().out
    assert "renders will not carry Content Credentials: to sign the videos, posters and storyboards give " \
           "the render a certificate chain and its key (sign_cert, sign_key)" in out


def test_the_themes_identity_is_checked_by_validate(workspace, capsys, tmp_path):
    good = make_identity(tmp_path / "keys")
    _, script = _themed(workspace, good.cert, good.key)
    assert main(["validate", str(script)]) == 0
    assert "Content Credentials" not in capsys.readouterr().out  # it will sign


def test_an_expired_certificate_in_the_theme_names_the_theme(workspace, capsys, tmp_path):
    old = make_identity(tmp_path / "keys", expired=True)
    theme, script = _themed(workspace, old.cert, old.key)
    assert main(["validate", str(script)]) == 2
    err = capsys.readouterr().err
    assert f"{old.cert}: the signing certificate expired on" in err and f"{theme}: publish.credentials" in err


def test_the_environment_names_the_identity(workspace, capsys, tmp_path, monkeypatch):
    other = make_identity(tmp_path / "b")
    good = make_identity(tmp_path / "a")
    monkeypatch.setenv("CLAIMREEL_SIGN_CERT", str(good.cert))
    monkeypatch.setenv("CLAIMREEL_SIGN_KEY", str(other.key))
    assert main(["validate", str(workspace / "scripts" / "small-check.yaml")]) == 2
    assert "(CLAIMREEL_SIGN_CERT/CLAIMREEL_SIGN_KEY)" in capsys.readouterr().err


def test_jobs_submit_checks_the_identity_and_queues_paths_only(workspace, capsys, tmp_path):
    good, other = make_identity(tmp_path / "a"), make_identity(tmp_path / "b")
    script, queue = workspace / "scripts" / "small-check.yaml", workspace / "q.db"
    code = main(["jobs", "submit", str(script), "--sign-cert", str(good.cert), "--sign-key", str(other.key),
                 "--queue", str(queue)])
    assert code == 2 and "this key does not belong to the certificate" in capsys.readouterr().err
    assert Queue(queue).jobs() == []  # nothing queued
    assert main(["jobs", "submit", str(script), "--sign-cert", str(good.cert), "--sign-key", str(good.key),
                 "--queue", str(queue)]) == 0
    capsys.readouterr()
    task = Queue(queue).jobs()[0].tasks[0]
    assert task.spec.sign_cert == good.cert.resolve() and task.spec.sign_key == good.key.resolve()
    assert b"PRIVATE KEY" not in queue.read_bytes() and "PRIVATE" not in json.dumps(task.options)
