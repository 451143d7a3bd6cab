"""Reading Content Credentials back: what a signed file says, and whether it is intact.

:func:`check_file` reads one file with the C2PA library (nothing fetched from the network) and
sums it up as a :class:`Verdict`: ``intact`` when every hash and the signature check out,
``trusted`` when the signing certificate also chains to a trust anchor (``--trust``). A
certificate nobody vouches for (a newsroom's own CA not yet trusted) is reported as untrusted,
never as tampering; a changed byte of the media is tampering.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .identity import CredentialsError, require_c2pa

__all__ = ["Verdict", "check_file", "read_context"]

#: Validation codes that say nothing about the file being altered: who vouches for the signer.
_TRUST_CODES = ("signingCredential.untrusted",)
_MIME = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime", ".jpg": "image/jpeg",
         ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


@dataclass(frozen=True)
class Verdict:
    """One file's credentials as a person reads them; ``status``: intact, altered or unsigned."""

    file: str
    status: str
    trusted: bool = False
    signer: str = ""
    issuer: str = ""
    signed_at: str = ""
    algorithm: str = ""
    title: str = ""
    generator: str = ""
    script_id: str = ""
    fact_check_url: str = ""
    publisher: str = ""
    sources: list[dict[str, Any]] = field(default_factory=list)
    synthetic: list[str] = field(default_factory=list)
    parent: str = ""
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        """The verdict in plain lines."""
        trust = "trusted" if self.trusted else "signer not in the trust list (a self-made or private certificate)"
        if self.status == "unsigned":
            return f"{self.file}: no Content Credentials"
        lines = [f"{self.file}: {'INTACT' if self.status == 'intact' else 'ALTERED OR INVALID'} — {trust}",
                 f"  signed by {self.signer or '?'}" + (f" (issued by {self.issuer})" if self.issuer else "")
                 + (f" on {self.signed_at}" if self.signed_at else "") + (f", {self.algorithm}" if self.algorithm else ""),
                 f"  made with {self.generator}" + (f" from script {self.script_id}" if self.script_id else "")]
        if self.publisher:
            lines.append(f"  publisher: {self.publisher}")
        if self.fact_check_url:
            lines.append(f"  fact check: {self.fact_check_url}")
        if self.parent:
            lines.append(f"  made from: {self.parent} (its own credentials kept)")
        for source in self.sources:
            stand_in = " — a stand-in, not the original" if source.get("stand_in") else ""
            lines.append(f"  source: {source.get('title')} ({source.get('kind')}: {source.get('role')}){stand_in}")
        for line in self.synthetic:
            lines.append(f"  synthetic: {line}")
        lines += [f"  problem: {p}" for p in self.problems]
        return "\n".join(lines)


def read_context(trust_pem: str | None = None) -> Any:
    """Reader settings: nothing fetched from the network; ``trust_pem`` adds trust anchors."""
    c2pa = require_c2pa()
    settings: dict[str, Any] = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if trust_pem:
        settings["trust"] = {"trust_anchors": trust_pem}
    return c2pa.Context(settings=c2pa.Settings.from_dict(settings))  # type: ignore[attr-defined]


def check_file(path: Path, context: Any) -> Verdict:
    """``path``'s credentials; :class:`CredentialsError` (exit 2) when it cannot be read at all."""
    c2pa = require_c2pa()
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise CredentialsError(f"{path}: claimreel verify reads MP4 videos and JPEG, PNG or WebP images")
    try:
        with open(path, "rb") as fh:
            reader = c2pa.Reader.try_create(mime, fh, None, context)  # type: ignore[attr-defined]
            if reader is None:
                return Verdict(str(path), "unsigned")
            with reader:
                store = json.loads(reader.json())
    except OSError as exc:
        raise CredentialsError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    except c2pa.C2paError as exc:  # type: ignore[attr-defined]
        raise CredentialsError(f"{path}: not a readable {mime} file ({exc})") from None
    return _verdict(path, store)


def _verdict(path: Path, store: dict[str, Any]) -> Verdict:
    manifest = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = [f for f in results.get("failure", []) if f.get("code") not in _TRUST_CODES]
    failures += [f for f in store.get("validation_status", []) if f.get("code") not in _TRUST_CODES
                 and f not in failures and not f.get("code", "").startswith("signingCredential.ocsp")]
    state = store.get("validation_state", "")
    intact = state in ("Valid", "Trusted") and not failures
    info = manifest.get("signature_info") or {}
    story = _assertion(manifest, "org.claimreel.story") or {}
    actions = (_assertion(manifest, "c2pa.actions.v2") or _assertion(manifest, "c2pa.actions") or {}).get("actions", [])
    synthetic = [a.get("description", "") for a in actions if a.get("action") == "c2pa.edited"
                 and str(a.get("digitalSourceType", "")).endswith(("algorithmicMedia", "AlgorithmicMedia"))]
    parent = next((i.get("title", "") for i in manifest.get("ingredients", []) if i.get("relationship") == "parentOf"), "")
    generator = ", ".join(f"{g.get('name')} {g.get('version', '')}".strip()
                          for g in manifest.get("claim_generator_info", [])[:1])
    return Verdict(
        str(path), "intact" if intact else "altered", state == "Trusted", info.get("common_name", ""),
        info.get("issuer", ""), info.get("time", ""), str(info.get("alg", "")).upper(), manifest.get("title", ""),
        generator, story.get("script_id", ""), story.get("fact_check_url") or "", story.get("publisher", ""),
        list(story.get("sources", [])), synthetic, parent,
        [f"{f.get('code')}: {f.get('explanation', '')}" for f in failures] if not intact else [],
    )


def _assertion(manifest: dict[str, Any], label: str) -> dict[str, Any] | None:
    for assertion in manifest.get("assertions", []):
        if assertion.get("label") == label:
            return assertion.get("data")
    return None
