"""Killed renders, damaged caches, two renders at once, caps, broken ffmpeg, determinism.

Kills use the documented test hook ``CLAIMREEL_TEST_KILL_AT`` (pipeline/killpoint.py): the render
SIGKILLs itself at a named stage; the test then kills what is left of its process group (as a
render farm would) so no worker or ffmpeg outlives the test.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimreel.cli import main
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.pipeline.output import PREVIEWS, leftovers, output_lock, recover
from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions

from ..conftest import REPO, SMALL_SCRIPT, make_photo

pytestmark = pytest.mark.integration

ID = "small-check"
TEMP_MARKS = (".staging-", ".old-", ".tmp-", ".tmp", ".partial", ".parts", "claimreel-")


def _workspace(root: Path) -> Path:
    (root / "scripts").mkdir(parents=True)
    make_photo(root / "assets" / "photos" / "river.jpg", (320, 180))
    (root / "scripts" / "small-check.yaml").write_text(SMALL_SCRIPT, encoding="utf-8")
    return root / "scripts" / "small-check.yaml"


def _options(ws: Path, **changes: object) -> RenderOptions:
    return RenderOptions(**{"out": ws / "out", "cache": ws / "cache", "preview": True, "voice": "fake",
                            "jobs": 1, **changes})  # type: ignore[arg-type]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _complete(files: dict[str, bytes]) -> bool:
    """A whole output set: the manifest lists exactly the other files, with matching hashes."""
    if "manifest.json" not in files:
        return False
    manifest = json.loads(files["manifest.json"])
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    others = {k: hashlib.sha256(v).hexdigest() for k, v in files.items() if k != "manifest.json"}
    return listed == others


def _temp_files(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*")
            if any(mark in p.name for mark in TEMP_MARKS)]


def _cli(script: Path, ws: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "claimreel", "render", str(script), "--out", str(ws / "out"),
            "--cache", str(ws / "cache"), "--voice", "fake", "--preview", "--jobs", "1", *extra]


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), **extra}


def _run_killed(cmd: list[str], env: dict[str, str]) -> int:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        code = proc.wait(timeout=180)
    finally:
        survivors = _group_alive(proc.pid, wait=5)  # workers die with the render (PR_SET_PDEATHSIG)
        if survivors:
            os.killpg(proc.pid, signal.SIGKILL)
            _group_alive(proc.pid, wait=10)
    assert not survivors, "a worker or ffmpeg outlived the killed render"
    return code


def _group_alive(pgid: int, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        if time.monotonic() > deadline:
            return True
        time.sleep(0.05)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    ws = tmp_path_factory.mktemp("crash")
    script = _workspace(ws)
    result = render(script, _options(ws))
    return ws, script, result


def test_killed_render_never_leaves_a_mix_and_a_rerun_completes(rendered):
    ws, script, first = rendered
    out = ws / "out" / PREVIEWS / ID
    previous = _snapshot(out)
    assert _complete(previous)
    # A changed script, so the new set differs from the old one in every file.
    script.write_text(SMALL_SCRIPT.replace("Flow fell later.", "Flow fell sharply later in May."), encoding="utf-8")
    seen_new = False
    for stage in ("synthesis", "segments", "concat", "publish", "swap"):
        code = _run_killed(_cli(script, ws), _env(CLAIMREEL_TEST_KILL_AT=stage))
        assert code == -signal.SIGKILL, stage
        now = _snapshot(out)
        assert _complete(now), stage
        if now != previous:  # only once the new set was swapped in whole
            assert stage == "swap" and b"sharply" in now["16x9/captions.srt"]
            seen_new = True
        previous = now
    assert seen_new, "the kill after the atomic exchange shows the new set"
    result = render(script, _options(ws))
    final = _snapshot(out)
    assert _complete(final) and b"sharply" in final["16x9/captions.srt"]
    assert result.segments_encoded == 0  # every segment was finished and sealed by the killed runs
    assert leftovers(ws / "out" / PREVIEWS, ID) == []
    assert _temp_files(ws / "out", ws / "cache") == []


def test_kill_between_the_two_renames_is_repaired_by_the_next_run(rendered, tmp_path):
    """Where the atomic exchange is unavailable, the old set waits in .<id>.old-* and comes back."""
    ws, script, _ = rendered
    out = ws / "out" / PREVIEWS / ID
    before = _snapshot(out)
    code = _run_killed(_cli(script, ws), _env(CLAIMREEL_TEST_KILL_AT="swap", CLAIMREEL_NO_RENAME_EXCHANGE="1"))
    assert code == -signal.SIGKILL
    assert not out.exists()
    (saved,) = [p for p in leftovers(ws / "out" / PREVIEWS, ID) if ".old-" in p.name]
    assert _snapshot(saved / ID) == before
    with output_lock(ws / "out" / PREVIEWS, ID):  # what every render does first
        pass
    assert _snapshot(out) == before and leftovers(ws / "out" / PREVIEWS, ID) == []


def test_recover_removes_stale_staging_and_keeps_a_present_output(tmp_path):
    out = tmp_path / "out"
    (out / ID).mkdir(parents=True)
    (out / ID / "manifest.json").write_text("{}")
    for name in (f".{ID}.staging-abc", f".{ID}.old-def/{ID}", f".{ID}.tmp-ghi", f".{ID}x.staging-other"):
        (out / name).mkdir(parents=True)
    recover(out, ID)
    assert sorted(p.name for p in out.iterdir()) == sorted([ID, f".{ID}x.staging-other"])
    assert (out / ID / "manifest.json").read_text() == "{}"


def test_damaged_cache_entries_are_never_served(rendered):
    ws, script, _ = rendered
    options = _options(ws)
    good = render(script, options)
    from claimreel.pipeline.encoding import _keyed_segment_jobs
    from claimreel.pipeline.prepare import prepare
    prepared = prepare(script, options)
    ffmpeg = Ffmpeg()
    jobs = _keyed_segment_jobs(prepared, prepared.formats[0], ws / "cache" / "segments", options, ffmpeg)
    truncated, unsealed = jobs[1][0].out_path, jobs[3][0].out_path
    assert truncated.is_file() and unsealed.is_file()
    truncated.write_bytes(truncated.read_bytes()[:500])  # same name, damaged bytes
    Path(str(unsealed) + ".sha256").unlink()  # a crash before the seal reached the disk
    for wav in (ws / "cache" / "speech").rglob("*.wav"):
        wav.write_bytes(wav.read_bytes()[:-100])
    again = render(script, options)
    assert good.segments_encoded == 0 and good.synthesized == 0
    assert again.segments_encoded == 2 and again.synthesized == 5  # each damaged entry made again
    assert _complete(_snapshot(again.folder))
    from claimreel.encode.probe import probe
    info = probe(Ffmpeg(), again.folder / "16x9" / "video.mp4", with_frame_count=True)
    assert info.frames == again.timeline.total_frames


def test_a_second_render_of_the_same_output_waits_for_the_first(rendered, capsys):
    import threading

    ws, script, _ = rendered
    out = ws / "out" / PREVIEWS / ID
    release = threading.Event()
    held = threading.Event()

    def hold() -> None:
        with output_lock(ws / "out" / PREVIEWS, ID):  # what every render does first
            held.set()
            release.wait(timeout=60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        held.wait(timeout=10)
        threading.Timer(1.5, release.set).start()
        started = time.monotonic()
        code = main(["render", str(script), "--out", str(ws / "out"), "--cache", str(ws / "cache"),
                     "--voice", "fake", "--preview"])
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join()
    err = capsys.readouterr().err
    assert code == 0, err
    assert waited >= 1.5
    assert err.count(f"{out}: another render of {ID} is writing here; waiting for it to finish") == 1
    assert _complete(_snapshot(out))
    assert _temp_files(ws / "out") == []


def test_two_renders_at_once_both_complete_one_after_the_other(rendered):
    ws, script, _ = rendered
    procs = [subprocess.Popen(_cli(script, ws, "--jobs", "1"), env=_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=180), p.stderr.read()) for p in procs]
    for p in procs:
        p.stderr.close()
    assert [code for code, _ in results] == [0, 0], results
    assert all("Traceback" not in err for _, err in results)
    assert _complete(_snapshot(ws / "out" / PREVIEWS / ID))
    assert _temp_files(ws / "out") == []


@pytest.mark.parametrize("flag, env, needle", [
    (["--max-duration", "5"], {}, "more than the cap of 5 s"),
    (["--max-pixels", "10000"], {}, "more than the cap of 10000"),
    (["--max-text", "100"], {}, "more than the cap of 100"),
    ([], {"CLAIMREEL_MAX_TEXT": "100"}, "CLAIMREEL_MAX_TEXT"),
    ([], {"CLAIMREEL_MAX_DURATION": "soon"}, "not a number"),
])
def test_caps_refuse_with_a_clear_message_and_leave_nothing(rendered, tmp_path, capsys, monkeypatch, flag, env, needle):
    ws, script, _ = rendered
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = tmp_path / "out"
    code = main(["render", str(script), "--out", str(out), "--cache", str(ws / "cache"), "--voice", "fake",
                 "--preview", *flag])
    err = capsys.readouterr().err
    assert code == 2, err
    assert needle in err
    assert ("raise the cap" in err) or ("not a number" in err)
    assert "Traceback" not in err
    assert not out.exists() or [p.name for p in out.iterdir()] == []


def test_validate_applies_the_caps_from_the_environment(rendered, capsys, monkeypatch):
    _, script, _ = rendered
    monkeypatch.setenv("CLAIMREEL_MAX_PIXELS", "1000")
    assert main(["validate", str(script)]) == 2
    err = capsys.readouterr().err
    assert "assets/photos/river.jpg: image is 320x180" in err and "CLAIMREEL_MAX_PIXELS" in err


def _fake_ffmpeg(tmp_path: Path) -> Path:
    """Answers -version like the real one; every other run fails the way a broken build does."""
    real = Ffmpeg().binary
    fake = tmp_path / "ffmpeg"
    fake.write_text(
        "#!/bin/sh\n"
        f'for a in "$@"; do [ "$a" = -version ] && exec "{real}" "$@"; done\n'
        'echo "[in#0] Error opening input: Invalid data found when processing input" >&2\n'
        "exit 187\n"
    )
    fake.chmod(0o755)
    return fake


def test_ffmpeg_failure_is_exit_1_with_stderr_tail_and_hint(rendered, tmp_path, capsys, monkeypatch):
    ws, script, _ = rendered
    before = _snapshot(ws / "out" / PREVIEWS / ID)
    cache = tmp_path / "cache"  # empty: every segment must be encoded
    monkeypatch.setenv("CLAIMREEL_FFMPEG", str(_fake_ffmpeg(tmp_path)))
    code = main(["render", str(script), "--out", str(ws / "out"), "--cache", str(cache), "--voice", "fake",
                 "--preview", "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "ffmpeg failed (exit 187)" in err and "Invalid data found when processing input" in err
    assert "hint: the input is corrupt or not a media file" in err and "Traceback" not in err
    assert _snapshot(ws / "out" / PREVIEWS / ID) == before
    assert _temp_files(ws / "out", cache) == []
    monkeypatch.setenv("CLAIMREEL_FFMPEG", str(tmp_path / "no-such-ffmpeg"))
    assert main(["render", str(script), "--out", str(ws / "out"), "--cache", str(cache), "--voice", "fake",
                 "--preview"]) == 1
    err = capsys.readouterr().err
    assert "no-such-ffmpeg: not found" in err and "install imageio-ffmpeg" in err
    assert _temp_files(ws / "out", cache) == []


def _framemd5(path: Path) -> list[str]:
    out = Ffmpeg().run(["-i", str(path), "-map", "0:v:0", "-f", "framemd5", "pipe:1"]).stdout.decode()
    return [line for line in out.splitlines() if not line.startswith("#")]


def test_same_script_twice_gives_identical_files_and_frames(tmp_path):
    script = _workspace(tmp_path / "ws")
    results = [render(script, RenderOptions(out=tmp_path / f"out{i}", cache=tmp_path / f"cache{i}", preview=True,
                                            voice="fake", jobs=2)) for i in (1, 2)]
    a, b = (_snapshot(r.folder) for r in results)
    for name in ("16x9/captions.srt", "16x9/captions.vtt", "transcript.txt", *[k for k in a if k.endswith(".jsonld")]):
        assert a[name] == b[name], name
    entries = [{f["path"]: f for f in json.loads(s["manifest.json"])["files"]} for s in (a, b)]
    for name in ("16x9/captions.srt", "16x9/captions.vtt", "transcript.txt"):
        assert entries[0][name] == entries[1][name]
    frames = [_framemd5(r.folder / "16x9" / "video.mp4") for r in results]
    assert len(frames[0]) == results[0].timeline.total_frames
    assert frames[0] == frames[1]
