"""Regenerate the stand-in footage for the flagship example, deterministically.

The example cannot ship news footage of the U.N. General Assembly, so this short
procedural clip stands in for it: a slow camera drift across a blue hall with a
rostrum, rows of delegates' desks and soft ceiling lights, with a quiet room tone.
Every frame carries a "STAND-IN FOOTAGE" mark at the top edge, centred and small enough that
every format's crop keeps it clear of claimreel's corner mark, so nobody takes it for
real footage. Frames are drawn with Pillow and numpy and encoded by the ffmpeg of
imageio-ffmpeg (H.264 + AAC in MP4). Run from anywhere::

    python assets/clips/make_standin.py                 # assembly-hall.mp4 next to this file
    python assets/clips/make_standin.py --out /tmp/x.mp4

A fixed seed and frame-by-frame drawing give the same pixels on a rerun (with the
same Pillow, numpy and ffmpeg versions). See ``CREDITS.md``.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

W, H = 1280, 720
FPS = 25
SECONDS = 8.0
MARK = "STAND-IN FOOTAGE"
MARK_SIZE = 20
MARK_PAD = 10
HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "Inter-Medium.otf"
SEED = 20220921


def _hall(rng: np.random.Generator) -> Image.Image:
    """The whole hall, wider than the frame, so the camera can drift across it."""
    big_w, big_h = int(W * 1.25), int(H * 1.25)
    y = np.linspace(0, 1, big_h, dtype=np.float32)[:, None, None]
    top, bottom = np.array([18, 40, 78], np.float32), np.array([8, 16, 30], np.float32)
    field = np.broadcast_to(top * (1 - y) + bottom * y, (big_h, big_w, 3)).copy()
    img = Image.fromarray(field.astype(np.uint8))
    d = ImageDraw.Draw(img)
    cx = big_w // 2
    # the tall backdrop and its emblem
    d.rectangle([cx - 260, 60, cx + 260, int(big_h * 0.62)], fill=(40, 96, 160))
    d.ellipse([cx - 70, 120, cx + 70, 260], outline=(210, 225, 240), width=6)
    for k in range(-3, 4):
        d.line([cx + k * 20, 125, cx + k * 20, 255], fill=(210, 225, 240), width=2)
    d.line([cx - 70, 190, cx + 70, 190], fill=(210, 225, 240), width=2)
    # the rostrum
    d.rectangle([cx - 120, int(big_h * 0.5), cx + 120, int(big_h * 0.66)], fill=(40, 92, 70))
    d.rectangle([cx - 28, int(big_h * 0.42), cx + 28, int(big_h * 0.5)], fill=(30, 30, 36))  # a speaker
    d.ellipse([cx - 20, int(big_h * 0.38), cx + 20, int(big_h * 0.43)], fill=(60, 50, 46))
    # rows of delegates' desks, lower and wider toward the camera
    for row in range(6):
        yy = int(big_h * (0.7 + row * 0.05))
        shade = 70 + row * 12
        d.rectangle([0, yy, big_w, yy + 14 + row * 3], fill=(shade, shade - 20, shade - 40))
        for x in range(int(rng.integers(0, 60)), big_w, 60 + row * 10):
            d.ellipse([x, yy - 26 - row * 4, x + 22 + row * 3, yy], fill=(24 + row * 6, 24 + row * 5, 30 + row * 5))
    return img.filter(ImageFilter.GaussianBlur(1.2))


def mark_box(d: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont) -> tuple[float, float, float, float]:
    """The stand-in mark's black box (left, top, right, bottom) in the 1280x720 frame: against the
    top edge, the middle 18% of the width. Narrow and high, so 4:5's and 1:1's crops around the
    middle keep it right of claimreel's corner mark and 9:16's keeps it above it."""
    w = d.textlength(MARK, font=font)
    return (W - w) / 2 - MARK_PAD, 2, (W + w) / 2 + MARK_PAD, 32


def frames(count: int) -> list[bytes]:
    rng = np.random.default_rng(SEED)
    hall = _hall(rng)
    lights = rng.uniform(0, 1, (24, 3))
    font = ImageFont.truetype(str(FONT), MARK_SIZE)
    out = []
    for i in range(count):
        t = i / max(count - 1, 1)
        x = int((hall.width - W) * (0.15 + 0.7 * t))  # a slow pan, left to right
        y = int((hall.height - H) * (0.6 - 0.2 * t))
        frame = hall.crop((x, y, x + W, y + H))
        d = ImageDraw.Draw(frame)
        for k, (lx, phase, size) in enumerate(lights):
            glow = int(150 + 90 * np.sin(2 * np.pi * (t * 2 + phase)))
            px = int(lx * W)
            d.ellipse([px, 14 + (k % 3) * 10, px + 6 + size * 6, 20 + (k % 3) * 10 + size * 6],
                      fill=(glow, glow, int(glow * 0.8)))
        left, top, right, bottom = mark_box(d, font)
        d.rectangle([left, top, right, bottom], fill=(0, 0, 0))
        d.text((left + MARK_PAD, top + 3), MARK, font=font, fill=(255, 255, 255))
        out.append(frame.tobytes())
    return out


def room_tone(seconds: float, rate: int = 48000) -> bytes:
    """A quiet hall: low filtered noise with a slow swell (no speech, no music)."""
    rng = np.random.default_rng(SEED)
    n = int(seconds * rate)
    noise = rng.normal(0, 1, n).astype(np.float32)
    kernel = np.ones(48, np.float32) / 48  # a soft low-pass
    tone = np.convolve(noise, kernel, mode="same")
    swell = 0.6 + 0.4 * np.sin(np.linspace(0, np.pi, n, dtype=np.float32))
    return (tone * swell * 0.25).astype("<f4").tobytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "assembly-hall.mp4")
    args = parser.parse_args(argv)
    import imageio_ffmpeg

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    count = round(SECONDS * FPS)
    audio = args.out.with_suffix(".f32")
    audio.write_bytes(room_tone(SECONDS))
    try:
        cmd = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{W}x{H}", "-r", str(FPS), "-i", "pipe:0",
               "-f", "f32le", "-ar", "48000", "-ac", "1", "-i", str(audio),
               "-c:v", "libx264", "-preset", "slow", "-crf", "26", "-pix_fmt", "yuv420p", "-g", str(FPS * 2),
               "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart",
               "-metadata", "comment=Stand-in footage made by claimreel (procedural; CC0)", str(args.out)]
        subprocess.run(cmd, input=b"".join(frames(count)), check=True)
    finally:
        audio.unlink(missing_ok=True)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
