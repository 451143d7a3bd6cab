"""Tiny footage and documents for tests, made with the real ffmpeg and fpdf2.

Each frame of a generated clip carries its own index as its grey level (frame
``k`` has luma ``LEVEL0 + STEP * k``), so a test can tell exactly which source
frame was decoded.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Sequence

import numpy as np

from claimreel.encode.ffmpeg import Ffmpeg

LEVEL0, STEP = 20, 4
CYCLE = 55  # levels up to 236, inside the limited range


def numbered_frames(count: int, size: tuple[int, int] = (64, 48)) -> bytes:
    """``count`` grey frames (rgb24) whose level encodes their index (modulo :data:`CYCLE`)."""
    w, h = size
    return b"".join(np.full((h, w, 3), LEVEL0 + STEP * (k % CYCLE), np.uint8).tobytes() for k in range(count))


def frame_index(y_plane: np.ndarray) -> int:
    """The source frame a decoded luma plane shows (limited range: grey g has luma 16 + g * 219 / 255)."""
    grey = (float(np.median(y_plane)) - 16) * 255 / 219
    return round((grey - LEVEL0) / STEP)


def make_clip(path: Path, *, frames: int = 50, fps: int = 25, size: tuple[int, int] = (64, 48),
              extra: Sequence[str] = (), codec: Sequence[str] = ("-c:v", "libx264", "-pix_fmt", "yuv420p"),
              audio: bool = True, rgb: bytes | None = None) -> Path:
    """A clip of numbered grey frames (or ``rgb`` frames of ``size``), with a tone when ``audio``."""
    w, h = size
    path.parent.mkdir(parents=True, exist_ok=True)
    ff = Ffmpeg()
    sound = ["-f", "lavfi", "-i", f"sine=f=440:sample_rate=48000:duration={frames / fps}"] if audio else []
    cmd = ff.command(["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", str(fps), "-i", "pipe:0",
                      *sound, *codec, "-g", "10", *extra, *(["-c:a", "aac", "-shortest"] if audio else []),
                      str(path)])
    subprocess.run(cmd, input=rgb if rgb is not None else numbered_frames(frames, size), check=True,
                   capture_output=True)
    return path


def make_pdf(path: Path, pages: Sequence[str], *, password: str | None = None) -> Path:
    """A PDF with one page of text per item (fpdf2; tests skip when it is missing)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    if password:
        pdf.set_encryption(owner_password=password + "-owner", user_password=password)
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.set_xy(20, 30)
        pdf.multi_cell(170, 7, text)
    pdf.output(str(path))
    return path
