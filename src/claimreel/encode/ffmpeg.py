"""The one ffmpeg wrapper: find the binary, run it, pipe frames into it.

The binary comes from the constructor argument, then ``CLAIMREEL_FFMPEG``,
then the imageio-ffmpeg wheel, and is looked up on first use, not at import.
Commands are argument lists (never a shell); every failure becomes an
:class:`~claimreel.errors.FFmpegError` with the stderr tail and a hint.
Argument builders elsewhere in this package are pure functions; paths go
through :func:`media_path` so a file named ``-x.mp4`` is never read as an option.
"""

from __future__ import annotations

import os
import subprocess
import threading
from contextlib import contextmanager
from typing import IO, Iterator, Sequence

from ..errors import FFmpegError

__all__ = ["ENV_VAR", "Ffmpeg", "FfmpegPipe", "global_args", "hint_for", "media_path"]

ENV_VAR = "CLAIMREEL_FFMPEG"

_MISSING_HINT = f"install imageio-ffmpeg (pip install imageio-ffmpeg) or set {ENV_VAR} to an ffmpeg binary"

_NO_ENCODER = f"this ffmpeg lacks the encoder; use the imageio-ffmpeg build or set {ENV_VAR} to a full build"

# (text in stderr, lower-cased) -> remediation; first match wins.
_HINTS: tuple[tuple[str, str], ...] = (
    ("no space left on device", "the disk is full: free space on the output drive or write to another folder"),
    ("unknown encoder", _NO_ENCODER),
    ("encoder not found", _NO_ENCODER),
    ("permission denied", "check that the output folder is writable and the input files are readable"),
    ("no such file or directory", "check that the input file exists and the output folder was created"),
    ("invalid data found", "the input is corrupt or not a media file; re-export it"),
    ("moov atom not found", "the input MP4 is truncated (an interrupted write?); re-render it"),
    ("unrecognized option", "an option is not supported by this ffmpeg; update it or use the imageio-ffmpeg build"),
    ("option not found", "an option is not supported by this ffmpeg; update it or use the imageio-ffmpeg build"),
    ("invalid argument", "ffmpeg rejected an argument; the command is shown above"),
)


def global_args(loglevel: str = "error") -> list[str]:
    """Options every run starts with: quiet, never interactive, overwrite outputs."""
    return ["-hide_banner", "-nostdin", "-y", "-loglevel", loglevel]


def media_path(path: str | os.PathLike[str]) -> str:
    """A path as ffmpeg must see it: absolute, so it can never start with ``-``.

    ``-`` and ``pipe:N`` are kept as they are (stdin/stdout on purpose).
    """
    text = os.fspath(path)
    if text == "-" or text.startswith("pipe:"):
        return text
    return os.path.abspath(text)


def hint_for(stderr: str, returncode: int) -> str:
    """A remediation hint for a failed run, from what ffmpeg printed."""
    low = stderr.lower()
    for needle, hint in _HINTS:
        if needle in low:
            return hint
    if returncode < 0:
        return f"ffmpeg was killed by signal {-returncode} (out of memory, or stopped by the user?)"
    return "run the command shown with -loglevel info to see the full log"


