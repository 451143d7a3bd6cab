"""Draw the example corner-mark logo: a typographic wordmark badge (a stand-in, see CREDITS.md).

Usage: python assets/logos/make_logos.py   (writes polygraph-wordmark.png next to this file)

Vector shapes and Inter Bold/Medium from assets/fonts, drawn 4x and downsampled, so the
same file reads on the dark and light themes and over photos (it carries its own badge).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent / "fonts"
SCALE = 4
HEIGHT = 120  # final pixel height; the theme's logo height at 1080p is 40-60 px


def wordmark(path: Path) -> None:
    h = HEIGHT * SCALE
    bold = ImageFont.truetype(str(FONTS / "Inter-Bold.otf"), round(h * 0.46))
    medium = ImageFont.truetype(str(FONTS / "Inter-Medium.otf"), round(h * 0.46))
    left, right = "POLYGRAPH", ".info"
    pad = round(h * 0.30)
    tick = round(h * 0.42)  # the check-mark tile on the left
    gap = round(h * 0.20)
    w_left = bold.getlength(left)
    w_right = medium.getlength(right)
    width = pad + tick + gap + round(w_left + w_right) + pad
    img = Image.new("RGBA", (width, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, width - 1, h - 1), radius=round(h * 0.16), fill=(16, 44, 84, 255))
    # Check-mark tile: a gold square with a navy tick (the verdict, drawn as vectors).
    ty = (h - tick) // 2
    d.rounded_rectangle((pad, ty, pad + tick, ty + tick), radius=round(tick * 0.18), fill=(255, 200, 69, 255))
    pts = [(pad + tick * 0.22, ty + tick * 0.52), (pad + tick * 0.43, ty + tick * 0.72),
           (pad + tick * 0.80, ty + tick * 0.30)]
    d.line(pts, fill=(16, 44, 84, 255), width=round(tick * 0.13), joint="curve")
    x = pad + tick + gap
    baseline = h / 2 + (bold.getmetrics()[0] - bold.getmetrics()[1]) / 2
    d.text((x, baseline), left, font=bold, fill=(255, 255, 255, 255), anchor="ls")
    d.text((x + w_left, baseline), right, font=medium, fill=(255, 200, 69, 255), anchor="ls")
    small = img.resize((round(width / SCALE), HEIGHT), Image.Resampling.LANCZOS)
    small.save(path, optimize=True)
    print(path.name, small.size)


if __name__ == "__main__":
    wordmark(HERE / "polygraph-wordmark.png")
