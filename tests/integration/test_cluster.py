"""Rendering on a real Dask cluster: a scheduler and two single-thread workers on 127.0.0.1, each
in an empty folder of its own and running as ``nobody``, who cannot read the client's workspace.

The render must equal the local one (the same bytes, with the fake voice or with espeak), survive a
worker killed mid-render, fail fast and plainly when the scheduler is gone (before or during the
render), refuse (and not retry) units on a worker of another version, and serve ``jobs run
--cluster``. Clip and document scenes render there too (the video file and the PDF sent to the
workers by content), and the shared segment cache works at a ``file://`` URL and at an ``s3://`` one
(a local S3 service, moto's, on 127.0.0.1).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

pytest.importorskip("distributed", reason="Dask is not installed: pip install 'claimreel[cluster]'")

from claimreel.encode.ffmpeg import Ffmpeg  # noqa: E402

from ..conftest import REPO, SMALL_SCRIPT, make_workspace  # noqa: E402
from ..dask_processes import DaskProcesses, can_run_as_nobody, dask_cluster, free_port  # noqa: E402

pytestmark = pytest.mark.integration

# Every scene type (title, claim, photo, quote, fact, narration, verdict, credits) and a social cut,
# whose soundtrack is a unit of its own; the photo scene is long enough to be encoded in pieces and
# the narration scene holds a long still stretch.
SCRIPT = SMALL_SCRIPT.replace(
    "narration: Photos show water.",
    "narration: Photos taken from the bridge that afternoon show water running high under every arch, "
    "with the gauge house and its marker in view.",
).replace(
    "  - type: fact\n",
    "  - type: narration\n"
    "    on_screen: What the gauge says\n"
    "    narration: The water board's gauge recorded a steady flow on every day of that week, "
    "and the mayor's office later said the statement referred to a different river.\n"
    "  - type: fact\n",
) + "cuts:\n  - name: claim-verdict\n    title: The river claim in short\n    scenes: [claim, verdict]\n"

WHY_NOT = can_run_as_nobody()


@pytest.fixture(scope="module")
def private():
    """A folder only root can read: the client's workspace, outputs and caches go in it."""
    with tempfile.TemporaryDirectory(prefix="claimreel-client-") as name:
        os.chmod(name, 0o700)
        yield Path(name)


@pytest.fixture(scope="module")
def script(private):
    return make_workspace(private / "ws", SCRIPT)


@contextlib.contextmanager
def _test_cluster(workers: int = 2, **options) -> Iterator[DaskProcesses]:
    if WHY_NOT:
        pytest.skip(f"cluster tests run workers as nobody: {WHY_NOT}")
    with tempfile.TemporaryDirectory(prefix="claimreel-cluster-") as name:
        os.chmod(name, 0o755)  # the workers' own folders are inside
        with dask_cluster(Path(name) / "c", workers=workers, **options) as procs:
            yield procs


@pytest.fixture(scope="module")
def cluster(s3_service):
    """The module's cluster, shared by the tests that leave it whole; its workers have the local S3
    service's endpoint and keys, as a machine set up for a shared cache would."""
    with _test_cluster(env=s3_service[0] if s3_service else None) as procs:
        yield procs


@pytest.fixture
def doomed_cluster():
    """A cluster of the test's own, for a test that kills a worker: three workers, so that the render
    goes on with two (on one alone it takes twice as long)."""
    with _test_cluster(workers=3) as procs:
        yield procs


@pytest.fixture
def cluster_to_stop():
    """A cluster of the test's own, for a test that stops the scheduler."""
    with _test_cluster() as procs:
        yield procs


