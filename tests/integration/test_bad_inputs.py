"""The bad-input corpus: every broken script or asset gets exit 2 from ``validate``, ``render``
and ``export --otio``, one clear message naming the file, the place and the fix, no traceback, and nothing
written to the output folder. Odd but valid images and file names render correctly."""

from __future__ import annotations

import importlib.util
import io
import os
import struct
import subprocess
import sys
import wave
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pytest
from PIL import Image

from claimreel.cli import main
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import decode_frames

from ..conftest import REPO, SMALL_SCRIPT, make_photo
from ..media import make_clip, make_pdf

SCRIPT = "scripts/small-check.yaml"
_EXPORT = importlib.util.find_spec("opentimelineio") is not None  # the export extra; without it export says so
PHOTO = "assets/photos/river.jpg"


def _edit(old: str, new: str, text: str = SMALL_SCRIPT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _script(text: str | bytes) -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        path = ws / SCRIPT
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return apply


def _photo_bytes(data: bytes | Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        path = ws / PHOTO
        path.write_bytes(data(path.read_bytes()) if callable(data) else data)
    return apply


def _png(size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels but holds none: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def _zlib_bomb_png() -> bytes:
    """A small PNG claiming 9500 x 9500 pixels whose data inflates a thousandfold (first 800 rows)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    w = h = 9500
    raw = zlib.compress(b"\x00" * ((w * 3 + 1) * 800), 1)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _wav() -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(np.zeros(1600, "<i2").tobytes())
    return buf.getvalue()


def _corrupt_png(data: bytes) -> bytes:
    png = bytearray(_png((200, 150)))
    idat = png.find(b"IDAT")
    png[idat + 8: idat + 40] = b"\xff" * 32  # damaged compressed data, CRC now wrong too
    return bytes(png)


def _symlink_out(ws: Path) -> None:
    outside = ws.parent / f"{ws.name}-outside.jpg"
    make_photo(outside, (64, 36))
    (ws / PHOTO).unlink()
    (ws / PHOTO).symlink_to(outside)


def _symlink_dir_out(ws: Path) -> None:
    outside = ws.parent / f"{ws.name}-elsewhere"
    make_photo(outside / "river.jpg", (64, 36))
    (ws / "assets" / "linked").symlink_to(outside, target_is_directory=True)
    _script(_edit(f"image: {PHOTO}", "image: assets/linked/river.jpg"))(ws)


def _asset_dir(ws: Path) -> None:
    (ws / "assets" / "photos" / "folder.jpg").mkdir()
    _script(_edit(f"image: {PHOTO}", "image: assets/photos/folder.jpg"))(ws)


def _speaker_photo(data: bytes) -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        (ws / "assets" / "photos" / "speaker.jpg").write_bytes(data)
        _script(_edit("speaker: {name: Ana Ruiz,", "speaker: {photo: assets/photos/speaker.jpg, name: Ana Ruiz,"))(ws)
    return apply


def _deep(levels: int) -> str:
    return "id: x\ntitle: " + "[" * levels + "]" * levels + "\n"


CLIP = "assets/clips/talk.mp4"
DOC = "assets/documents/report.pdf"
REPORT_PAGE = "The assessment found that the detention may constitute international crimes."


def _with_block(block: str) -> str:
    return SMALL_TEXT.replace("credits:\n", block + "credits:\n", 1)


def _clip(data: Callable[[Path], None] | bytes | None = None, *, start: str = "0.5", end: str = "1.5",
          audio: str = "under") -> Callable[[Path], None]:
    """A clip block (body.3) over ``data``: bytes, a maker of the file, or a good 2 s clip."""
    def apply(ws: Path) -> None:
        path = ws / CLIP
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            make_clip(path, frames=50)
        elif isinstance(data, bytes):
            path.write_bytes(data)
        else:
            data(path)
        _script(_with_block(f"  - type: clip\n    file: {CLIP}\n    start: {start}\n    end: {end}\n"
                            f"    audio: {audio}\n    caption: Talk\n    credit: Test\n"
                            "    description: Someone talks.\n"))(ws)
    return apply


def _truncated_clip(path: Path) -> None:
    make_clip(path, frames=50)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _document(page: int = 1, highlight: str = "may constitute international crimes", *,
              password: str | None = None, data: bytes | None = None) -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        pytest.importorskip("fpdf", reason="fpdf2 (test extra) makes the PDFs")
        path = ws / DOC
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            path.write_bytes(data)
        else:
            make_pdf(path, ["A cover page.", REPORT_PAGE], password=password)
        _script(_with_block(f"  - type: document\n    file: {DOC}\n    page: {page}\n    source: Report\n"
                            f"    highlight: {highlight}\n"))(ws)
    return apply


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Path], None]
    expect: tuple[str, ...]  # substrings of the message: what is wrong, and the fix
    place: str = ""  # the place: 'line:col' or a field path expected in the message
    lines: int = 1  # problems reported (one line each)


SMALL_TEXT = SMALL_SCRIPT
CASES = [
    # --- YAML syntax -------------------------------------------------------------------
    Case("yaml-colon-in-text", _script(_edit("title: A short test", "title: A short: test")),
         ("invalid YAML", "put text that holds ': '"), ":2:"),
    Case("yaml-tab-indent", _script(_edit("  quote: The river", "\tquote: The river")),
         ("invalid YAML", "indent with spaces"), ":9:"),
    Case("yaml-unclosed-quote", _script(_edit('rating: "False"', 'rating: "False')),
         ("invalid YAML",), ":"),
    Case("yaml-unclosed-flow", _script(_edit("compare: [{label: April, value: 12}", "compare: [{label: April, value: 12")),
         ("invalid YAML",), ":"),
    Case("yaml-second-document", _script(SMALL_TEXT + "---\nid: again\n"),
         ("second document starts here", "remove the second '---'"), ":34:1"),
    Case("yaml-python-tag", _script(_edit("title: A short", "title: !!python/object/apply:os.system A short")),
         ("unsupported YAML tag", "remove the tag"), "title"),
    Case("yaml-empty-file", _script(""), ("the script is empty", "claimreel new"), ":1:1"),
    Case("yaml-only-comments", _script("# nothing here\n"), ("the script is empty",), ":1:1"),
    Case("yaml-top-level-list", _script("- a\n- b\n"), ("top level must be a mapping", "id: my-fact-check"), ":1:1"),
    Case("yaml-deep-nesting", _script(_deep(200)), ("nested more than", "flatten"), ":2:"),
    # --- duplicate keys, aliases ------------------------------------------------------------
    Case("duplicate-top-key", _script(_edit("language: en\n", "language: en\ntitle: Again\n")),
         ("duplicate key 'title'", "already set on line 2"), ":4:1"),
    Case("duplicate-nested-key", _script(_edit("  date: 2024-04-30\n", "  date: 2024-04-30\n  quote: Twice.\n")),
         ("duplicate key 'quote'", "keep one"), "claim.quote"),
    Case("billion-laughs", _script((REPO / "tests/fixtures/scripts/billion_laughs.yaml").read_text()),
         ("anchors like '&a' are not allowed", "write each value out in full"), ":2:4"),
    Case("alias-use", _script(_edit("name: Ana Ruiz", "name: *who")),
         ("aliases like '*who' are not allowed",), ":10:"),
    Case("merge-key-bomb", _script(_edit("claim:\n", "base: &b {x: 1}\nclaim:\n  <<: *b\n")),
         ("anchors like '&b' are not allowed",), ":"),
    # --- wrong types, unknown and missing fields ------------------------------------------------------
    Case("wrong-type-date", _script(_edit("published: 2024-05-01", "published: yesterday")),
         ("expected a date like 2022-09-21", "got 'yesterday'"), "published"),
    Case("wrong-type-body-mapping", _script(SMALL_TEXT.split("body:")[0] + "body: {type: quote}\n" +
                                             "credits:" + SMALL_TEXT.split("credits:")[1]),
         ("body",), "body"),
    Case("wrong-type-compare-value", _script(_edit("value: 3.5", "value: lots")), ("expected a number", "'lots'"),
         "body.2.compare.1.value"),
    Case("wrong-type-focus", _script(_edit("    credit: Test photo", "    credit: Test photo\n    focus: centre")),
         ("body.0.focus",), "body.0.focus"),
    Case("out-of-range-rate", _script(_edit("voice: {engine: fake}", "voice: {engine: fake, rate: 9000}")),
         ("must be at most 400",), "voice.rate"),
    Case("unknown-top-field", _script(_edit("intro: A quick", "intor: A quick")),
         ("unknown field 'intor'", "did you mean 'intro'?"), "intor"),
    Case("unknown-block-field", _script(_edit("    credit: Test photo", "    credti: Test photo")),
         ("unknown field 'credti'", "did you mean 'credit'?"), "body.0.credti", lines=2),
    Case("unknown-block-type", _script(_edit("  - type: quote", "  - type: qoute")),
         ("unknown block type 'qoute'", "did you mean 'quote'?"), "body.1.type"),
    Case("unknown-voice-engine", _script(_edit("voice: {engine: fake}", "voice: {engine: festival}")),
         ("expected one of espeak, fake", "'festival'"), "voice.engine"),
    Case("missing-verdict", _script(_edit('verdict:\n  rating: "False"\n  summary: The river was running on that day.\n', "")),
         ("field required", "add 'verdict:'"), "verdict"),
    Case("missing-claim-quote", _script(_edit("  quote: The river is dry.\n", "")),
         ("field required", "add 'quote:'"), "claim.quote"),
    Case("missing-photo-description", _script(_edit("    description: A wide river under a cloudy sky.\n", "")),
         ("field required", "add 'description:'"), "body.0.description"),
    Case("empty-narration", _script(_edit("narration: Photos show water.", 'narration: ""')),
         ("must not be empty",), "body.0.narration"),
    Case("blank-narration", _script(_edit("narration: Photos show water.", 'narration: "   "')),
         ("must not be empty",), "body.0.narration"),
    Case("empty-body", _script(SMALL_TEXT.split("body:")[0] + "body: []\ncredits:" + SMALL_TEXT.split("credits:")[1]),
         ("body",), "body"),
    Case("absurdly-long-quote", _script(_edit("quote: The river is dry.", "quote: " + "The river is dry. " * 400)),
         ("claim.quote", "1200"), "claim.quote"),
    Case("long-text-that-cannot-fit", _script(_edit("quote: The river is dry.", "quote: " + "dry " * 280)),
         ("does not fit its place on screen even at 40 px", "shorten it"), ":9:10: claim.quote: 16x9: the text"),
    Case("word-longer-than-a-line", _script(_edit("narration: Flow fell later.", "narration: Flow " + "x" * 300 + " fell.")),
         ("longer than a caption line", "break it up with spaces"), "body.2.narration"),
    Case("word-longer-than-a-line-on-screen", _script(_edit("caption: The river on April 30", "caption: " + "Riverbank" * 9)),
         ("does not fit", "shorten it"), "body.0.caption"),
    Case("unknown-rating", _script(_edit('rating: "False"', "rating: Flase")),
         ("unknown rating 'Flase'", "did you mean 'False'?"), "verdict.rating"),
    Case("bad-id", _script(_edit("id: small-check", "id: Small_Check")), ("lower-case letters",), "id"),
    Case("bad-url", _script(_edit("url: https://example.org/checks/small", "url: javascript:alert(1)")),
         ("starting with http:// or https://",), ":6:6: url"),
    # --- encodings and characters -------------------------------------------------------------
    Case("latin-1-script", _script(_edit("A quick check.", "A quick check, café.").encode("latin-1")),
         ("not UTF-8", "save the file as UTF-8"), ":7:"),
    Case("utf-16-script", _script(SMALL_TEXT.encode("utf-16")), ("UTF-16", "save it as UTF-8"), ":1:1"),
    Case("raw-control-char", _script(_edit("A quick check.", "A quick\x1b[31m check.")),
         ("control character U+001B", "remove it"), ":7:"),
    Case("nul-byte", _script(_edit("A quick check.", "A quick\x00 check.")), ("U+0000",), ":7:"),
    Case("escaped-control-char", _script(_edit("intro: A quick check.", 'intro: "A quick\\x07 check."')),
         ("control character U+0007", "remove it"), "intro"),
    Case("bidi-override", _script(_edit("quote: The river is dry.", "quote: The river is \u202edry.")),
         ("bidi control U+202E", "remove it"), "claim.quote"),
    Case("bidi-isolate", _script(_edit("text: It was flowing.", "text: It was \u2066flowing.")),
         ("bidi control U+2066",), "body.1.text"),
    Case("script-too-large", _script("# " + "x" * 1_100_000 + "\n"), ("too large",), ":1:1"),
    # --- asset paths -------------------------------------------------------------------------
    Case("asset-absolute", _script(_edit(f"image: {PHOTO}", "image: /etc/passwd")),
         ("must be relative to the workspace",), "body.0.image"),
    Case("asset-home", _script(_edit(f"image: {PHOTO}", "image: ~/river.jpg")), ("must be relative",), "body.0.image"),
    Case("asset-windows-drive", _script(_edit(f"image: {PHOTO}", "image: 'C:\\photos\\river.jpg'")),
         ("must be relative",), "body.0.image"),
    Case("asset-dotdot", _script(_edit(f"image: {PHOTO}", "image: assets/../../etc/passwd")),
         ("must not contain '..'",), "body.0.image"),
    Case("asset-symlink-out", _symlink_out, ("leads outside the workspace", "copy the file into"), "body.0.image"),
    Case("asset-symlinked-folder-out", _symlink_dir_out, ("leads outside the workspace",), "body.0.image"),
    Case("asset-url", _script(_edit(f"image: {PHOTO}", "image: https://example.org/river.jpg")),
         ("not a URL", "download it into the assets/ folder"), "body.0.image"),
    Case("asset-file-url", _script(_edit(f"image: {PHOTO}", "image: file:///etc/passwd")), ("not a URL",), "body.0.image"),
    Case("asset-missing", _script(_edit(f"image: {PHOTO}", "image: assets/photos/rivr.jpg")),
         ("file not found", "did you mean 'river.jpg'?"), "body.0.image"),
    Case("asset-is-a-folder", _asset_dir, ("not a file",), "body.0.image"),
    # --- damaged, lying and oversized files --------------------------------------------------------
    Case("jpeg-truncated", _photo_bytes(lambda b: b[: len(b) // 3]), ("damaged or truncated", "export or download it again"),
         "body.0.image"),
    Case("jpeg-header-only", _photo_bytes(lambda b: b[:200]), ("damaged or truncated",), "body.0.image"),
    Case("png-corrupt-data", _photo_bytes(_corrupt_png), ("damaged or truncated",), "body.0.image"),
    Case("png-truncated", _photo_bytes(lambda b: _png((300, 200))[:120]), ("damaged or truncated",), "body.0.image"),
    Case("zero-byte-image", _photo_bytes(b""), ("not an image file (JPEG, PNG, WebP, GIF, TIFF or BMP)", "export it as JPEG or PNG"), "body.0.image"),
    Case("text-named-jpg", _photo_bytes(b"<html>not a photo</html>\n"), ("not an image",), "body.0.image"),
    Case("wav-named-jpg", _photo_bytes(_wav()), ("not an image",), "body.0.image"),
    Case("mp3-named-jpg", _photo_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64),
         ("not an image",), "body.0.image"),
    Case("pixel-bomb-header", _photo_bytes(_png_header(30_000, 30_000)), ("too large", "downscale it"), "body.0.image"),
    Case("zlib-bomb", _photo_bytes(_zlib_bomb_png()), ("too large", "downscale it"), "body.0.image"),
    Case("speaker-photo-truncated", _speaker_photo(_png((300, 300))[:150]), ("damaged or truncated",),
         "claim.speaker.photo"),
    # --- footage -------------------------------------------------------------------------------
    Case("clip-not-a-video", _clip(b"<html>not a video</html>\n"), ("not a readable video", "re-export it"),
         ":30:11: body.3.file"),
    Case("clip-truncated", _clip(_truncated_clip), ("not a readable video", "re-export it"), "body.3.file"),
    Case("clip-no-video-stream", _clip(_wav()), ("holds no video stream", "point at a video file"),
         "body.3.file"),
    Case("clip-start-after-end", _clip(start="1.5", end="00:00:01.000"),
         ("start (1.5 s) must come before end (1 s)",), ":29:5: body.3"),
    Case("clip-end-past-its-length", _clip(end="00:00:09.000"),
         ("end (9 s) is past the end of the video (2.000 s long)", "give an end of at most 2.000"),
         ":32:10: body.3.end"),
    Case("clip-full-sound-without-sound", _clip(lambda p: make_clip(p, frames=50, audio=False), audio="full"),
         ("audio: full, but the video has no sound", "set audio: mute"), "body.3.audio"),
    Case("clip-above-frame-rate-cap", _clip(lambda p: make_clip(p, frames=480, fps=240)),
         ("runs at 240 fps, more than the cap of 120", "CLAIMREEL_MAX_CLIP_FPS"), "body.3.file"),
    Case("clip-above-resolution-cap", _clip(lambda p: make_clip(p, frames=2, fps=1, size=(4352, 2448),
                                                                        extra=("-preset", "ultrafast"))),
         ("4352x2448", "more than the cap of 8847360", "CLAIMREEL_MAX_CLIP_PIXELS"), "body.3.file"),
    Case("clip-above-duration-cap", _clip(lambda p: make_clip(p, frames=3700, fps=1, size=(16, 16), audio=False)),
         ("3700 s long, more than the cap of 3600 s", "CLAIMREEL_MAX_CLIP_DURATION"), "body.3.file"),
    # --- documents -----------------------------------------------------------------------------
    Case("pdf-without-that-page", _document(page=7), ("the PDF has 2 pages, no page 7", "give a page from 1 to 2"),
         ":31:11: body.3.page"),
    Case("pdf-encrypted", _document(page=2, password="secret"), ("the PDF is encrypted", "unprotected copy"),
         "body.3.file"),
    Case("pdf-not-a-pdf", _document(page=1, data=b"%PDF-1.4\nnot really\n"), ("not a readable PDF",),
         "body.3.file"),
    Case("highlight-not-on-the-page", _document(page=2, highlight="may amount to war crimes"),
         ("the highlight text is not on the page", "nearest on the page: \u201cdetention may constitute international",
          "copy the sentence from the page"), ":33:16: body.3.highlight"),
    Case("highlight-text-on-an-image", _script(_with_block(f"  - type: document\n    file: {PHOTO}\n"
                                                          "    source: Photo\n    highlight: some words\n")),
         ("a text highlight needs a PDF's text layer",), "body.3"),
]


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "scripts").mkdir(parents=True)
    make_photo(ws / PHOTO, (320, 180))
    (ws / SCRIPT).write_text(SMALL_SCRIPT, encoding="utf-8")
    return ws


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_exit_2_with_one_placed_message(case: Case, tmp_path: Path, capsys) -> None:
    ws = _workspace(tmp_path)
    case.setup(ws)
    script = ws / SCRIPT
    out, cache = ws / "out", ws / "cache"
    for argv in (["validate", str(script)],
                 ["render", str(script), "--out", str(out), "--cache", str(cache), "--voice", "fake",
                  "--preview", "--jobs", "1"],
                 *([["export", str(script), "--otio", "--out", str(out), "--cache", str(cache), "--voice", "fake",
                     "--jobs", "1"]] if _EXPORT else [])):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2, (argv[0], err)
        assert "Traceback" not in err and "internal error" not in err, err
        lines = [line for line in err.strip().splitlines() if line.strip()]
        assert len(lines) == case.lines, err
        assert str(script) in err, err  # the file
        assert case.place in err, err  # the place
        for needle in case.expect:
            assert needle in err, err  # what is wrong and the fix
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())
    assert not cache.exists() or not any(p.is_file() for p in cache.rglob("*"))


def test_missing_script_and_folder_as_script(tmp_path: Path, capsys) -> None:
    for target in (tmp_path / "nope.yaml", tmp_path):
        for argv in (["validate", str(target)], ["render", str(target), "--out", str(tmp_path / "out")]):
            assert main(argv) == 2
            err = capsys.readouterr().err
            assert str(target) in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_bad_flags_are_usage_errors(tmp_path: Path, capsys) -> None:
    ws = _workspace(tmp_path)
    for extra in (["--format", "16x10"], ["--jobs", "-1"], ["--max-pixels", "0"], ["--max-duration", "abc"]):
        assert main(["render", str(ws / SCRIPT), "--out", str(ws / "out"), *extra]) == 2, extra
        assert "Traceback" not in capsys.readouterr().err
    for extra in (["--format", "16x10"], ["--jobs", "-1"], ["--clean"], ["--cuts", ","]):
        args = extra if extra == ["--clean"] else ["--otio", *extra]  # --clean alone: --otio missing
        assert main(["export", str(ws / SCRIPT), "--out", str(ws / "out"), *args]) == 2, extra
        assert "Traceback" not in capsys.readouterr().err
    assert not (ws / "out").exists()


# --- odd but valid input renders correctly ------------------------------------------------------


def _halves(path: Path, mode: str, **save: object) -> Path:
    """Left half red, right half blue, saved in ``mode``."""
    rgb = np.zeros((90, 160, 3), np.uint8)
    rgb[:, :80] = (210, 30, 30)
    rgb[:, 80:] = (30, 30, 210)
    img = Image.fromarray(rgb)
    if mode == "P":
        img = img.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    elif mode == "RGBA":  # the right half transparent, hiding blue under it
        alpha = np.zeros((90, 160), np.uint8)
        alpha[:, :80] = 255
        img = Image.fromarray(np.dstack([rgb, alpha]))
    elif mode != "RGB":
        img = img.convert(mode)
    img.save(path, **save)
    return path


def _gray16(path: Path) -> Path:
    ramp = np.tile(np.linspace(0, 65535, 160), (90, 1)).astype(np.uint16)
    Image.fromarray(ramp).save(path, format="PNG")
    assert Image.open(path).mode == "I;16"
    return path


def _rotated(path: Path) -> Path:
    """Stored landscape with red on the left; EXIF orientation 6 shows it portrait, red on top."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return _halves(path, "RGB", exif=exif, quality=95)


ODD_PHOTOS = {
    # file name (spaces, non-ASCII letters, leading dashes, lying extension): maker
    "-i evil.jpg": lambda p: _halves(p, "CMYK", quality=95),
    "über große Ansicht.png": _gray16,
    "-y palette.jpg": lambda p: _halves(p, "P", format="PNG"),  # a PNG named .jpg
    "--alpha layer.png": lambda p: _halves(p, "RGBA"),
    "rotated ß.jpg": _rotated,
}


def test_odd_images_and_names_render_upright_and_in_colour(tmp_path: Path) -> None:
    ws = tmp_path / "work space ü"
    photos = ws / "assets" / "photos"
    photos.mkdir(parents=True)
    (ws / "scripts").mkdir()
    blocks = []
    for name, maker in ODD_PHOTOS.items():
        maker(photos / name)
        blocks.append(f"  - type: photo\n    image: 'assets/photos/{name}'\n    caption: Photo\n"
                      f"    credit: Test\n    description: Test image.\n    timing: {{min_duration: 1}}\n")
    text = SMALL_SCRIPT.split("body:")[0] + "body:\n" + "".join(blocks) + "credits:" + SMALL_SCRIPT.split("credits:")[1]
    script = ws / "scripts" / "-v odd names.yaml"
    script.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # with a BOM
    out = ws / "out folder -y"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "claimreel", "render", str(script), "--out", str(out), "--cache", str(ws / "cache"),
         "--voice", "fake", "--preview", "--jobs", "2"],
        cwd=ws, env=env, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr
    video = out / "_previews" / "small-check" / "16x9" / "video.mp4"
    assert video.is_file()
    assert not [p for p in ws.rglob("*") if p.name.startswith("-") and p.suffix == ".mp4"]  # no injected output

    from claimreel.pipeline.prepare import prepare
    from claimreel.pipeline.request import RenderOptions
    prepared = prepare(script, RenderOptions(out=out, cache=ws / "cache", preview=True, voice="fake"))
    timeline = prepared.timelines["16x9"]
    photo_scenes = [s for s in timeline.scenes if s.kind == "photo"]
    assert len(photo_scenes) == len(ODD_PHOTOS)
    frames = decode_frames(Ffmpeg(), video, [(s.start_frame + s.end_frame) // 2 for s in photo_scenes])
    h, w = frames[0].shape[:2]

    def at(frame: np.ndarray, fx: float, fy: float) -> np.ndarray:
        y, x = int(fy * h), int(fx * w)
        return frame[y - 4:y + 4, x - 4:x + 4].reshape(-1, 3).astype(int).mean(axis=0)

    def red(c: np.ndarray) -> bool:
        return c[0] > 140 and c[2] < 90

    def blue(c: np.ndarray) -> bool:
        return c[2] > 140 and c[0] < 90

    cmyk, gray, palette, alpha, rotated = frames
    for frame in (cmyk, palette):
        assert red(at(frame, 0.3, 0.3)) and blue(at(frame, 0.7, 0.3))
    left, right = at(gray, 0.3, 0.3), at(gray, 0.7, 0.3)
    assert 20 < left.mean() < right.mean() < 235  # a grey ramp, not clipped to white
    assert abs(left[0] - left[2]) < 12
    assert red(at(alpha, 0.3, 0.3)) and at(alpha, 0.7, 0.3).max() < 40  # transparent shows black, not hidden blue
    # Upright: red on top, blue below, across the photo's width. Portrait once turned, it is shown whole
    # in the middle of the 16:9 frame (x 0.34..0.66), on a darkened fill of itself.
    assert red(at(rotated, 0.4, 0.25)) and red(at(rotated, 0.6, 0.25))
    assert blue(at(rotated, 0.4, 0.62)) and blue(at(rotated, 0.6, 0.62))
    assert at(rotated, 0.1, 0.25).max() < 120  # the fill beside it is darker than the photo
