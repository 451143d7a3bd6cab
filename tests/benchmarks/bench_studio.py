"""Studio benchmark: page server times over a workspace of 100 scripts.

Run by hand from the repository root (not collected by the test suite):

    PYTHONPATH=src python tests/benchmarks/bench_studio.py [--scripts 100] [--json PATH]

The workspace is a temporary copy of this repository's ``assets/`` and ``render/profiles``
with ``--scripts`` scripts: the flagship with its id and title changed, in all four formats
(plus two broken copies, so the list shows both states). Times are the server's, measured
in-process with Starlette's TestClient (no network):

1. the scripts page, cold (it answers at once; every script is then checked in the worker
   processes and its row streamed to the page: "all checked" is when the last row arrived, the
   summaries then being in the disk cache), then warm (the median of 10);
2. the scripts page of a studio restarted over the same workspace (summaries from disk);
3. one script page with the storyboards of its four formats, the first time: validation, caption
   lint with speech synthesis into an empty speech cache, and the four storyboards drawn in worker
   processes as ``claimreel studio`` does (started as the page answers; the storyboard and still
   caches empty), until the last of the four images, asked for at once as a browser does, has
   arrived; then a second script, a copy of the first under another id (its narration in the
   speech cache, its text measured before), the first time with the storyboard and still caches
   emptied; cached (the median of 10: the page and its four images from the content-digest
   caches), and after an edit of one quote (checked again; only the changed scenes' stills drawn).

Each studio is measured once it has started: its worker processes up and its warm-up (the
imports a script page needs, done in the background when the studio starts) finished.

Targets: scripts page ≤ 200 ms; script page with storyboards ≤ 1.5 s first, ≤ 100 ms cached.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def make_workspace(root: Path, count: int) -> list[str]:
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "render").mkdir()
    shutil.copytree(REPO / "render" / "profiles", root / "render" / "profiles")
    (root / "scripts").mkdir()
    flagship = (REPO / "scripts" / "xinjiang-un-report.yaml").read_text(encoding="utf-8")
    flagship = flagship.replace('formats: ["16x9"]', 'formats: ["16x9", "9x16", "1x1", "4x5"]')
    names = []
    for i in range(count):
        text = flagship.replace("id: xinjiang-un-report", f"id: story-{i:03d}", 1)
        if i in (7, 42):
            text = text.replace('rating: "False"', "rating: Flase", 1)
        name = f"story-{i:03d}.yaml"
        (root / "scripts" / name).write_text(text, encoding="utf-8")
        names.append(name)
    return names


CPU: dict[str, float] = {}


def timed(client, url: str) -> float:
    start = time.perf_counter()
    answer = client.get(url)
    elapsed = time.perf_counter() - start
    assert answer.status_code == 200, (url, answer.status_code, answer.text[-500:])
    return elapsed


def together(client, urls: list[str]) -> float:
    """Wall time of fetching ``urls`` at once, as a browser fetches a page's images."""
    start = time.perf_counter()
    with ThreadPoolExecutor(len(urls)) as fetch:
        list(fetch.map(lambda url: timed(client, url), urls))
    return time.perf_counter() - start


WORKERS: list[int] = []  # pids of the studio's storyboard workers, whose CPU time counts too


def cpu_time() -> float:
    """CPU seconds of this process (every thread: the server runs in the TestClient's thread) and
    of the storyboard workers (from /proc, while they live)."""
    total = time.process_time()
    tick = os.sysconf("SC_CLK_TCK")
    for pid in WORKERS:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def started(app) -> None:
    """Wait for the studio's warm-up and its worker processes to be up, and count their CPU time
    from now."""
    assert app.state.studio.warm.wait(60)
    pool = app.state.studio.boards.pool
    list(pool.as_completed([pool.submit(os.getpid) for _ in range(pool.workers * 2)]))
    WORKERS[:] = pool.processes()