def _render(script: Path, out: Path, *extra: str, wait: bool = True) -> subprocess.CompletedProcess | subprocess.Popen:
    argv = [sys.executable, "-m", "claimreel", "render", str(script), "--out", str(out / "out"),
            "--cache", str(out / "cache"), *extra]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("CLAIMREEL_CLUSTER", None)
    if not wait:
        return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def framemd5(path: Path) -> list[str]:
    out = Ffmpeg().run(["-i", str(path), "-map", "0:v:0", "-f", "framemd5", "-"]).stdout.decode()
    return [line for line in out.splitlines() if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def local(private, script):
    """The reference: the same script rendered with the local process pool."""
    result = _render(script, private / "local", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return private / "local" / "out" / "small-check"


@pytest.fixture(scope="module")
def cluster_render(cluster, private, script):
    """The script rendered on the module's cluster: the output folder (after it every worker has run
    units, and holds their inputs)."""
    result = _render(script, private / "cl", "--cluster", cluster.address)
    assert result.returncode == 0, result.stderr
    return private / "cl" / "out" / "small-check"


def test_workers_cannot_read_the_workspace(cluster, script):
    check = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "test", "-r",
                            str(script)])
    assert check.returncode != 0, "the workspace must be unreadable to the workers' user"


def test_cluster_render_equals_local(cluster, script, local, cluster_render):
    ours, theirs = _files(cluster_render), _files(local)
    assert sorted(ours) == sorted(theirs)
    assert framemd5(local / "16x9" / "video.mp4") == framemd5(cluster_render / "16x9" / "video.mp4")
    different = [name for name in ours if ours[name] != theirs[name]]
    assert different == [], "with the fake voice every file is the same, byte for byte"
    # Each worker holds every input file once, by content: the photo and the theme's fonts.
    photo = hashlib.sha256((script.parent.parent / "assets" / "photos" / "river.jpg").read_bytes()).hexdigest()
    for folder in cluster.folders:
        stored = [p for p in folder.rglob("claimreel-files/*") if p.is_file()]
        names = [p.name for p in stored]
        assert f"{photo}.jpg" in names
        assert len(names) == len(set(names)) and any(n.endswith((".otf", ".ttf")) for n in names)
        for p in stored:  # named by what they hold
            assert hashlib.sha256(p.read_bytes()).hexdigest() == p.name.split(".")[0]


def test_units_undo_the_nannys_malloc_setting_and_stop_the_profiler(cluster, cluster_render):
    from distributed import Client

    def _settings(dask_worker: Any) -> tuple[bool, str | None, bool]:  # a closure: sent by value
        """(on a worker) Whether its nanny started it with MALLOC_TRIM_THRESHOLD_, its value now, and
        whether Dask's profiler still runs there."""
        import os
        from pathlib import Path

        started = b"MALLOC_TRIM_THRESHOLD_=" in Path("/proc/self/environ").read_bytes()
        return started, os.environ.get("MALLOC_TRIM_THRESHOLD_"), "profile" in dask_worker.periodic_callbacks

    # cluster_render: the module's cluster has rendered, so every worker has run units
    with Client(cluster.address, timeout=10) as client:
        seen = client.run(_settings)
    assert len(seen) == 2
    # Dask's nanny sets it for every worker; a worker that ran claimreel's units, and its ffmpeg, no longer
    # has it (frame-sized buffers come from the heap again: see executor.dask.worker._unit_malloc), and its
    # profiler, which can deadlock a worker on Python 3.11 before 3.11.9, is stopped
    assert all(started and now is None and not profiling for started, now, profiling in seen.values()), seen


def test_a_worker_killed_mid_render_and_the_render_completes(doomed_cluster, private, script, local):
    render = _render(script, private / "kill", "--cluster", doomed_cluster.address, wait=False)
    err = _kill_worker_mid_render(doomed_cluster, render)
    assert render.returncode == 0, err
    ours = _files(private / "kill" / "out" / "small-check")
    assert ours == _files(local), "the unit ran again elsewhere and made the same bytes"


def _busy_worker(cluster: DaskProcesses) -> int | None:
    """The first worker running a unit now (its scratch folder holds one), or None."""
    for i, folder in enumerate(cluster.folders):
        if any(True for _ in folder.rglob("claimreel-units/*")):
            return i
    return None


