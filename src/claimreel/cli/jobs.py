"""``claimreel jobs SUBCOMMAND``: submit renders to the queue, run them, watch, cancel, retry.

``submit`` checks everything first and queues all or nothing; ``run`` is a runner (as many
as you like may share one queue); ``status``, ``wait``, ``cancel``, ``retry`` and ``logs``
read or change a job by its id (or a unique start of it).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import ClaimreelError
from .cluster import add_cluster_arguments, cluster_address, cluster_tls
from .render import add_signing_arguments

HELP = "queue renders and run them: submit, run, status, wait, cancel, retry, logs"

_RENDER_OPTIONS = ("format", "cuts", "loudness", "voice", "preview", "out", "described")


def _queue_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--queue", type=Path, default=None, metavar="PATH",
                   help="queue database (default: CLAIMREEL_QUEUE, else render/queue.db)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="jobs_command", required=True, metavar="SUBCOMMAND")
    p = sub.add_parser("submit", help="queue a job file or scripts; prints the job id")
    p.add_argument("inputs", nargs="+", type=Path, metavar="JOBFILE|SCRIPT")
    p.add_argument("--name", default=None, help="what the job is (default: the job file's name, or the scripts)")
    p.add_argument("--format", default=None, help="16x9,9x16,1x1,4x5 or all (default: each script's formats)")
    p.add_argument("--cuts", default=None, metavar="NAME,...|all|none",
                   help="social cuts (default: all; none with --preview)")
    p.add_argument("--loudness", default=None, help="loudness profile: web, youtube, ebu-r128, atsc-a85")
    p.add_argument("--voice", default=None, help="speech engine for every block (piper, espeak, gtts, fake)")
    p.add_argument("--preview", action="store_true", help="fast half-size drafts, in OUT/_previews/<id>/")
    p.add_argument("--described", default=None, choices=("track", "extended"),
                   help="audio description: the described track in every video (track, the default), or "
                   "extended: also video-described.mp4")
    p.add_argument("--out", type=Path, default=None, help="output root (default render/out)")
    add_signing_arguments(p)
    _queue_option(p)

    p = sub.add_parser("run", help="claim queued renders and render them until stopped")
    p.add_argument("--once", action="store_true", help="stop when the queue is empty")
    p.add_argument("--jobs", type=int, default=0, help="worker processes of the shared pool (default: one per core)")
    p.add_argument("--tasks", type=int, default=2, help="renders in flight at once (default 2: the next one "
                   "prepares while the current one encodes)")
    p.add_argument("--lease", type=float, default=30.0, metavar="SECONDS",
                   help="how long a claim lasts unrenewed; a killed runner's tasks return after it (default 30)")
    p.add_argument("--cache", type=Path, default=Path("render/cache"), help="cache folder (default render/cache)")
    p.add_argument("--ffmpeg", default=None, help="ffmpeg binary (default: CLAIMREEL_FFMPEG or imageio-ffmpeg's)")
    add_cluster_arguments(p)
    _queue_option(p)

    p = sub.add_parser("status", help="jobs, or one job's tasks: state, stage, attempts, times, output, error")
    p.add_argument("job", nargs="?", default=None, metavar="JOB")
    p.add_argument("--json", action="store_true", help="as JSON")
    _queue_option(p)

    for name, text in (("wait", "wait until every task of JOB has ended; exit 0 if all are done, 1 if not"),
                       ("cancel", "cancel JOB's queued and running tasks (the previous outputs stay)"),
                       ("retry", "queue JOB's failed and cancelled tasks again"),
                       ("logs", "what happened to JOB's tasks, one line per event")):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("job", metavar="JOB")
        _queue_option(p)


def run(args: argparse.Namespace) -> int:
    from ..jobs.store import Queue

    command = args.jobs_command
    queue = Queue(args.queue)
    if command == "submit":
        return _submit(queue, args)
    if command == "run":
        return _run_runner(queue, args)
    if command == "status":
        return _status(queue, args.job, args.json)
    if command == "wait":
        return _wait(queue, args.job)
    if command == "cancel":
        n = queue.cancel(args.job)
        print(f"cancelled {n} task(s) of job {queue.status(args.job).id}")
        return 0
    if command == "retry":
        n = queue.retry(args.job)
        print(f"queued {n} task(s) of job {queue.status(args.job).id} again")
        return 0
    sys.stdout.write(queue.logs(args.job))
    return 0


def _is_job_file(path: Path) -> bool:
    """A YAML file whose top level has ``renders:`` (a script never has)."""
    from ..script.yamltree import parse

    try:
        tree = parse(path.read_bytes()[:1_000_000].decode("utf-8-sig"), str(path))
    except (OSError, UnicodeDecodeError, ClaimreelError):
        return False  # the script loader says what is wrong with it
    return isinstance(tree.data, dict) and "renders" in tree.data


def _submit(queue: Any, args: argparse.Namespace) -> int:
    from ..jobs.jobfile import load_job_file
    from ..jobs.model import TaskSpec
    from ..jobs.service import submit
    from ..pipeline.options import parse_cuts, parse_formats

    job_files = [p for p in args.inputs if _is_job_file(p)]
    given = [f"--{name}" for name in _RENDER_OPTIONS if getattr(args, name) not in (None, False)]
    if job_files:
        if len(job_files) != len(args.inputs):
            raise ClaimreelError(f"{job_files[0]}: give either job files or scripts to one submit, not both; "
                                 "list the scripts in the job file's renders")
        if given:
            raise ClaimreelError(f"{job_files[0]}: {', '.join(given)} cannot be combined with a job file; "
                                 "set the options in the file's renders, or submit the scripts themselves")
        loaded = [load_job_file(p) for p in job_files]
        tasks = [t for job in loaded for t in job.tasks]
        name = args.name or " + ".join(job.name for job in loaded)
    else:
        formats = parse_formats(args.format) if args.format else ()
        cuts = () if args.preview and args.cuts is None else parse_cuts(args.cuts)
        tasks = [TaskSpec(p, formats, cuts, args.loudness, args.voice, args.preview, args.out or Path("render/out"),
                          described=args.described or "track") for p in args.inputs]
        name = args.name or "render " + ", ".join(p.stem for p in args.inputs)
    tasks = _signed(tasks, args)
    job_id = submit(queue, name, tasks)
    print(job_id)
    return 0


def _signed(tasks: list[Any], args: argparse.Namespace) -> list[Any]:
    """The tasks with the signing identity the options (or CLAIMREEL_SIGN_*) name, checked now so a bad
    one is refused at submit (exit 2); the queue keeps the files' paths, never the key."""
    from dataclasses import replace

    from ..publish.credentials import load_identity, signing_request

    request = signing_request(args.sign_cert, args.sign_key, tsa_url=args.sign_tsa_url)
    if request is None:
        return tasks
    load_identity(request)
    return [replace(t, sign_cert=request.cert.resolve(), sign_key=request.key.resolve(), sign_tsa_url=request.tsa_url)
            for t in tasks]