def all_checked(client, names: list[str]) -> float:
    """Wall time until the scripts page's event stream has sent every script's row."""
    start = time.perf_counter()
    query = "&".join(f"name={name}" for name in names)
    with client.stream("GET", f"/scripts/events?{query}") as stream:
        rows = sum(1 for line in stream.iter_lines() if line.startswith("event: row"))
    assert rows == len(names), rows
    return time.perf_counter() - start


def measure(results: dict[str, float], key: str, run) -> None:
    """Wall time of ``run()`` (what it returns) and the CPU time spent over it — on a shared
    machine the CPU time is the steadier."""
    cpu = cpu_time()
    results[key] = run()
    CPU[key] = cpu_time() - cpu


def main(argv: list[str] | None = None) -> int:
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

    from claimreel.studio.app import create_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scripts", type=int, default=100)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-studio-") as tmp:
        root = Path(tmp)
        names = make_workspace(root, args.scripts)
        workers = min(4, os.cpu_count() or 1)
        app = create_app(root, board_workers=workers)
        with TestClient(app) as client:
            started(app)
            measure(results, "scripts_page_cold_s", lambda: timed(client, "/scripts"))
            measure(results, "scripts_all_checked_s", lambda: all_checked(client, names))
            measure(results, "scripts_page_warm_s",
                    lambda: statistics.median(timed(client, "/scripts") for _ in range(10)))
            CPU["scripts_page_warm_s"] /= 10
        # as `claimreel studio` runs it: storyboards drawn in worker processes
        app = create_app(root, board_workers=workers)
        with TestClient(app) as client:
            started(app)
            measure(results, "scripts_page_restarted_s", lambda: timed(client, "/scripts"))
            page = f"/scripts/{names[0]}"
            boards = [f"{page}/storyboard/{fmt}.jpg" for fmt in ("16x9", "9x16", "1x1", "4x5")]
            measure(results, "script_page_first_page_s", lambda: timed(client, page))
            measure(results, "script_page_first_boards_s", lambda: together(client, boards))
            results["script_page_first_with_boards_s"] = (results["script_page_first_page_s"]
                                                          + results["script_page_first_boards_s"])
            CPU["script_page_first_with_boards_s"] = CPU["script_page_first_page_s"] + CPU["script_page_first_boards_s"]

            # a second script, its narration already spoken: cold storyboards, warm speech cache
            second = f"/scripts/{names[1]}"
            shutil.rmtree(root / "render" / "cache" / "studio" / "stills")
            shutil.rmtree(root / "render" / "cache" / "studio" / "boards")
            measure(results, "script_page_first_warm_speech_with_boards_s",
                    lambda: timed(client, second) + together(
                        client, [f"{second}/storyboard/{fmt}.jpg" for fmt in ("16x9", "9x16", "1x1", "4x5")]))

            def cached() -> float:
                return timed(client, page) + together(client, boards)

            measure(results, "script_page_cached_with_boards_s", lambda: statistics.median(cached() for _ in range(10)))
            CPU["script_page_cached_with_boards_s"] /= 10
            # a producer's edit: one word of one quote; the page and the four storyboards again
            path = root / "scripts" / names[0]
            text = path.read_text(encoding="utf-8")
            quote = next(line for line in text.splitlines() if line.strip().startswith("text:"))
            path.write_text(text.replace(quote, quote.rstrip() + " (edited)", 1), encoding="utf-8")
            measure(results, "script_page_after_edit_with_boards_s", cached)
    targets = {"scripts_page_warm_s": 0.2, "script_page_first_with_boards_s": 1.5,
               "script_page_first_warm_speech_with_boards_s": 1.5, "script_page_cached_with_boards_s": 0.1}
    load = os.getloadavg()[0]
    print(f"{args.scripts} scripts (flagship copies, 4 formats each); load average {load:.1f} on {os.cpu_count()} cores")
    print(f"{'':44s} {'wall':>9s}    {'cpu':>9s}")
    for key, value in results.items():
        target = f"  (target ≤ {targets[key] * 1000:.0f} ms)" if key in targets else ""
        print(f"{key:44s} {value * 1000:9.1f} ms {CPU.get(key, 0) * 1000:9.1f} ms{target}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"wall": results, "cpu": CPU, "load": load}, indent=2) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