def _kill_worker_mid_render(cluster: DaskProcesses, render: subprocess.Popen) -> str:
    """Kill the first worker seen running a unit (not a given one: of three, one may get no unit before
    the render ends); the render's stderr."""
    try:
        deadline = time.monotonic() + 240
        while (busy := _busy_worker(cluster)) is None:
            assert render.poll() is None, render.stderr.read() if render.stderr else ""
            assert time.monotonic() < deadline, "no worker ever ran a unit"
            time.sleep(0.05)
        cluster.kill_worker(busy)
        return render.communicate(timeout=600)[1]
    finally:
        if render.poll() is None:
            render.kill()


def test_with_espeak_a_worker_killed_mid_render_gives_the_same_frames(doomed_cluster, private, script):
    # drafts: the same units, the same recovery, at a quarter of the work (the final path's recovery
    # is the test above)
    reference = _render(script, private / "espeak-local", "--jobs", "2", "--voice", "espeak", "--cuts", "none",
                        "--preview")
    assert reference.returncode == 0, reference.stderr
    render = _render(script, private / "espeak-kill", "--cluster", doomed_cluster.address, "--voice", "espeak",
                     "--cuts", "none", "--preview", wait=False)
    err = _kill_worker_mid_render(doomed_cluster, render)
    assert render.returncode == 0, err
    ours, theirs = (private / name / "out" / "_previews" / "small-check" / "16x9" / "video.mp4" for name in ("espeak-kill",
                                                                                            "espeak-local"))
    assert framemd5(ours) == framemd5(theirs)
    # espeak is loaded afresh for each block, so the workers' blocks are the local ones, sample for sample
    assert _files(private / "espeak-kill" / "out") == _files(private / "espeak-local" / "out")


def test_with_the_neural_voice_the_cluster_render_equals_local(cluster, private, script):
    """Piper's blocks, said by the workers (each loading the model once), are the local ones, byte for byte."""
    reference = _render(script, private / "piper-local", "--jobs", "2", "--voice", "piper", "--cuts", "none",
                        "--preview")
    assert reference.returncode == 0, reference.stderr
    render = _render(script, private / "piper-cluster", "--cluster", cluster.address, "--voice", "piper",
                     "--cuts", "none", "--preview")
    assert render.returncode == 0, render.stderr
    assert "6 narration blocks synthesised" in render.stdout
    assert _files(private / "piper-cluster" / "out") == _files(private / "piper-local" / "out")


