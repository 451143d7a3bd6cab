"""Input files by content: found in a unit's arguments, pointed at a worker's copies, and named back
as the client's files in a worker's error."""

from __future__ import annotations

import hashlib
from pathlib import Path

from claimreel.errors import AssetError
from claimreel.executor.shipping import Digests, input_files, relocate, stored_name
from claimreel.layout.elements import ImageEl, SceneLayout
from claimreel.layout.formats import Box
from claimreel.layout.text import FontBook


def _files(tmp_path: Path) -> tuple[Path, Path]:
    photo, font = tmp_path / "a photo.JPG", tmp_path / "font.ttf"
    photo.write_bytes(b"jpeg bytes")
    font.write_bytes(b"font bytes")
    return photo, font


def test_input_files_finds_every_path_that_is_a_file(tmp_path):
    photo, font = _files(tmp_path)
    layout = SceneLayout("photo", "#000000", (ImageEl(Box(0, 0, 10, 10), photo),))
    book = FontBook({"regular": font}, ({"bold": font},))
    args = (layout, book, {"folder": tmp_path, "missing": tmp_path / "nope.png"}, str(photo))
    found = input_files(args, Digests())
    assert found == {str(photo): hashlib.sha256(b"jpeg bytes").hexdigest(),
                     str(font): hashlib.sha256(b"font bytes").hexdigest()}, \
        "folders, missing files and paths given as text are not sent"
    assert stored_name(str(photo), found[str(photo)]) == found[str(photo)] + ".jpg"


def test_relocate_rebuilds_only_what_names_a_moved_file(tmp_path):
    photo, font = _files(tmp_path)
    layout = SceneLayout("photo", "#000000", (ImageEl(Box(0, 0, 10, 10), photo),))
    book = FontBook({"regular": font})
    book.faces("regular")  # fills the book's cache with the old path
    untouched = {"n": 1, "p": tmp_path}
    moved = relocate((layout, book, untouched), {str(photo): Path("/store/p.jpg"), str(font): Path("/store/f.ttf")})
    new_layout, new_book, same = moved
    assert new_layout.elements[0].path == Path("/store/p.jpg") and new_layout.elements[0].box == Box(0, 0, 10, 10)
    assert dict(new_book.weights) == {"regular": Path("/store/f.ttf")}
    assert new_book.faces("regular") == ("/store/f.ttf",), "the cache of the old paths starts empty"
    assert layout.elements[0].path == photo and book.faces("regular") == (str(font),), "the originals stay"
    assert same is untouched


def test_digests_are_remembered_until_the_file_changes(tmp_path):
    photo, _ = _files(tmp_path)
    digests = Digests()
    first = digests(photo)
    photo.write_bytes(b"another, longer picture")
    assert digests(photo) != first == hashlib.sha256(b"jpeg bytes").hexdigest()


def test_a_workers_error_names_the_clients_file(tmp_path):
    from claimreel.executor.dask.worker import _as_client_sees

    local = "/w/dask-scratch-space/claimreel-files/abc.jpg"
    error = AssetError(Path(local), "cannot read image (truncated)", "replace it with a valid JPEG or PNG")
    seen = _as_client_sees(error, {local: "/home/me/ws/assets/photos/river.jpg"})
    assert "/home/me/ws/assets/photos/river.jpg" in str(seen) and "claimreel-files" not in str(seen)