def _run_runner(queue: Any, args: argparse.Namespace) -> int:
    from ..jobs.runner import Runner

    if args.jobs < 0 or args.tasks < 1 or args.lease <= 1:
        raise ClaimreelError("jobs run: --jobs must be 0 or more, --tasks 1 or more, --lease more than 1 second")
    runner = Runner(queue, jobs=args.jobs, tasks=args.tasks, lease=args.lease, cache=args.cache,
                    ffmpeg=args.ffmpeg, cluster=cluster_address(args), cache_url=args.cache_url,
                    tls=cluster_tls(args), say=lambda line: print(line, file=sys.stderr, flush=True))
    signal.signal(signal.SIGTERM, lambda *_: runner.stop("the runner got SIGTERM"))
    counts = runner.run(once=args.once)
    print(", ".join(f"{n} {what}" for what, n in counts.items()))
    return 1 if args.once and counts["failed"] else 0


def _clock(t: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) if t else "-"


def _status(queue: Any, job_id: str | None, as_json: bool) -> int:
    from ..jobs.states import State

    jobs = [queue.status(job_id)] if job_id else queue.jobs()
    if as_json:
        print(json.dumps([{**asdict(job), "state": job.state} for job in jobs], indent=2, ensure_ascii=False))
        return 0
    if not job_id:
        for job in jobs:
            counts = ", ".join(f"{n} {state}" for state, n in job.counts().items() if n)
            print(f"{job.id}  {job.state:<9}  {job.name}  ({counts})")
        if not jobs:
            print(f"no jobs in {queue.path}")
        return 0
    job = jobs[0]
    print(f"job {job.id}: {job.name} — {job.state}, submitted {_clock(job.created)}")
    for t in job.tasks:
        doing = f"  {t.stage} {t.percent or 0:.0f}%" if t.state == State.RUNNING and t.stage else ""
        if t.lease_expired(time.time()):
            doing = "  its runner stopped (lease expired; it goes back to the queue when a runner next claims)"
        print(f"  task {t.id:<4} {t.story:<28} {t.state:<9}{doing}  attempts {t.attempts}  "
              f"started {_clock(t.started)}  finished {_clock(t.finished)}  out {t.out}")
        if t.result and t.result.get("folder"):  # the job's own copy; `out` shows the newest submitted
            later = "" if t.result.get("published", t.out) else f" ({t.out} shows a render submitted later)"
            print(f"      files: {t.result['folder']}{later}")
        if t.error:
            print("      error: " + t.error.replace("\n", "\n      "))
    return 0


def _wait(queue: Any, job_id: str) -> int:
    from ..jobs.states import TERMINAL, State

    said = None
    while True:
        job = queue.status(job_id)
        counts = ", ".join(f"{n} {state}" for state, n in job.counts().items() if n)
        if counts != said:
            print(f"job {job.id}: {counts}", file=sys.stderr, flush=True)
            said = counts
        if all(t.state in TERMINAL for t in job.tasks):
            return 0 if all(t.state == State.DONE for t in job.tasks) else 1
        time.sleep(0.5)
