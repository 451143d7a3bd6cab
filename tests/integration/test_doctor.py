"""``claimreel doctor`` checks the real tools, and says which one is broken."""

from __future__ import annotations

import pytest

from claimreel.cli import main

pytestmark = pytest.mark.integration


def test_doctor_passes_on_this_machine(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    for name in ("ffmpeg", "fonts", "text shaping", "espeak", "piper"):
        assert f"ok    {name}: " in out
    assert "voice en_US-joe-medium (synthetic)" in out and "s of speech per CPU-second here" in out
    assert "skip  gtts network: not checked" in out


def test_doctor_reports_the_export_extra_without_failing(monkeypatch, capsys):
    otio = pytest.importorskip("opentimelineio", reason="needs the export extra (pip install 'claimreel[export]')")
    assert main(["doctor"]) == 0
    assert "ok    export: OpenTimelineIO " in capsys.readouterr().out
    monkeypatch.setattr(otio.adapters, "available_adapter_names", lambda: ["otio_json"])
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "skip  export: the OpenTimelineIO export needs its fcp_xml adapter" in out


def test_doctor_names_a_broken_ffmpeg(monkeypatch, tmp_path, capsys):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CLAIMREEL_FFMPEG", str(fake))
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  ffmpeg: " in out and "ok    espeak: " in out
