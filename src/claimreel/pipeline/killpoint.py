"""A test hook: ``CLAIMREEL_TEST_KILL_AT=<stage>`` makes the render SIGKILL itself at that stage.

Crash-safety tests set it to kill a render at a known point (``synthesis``,
``segments``, ``concat``, ``publish``, ``swap``; a job runner's ``job-publish``) without racing a timer, then
check that the output folder and the caches survive and that a rerun completes.
With the variable unset (always, outside tests) :func:`kill_point` does nothing.
"""

from __future__ import annotations

import os
import signal

__all__ = ["ENV_VAR", "kill_point"]

ENV_VAR = "CLAIMREEL_TEST_KILL_AT"


def kill_point(stage: str) -> None:
    """SIGKILL this process if the test hook names ``stage``."""
    if os.environ.get(ENV_VAR) == stage:
        os.kill(os.getpid(), signal.SIGKILL)