def test_a_stopped_scheduler_is_a_clear_error_within_10_s(private, script):
    port = free_port()
    scheduler = subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                                  str(port), "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        from distributed import Client

        for _ in range(100):  # it answers, then it is stopped
            try:
                Client(f"tcp://127.0.0.1:{port}", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
    finally:
        scheduler.terminate()
        scheduler.wait(10)
    start = time.monotonic()
    result = _render(script, private / "gone", "--cluster", f"tcp://127.0.0.1:{port}")
    elapsed = time.monotonic() - start
    assert result.returncode == 1
    assert f"tcp://127.0.0.1:{port}: cannot reach the Dask scheduler" in result.stderr
    assert "dask scheduler" in result.stderr and "CLAIMREEL_CLUSTER" in result.stderr
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert not (private / "gone" / "out" / "small-check").exists()


def test_a_scheduler_stopped_mid_render_is_a_clear_error_within_10_s(cluster_to_stop, private, script):
    render = _render(script, private / "lost", "--cluster", cluster_to_stop.address, wait=False)
    try:
        deadline = time.monotonic() + 240
        while _busy_worker(cluster_to_stop) is None:
            assert render.poll() is None and time.monotonic() < deadline, "no unit ever ran"
            time.sleep(0.05)
        cluster_to_stop.stop_scheduler()
        stopped = time.monotonic()
        _, err = render.communicate(timeout=60)
        elapsed = time.monotonic() - stopped
    finally:
        if render.poll() is None:
            render.kill()
    assert render.returncode == 1, err
    assert f"{cluster_to_stop.address}: lost the connection to the Dask scheduler during the render" in err
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert not (private / "lost" / "out" / "small-check").exists()


def test_a_worker_of_another_version_refuses_and_the_unit_is_not_retried(private, script):
    if WHY_NOT:
        pytest.skip(f"cluster tests run workers as nobody: {WHY_NOT}")

    def other_drawing_code(code: Path) -> None:
        with open(code / "claimreel" / "compose" / "frames.py", "a", encoding="utf-8") as fh:
            fh.write("\n# a later release\n")

    with tempfile.TemporaryDirectory(prefix="claimreel-cluster-") as name:
        os.chmod(name, 0o755)
        with dask_cluster(Path(name) / "c", workers=1, change_code=other_drawing_code) as cluster:
            result = _render(script, private / "other", "--cluster", cluster.address)
            from distributed import Client

            def processing_counts(dask_scheduler=None):
                counts: dict[str, int] = {}
                for key, _, finish, *_ in dask_scheduler.transition_log:
                    if str(key).startswith(("render_segment-", "say-", "soundtrack")) and finish == "processing":
                        counts[str(key)] = counts.get(str(key), 0) + 1
                return counts

            with Client(cluster.address, timeout=5) as client:
                counts = client.run_on_scheduler(processing_counts)
    assert result.returncode == 1, result.stderr
    assert "refuses the unit: it runs claimreel" in result.stderr
    assert "install the same claimreel and ffmpeg on every machine" in result.stderr
    assert counts and max(counts.values()) == 1, "no unit ran twice: a refusal is not retried"
    assert not (private / "other" / "out" / "small-check").exists()


@pytest.fixture(scope="module")
def local_preview(private, script):
    """The draft reference: the script previewed with the local process pool."""
    result = _render(script, private / "local-preview", "--jobs", "2", "--preview")
    assert result.returncode == 0, result.stderr
    return private / "local-preview" / "out" / "_previews" / "small-check"


# drafts: a job's tasks reach the cluster as render's do, at a fraction of the work (the final path on
# the cluster is test_cluster_render_equals_local's)
def test_a_job_of_several_scripts_through_jobs_run_cluster(cluster, private, script, local_preview):
    second = script.with_name("second-check.yaml")
    second.write_text(SCRIPT.replace("id: small-check", "id: second-check"), encoding="utf-8")
    jobs = private / "jobs"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "CLAIMREEL_QUEUE": str(jobs / "queue.db")}
    env.pop("CLAIMREEL_CLUSTER", None)

    def claimreel(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "claimreel", *args], env=env, capture_output=True, text=True,
                              timeout=900)

    from distributed import Client

    def segments_done(dask_scheduler=None) -> int:
        """(on the scheduler) How many segment units have finished on the cluster so far."""
        return sum(1 for key, _, finish, *_ in dask_scheduler.transition_log
                   if str(key).startswith("render_segment-") and finish == "memory")

    submitted = claimreel("jobs", "submit", str(script), str(second), "--preview", "--out", str(jobs / "out"))
    assert submitted.returncode == 0, submitted.stderr
    with Client(cluster.address, timeout=10) as client:
        before = client.run_on_scheduler(segments_done)
    ran = claimreel("jobs", "run", "--once", "--cache", str(jobs / "cache"), "--cluster", cluster.address)
    assert ran.returncode == 0, ran.stderr
    assert "2 done" in ran.stdout
    first = _files(jobs / "out" / "_previews" / "small-check")
    assert first["16x9/video.mp4"] == _files(local_preview)["16x9/video.mp4"], "the job renders what render does"
    other = jobs / "out" / "_previews" / "second-check" / "16x9" / "video.mp4"
    assert framemd5(other) == framemd5(local_preview / "16x9" / "video.mp4"), "the same pictures under another id"
    # the job's units ran on the workers: the scheduler saw its segments done, their cache is on the client
    with Client(cluster.address, timeout=10) as client:
        assert client.run_on_scheduler(segments_done) > before, "no segment unit ran on the cluster"
    assert any((jobs / "cache" / "segments").glob("*.mp4"))
    assert all(any(folder.rglob("claimreel-files/*.jpg")) for folder in cluster.folders)


