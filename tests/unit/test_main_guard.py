"""A script that starts claimreel's workers at its top level, unguarded, gets one clear error
naming its line before any worker starts, instead of a BrokenProcessPool; a guarded one works."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

POOL = """\
import os
from claimreel.executor import LocalPool
"""


def _run(tmp_path: Path, body: str, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "example.py"
    script.write_text(POOL + textwrap.dedent(body), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, *args, str(script)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)


def test_an_unguarded_script_is_refused_with_its_line(tmp_path):
    done = _run(tmp_path, """\
        pool = LocalPool(1)
        print(pool.submit(os.getpid).result())
        """)
    assert done.returncode == 1
    assert f"{tmp_path / 'example.py'}:3: claimreel starts worker processes" in done.stderr
    assert 'if __name__ == "__main__":' in done.stderr
    assert "BrokenProcessPool" not in done.stderr


def test_a_call_inside_a_function_called_unguarded_is_refused_too(tmp_path):
    done = _run(tmp_path, """\
        def main():
            return LocalPool(1).submit(os.getpid).result()

        main()
        """)
    assert f"{tmp_path / 'example.py'}:6:" in done.stderr and done.returncode == 1


def test_a_guarded_script_starts_its_workers(tmp_path):
    done = _run(tmp_path, """\
        def main():
            pool = LocalPool(1)
            print("worker", pool.submit(os.getpid).result() != os.getpid())
            pool.close()

        if __name__ == "__main__":
            main()
        """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "worker True"
