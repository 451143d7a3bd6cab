"""Content Credentials: a short preview render signed with a CA-issued test identity (made here,
never committed), read back with c2pa.Reader and ``claimreel verify``. One render is shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

c2pa = pytest.importorskip("c2pa")

from claimreel.api import render  # noqa: E402
from claimreel.cli import main  # noqa: E402
from claimreel.publish.credentials.content import IPTC  # noqa: E402

from ..conftest import SMALL_SCRIPT, make_photo, make_workspace  # noqa: E402
from ..credentials_support import make_identity  # noqa: E402

pytestmark = pytest.mark.integration

WIRE_PHOTO = """\
  - type: photo
    image: assets/photos/wire.jpg
    caption: The dam on May 2
    credit: Wire Agency
    description: A concrete dam with water flowing over it.
  - type: photo
    image: assets/photos/standin.jpg
    caption: A bridge at dusk
    credit: Stand-in image by claimreel
    description: A bridge over a river.
"""


def _sign_wire_photo(path: Path, folder: Path) -> None:
    """The agency's photo, signed by the agency with its own credentials."""
    agency = make_identity(folder, "agency", org="Wire Agency")
    make_photo(path.with_suffix(".raw.jpg"))
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo("es256", agency.cert.read_bytes(), agency.key.read_bytes(), None))
    manifest = {"claim_generator_info": [{"name": "wire-desk"}], "title": "wire.jpg", "assertions": [
        {"label": "c2pa.actions.v2", "data": {"actions": [
            {"action": "c2pa.created", "digitalSourceType": IPTC + "digitalCapture"}]}}]}
    c2pa.Builder(manifest).sign_file(path.with_suffix(".raw.jpg"), path, signer)
    path.with_suffix(".raw.jpg").unlink()


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("credentials")
    text = SMALL_SCRIPT.replace("  - type: quote\n", WIRE_PHOTO + "  - type: quote\n") + \
        "cuts:\n  - {name: short, scenes: [claim, verdict]}\n"
    script = make_workspace(root / "ws", text)
    _sign_wire_photo(root / "ws" / "assets" / "photos" / "wire.jpg", root / "agency")
    make_photo(root / "ws" / "assets" / "photos" / "standin.jpg")
    identity = make_identity(root / "keys")
    result = render(script, preview=True, cuts="all", out=root / "ws" / "render" / "out", cache=root / "cache", jobs=2,
                    sign_cert=identity.cert, sign_key=identity.key, described="extended")
    return {"root": root, "script": script, "identity": identity, "result": result, "folder": result.folder}


def _manifest(path: Path) -> dict:
    with c2pa.Reader(str(path)) as reader:
        return reader.get_active_manifest()


def _actions(manifest: dict) -> list[dict]:
    return next(a["data"]["actions"] for a in manifest["assertions"] if a["label"].startswith("c2pa.actions"))


def _assertion(manifest: dict, label: str) -> dict:
    return next(a["data"] for a in manifest["assertions"] if a["label"] == label)


def test_every_published_video_and_image_is_signed(signed):
    folder = signed["folder"]
    expected = {"16x9/video.mp4", "16x9/video-described.mp4", "16x9/poster.jpg", "16x9/storyboard.png",
                "16x9/cuts/short/video.mp4", "16x9/cuts/short/poster.jpg"}
    assert {p.relative_to(folder).as_posix() for p in signed["result"].signed} == expected
    for name in expected:
        with c2pa.Reader(str(folder / name)) as reader:
            results = reader.get_validation_results()["activeManifest"]
            assert reader.get_validation_state() == "Valid", name
            assert [f["code"] for f in results.get("failure", [])] == ["signingCredential.untrusted"], name
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["versions"]["c2pa-python"] and manifest["formats"]["16x9"]["content_credentials"] == {
        "signer": "Test Newsroom", "algorithm": "ES256"}
    listed = {f["path"]: f for f in manifest["files"]}
    import hashlib
    assert listed["16x9/video.mp4"]["sha256"] == hashlib.sha256((folder / "16x9/video.mp4").read_bytes()).hexdigest()


