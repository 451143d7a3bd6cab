"""``claimreel storyboard``: one labelled thumbnail per scene, and no video encoded."""

from __future__ import annotations

import numpy as np
from PIL import Image

from claimreel.cli import main
from claimreel.publish.images import PAD, THUMB


def test_storyboard_command_draws_every_scene_without_encoding(workspace, capsys):
    out, cache = workspace / "out", workspace / "cache"
    script = workspace / "scripts" / "small-check.yaml"
    assert main(["storyboard", str(script), "--format", "9x16", "--out", str(out), "--cache", str(cache)]) == 0
    path = out / "small-check-storyboard-9x16.png"
    assert capsys.readouterr().out.startswith(f"{path}: 8 scenes, ")  # the end card last: the script gives its url
    assert [p.name for p in out.iterdir()] == [path.name]  # nothing else written: no video, no package
    assert not list(cache.rglob("*.mp4"))
    sheet = np.asarray(Image.open(path).convert("RGB")).astype(int)
    tw, th = round(1080 / 1920 * THUMB), THUMB
    columns = sheet.shape[1] // (tw + PAD)
    assert columns == 6 and sheet.shape[1] == PAD + columns * (tw + PAD)
    header, label = 56, 48
    red = np.array([0xC0, 0x26, 0x2D])
    thumbs = []
    for i in range(7):
        x = PAD + (i % columns) * (tw + PAD)
        y = header + (i // columns) * (th + label + PAD)
        thumbs.append(sheet[y:y + th, x:x + tw])
    navy = np.array([0x0D, 0x1B, 0x2A])
    # Scene 3 is the verdict: its badge in the rating colour; cards sit on the theme's navy.
    assert (np.abs(thumbs[2] - red).sum(axis=2) < 40).sum() > 300
    assert all((np.abs(thumbs[i][2:12, 2:12] - navy).sum(axis=2) < 30).all() for i in (0, 1, 2, 4, 5, 6))
    # The photo scene (4th) shows the photo, not the navy card.
    assert (np.abs(thumbs[3] - navy).sum(axis=2) < 30).mean() < 0.2
    # Labels below each thumbnail: dark text on white.
    below = sheet[header + th + 6: header + th + 26, PAD:PAD + tw]
    assert (below.sum(axis=2) < 200).sum() > 50


def test_storyboard_bad_input_exits_2(workspace, capsys):
    script = workspace / "scripts" / "small-check.yaml"
    assert main(["storyboard", str(script), "--format", "3x2"]) == 2
    (workspace / "assets" / "photos" / "river.jpg").unlink()
    assert main(["storyboard", str(script), "--out", str(workspace / "out")]) == 2
    err = capsys.readouterr().err
    assert "body.0.image:" in err and "not found" in err
    assert not (workspace / "out").exists()


def test_storyboard_labels_draw_every_script_with_the_fallback_fonts():
    """A Uyghur or Chinese title on the sheet is shaped text, not the main font's empty boxes."""
    from pathlib import Path

    from claimreel.compose.layers import draw_elements
    from claimreel.layout.text import FontBook
    from claimreel.layout.theme import load_theme, themes_root
    from claimreel.publish.images import _label

    theme = load_theme("default", themes_root())
    book = FontBook(theme.fonts, theme.fallbacks)
    latin_only = FontBook(theme.fonts)
    for title in ("خىتاي ب د ت نىڭ دوكلاتىنى", "北京称联合国报告非法"):
        label = _label(book, title, 0, 0, 900, "bold", 20, (0, 0, 0))
        assert label.lines == (title,)  # fits: nothing cut
        runs = book.runs("bold", 20, title)
        assert {Path(font.path).name for font, text, _ in runs if text.strip()} & {
            "NotoSansArabic-Bold.ttf", "NotoSansSC-Bold.otf"}
        drawn = np.asarray(draw_elements([label], (900, 40), book))[..., 3]
        tofu = np.asarray(draw_elements([label], (900, 40), latin_only))[..., 3]
        assert drawn.sum() > 0 and not np.array_equal(drawn, tofu)


def test_storyboard_all_formats_draws_one_sheet_each(workspace, capsys):
    script = workspace / "scripts" / "small-check.yaml"
    out = workspace / "out"
    code = main(["storyboard", str(script), "--format", "all", "--out", str(out), "--cache", str(workspace / "c")])
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.glob("*.png")) == [
        f"small-check-storyboard-{name}.png" for name in ("16x9", "1x1", "4x5", "9x16")]


def test_sheet_stills_are_the_frames_drawn_small(workspace):
    """A sheet's still is drawn from the frame's layout scaled down, not a layout of its own: it
    matches the full-size frame shrunk to the thumbnail, scene by scene, in wide and tall formats."""
    from claimreel.pipeline.storyboard import SAMPLE, prepare_boards, sheet_scene
    from claimreel.publish.images import scene_still, thumb_size, thumbnail

    prepared = prepare_boards(workspace / "scripts" / "small-check.yaml", ["16x9", "9x16"], cache=workspace / "c",
                              voice="fake")
    for fmt in prepared.formats:
        size = thumb_size(fmt)
        pairs = []
        for layout, scene in zip(prepared.layouts[fmt.name], prepared.timelines[fmt.name].scenes):
            small, drawn = sheet_scene(layout, fmt)
            assert (drawn.width, drawn.height) == (size[0] * SAMPLE, size[1] * SAMPLE)
            full = scene_still(layout, scene, fmt, prepared.theme, prepared.book)
            quick = scene_still(small, scene, drawn, prepared.theme, prepared.book)
            pairs.append((np.asarray(thumbnail(full, size)).astype(int), np.asarray(thumbnail(quick, size)).astype(int)))
        for i, (full, quick) in enumerate(pairs):
            off = np.abs(full - quick).mean()
            # the same composition, to a pixel: the frame moved by four pixels is further off
            moved = np.abs(np.roll(full, 4, axis=1) - quick)[:, 4:].mean()
            assert off < 3.5 and off < moved, (fmt.name, i, off, moved)
