"""Content Credentials in a render: the identity checked up front, the final files signed last.

The render job calls :func:`signing_identity` while it checks its input (a bad identity is exit 2
before any speech or picture work), :func:`disclosure_for` before it writes the player pages
(which show the credentials), and :func:`sign_staged` once every file is in the staging folder and
before ``manifest.json`` lists their hashes. Nothing here touches a cache.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..layout.theme import Theme
from ..narration.plan import check_sound_assets, scene_voices
from ..publish.credentials import SigningIdentity, SigningRequest, load_identity
from ..publish.credentials.content import Story, story_of
from ..publish.credentials.disclosure import Disclosure
from ..publish.manifest import tool_versions
from .prepared import Prepared

__all__ = ["disclosure_for", "sign_staged", "signing_identity", "story_for", "unsigned_note"]


def unsigned_note() -> str:
    """What ``validate`` says when no signing identity is configured."""
    return ("renders will not carry Content Credentials: to sign the videos, posters and storyboards give "
            "the render a certificate chain and its key (sign_cert, sign_key), or set CLAIMREEL_SIGN_CERT and "
            "CLAIMREEL_SIGN_KEY, or the theme's publish.credentials (see docs/credentials.md)")


def signing_identity(request: SigningRequest | None, theme: Theme) -> SigningIdentity | None:
    """The checked signing identity: the one ``request`` names, else the theme's ``publish.credentials``,
    else None (the render is not signed)."""
    if request is None and theme.sign_cert is not None and theme.sign_key is not None:
        request = SigningRequest(theme.sign_cert, theme.sign_key, theme.sign_tsa_url,
                                 f"{theme.folder / 'theme.yaml'}: publish.credentials")
    return None if request is None else load_identity(request)


def story_for(prepared: Prepared, voice_override: str | None, engine_name: str | None) -> Story:
    """What the render's manifests say: its sources and which engine spoke each narrated scene
    (``engine_name``: the engine object a caller passed, which then says everything)."""
    loaded = prepared.loaded
    voices = scene_voices(loaded, prepared.specs, voice_override)
    engines = {i: engine_name or v.engine for i, v in voices.items()}
    sounds = check_sound_assets(loaded)  # where -> file: voice.audio, music.file...
    files: dict[Path, str] = {}
    for v in voices.values():
        if engine_name is None and v.engine == "recorded":
            path = v.audio or sounds.get("voice.audio")
            if path is not None:
                files.setdefault(path, v.where if v.audio else "voice.audio")
    from .described import description_voice

    described_by = engine_name or description_voice(loaded, voice_override)[0]
    return story_of(loaded, engines, [(where, path) for path, where in files.items()], tool_versions()["claimreel"],
                    sounds.get("music.file"), described_by)


def disclosure_for(prepared: Prepared, voice_override: str | None, engine_name: str | None
                   ) -> tuple[Story, Disclosure] | None:
    """The story and the player page's disclosure of a signing render; None when it does not sign."""
    if prepared.signing is None:
        return None
    story = story_for(prepared, voice_override, engine_name)
    return story, Disclosure.of(story, prepared.signing)


def sign_staged(staging: Path, story: Story, identity: SigningIdentity, formats: Sequence[str],
                cuts: Sequence[tuple[str, str]]) -> Any:
    """Sign the staged render's videos, posters and storyboards (see :func:`~claimreel.publish.credentials.sign.sign_render`)."""
    from ..publish.credentials.sign import sign_render

    return sign_render(staging, story, identity, formats, cuts)