def test_the_video_manifest_says_what_went_in(signed):
    manifest = _manifest(signed["folder"] / "16x9" / "video.mp4")
    assert manifest["claim_generator_info"][0]["name"] == "claimreel"
    assert manifest["signature_info"]["issuer"] == "Test Newsroom"
    actions = _actions(manifest)
    assert actions[0]["action"] == "c2pa.created"
    assert actions[0]["digitalSourceType"] == IPTC + "compositeSynthetic"  # the fake engine's tones are synthetic
    placed = [a for a in actions if a["action"] == "c2pa.placed"]
    edited = [a for a in actions if a["action"] == "c2pa.edited" and "ingredients" in a.get("parameters", {})]
    assert len(placed) == 2 and len(edited) == 3  # river and stand-in placed (wire: the parent); all three edited
    assert all("cropped, resized" in a["description"] for a in edited)
    voice = [a for a in actions if a.get("digitalSourceType") == IPTC + "algorithmicMedia"]
    assert voice and voice[0]["softwareAgent"]["name"] == "fake"
    titles = {i["title"]: i for i in manifest["ingredients"]}
    assert set(titles) == {"river.jpg", "wire.jpg", "standin.jpg"}
    assert titles["river.jpg"]["relationship"] == "componentOf"
    assert titles["river.jpg"]["description"] == "photo: The river on April 30"
    assert "stand-in" in titles["standin.jpg"]["description"]
    story = _assertion(manifest, "org.claimreel.story")
    assert story["script_id"] == "small-check"
    assert story["fact_check_url"] == "https://example.org/checks/small"
    assert story["publisher"] == "Test Desk" and story["publisher_url"] == "https://example.org"
    sources = {s["title"]: s for s in story["sources"]}
    assert sources["standin.jpg"]["stand_in"] and not sources["river.jpg"]["stand_in"]
    river = signed["script"].parent.parent / "assets" / "photos" / "river.jpg"
    import hashlib
    assert sources["river.jpg"]["sha256"] == hashlib.sha256(river.read_bytes()).hexdigest()
    assert story["narration"] == [{"engine": "fake", "scenes": 5, "digital_source_type": IPTC + "algorithmicMedia",
                                   "synthetic": True}]
    # the audio description track's voice too (the script's engine says it)
    assert story["audio_description"] == {"engine": "fake", "digital_source_type": IPTC + "algorithmicMedia",
                                          "synthetic": True}
    assert any(a["description"] == "audio description synthesised: a rule-based synthetic voice (fake)"
               for a in actions)
    work = _assertion(manifest, "stds.schema-org.CreativeWork")
    assert work["publisher"]["name"] == "Test Desk" and work["identifier"] == "small-check"


def test_a_photo_with_its_own_credentials_is_the_parent_ingredient(signed):
    manifest = _manifest(signed["folder"] / "16x9" / "video.mp4")
    wire = next(i for i in manifest["ingredients"] if i["title"] == "wire.jpg")
    assert wire["relationship"] == "parentOf"
    assert wire.get("active_manifest")  # the agency's manifest travels with the video
    with c2pa.Reader(str(signed["folder"] / "16x9" / "video.mp4")) as reader:
        store = json.loads(reader.json())
    agency = store["manifests"][wire["active_manifest"]]
    assert agency["signature_info"]["issuer"] == "Wire Agency"


def test_a_cut_has_the_full_video_as_parent(signed):
    manifest = _manifest(signed["folder"] / "16x9" / "cuts" / "short" / "video.mp4")
    parents = [i for i in manifest["ingredients"] if i["relationship"] == "parentOf"]
    assert [p["title"] for p in parents] == ["video.mp4"] and parents[0].get("active_manifest")
    assert [a["action"] for a in _actions(manifest)][:2] == ["c2pa.opened", "c2pa.edited"]


