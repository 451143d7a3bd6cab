"""Results kept per version of a file (``files.per_file_version``): what the studio's check on every
keystroke reads again and again (the theme, each photo's decode, each clip's probe) is read once per
version of the file, and a changed, replaced or removed file is read again."""

from __future__ import annotations

import os

from claimreel.api import validate
from claimreel.files import per_file_version

from ..conftest import SMALL_SCRIPT, make_workspace


def test_a_result_is_kept_until_the_file_changes(tmp_path):
    reads = []

    @per_file_version(keep=2)
    def size(path, unit):
        reads.append(path)
        return len(open(path, "rb").read()) // unit

    a = tmp_path / "a.txt"
    a.write_bytes(b"x" * 10)
    assert size(a, 1) == 10 and size(a, 1) == 10 and len(reads) == 1
    assert size(a, 2) == 5 and len(reads) == 2, "other arguments are another result"
    a.write_bytes(b"y" * 12)  # same inode, new size and time
    assert size(a, 1) == 12 and len(reads) == 3
    stat = a.stat()
    b = tmp_path / "b.txt"
    b.write_bytes(b"z" * 12)
    os.replace(b, a)  # an atomic write: another inode
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert size(a, 1) == 12 and len(reads) == 4
    a.unlink()
    try:
        size(a, 1)
    except FileNotFoundError:
        pass
    assert len(reads) == 5, "a missing file is not answered from what was kept"


def test_a_call_that_raises_is_not_kept(tmp_path):
    calls = []

    @per_file_version()
    def fails(path):
        calls.append(path)
        raise ValueError("no")

    (tmp_path / "f").write_text("x")
    for _ in range(2):
        try:
            fails(tmp_path / "f")
        except ValueError:
            pass
    assert len(calls) == 2


def test_validate_sees_a_photo_replaced_and_a_theme_edited_between_checks(tmp_path):
    make_workspace(tmp_path)
    script = tmp_path / "scripts" / "small-check.yaml"
    script.write_text(SMALL_SCRIPT.replace("language: en", "language: en\ntheme: mine"), encoding="utf-8")
    theme = tmp_path / "assets" / "themes" / "mine" / "theme.yaml"
    theme.parent.mkdir(parents=True)
    from claimreel.script.themes import themes_root

    default = (themes_root() / "default" / "theme.yaml").read_text(encoding="utf-8")
    theme.write_text(default.replace("../../fonts/", str(themes_root().parent / "fonts") + "/"), encoding="utf-8")
    assert [f for f in validate(script) if f.severity == "error"] == []
    photo = tmp_path / "assets" / "photos" / "river.jpg"
    photo.write_bytes(photo.read_bytes()[:200])  # truncated: damaged
    found = [f for f in validate(script) if f.severity == "error"]
    assert [f.path for f in found] == ["body.0.image"] and "damaged or truncated" in found[0].message
    photo.unlink()
    assert "not found" in " ".join(f.message for f in validate(script) if f.severity == "error")
    from ..conftest import make_photo

    make_photo(photo)
    assert [f for f in validate(script) if f.severity == "error"] == []
    theme.write_text(theme.read_text(encoding="utf-8").replace('label: "False"', 'label: "Untrue"'), encoding="utf-8")
    found = [f for f in validate(script) if f.severity == "error"]
    # the script's rating, and the theme's own Chinese label for the rating it no longer has
    assert sorted(f.path for f in found) == ["labels.zh.ratings.False", "verdict.rating"]
    assert "unknown rating 'False'" in next(f.message for f in found if f.path == "verdict.rating")