# Footage and a document page: a clip scene decoded by ffmpeg from the script's video file (its
# sound under the narration, so the soundtrack unit reads the clip too) and a PDF page with a
# highlighted passage, the flagship's stand-ins for both; spoken by espeak, as the flagship is.
# Rendered at full size, 16:9, no cuts.
FOOTAGE = SMALL_SCRIPT.replace("id: small-check", "id: footage-check").split("body:\n")[0] + """\
body:
  - type: clip
    file: assets/clips/assembly-hall.mp4
    start: 0.5
    end: 3.5
    audio: under
    caption: The assembly hall
    credit: Stand-in footage
    description: A speaker at a rostrum before a blue backdrop.
    narration: The same day, the assembly met.
  - type: document
    file: assets/documents/ohchr-assessment-standin.pdf
    page: 2
    source: Assessment (stand-in page)
    highlight: may constitute international crimes, in particular crimes against humanity
    description: A page of the assessment with one sentence highlighted.
    credit: Stand-in page
    narration: It said the abuses may be crimes against humanity.
credits:
  - {role: Video producer, name: Test Producer}
sources:
  - {title: The assessment, publisher: The office}
voice: {engine: espeak}
"""
FOOTAGE_FILES = ("clips/assembly-hall.mp4", "documents/ohchr-assessment-standin.pdf")


@pytest.fixture(scope="module")
def footage(private):
    root = private / "footage"
    for name in FOOTAGE_FILES:
        (root / "assets" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "assets" / name, root / "assets" / name)
    (root / "scripts").mkdir()
    script = root / "scripts" / "footage-check.yaml"
    script.write_text(FOOTAGE, encoding="utf-8")
    return script


