"""A signing identity that cannot sign is refused (exit 2, one placed message) before anything renders."""

from __future__ import annotations

import pytest

pytest.importorskip("c2pa")

from cryptography.hazmat.primitives.asymmetric import ec, rsa  # noqa: E402

from claimreel.cli import main  # noqa: E402
from claimreel.publish.credentials import SigningRequest, load_identity, signing_request  # noqa: E402
from claimreel.publish.credentials.content import Narration  # noqa: E402
from claimreel.publish.credentials.identity import CredentialsError  # noqa: E402

from ..credentials_support import make_ca, make_identity  # noqa: E402


def _refused(workspace, capsys, cert, key) -> str:
    out = workspace / "out"
    code = main(["render", str(workspace / "scripts" / "small-check.yaml"), "--preview", "--out", str(out),
                 "--cache", str(workspace / "cache"), "--sign-cert", str(cert), "--sign-key", str(key)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert not (workspace / "cache").exists() and not any(out.glob("**/*.mp4"))  # nothing rendered
    return err


def test_a_key_of_another_certificate(workspace, capsys, tmp_path):
    good, other = make_identity(tmp_path, "a"), make_identity(tmp_path, "b")
    err = _refused(workspace, capsys, good.cert, other.key)
    assert f"{other.key}: this key does not belong to the certificate in {good.cert}" in err


def test_an_expired_certificate(workspace, capsys, tmp_path):
    old = make_identity(tmp_path, "old", expired=True)
    assert "the signing certificate expired on" in _refused(workspace, capsys, old.cert, old.key)


def test_a_file_that_is_not_pem(workspace, capsys, tmp_path):
    good = make_identity(tmp_path)
    junk = tmp_path / "junk.pem"
    junk.write_text("hello")
    assert f"{junk}: not a PEM certificate chain (--sign-cert/--sign-key)" in _refused(workspace, capsys, junk, good.key)
    assert f"{junk}: not an unencrypted PEM private key" in _refused(workspace, capsys, good.cert, junk)


def test_an_unsupported_algorithm(workspace, capsys, tmp_path):
    key = ec.generate_private_key(ec.SECP256K1())  # bitcoin's curve: no C2PA algorithm signs with it
    weird = make_identity(tmp_path, "k1", ca=make_ca(tmp_path), key=key)
    assert "an EC key on curve secp256k1 cannot sign Content Credentials" in _refused(workspace, capsys,
                                                                                      weird.cert, weird.key)


def test_one_of_the_pair_and_the_environment():
    with pytest.raises(CredentialsError, match="a signing certificate without its key"):
        signing_request("chain.pem", None)
    found = signing_request(None, None, env={"CLAIMREEL_SIGN_CERT": "c.pem", "CLAIMREEL_SIGN_KEY": "k.pem"})
    assert found is not None and found.source == "CLAIMREEL_SIGN_CERT/CLAIMREEL_SIGN_KEY"
    assert signing_request(None, None, env={}) is None


def test_an_identity_keeps_its_key_to_itself(tmp_path):
    made = make_identity(tmp_path)
    identity = load_identity(SigningRequest(made.cert, made.key))
    assert identity.alg == "ES256" and identity.signer == "Test Newsroom"
    assert "PRIVATE" not in repr(identity)
    import pickle
    with pytest.raises(TypeError):
        pickle.dumps(identity)


def test_rsa_signs_as_ps256(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    made = make_identity(tmp_path, "rsa", key=key)
    assert load_identity(SigningRequest(made.cert, made.key)).alg == "PS256"


@pytest.mark.parametrize("engine, kind", [("piper", "trainedAlgorithmicMedia"), ("gtts", "trainedAlgorithmicMedia"),
                                          ("espeak", "algorithmicMedia"), ("recorded", "digitalCapture"),
                                          ("some-new-engine", "trainedAlgorithmicMedia")])
def test_narration_source_types_by_engine_name(engine, kind):
    assert Narration(engine, 1).source_type == kind


def test_recorded_narration_is_captured_audio_placed_as_an_ingredient():
    from claimreel.pipeline.prepared import Prepared
    from claimreel.pipeline.signing import story_for
    from claimreel.publish.credentials.content import IPTC, video_manifest
    from claimreel.script.load import load_script
    from claimreel.timeline.build import plan_scenes

    from ..conftest import REPO

    loaded = load_script(REPO / "scripts" / "recorded-voice-example.yaml")
    prepared = Prepared(loaded, None, None, plan_scenes(loaded.script), {}, ())  # type: ignore[arg-type]
    story = story_for(prepared, None, None)
    assert [n.engine for n in story.narration] == ["recorded"] and not story.narration[0].synthetic
    # captured pictures and voice, drawn cards; but the audio description track has no recorded voice to
    # speak it: eSpeak says it, and the video says so
    assert story.description is not None and story.description.engine == "espeak" and story.description.synthetic
    assert story.source_type == "compositeSynthetic"
    music = next(s for s in story.sources if s.kind == "music")
    assert music.title == "soft-pad.ogg" and music.edits == ("trimmed", "volume adjusted")
    voice = [s for s in story.sources if s.kind == "voice-over"]
    assert [s.title for s in voice] == ["recorded-example.m4a"] and voice[0].id == "voice.audio"
    manifest, ingredients = video_manifest(story, "t")
    actions = next(a for a in manifest["assertions"] if a["label"] == "c2pa.actions.v2")["data"]["actions"]
    placed = next(a for a in actions if a.get("parameters", {}).get("ingredientIds") == [voice[0].id]
                  and a["action"] == "c2pa.placed")
    assert placed["digitalSourceType"] == IPTC + "digitalCapture"
    synthetic = [a for a in actions if a["action"] == "c2pa.edited" and "digitalSourceType" in a]
    assert [a["description"] for a in synthetic] == [  # no synthetic narration; the description's voice is
        "audio description synthesised: a rule-based synthetic voice (espeak)"]
    espoken = story_for(prepared, "espeak", None)
    assert espoken.source_type == "compositeSynthetic" and espoken.narration[0].source_type == "algorithmicMedia"
    assert not [s for s in espoken.sources if s.kind == "voice-over"]


def test_a_missing_signing_library_names_the_extra(tmp_path, monkeypatch):
    made = make_identity(tmp_path)
    monkeypatch.setitem(__import__("sys").modules, "c2pa", None)
    with pytest.raises(CredentialsError, match=r"need the c2pa-python library: pip install 'claimreel\[credentials\]'"):
        load_identity(SigningRequest(made.cert, made.key))


def test_a_self_signed_certificate_is_refused_by_the_library_before_the_render(tmp_path):
    from ..credentials_support import make_self_signed

    lone = make_self_signed(tmp_path)
    with pytest.raises(CredentialsError) as caught:
        load_identity(SigningRequest(lone.cert, lone.key))
    assert str(caught.value).startswith(f"{lone.cert}: the C2PA library refuses this signing identity "
                                        "(sign_cert/sign_key): ")
    assert "an issuer (not self-signed)" in str(caught.value)
