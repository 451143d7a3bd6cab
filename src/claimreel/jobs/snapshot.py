"""What a task renders: its script and the files it names, as they were when it was queued.

At submit the service records the script's text and, for every file the script names
(photos, clips, documents, the logo and speaker photo, voice-over recordings, the music
bed), its SHA-256; a copy of each file goes into a content-addressed store beside the
queue file (``render/queue.inputs/`` for ``render/queue.db``). The runner renders the
recorded text with those copies, so an edit made after the submit, to the script or to
a photo replaced under the same name, changes nothing in that render.

Copies rather than hashes alone: a render that refused to start because a photo had
changed would leave the submitted render impossible to make; a copy makes it exactly
what was submitted. A file is stored once however many tasks name it, under
``<sha256[:2]>/<sha256>/<its file name>`` (the name kept for ffmpeg, which reads formats
from it, and for messages). A copy is written to a temporary name, flushed and renamed,
so a crash never leaves a partial file under a hash; files are never changed in place.

The workspace's theme, fonts and loudness profiles, and a Piper voice model of the
script's own, are read when the task renders: they belong to the newsroom, not the story.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator

from ..errors import ClaimreelError
from ..files import file_sha256
from ..script.load import LoadedScript, load_text

__all__ = ["InputStore", "named_files", "store_for"]


def store_for(queue_path: Path) -> Path:
    """The folder of stored copies beside the queue file: ``render/queue.inputs`` for ``render/queue.db``."""
    return queue_path.with_suffix(".inputs")


def named_files(loaded: LoadedScript) -> Iterator[tuple[str, Path]]:
    """Every file the script names, as written and where it is now: the pictures, clips and
    documents the loader checked, then the voice-over recordings and the music bed (an
    :class:`~claimreel.errors.AssetError` names one that is missing, as a render would)."""
    from ..narration.plan import check_sound_assets, sound_fields

    yield from loaded.assets.items()
    found = check_sound_assets(loaded)
    for where, written in sound_fields(loaded.script):
        if written not in loaded.assets:
            yield written, found[where]


class InputStore:
    """Copies of submitted files by content hash, in ``folder`` (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, sha256: str, name: str) -> Path:
        return self.folder / sha256[:2] / sha256 / name

    def record(self, loaded: LoadedScript) -> dict[str, Any]:
        """Store the script's files and return what the queue keeps for its task: the script's
        text, its workspace, and each named file's hash and name."""
        try:
            text = loaded.path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ClaimreelError(f"{loaded.path}: could not be read again to queue it ({exc}); submit again") from None
        files = {}
        for written, source in named_files(loaded):
            files[written] = {"sha256": self.put(source), "name": source.name}
        return {"script": text, "root": str(loaded.root), "files": files}

    def put(self, source: Path) -> str:
        """Store a copy of ``source`` (once per content and name); returns its SHA-256."""
        sha256 = file_sha256(source)
        target = self.path(sha256, source.name)
        if target.is_file():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)
        try:
            digest = hashlib.sha256()
            with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            if digest.hexdigest() != sha256:
                raise ClaimreelError(f"{source}: it changed while the render was being queued; submit again")
            os.chmod(temp, 0o444)  # a stored copy is never written again
            os.replace(temp, target)
        except OSError as exc:
            raise ClaimreelError(f"{source}: could not store a copy for the queue in {self.folder} "
                                 f"({exc.strerror or exc}); free some space or give the queue option a writable place"
                                 ).naming("queue") from None
        finally:
            Path(temp).unlink(missing_ok=True)
        return sha256

    def restore(self, inputs: dict[str, Any], script: Path) -> LoadedScript:
        """The script as submitted, its files pointing at the stored copies; messages name ``script``."""
        loaded = load_text(inputs["script"], filename=str(script), root=Path(inputs["root"]), check_assets=False)
        assets = dict(loaded.assets)
        for written, stored in inputs["files"].items():
            path = self.path(stored["sha256"], stored["name"])
            if not path.is_file() or file_sha256(path) != stored["sha256"]:
                raise ClaimreelError(f"{script}: {written}: the copy stored when this render was queued is missing "
                                     f"or damaged ({path}); submit the render again")
            assets[written] = path
        return dataclasses.replace(loaded, assets=MappingProxyType(assets))