def test_the_key_is_never_copied_into_the_outputs(signed):
    body = b"".join(signed["identity"].key.read_bytes().splitlines()[1:-1])
    for path in signed["folder"].rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert body not in data and b"PRIVATE KEY" not in data, path


def test_the_player_page_discloses_and_json_ld_is_unchanged(signed, tmp_path):
    page = (signed["folder"] / "16x9" / "index.html").read_text()
    assert '<details class="credentials" id="content-credentials">' in page
    assert "<summary>Content Credentials</summary>" in page and "Signed by <strong>Test Newsroom</strong>" in page
    assert "rule-based synthetic voice (fake)" in page and "standin.jpg (photo): A bridge at dusk (a stand-in" in page
    unsigned = render(signed["script"], preview=True, cuts="all", out=tmp_path / "out", cache=signed["root"] / "cache",
                      jobs=2)
    assert unsigned.signed == ()
    assert (unsigned.folder / "claimreview.jsonld").read_bytes() == (signed["folder"] / "claimreview.jsonld").read_bytes()
    assert "content-credentials" not in (unsigned.folder / "16x9" / "index.html").read_text()
    assert unsigned.segments_encoded == 0  # signing changed nothing cached


def test_verify_reads_intact_files_and_catches_one_flipped_byte(signed, tmp_path, capsys):
    video = signed["folder"] / "16x9" / "video.mp4"
    assert main(["verify", str(video), str(signed["folder"] / "16x9" / "poster.jpg")]) == 0
    out = capsys.readouterr().out
    assert "INTACT" in out and "signer not in the trust list" in out and "source: standin.jpg" in out
    assert main(["verify", "--trust", str(signed["identity"].ca), "--json", str(video)]) == 0
    report = json.loads(capsys.readouterr().out)[0]
    assert report["status"] == "intact" and report["trusted"] and report["parent"] == "wire.jpg"
    altered = tmp_path / "video.mp4"
    data = bytearray(video.read_bytes())
    data[data.index(b"mdat") + 4096] ^= 0xFF  # one byte of the media data
    altered.write_bytes(bytes(data))
    assert main(["verify", "--json", str(altered)]) == 1
    report = json.loads(capsys.readouterr().out)[0]
    assert report["status"] == "altered" and any("mismatch" in p for p in report["problems"])
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video")
    assert main(["verify", str(junk)]) == 2
    assert "junk.mp4: not a readable video/mp4 file" in capsys.readouterr().err


def test_the_studio_output_page_shows_the_credentials(signed):
    pytest.importorskip("starlette")
    pytest.importorskip("jinja2")
    from ..studio_support import studio_client

    with studio_client(signed["root"] / "ws") as client:
        page = client.get("/outputs/_previews/small-check").text
    assert '<details class="credentials" id="content-credentials">' in page
    assert "Signed by <strong>Video desk</strong> (certificate issued by Test Newsroom)" in page
    assert "the video is intact" in page and "river.jpg (photo): The river on April 30" in page
    assert "Made from wire.jpg, whose own credentials the video keeps." in page


def test_a_queued_render_is_signed_with_the_identity_given_at_submit(signed, tmp_path, capsys):
    identity, queue = signed["identity"], tmp_path / "q.db"
    assert main(["jobs", "submit", str(signed["script"]), "--preview", "--cuts", "all", "--out", str(tmp_path / "out"),
                 "--sign-cert", str(identity.cert), "--sign-key", str(identity.key), "--queue", str(queue)]) == 0
    assert main(["jobs", "run", "--once", "--jobs", "1", "--tasks", "1", "--cache", str(signed["root"] / "cache"),
                 "--queue", str(queue)]) == 0
    capsys.readouterr()
    video = tmp_path / "out" / "_previews" / "small-check" / "16x9" / "video.mp4"
    assert main(["verify", "--json", "--trust", str(identity.ca), str(video)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["trusted"]
