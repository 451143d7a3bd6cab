"""The studio in real headless Chromium, driven with the keyboard alone.

The test starts ``claimreel studio`` (uvicorn on 127.0.0.1, a free port) over a temporary
workspace whose script has a wrong rating, and stops it in ``finally``. The browser opens the
scripts page (whose row fills in once the script is checked) and the script, sees the error at
its line, fixes the line in the editor, renders a preview (fake voice) and follows its progress
to done, plays the video, downloads a social pack, and cancels a final render; axe-core checks
every page on the way. Needs Debian's ``chromium`` and the node packages
in this folder; skips, saying which, without them.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from .test_player_page import CHROMIUM, HERE, _missing

pytest.importorskip("starlette", reason="the studio needs the studio extra: pip install 'claimreel[studio]'")
pytestmark = [pytest.mark.integration, pytest.mark.skipif(_missing() is not None, reason=_missing() or "")]

SRC = Path(__file__).resolve().parents[2] / "src"
CUTS = "cuts:\n  - {name: claim-verdict, scenes: [claim, verdict]}\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the studio exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the studio did not start listening")


@contextlib.contextmanager
def _studio(ws: Path, log_path: Path, *extra: str) -> Iterator[int]:
    """``claimreel studio`` over ``ws`` on a free port of 127.0.0.1 (its port), stopped after the block
    even when it fails; its output goes to ``log_path``."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    log = open(log_path, "w")  # a file: a pipe nobody reads could fill and stall the server
    process = subprocess.Popen(
        [sys.executable, "-m", "claimreel", "studio", "--port", str(port), "--workspace", str(ws), *extra],
        stdout=log, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
    try:
        _wait_for(port, process)
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _browse(script: str, *args: str, log: Path, timeout: float = 300) -> dict[str, Any]:
    """Run this folder's browser ``script`` (node, headless Chromium) with ``args`` against a studio whose
    output goes to ``log``: its JSON report, once it has run to the end without an error."""
    run = subprocess.run(["node", str(HERE / script), *args], capture_output=True, text=True, timeout=timeout,
                         env={**os.environ, "CHROMIUM": CHROMIUM})
    assert run.returncode == 0, run.stderr[-3000:] + log.read_text()[-2000:]
    report = json.loads(run.stdout)
    assert "error" not in report, (report.get("error"), report.get("steps"), log.read_text()[-2000:])
    return report


def _assert_clean(report: dict[str, Any], port: int) -> None:
    """A watched page's report (chromium.mjs) found no accessibility violation in any state, asked
    nothing of any other site than the studio's, and saw no failed response and no console error."""
    for name, result in report["axe"].items():
        assert result["violations"] == [], f"{name}: {json.dumps(result['violations'], indent=1)}"
    outside = [u for u in report["requests"] if not u.startswith((f"http://127.0.0.1:{port}/", "data:"))]
    assert outside == []
    assert report["failed"] == [] and report["console"] == [], (report["failed"], report["console"])


def test_the_studio_flow_with_the_keyboard_alone(tmp_path):
    from ..conftest import SMALL_SCRIPT, make_workspace

    ws = tmp_path / "ws"
    broken = SMALL_SCRIPT.replace('rating: "False"', "rating: Flase") + CUTS
    make_workspace(ws, broken)
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "rating: Flase" in text)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with _studio(ws, tmp_path / "studio.log", "--jobs", "2") as port:
        report = _browse("studio_flow.mjs", f"http://127.0.0.1:{port}", "--line", str(line),
                         "--fixed", '  rating: "False"', "--downloads", str(downloads),
                         log=tmp_path / "studio.log", timeout=600)

    # the scripts page answered before the script was checked, then filled its row in
    assert report["scriptsPending"] == 1 and "1 problem" in report["scriptsRow"], report["scriptsRow"]
    assert report["errorAtLine"] and "unknown rating 'Flase'" in report["errorAtLine"][0]
    assert report["fixed"]["validates"] and report["fixed"]["saved"] and report["fixed"]["flagged"] == 0
    assert report["fixed"]["boards"] and all(w > 300 for w in report["fixed"]["boards"])
    assert (ws / "scripts" / "small-check.yaml").read_text(encoding="utf-8") == SMALL_SCRIPT + CUTS

    progress = report["progress"]
    assert progress[-1]["job"] == "done" and progress[-1]["percent"] == 100 and progress[-1]["result"]
    assert any(p["job"] in ("queued", "running") for p in progress)

    video = report["video"]
    assert video["error"] is None and not video["paused"] and video["after"] > video["before"] + 0.3, video

    pack = zipfile.ZipFile(io.BytesIO((downloads / report["pack"]).read_bytes()))
    clips = ("small-check-full-16x9", "small-check-claim-verdict-16x9")
    assert set(pack.namelist()) == {"post.txt"} | {
        f"{c}/{f}" for c in clips for f in ("video.mp4", "captions.srt", "captions.vtt", "poster.jpg")}
    assert "False: The river was running on that day." in pack.read("post.txt").decode()

    assert report["cancelled"] == "cancelled", report
    assert not (ws / "render" / "out" / "small-check").exists()

    assert report["created"]["path"] == "/scripts/bridge-claim-checked.yaml", report["created"]
    assert "Created scripts/bridge-claim-checked.yaml" in report["created"]["status"]
    assert (ws / "scripts" / "bridge-claim-checked.yaml").is_file()

    assert set(report["axe"]) == {"scripts", "script-broken", "script-valid", "render", "job-done", "output",
                                  "queue", "job-cancelled", "outputs", "new", "script-created"}
    _assert_clean(report, port)


def test_a_chinese_title_is_drawn_with_the_shipped_font(tmp_path):
    """This machine's Chromium has no CJK font of its own: without the studio's web font the title's
    characters are the same empty box, so two different characters would draw alike."""
    from ..conftest import SMALL_SCRIPT, make_workspace

    ws = tmp_path / "ws"
    title = "面对联合国审视，北京谎称新疆侵权报告“非法”"
    make_workspace(ws, SMALL_SCRIPT.replace("title: A short test of the whole pipeline", f"title: {title}")
                   .replace("language: en", "language: zh-Hans"))
    with _studio(ws, tmp_path / "studio.log", "--no-runner") as port:
        report = _browse("studio_fonts.mjs", f"http://127.0.0.1:{port}/scripts/small-check.yaml",
                         log=tmp_path / "studio.log", timeout=120)
    assert report["title"] == title and report["lang"] == "zh-Hans"
    # the heading's bold face and the script text's regular one; the Arabic faces are not fetched
    assert sorted(report["loaded"]) == ["Noto Sans SC 400", "Noto Sans SC 700"], report
    assert report["check"] is True
    # drawn in the heading's own font: two characters differ, as they would not as empty boxes
    assert report["inkZhong"] > 40 and report["inkGuo"] > 40 and report["sameGlyph"] is False, report
    assert report["failed"] == [] and report["console"] == [], report