@pytest.fixture(scope="module")
def footage_local(private, footage):
    result = _render(footage, private / "footage-local", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return _files(private / "footage-local" / "out" / "footage-check")


def _stored(cluster: DaskProcesses, footage: Path) -> list[dict[str, tuple[int, int]]]:
    """Per worker: its stored copies of the footage script's clip and PDF, by name -> (inode, mtime)."""
    names = {hashlib.sha256((footage.parents[1] / "assets" / name).read_bytes()).hexdigest() + Path(name).suffix
             for name in FOOTAGE_FILES}
    return [{p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("claimreel-files/*")
             if p.name in names} for folder in cluster.folders]


def test_clip_and_document_scenes_on_the_cluster_equal_the_local_render(cluster, private, footage, footage_local):
    result = _render(footage, private / "footage-cl", "--cluster", cluster.address)
    assert result.returncode == 0, result.stderr
    ours = _files(private / "footage-cl" / "out" / "footage-check")
    assert sorted(ours) == sorted(footage_local)
    assert [name for name in ours if ours[name] != footage_local[name]] == [], "the same bytes, file for file"
    # the clip and the PDF reached each worker by content (it cannot read them here), once
    for held in _stored(cluster, footage):
        assert len(held) == len(FOOTAGE_FILES)


def _shared_cache_renders(address: str, url: str, base: Path, footage: Path, expected: dict[str, bytes],
                          versions: Callable[[], dict[str, Any]], read: Callable[[str], bytes]) -> None:
    """Render ``footage`` twice through the shared cache at ``url``, each time with an empty client
    cache: both equal the local render; the first puts every segment there, sealed and named by its
    key, the second writes nothing there (``versions``: each stored name -> what changes when it is
    written again)."""
    first = _render(footage, base / "first", "--cluster", address, "--cache-url", url)
    assert first.returncode == 0, first.stderr
    assert _files(base / "first" / "out" / "footage-check") == expected
    stored = versions()
    segments = sorted(p.name for p in (base / "first" / "cache" / "segments").glob("*.mp4"))
    assert segments and sorted(n for n in stored if n.endswith(".mp4")) == segments
    for name in segments:  # the client's copies came from the shared cache, sealed
        data = (base / "first" / "cache" / "segments" / name).read_bytes()
        assert read(name) == data
        assert read(name + ".sha256").decode().split() == [str(len(data)), hashlib.sha256(data).hexdigest()]
    assert not [n for n in stored if n.startswith(".")], "no temporary names left behind"
    second = _render(footage, base / "second", "--cluster", address, "--cache-url", url)
    assert second.returncode == 0, second.stderr
    assert _files(base / "second" / "out" / "footage-check") == expected
    assert versions() == stored, "the second render took every segment from the shared cache"


def test_a_file_url_shared_cache(cluster, private, footage, footage_local):
    held_before = _stored(cluster, footage)
    with tempfile.TemporaryDirectory(prefix="claimreel-shared-") as name:
        os.chmod(name, 0o777)  # the workers (nobody) and the client write there
        segments = Path(name) / "cache" / "segments"

        def versions() -> dict[str, Any]:
            return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in segments.iterdir()}

        _shared_cache_renders(cluster.address, f"file://{name}/cache", private / "file-url", footage, footage_local,
                              versions, lambda n: (segments / n).read_bytes())
    for before, after in zip(held_before, _stored(cluster, footage)):
        assert len(after) == len(FOOTAGE_FILES)
        assert {n: after[n] for n in before} == before, "a file a worker holds is not sent to it again"


BUCKET = "claimreel-test"


def _s3_missing() -> str | None:
    """Why the local S3 service cannot run here, or None."""
    for module, extra in (("s3fs", "cluster"), ("moto.server", "test"), ("boto3", "test")):
        try:
            importlib.import_module(module)
        except ImportError:
            return f"{module.split('.')[0]} is not installed: pip install 'claimreel[{extra}]'"
    return None


@pytest.fixture(scope="module")
def s3_service():
    """A local S3 service (moto's) on 127.0.0.1, with a versioned bucket: the environment a machine
    needs to use it, and a client; None where s3fs or moto is missing. Module-wide, so that the
    module's cluster starts with that environment."""
    if _s3_missing():
        yield None
        return
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
               "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}
        s3 = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], aws_access_key_id="test",
                          aws_secret_access_key="test", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        yield env, s3
    finally:
        server.stop()


def test_an_s3_shared_cache(cluster, private, footage, footage_local, s3_service, monkeypatch):
    if s3_service is None:
        pytest.skip(_s3_missing())
    env, s3 = s3_service
    for key, value in env.items():  # the client's renders (subprocesses) get the same endpoint and keys
        monkeypatch.setenv(key, value)
    prefix = "renders/claimreel/segments/"

    def versions() -> dict[str, Any]:
        """Each stored name -> its versions (a segment written again would add one)."""
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
        found: dict[str, list[str]] = {o["Key"]: [] for page in pages for o in page.get("Contents", [])}
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=BUCKET, Prefix=prefix):
            for v in page.get("Versions", []):
                found.get(v["Key"], []).append(v["VersionId"])
        return {key[len(prefix):]: sorted(ids) for key, ids in found.items()}

    def read(name: str) -> bytes:
        return s3.get_object(Bucket=BUCKET, Key=prefix + name)["Body"].read()

    # the module's cluster: its workers reach the same bucket
    _shared_cache_renders(cluster.address, f"s3://{BUCKET}/renders/claimreel", private / "s3", footage,
                          footage_local, versions, read)
