"""The script loader: valid scripts load; every bad input gets an exact, placed message."""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from claimreel.errors import ClaimreelError, ScriptError
from claimreel.script import (
    LoadedScript,
    json_schema,
    load_script,
    load_text,
    new_script_text,
    workspace_root,
)
from claimreel.script.checks import MAX_PIXELS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scripts"
VALID = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")


def _jpeg(path: Path, size: tuple[int, int] = (64, 48), seed: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    image = Image.frombytes("RGB", size, bytes(rng.randrange(256) for _ in range(size[0] * size[1] * 3)))
    image.save(path, quality=90)


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """A workspace holding every image the valid fixture names."""
    ws = tmp_path / "ws"
    (ws / "scripts").mkdir(parents=True)
    (ws / "assets").mkdir()
    Image.new("RGBA", (40, 20), (200, 30, 30, 255)).save(ws / "assets" / "logo.png")
    for name in ("speaker", "background", "square"):
        _jpeg(ws / "assets" / "photos" / f"{name}.jpg")
    return ws


def _write(root: Path, text: str | bytes, name: str = "check.yaml") -> Path:
    path = root / "scripts" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _edit(old: str, new: str, text: str = VALID) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _problems(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(ScriptError) as caught:
        load_script(path, **kwargs)  # type: ignore[arg-type]
    lines = str(caught.value).splitlines()
    assert len(lines) == len(caught.value.problems)
    return lines


# --- valid input ---------------------------------------------------------------------


def test_minimal_valid_script_loads_with_its_assets(root: Path) -> None:
    path = _write(root, VALID)
    loaded = load_script(path)
    assert isinstance(loaded, LoadedScript)
    assert loaded.root == root.resolve()
    assert loaded.path == path
    script = loaded.script
    assert script.id == "minimal-check"
    assert script.published == dt.date(2022, 9, 23)
    assert script.verdict.rating == "False"  # unquoted YAML false, read as the text written
    assert script.body[2].number == "243"  # type: ignore[union-attr]
    assert dict(loaded.assets) == {
        "assets/logo.png": root.resolve() / "assets" / "logo.png",
        "assets/photos/speaker.jpg": root.resolve() / "assets" / "photos" / "speaker.jpg",
        "assets/photos/background.jpg": root.resolve() / "assets" / "photos" / "background.jpg",
        "assets/photos/square.jpg": root.resolve() / "assets" / "photos" / "square.jpg",
    }
    assert loaded.assets[script.body[1].image].is_file()  # type: ignore[union-attr]


def test_utf8_bom_is_accepted(root: Path) -> None:
    path = _write(root, b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert load_script(path).script.title == "Minister says the report is illegal"


def test_workspace_is_nearest_folder_with_assets_or_pyproject(tmp_path: Path) -> None:
    (tmp_path / "proj" / "assets").mkdir(parents=True)
    deep = tmp_path / "proj" / "scripts" / "2022"
    deep.mkdir(parents=True)
    assert workspace_root(deep / "a.yaml") == (tmp_path / "proj").resolve()
    (deep / "pyproject.toml").write_text("")
    assert workspace_root(deep / "a.yaml") == deep.resolve()


def test_check_assets_false_opens_no_file(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    path = tmp_path / "check.yaml"
    path.write_text(VALID, encoding="utf-8")
    loaded = load_script(path, check_assets=False)
    assert loaded.assets["assets/photos/square.jpg"] == tmp_path.resolve() / "assets/photos/square.jpg"


def test_check_assets_false_still_refuses_urls(tmp_path: Path) -> None:
    text = _edit("logo: assets/logo.png", "logo: http://example.org/a.png")
    with pytest.raises(ScriptError) as caught:
        load_text(text, filename="s.yaml", root=tmp_path, check_assets=False)
    assert [p.path for p in caught.value.problems] == ["outlet.logo"]


def test_public_names_stay_exported() -> None:
    import claimreel.script as package

    assert set(package.__all__) >= {
        "LoadedScript", "Script", "RATINGS", "json_schema", "load_script", "load_text",
        "new_script_text", "workspace_root",
    }
    assert all(hasattr(package, name) for name in package.__all__)


def test_custom_rating_scale(root: Path) -> None:
    path = _write(root, _edit("rating: False", "rating: Pants on Fire"))
    assert load_script(path, ratings=("True", "Pants on Fire")).script.verdict.rating == "Pants on Fire"
    assert _problems(path) == [
        f"{path}:15:11: verdict.rating: unknown rating 'Pants on Fire' (allowed: True, Mostly True, "
        "Misleading, Unsubstantiated, Mostly False, False)"
    ]


def test_load_text_resolves_against_given_root(root: Path) -> None:
    loaded = load_text(VALID, filename="mem.yaml", root=root)
    assert loaded.path == Path("mem.yaml")
    assert loaded.assets["assets/logo.png"] == root.resolve() / "assets" / "logo.png"


# --- YAML-level problems ---------------------------------------------------------------


def test_yaml_syntax_error(root: Path) -> None:
    path = _write(root, _edit("title: Minister says", "title: Minister: says"))
    assert _problems(path) == [
        f"{path}:3:16: <script>: invalid YAML: mapping values are not allowed here "
        "(check the indentation, and put text that holds ': ' or ' #' in quotes)"
    ]


def test_duplicate_key_points_at_second_key(root: Path) -> None:
    path = _write(root, _edit("  date: 2022-09-21\n", "  date: 2022-09-21\n  quote: Again.\n"))
    assert _problems(path) == [
        f"{path}:14:3: claim.quote: duplicate key 'quote' (it is already set on line 9; keep one)"
    ]


def test_alias_bomb_is_refused_without_expanding(root: Path) -> None:
    path = _write(root, (FIXTURES / "billion_laughs.yaml").read_text(encoding="utf-8"))
    assert _problems(path) == [
        f"{path}:2:4: <script>: anchors like '&a' are not allowed "
        "(remove the anchor and write each value out in full)"
    ]


def test_alias_without_anchor_is_refused(root: Path) -> None:
    path = _write(root, _edit("  name: Wang Wenbin", "  name: *who"))
    assert _problems(path) == [
        f"{path}:11:11: <script>: aliases like '*who' are not allowed "
        "(write the value out in full instead of referring to an anchor)"
    ]


def test_non_utf8_bytes(root: Path) -> None:
    raw = _edit("title: Minister", "title: Ministère").encode("latin-1")
    path = _write(root, raw)
    assert _problems(path) == [
        f"{path}:3:14: <script>: not UTF-8 text: byte 0xe8 cannot be decoded (save the file as UTF-8)"
    ]


def test_top_level_must_be_a_mapping(root: Path) -> None:
    path = _write(root, "- one\n- two\n")
    assert _problems(path) == [
        f"{path}:1:1: <script>: the top level must be a mapping of fields, got a list "
        "(start with lines like 'id: my-fact-check' and 'title: ...')"
    ]


def test_raw_control_character_in_file(root: Path) -> None:
    path = _write(root, _edit("title: Minister", "title: Mini\x07ster"))
    assert _problems(path) == [
        f"{path}:3:12: <script>: control character U+0007 is not allowed "
        "(remove it; only line breaks and tabs are allowed in text)"
    ]


def test_missing_file_and_folder(root: Path) -> None:
    missing = root / "scripts" / "nope.yaml"
    assert _problems(missing) == [f"{missing}:1:1: <script>: script not found (check the path)"]
    folder = root / "scripts"
    assert _problems(folder) == [
        f"{folder}:1:1: <script>: this is a folder, not a script file (name the .yaml file inside it)"
    ]



def test_utf16_file_is_named_as_such(root: Path) -> None:
    path = _write(root, VALID.encode("utf-16"))
    assert _problems(path) == [f"{path}:1:1: <script>: the file is UTF-16 text, not UTF-8 (save it as UTF-8)"]


def test_unsupported_tag_and_second_document(root: Path) -> None:
    path = _write(root, _edit("title: Minister", "title: !!python/object:os.system Minister"))
    assert _problems(path) == [
        f"{path}:3:8: title: unsupported YAML tag '!!python/object:os.system' (remove the tag)"
    ]
    path = _write(root, VALID + "---\nid: other\n")
    assert _problems(path) == [
        f"{path}:30:1: <script>: invalid YAML: a second document starts here "
        "(a script is one document: remove the second '---' and what follows it)"
    ]


# --- model problems ---------------------------------------------------------------------


def test_wrong_type_date(root: Path) -> None:
    path = _write(root, _edit("published: 2022-09-23", "published: yesterday"))
    assert _problems(path) == [f"{path}:4:12: published: expected a date like 2022-09-21, got 'yesterday'"]


def test_missing_required_field_points_at_parent(root: Path) -> None:
    text = _edit(
        "verdict:\n  rating: False\n  summary: The report rests on treaties China signed.\n", ""
    )
    path = _write(root, text)
    assert _problems(path) == [f"{path}:2:1: verdict: field required (add 'verdict:')"]


def test_unknown_field_with_did_you_mean(root: Path) -> None:
    path = _write(root, _edit("    caption: Geneva", "    captoin: Geneva"))
    assert _problems(path) == [
        f"{path}:22:5: body.1.caption: field required (add 'caption:')",
        f"{path}:24:5: body.1.captoin: unknown field 'captoin' (did you mean 'caption'?)",
    ]


def test_unknown_block_type(root: Path) -> None:
    path = _write(root, _edit("  - type: photo", "  - type: foto"))
    assert _problems(path) == [
        f"{path}:22:11: body.1.type: unknown block type 'foto' (did you mean 'photo'?)"
    ]


def test_id_with_bad_characters(root: Path) -> None:
    path = _write(root, _edit("id: minimal-check", "id: Minimal_Check!"))
    assert _problems(path) == [
        f"{path}:2:5: id: must be lower-case letters, digits and dashes, starting with a letter "
        "or digit (e.g. 'minimal-check')"
    ]


def test_empty_narration(root: Path) -> None:
    path = _write(root, _edit("narration: On September 21, the ministry rejected the report.", 'narration: ""'))
    assert _problems(path) == [
        f"{path}:19:16: body.0.narration: must not be empty "
        "(write the text, or remove the line if it is optional)"
    ]


# --- semantic checks -----------------------------------------------------------------------


def test_unknown_rating_with_did_you_mean(root: Path) -> None:
    path = _write(root, _edit("rating: False", "rating: Flase"))
    assert _problems(path) == [
        f"{path}:15:11: verdict.rating: unknown rating 'Flase' (did you mean 'False'? allowed: True, "
        "Mostly True, Misleading, Unsubstantiated, Mostly False, False)"
    ]


def test_rating_in_wrong_case(root: Path) -> None:
    path = _write(root, _edit("rating: False", "rating: mostly false"))
    assert _problems(path)[0].startswith(
        f"{path}:15:11: verdict.rating: unknown rating 'mostly false' (did you mean 'Mostly False'?"
    )


def test_control_character_in_text(root: Path) -> None:
    path = _write(root, _edit("summary: The report", 'summary: "The\\a report'))
    path.write_text(path.read_text().replace("China signed.", 'China signed."'))
    assert _problems(path) == [
        f"{path}:16:12: verdict.summary: contains the control character U+0007 "
        "(remove it; only line breaks and tabs are allowed in text)"
    ]


def test_bidi_override_in_text(root: Path) -> None:
    path = _write(root, _edit("  quote: The so-called", "  quote: The so\u202ecalled"))
    assert _problems(path) == [
        f"{path}:9:10: claim.quote: contains the invisible bidi control U+202E RIGHT-TO-LEFT OVERRIDE "
        "(remove it; right-to-left text is laid out automatically)"
    ]


def test_missing_image_file(root: Path) -> None:
    path = _write(root, _edit("image: assets/photos/square.jpg", "image: assets/photos/sqare.jpg"))
    missing = root / "assets" / "photos" / "sqare.jpg"
    assert _problems(path) == [
        f"{path}:23:12: body.1.image: file not found: {missing} (did you mean 'square.jpg'?)"
    ]


def test_text_file_named_jpg(root: Path) -> None:
    (root / "assets" / "photos" / "square.jpg").write_text("not really a photo\n")
    path = _write(root, VALID)
    assert _problems(path) == [
        f"{path}:23:12: body.1.image: not an image file (JPEG, PNG, WebP, GIF, TIFF or BMP) (export it as JPEG or PNG)"
    ]


def test_truncated_jpeg(root: Path) -> None:
    square = root / "assets" / "photos" / "square.jpg"
    _jpeg(square, (256, 256))
    square.write_bytes(square.read_bytes()[:2000])
    path = _write(root, VALID)
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:23:12: body.1.image: the image is damaged or truncated: ")
    assert problem.endswith("(export or download it again)")


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height``; no pixel data (a cheap bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_decompression_bomb_is_capped(root: Path) -> None:
    assert 10_000 * 9_000 > MAX_PIXELS
    (root / "assets" / "photos" / "square.jpg").write_bytes(_png_header(10_000, 9_000))
    (root / "assets" / "logo.png").write_bytes(_png_header(20_000, 20_000))
    path = _write(root, VALID)
    assert _problems(path) == [
        f"{path}:7:9: outlet.logo: image is too large (more than 80 megapixels) "
        "(downscale it; a 1080p video needs no more than about 8 megapixels)",
        f"{path}:23:12: body.1.image: image is too large: 10000x9000 (90 megapixels, at most 80) "
        "(downscale it; a 1080p video needs no more than about 8 megapixels)",
    ]


def test_absolute_asset_path(root: Path) -> None:
    path = _write(root, _edit("photo: assets/photos/speaker.jpg", "photo: /etc/speaker.jpg"))
    assert _problems(path) == [
        f"{path}:12:12: claim.speaker.photo: an asset path must be relative to the workspace folder "
        f"(write it relative to {root.resolve()}, e.g. assets/photos/speaker.jpg)"
    ]


def test_dotdot_asset_path(root: Path) -> None:
    path = _write(root, _edit("photo: assets/photos/background.jpg", "photo: assets/../../x.jpg"))
    assert _problems(path) == [
        f"{path}:21:14: body.0.background.photo: an asset path must not contain '..' "
        f"(keep assets inside {root.resolve()} and write the path from there, e.g. assets/photos/x.jpg)"
    ]


def test_symlink_pointing_outside(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.jpg"
    _jpeg(outside)
    (root / "assets" / "photos" / "square.jpg").unlink()
    (root / "assets" / "photos" / "square.jpg").symlink_to(outside)
    path = _write(root, VALID)
    assert _problems(path) == [
        f"{path}:23:12: body.1.image: the asset leads outside the workspace, to {outside.resolve()} "
        f"(copy the file into {root.resolve() / 'assets'} and point at the copy)"
    ]


def test_url_as_asset(root: Path) -> None:
    path = _write(root, _edit("logo: assets/logo.png", "logo: https://example.org/logo.png"))
    assert _problems(path) == [
        f"{path}:7:9: outlet.logo: an asset must be a file in the workspace, not a URL "
        "(download it into the assets/ folder and write its path, e.g. assets/photos/logo.png)"
    ]


def test_many_problems_all_reported_in_file_order(root: Path) -> None:
    path = _write(root, (FIXTURES / "many_problems.yaml").read_text(encoding="utf-8"))
    missing = root / "assets" / "photos" / "missing.jpg"
    assert _problems(path) == [
        f"{path}:2:5: id: must be lower-case letters, digits and dashes, starting with a letter "
        "or digit (e.g. 'many-problems')",
        f"{path}:4:12: published: expected a date like 2022-09-21, got 'yesterday'",
        f"{path}:7:9: outlet.logo: an asset must be a file in the workspace, not a URL "
        "(download it into the assets/ folder and write its path, e.g. assets/photos/logo.png)",
        f"{path}:9:10: claim.quote: contains the invisible bidi control U+202E RIGHT-TO-LEFT OVERRIDE "
        "(remove it; right-to-left text is laid out automatically)",
        f"{path}:14:11: verdict.rating: unknown rating 'Flase' (did you mean 'False'? allowed: True, "
        "Mostly True, Misleading, Unsubstantiated, Mostly False, False)",
        f"{path}:17:5: body.0.caption: field required (add 'caption:')",
        f"{path}:18:12: body.0.image: file not found: {missing} "
        f"(check the path; asset paths are written relative to {root.resolve()})",
        f"{path}:19:5: body.0.captoin: unknown field 'captoin' (did you mean 'caption'?)",
        f"{path}:22:11: body.1.type: unknown block type 'chart' "
        "(allowed: clip, document, fact, narration, photo, quote)",
        f"{path}:25:16: body.2.narration: must not be empty "
        "(write the text, or remove the line if it is optional)",
    ]


# --- template, schema, robustness ------------------------------------------------------------


def test_template_validates_with_asset_checks(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    path = tmp_path / "scripts" / "vaccine-claim-2024.yaml"
    path.parent.mkdir()
    path.write_text(new_script_text("vaccine-claim-2024", today=dt.date(2024, 5, 1)), encoding="utf-8")
    loaded = load_script(path)
    assert loaded.script.id == "vaccine-claim-2024"
    assert loaded.script.published == dt.date(2024, 5, 1)
    assert [b.type for b in loaded.script.body] == ["narration", "quote", "fact"]
    assert dict(loaded.assets) == {}
    assert "# - type: photo" in path.read_text()


def test_template_refuses_bad_id() -> None:
    with pytest.raises(ClaimreelError, match="'Bad_ID' is not a valid script id"):
        new_script_text("Bad_ID")


def test_json_schema_describes_the_script() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "claimreel script"
    assert {"id", "title", "claim", "verdict", "body"} <= set(schema["required"])
    assert schema["additionalProperties"] is False
    mapping = schema["properties"]["body"]["items"]["discriminator"]["mapping"]
    assert set(mapping) == {"narration", "quote", "photo", "fact", "clip", "document"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(VALID.splitlines(keepends=True) + ["- x\n", "  - [\n", "\t", "&a ", "*a", ": ", "\u202e"]),
        max_size=40,
    )
)
def test_any_input_loads_or_raises_a_script_error(tmp_path: Path, pieces: list[str]) -> None:
    try:
        load_text("".join(pieces), root=tmp_path, check_assets=False)
    except ScriptError as exc:
        assert exc.problems and all(p.line >= 1 and p.column >= 1 for p in exc.problems)

