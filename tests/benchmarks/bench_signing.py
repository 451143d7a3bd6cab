"""What Content Credentials cost: signing one render's final files, timed on a copy of its folder.

    PYTHONPATH=src python tests/benchmarks/bench_signing.py OUT/<id> SCRIPT [--json]

A render signs on its final files only (nothing cached changes), so its cost is exactly what this
times: checking the identity (a test CA and ES256 certificate made here first, untimed), gathering
the sources (hashing them) and signing every ``video.mp4``, ``poster.jpg`` and ``storyboard.png``
of the folder's formats and cuts. ``bench_render.py`` runs it on its cold render (the row
``signing``, target: at most 2 % of the cold render).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def measure(folder: Path, script: Path) -> dict[str, float]:
    sys.path[:0] = [str(REPO / "src"), str(REPO)]
    from claimreel.pipeline.prepared import Prepared
    from claimreel.pipeline.signing import story_for
    from claimreel.publish.credentials import SigningRequest, load_identity
    from claimreel.publish.credentials.sign import sign_render
    from claimreel.script.load import load_script
    from claimreel.timeline.build import plan_scenes
    from tests.credentials_support import make_identity

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    formats = list(manifest["formats"])
    cuts = [(f, c) for f in formats for c in (manifest["formats"][f] or {}).get("cuts", {})]
    loaded = load_script(script)  # the render has it loaded already: not timed
    prepared = Prepared(loaded, None, None, plan_scenes(loaded.script), {}, ())  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory(prefix="claimreel-sign-") as tmp_name:
        tmp = Path(tmp_name)
        made = make_identity(tmp / "keys")
        copy = tmp / folder.name
        shutil.copytree(folder, copy)
        wall, cpu = time.perf_counter(), time.process_time()
        identity = load_identity(SigningRequest(made.cert, made.key))
        story = story_for(prepared, None, None)
        report = sign_render(copy, story, identity, formats, cuts)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall_s": wall, "cpu_s": cpu, "files": len(report.files), "sign_s": report.seconds,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a render's output folder OUT/<id> (unsigned)")
    parser.add_argument("script", type=Path)
    parser.add_argument("--json", action="store_true", help="print the row as JSON")
    args = parser.parse_args(argv)
    row = measure(args.folder, args.script)
    if args.json:
        print(json.dumps(row))
    else:
        print(f"signed {row['files']} files: {row['wall_s']:.3f} s wall, {row['cpu_s']:.3f} CPU s "
              f"(signing alone {row['sign_s']:.3f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