class Ffmpeg:
    """An ffmpeg binary to run; cheap to create and to pickle (for worker processes)."""

    def __init__(self, binary: str | None = None) -> None:
        self._given = binary
        self._binary: str | None = None
        self._version: str | None = None

    @property
    def binary(self) -> str:
        """Path of the ffmpeg executable, resolved on first use."""
        if self._binary is None:
            self._binary = self._resolve()
        return self._binary

    def _resolve(self) -> str:
        if self._given:
            return self._given
        env = os.environ.get(ENV_VAR)
        if env:
            return env
        try:
            import imageio_ffmpeg
        except ImportError as exc:
            raise FFmpegError(["ffmpeg"], 127, "imageio_ffmpeg is not installed", _MISSING_HINT) from exc
        try:
            return str(imageio_ffmpeg.get_ffmpeg_exe())
        except RuntimeError as exc:
            raise FFmpegError(["ffmpeg"], 127, str(exc), _MISSING_HINT) from exc

    def version(self) -> str:
        """The first line of ``ffmpeg -version`` (e.g. for cache keys and ``doctor``)."""
        if self._version is None:
            out = self.run(["-version"]).stdout.decode("utf-8", "replace")
            self._version = out.splitlines()[0].strip() if out.strip() else "unknown"
        return self._version

    def command(self, args: Sequence[str], *, loglevel: str = "error") -> list[str]:
        """The full argv for ``args``."""
        return [self.binary, *global_args(loglevel), *args]

    def run(
        self,
        args: Sequence[str],
        *,
        input: bytes | None = None,
        loglevel: str = "error",
        check: bool = True,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run ffmpeg with ``args`` to completion; raise FFmpegError on a non-zero exit."""
        cmd = self.command(args, loglevel=loglevel)
        with _launching(cmd):
            proc = subprocess.run(
                cmd,
                input=input,
                stdin=None if input is not None else subprocess.DEVNULL,
                capture_output=True,
                check=False,
            )
        if check and proc.returncode != 0:
            stderr = proc.stderr.decode("utf-8", "replace")
            raise FFmpegError(cmd, proc.returncode, stderr, hint_for(stderr, proc.returncode))
        return proc

    @contextmanager
    def open_pipe(self, args: Sequence[str], *, loglevel: str = "error") -> Iterator[FfmpegPipe]:
        """Start ffmpeg reading from stdin; yield a writer; check the exit code on close.

        On an exception inside the block the process is killed and reaped, so no
        ffmpeg is left running; if ffmpeg itself died (a broken pipe), its error
        is raised as FFmpegError.
        """
        cmd = self.command(args, loglevel=loglevel)
        with _launching(cmd):
            proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
        assert proc.stdin is not None and proc.stderr is not None
        drain = _Drain(proc.stderr)
        pipe = FfmpegPipe(proc.stdin, proc.pid)
        try:
            yield pipe
            proc.stdin.close()
            code = proc.wait()
        except BrokenPipeError as exc:
            code = _reap(proc, kill=False)
            drain.join()
            raise FFmpegError(cmd, code or 1, drain.text(), hint_for(drain.text(), code or 1)) from exc
        except BaseException:
            _reap(proc, kill=True)
            drain.join()
            raise
        drain.join()
        if code != 0:
            stderr = drain.text()
            raise FFmpegError(cmd, code, stderr, hint_for(stderr, code))


    @contextmanager
    def open_reader(self, args: Sequence[str], *, loglevel: str = "error") -> Iterator[IO[bytes]]:
        """Start ffmpeg writing to stdout; yield its output stream; check the exit code on close.

        Leaving the block early (the reader has what it needs, or an exception) kills and reaps
        the process, so no ffmpeg is left running; a failed decode raises FFmpegError.
        """
        cmd = self.command(args, loglevel=loglevel)
        with _launching(cmd):
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        drain = _Drain(proc.stderr)
        finished = False
        try:
            yield proc.stdout
            finished = proc.stdout.read(1) == b""  # everything read: let ffmpeg exit by itself
        finally:
            if not finished and proc.poll() is None:
                proc.kill()
            proc.stdout.close()
            code = proc.wait()
            drain.join()
        if finished and code != 0:
            stderr = drain.text()
            raise FFmpegError(cmd, code, stderr, hint_for(stderr, code))


class FfmpegPipe:
    """Writes raw bytes to a running ffmpeg's stdin and counts them."""

    def __init__(self, stream: IO[bytes], pid: int) -> None:
        self._stream = stream
        self.pid = pid
        self.bytes_written = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        view = memoryview(data)
        self._stream.write(view)
        self.bytes_written += view.nbytes


class _Drain:
    """Reads a stream to its end on a thread, so ffmpeg never blocks on a full stderr."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._chunks: list[bytes] = []
        self._stream = stream
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for chunk in iter(lambda: self._stream.read(65536), b""):
            self._chunks.append(chunk)
            if len(self._chunks) > 64:  # keep the tail only
                del self._chunks[:-32]

    def join(self) -> None:
        self._thread.join(timeout=10)
        self._stream.close()

    def text(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")


@contextmanager
def _launching(cmd: list[str]) -> Iterator[None]:
    """Starting ``cmd``: a missing or non-executable binary becomes an FFmpegError with the fix."""
    try:
        yield
    except FileNotFoundError as exc:
        raise FFmpegError(cmd, 127, f"{cmd[0]}: not found", _MISSING_HINT) from exc
    except PermissionError as exc:
        raise FFmpegError(cmd, 126, f"{cmd[0]}: not executable", _MISSING_HINT) from exc


def _reap(proc: subprocess.Popen[bytes], *, kill: bool) -> int:
    """Close stdin, stop the process if asked, wait for it; return its exit code."""
    if kill and proc.poll() is None:
        proc.kill()
    try:
        if proc.stdin is not None:
            proc.stdin.close()
    except OSError:
        pass  # the pipe is already broken; the process is being reaped below
    return proc.wait()

