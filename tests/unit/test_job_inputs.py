"""What a task is submitted with, without rendering: the stored copies of a script's files, the
script read back as submitted, a queue from before inputs were kept, and which task's output
the script's output folder shows."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from claimreel.errors import ClaimreelError
from claimreel.jobs import Queue, TaskSpec, submit
from claimreel.jobs.folders import publish
from claimreel.jobs.schema import MIGRATIONS
from claimreel.jobs.snapshot import InputStore, store_for

from ..conftest import SMALL_SCRIPT, make_photo, make_workspace


def _submit(ws: Path, queue: Queue) -> str:
    return submit(queue, "one", [TaskSpec(ws / "scripts" / "small-check.yaml", preview=True, out=ws / "out")])


def test_submit_keeps_the_script_text_and_a_copy_of_each_file_it_names(tmp_path):
    text = SMALL_SCRIPT.replace("voice: {engine: fake}", "voice: {engine: fake}\nmusic: {file: assets/music/bed.wav}")
    script = make_workspace(tmp_path, text)
    bed = tmp_path / "assets" / "music" / "bed.wav"
    bed.parent.mkdir(parents=True)
    bed.write_bytes(b"RIFF not really a wave, but a file")
    queue = Queue(tmp_path / "queue.db")
    job = _submit(tmp_path, queue)
    inputs = queue.status(job).tasks[0].inputs
    assert inputs["script"] == script.read_text(encoding="utf-8") and inputs["root"] == str(tmp_path)
    assert sorted(inputs["files"]) == ["assets/music/bed.wav", "assets/photos/river.jpg"]
    store = InputStore(tmp_path / "queue.inputs")
    assert store_for(queue.path) == store.folder
    photo = inputs["files"]["assets/photos/river.jpg"]
    copy = store.path(photo["sha256"], photo["name"])
    assert copy.read_bytes() == (tmp_path / "assets" / "photos" / "river.jpg").read_bytes()
    assert copy.name == "river.jpg" and not copy.stat().st_mode & 0o222  # never written again

    script.write_text(text.replace("The river is dry.", "Changed."), encoding="utf-8")
    make_photo(tmp_path / "assets" / "photos" / "river.jpg", (320, 180))  # replaced in place
    loaded = store.restore(inputs, script)
    assert loaded.script.claim.quote == "The river is dry." and loaded.path == script
    assert loaded.assets["assets/photos/river.jpg"] == copy
    assert loaded.assets["assets/music/bed.wav"].read_bytes() == b"RIFF not really a wave, but a file"

    again = queue.status(_submit(tmp_path, queue)).tasks[0].inputs  # the new photo is another copy
    assert again["files"]["assets/photos/river.jpg"]["sha256"] != photo["sha256"] and copy.is_file()
    assert again["files"]["assets/music/bed.wav"] == inputs["files"]["assets/music/bed.wav"]  # stored once


def test_a_lost_copy_is_a_clear_error_naming_the_script_and_the_file(tmp_path):
    script = make_workspace(tmp_path)
    queue = Queue(tmp_path / "queue.db")
    inputs = queue.status(_submit(tmp_path, queue)).tasks[0].inputs
    store = InputStore(store_for(queue.path))
    stored = inputs["files"]["assets/photos/river.jpg"]
    store.path(stored["sha256"], stored["name"]).unlink()
    with pytest.raises(ClaimreelError) as caught:
        store.restore(inputs, script)
    assert str(caught.value) == (
        f"{script}: assets/photos/river.jpg: the copy stored when this render was queued is missing or damaged "
        f"({store.path(stored['sha256'], stored['name'])}); submit the render again")


def test_a_queue_from_before_inputs_were_kept_is_migrated_and_its_tasks_render_as_before(tmp_path):
    path = tmp_path / "queue.db"
    conn = sqlite3.connect(path)
    for statements in MIGRATIONS[:2]:
        for sql in statements:
            conn.execute(sql)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO jobs (id, name, created) VALUES ('20260101-000000-abcdef', 'old', 1)")
    conn.execute("INSERT INTO tasks (job, script, story, options, out, created) VALUES "
                 "('20260101-000000-abcdef', 's.yaml', 's', '{}', 'out/s', 1)")
    conn.commit()
    conn.close()
    task = Queue(path).claim("r", 30)
    assert task is not None and task.inputs is None  # the runner renders the script as it is now
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def _output(folder: Path, title: str, formats: tuple[str, ...]) -> Path:
    """A task's own output as a render leaves it: format folders and a manifest listing them."""
    files = []
    for name in formats:
        (folder / name).mkdir(parents=True)
        (folder / name / "video.mp4").write_text(f"{title} {name}")
        files.append({"path": f"{name}/video.mp4", "bytes": 1, "sha256": "x"})
    (folder / "transcript.txt").write_text(title)
    files.append({"path": "transcript.txt", "bytes": 1, "sha256": "x"})
    manifest = {"id": folder.name, "title": title, "files": files, "formats": {n: {"title": title} for n in formats}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_the_output_folder_shows_the_newest_submitted_task_whatever_order_they_finish_in(tmp_path):
    out = tmp_path / "out"
    older = _output(tmp_path / "a" / "story", "older", ("16x9",))
    newer = _output(tmp_path / "b" / "story", "newer", ("16x9",))
    tall = _output(tmp_path / "c" / "story", "tall", ("9x16",))
    assert publish(newer, out, {"job": "b", "task": 2, "submitted": 20.0}) is True
    assert publish(older, out, {"job": "a", "task": 1, "submitted": 10.0}) is False  # finished last, shown never
    shown = json.loads((out / "story" / "manifest.json").read_text())
    assert (shown["title"], shown["job"]["job"]) == ("newer", "b")
    assert (out / "story" / "16x9" / "video.mp4").read_text() == "newer 16x9"

    assert publish(tall, out, {"job": "c", "task": 3, "submitted": 30.0}) is True
    shown = json.loads((out / "story" / "manifest.json").read_text())
    assert sorted(shown["formats"]) == ["16x9", "9x16"] and shown["formats"]["16x9"]["title"] == "newer"
    assert [f["path"] for f in shown["files"]] == ["16x9/video.mp4", "9x16/video.mp4", "transcript.txt"]
    assert (out / "story" / "16x9" / "video.mp4").read_text() == "newer 16x9"  # kept, as render keeps it
    assert (out / "story" / "transcript.txt").read_text() == "tall"
    assert sorted(p.name for p in out.iterdir()) == ["story"]  # no staging, old or lock left
