"""A segment cache the client and every worker share, at an fsspec URL (``--cache-url``).

``file:///mnt/render-cache/claimreel`` (a mounted share) or ``s3://bucket/prefix``
(with s3fs installed). Entries are content-addressed like the local segment cache:
``segments/<key>.mp4``, its still ``<key>.still.jpg`` and its seal
``<key>.mp4.sha256`` (size and SHA-256), written last, so an entry without a
matching seal is never served. Each file is written under a temporary name and
moved into place.
"""

from __future__ import annotations

import hashlib
import uuid

from ..errors import RenderError

__all__ = ["SharedCache"]


class SharedCache:
    def __init__(self, url: str) -> None:
        import fsspec

        try:
            self.fs, root = fsspec.core.url_to_fs(url)
        except (ImportError, ValueError) as exc:
            raise RenderError(f"cache_url {url}: cannot open it ({exc}); give file:///path or s3://bucket/prefix "
                              "with its fsspec package installed").naming("cache_url") from None
        self.url = url
        self.root = root.rstrip("/") + "/segments"

    def _path(self, name: str) -> str:
        return f"{self.root}/{name}"

    def _put(self, name: str, data: bytes) -> None:
        self.fs.makedirs(self.root, exist_ok=True)
        tmp = self._path(f".{name}.{uuid.uuid4().hex[:8]}.tmp")
        self.fs.pipe_file(tmp, data)
        self.fs.mv(tmp, self._path(name))

    def has_segment(self, name: str) -> bool:
        try:
            size, digest = self.fs.cat_file(self._path(name + ".sha256")).decode("ascii").split()
            return int(self.fs.size(self._path(name))) == int(size)
        except (OSError, ValueError):
            return False

    def put_segment(self, name: str, video: bytes, still: bytes | None) -> None:
        stem = name.rsplit(".", 1)[0]
        if still is not None:
            self._put(f"{stem}.still.jpg", still)
        self._put(name, video)
        self._put(name + ".sha256", f"{len(video)} {hashlib.sha256(video).hexdigest()}\n".encode("ascii"))

    def get_segment(self, name: str) -> tuple[bytes, bytes | None]:
        """A sealed segment and its still; RenderError if it is missing or does not match its seal."""
        stem = name.rsplit(".", 1)[0]
        try:
            size, digest = self.fs.cat_file(self._path(name + ".sha256")).decode("ascii").split()
            video = self.fs.cat_file(self._path(name))
        except (OSError, ValueError) as exc:
            raise RenderError(f"{self.url}: segment {name} is missing from the shared cache ({exc}); "
                              "check that every worker can write there") from None
        if len(video) != int(size) or hashlib.sha256(video).hexdigest() != digest:
            raise RenderError(f"{self.url}: segment {name} does not match its seal; remove it and render again")
        try:
            still = self.fs.cat_file(self._path(f"{stem}.still.jpg"))
        except OSError:
            still = None
        return video, still
