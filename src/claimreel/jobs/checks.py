"""What a task is checked for before it is queued: the script loads, and its options fit it.

A queue holds only renders that can start: a bad script or option is refused at submit
(exit 2, nothing queued) rather than failing later on a runner, unattended.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ..errors import ClaimreelError
from ..layout.formats import FORMATS
from ..pipeline.output import output_root
from .model import TaskSpec

__all__ = ["check_task", "output_folder"]


def output_folder(out: Path, story: str, preview: bool) -> Path:
    """Where a task's render lands: ``out/<id>``, or ``out/_previews/<id>`` for a preview."""
    return output_root(out, preview) / story


def check_task(spec: TaskSpec, loaded_scripts: dict[Path, Any] | None = None) -> tuple[TaskSpec, str, Path]:
    """``spec`` with absolute paths, its script's id and its output folder; raises the script's
    :class:`~claimreel.errors.ScriptError` or a ClaimreelError naming the bad option.

    ``loaded_scripts`` keeps scripts already loaded by path, for a job that renders one script
    several ways."""
    from ..encode.profiles import load_profile, profile_roots
    from ..narration.engines import ENGINES
    from ..pipeline.cuts import select_cuts
    from ..script.load import load_script

    cache = loaded_scripts if loaded_scripts is not None else {}
    key = spec.script.resolve()
    if key not in cache:
        cache[key] = load_script(spec.script)
    loaded = cache[key]
    where = f"{spec.script}: "
    unknown = [name for name in spec.formats if name not in FORMATS]
    if unknown:
        raise ClaimreelError(f"{where}unknown format {', '.join(unknown)}; use {', '.join(FORMATS)} or all")
    try:
        select_cuts(loaded.script, spec.cuts)
        load_profile(spec.loudness or loaded.script.loudness, profile_roots(loaded.root))
    except ClaimreelError as exc:
        raise ClaimreelError(where + str(exc)).naming(*exc.options) from None
    if spec.voice is not None and spec.voice not in ENGINES:
        raise ClaimreelError(f"{where}unknown voice engine {spec.voice!r}; use one of {', '.join(sorted(ENGINES))}")
    resolved = dataclasses.replace(spec, script=spec.script.resolve(), out=spec.out.resolve(),
                                   formats=spec.formats or tuple(loaded.script.formats))
    return resolved, loaded.script.id, output_folder(resolved.out, loaded.script.id, spec.preview)
