"""Loudness profiles: the integrated loudness and true-peak ceiling a render is normalised to.

Profiles live in ``render/profiles/<name>.yaml`` (the workspace's first, then
the checkout's); the four of docs/standards.md are also built in, so an installed
package needs no files. ``web`` is the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from ..errors import ClaimreelError

__all__ = ["BUILTIN", "DEFAULT_PROFILE", "LoudnessProfile", "load_profile", "profile_roots"]

DEFAULT_PROFILE = "web"


@dataclass(frozen=True)
class LoudnessProfile:
    name: str
    integrated_lufs: float
    tolerance_lu: float
    true_peak_dbtp: float


BUILTIN: dict[str, LoudnessProfile] = {
    p.name: p
    for p in (
        LoudnessProfile("web", -16.0, 1.0, -1.0),
        LoudnessProfile("youtube", -14.0, 1.0, -1.0),
        LoudnessProfile("ebu-r128", -23.0, 0.5, -1.0),
        LoudnessProfile("atsc-a85", -24.0, 1.0, -2.0),
    )
}


def profile_roots(workspace: Path | None = None) -> list[Path]:
    roots = [workspace / "render" / "profiles"] if workspace else []
    return roots + [Path(__file__).resolve().parents[3] / "render" / "profiles"]


def _read(path: Path) -> LoudnessProfile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        profile = LoudnessProfile(str(data["name"]), float(data["integrated_lufs"]),
                                  float(data.get("tolerance_lu", 1.0)), float(data["true_peak_dbtp"]))
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ClaimreelError(f"{path}: not a loudness profile ({exc}); it needs name, integrated_lufs "
                             "and true_peak_dbtp, like render/profiles/web.yaml") from None
    if not (-40 <= profile.integrated_lufs <= -5 and -10 <= profile.true_peak_dbtp <= 0):
        raise ClaimreelError(f"{path}: integrated_lufs must be within -40..-5 and true_peak_dbtp within -10..0")
    return profile


def load_profile(name: str | None, roots: Sequence[Path] = ()) -> LoudnessProfile:
    """The profile called ``name`` (default ``web``); exit 2 naming the known ones if there is none."""
    name = name or DEFAULT_PROFILE
    for root in roots or profile_roots():
        path = root / f"{name}.yaml"
        if path.is_file():
            return _read(path)
    if name in BUILTIN:
        return BUILTIN[name]
    known = sorted({*BUILTIN, *(p.stem for r in roots for p in Path(r).glob("*.yaml"))})
    raise ClaimreelError(f"unknown loudness profile {name!r}; known: {', '.join(known)}; "
                         "use the loudness option or the script's loudness field").naming("loudness")
