"""The signing identity: a certificate chain and its private key, checked before anything renders.

Where it comes from, first found wins: ``--sign-cert CHAIN.pem --sign-key KEY.pem`` (or the API's
``sign_cert``/``sign_key``), then ``CLAIMREEL_SIGN_CERT``/``CLAIMREEL_SIGN_KEY``, then the theme's
``publish.credentials``. Only the two paths (and a timestamp authority's address) travel in
options and job records; the key's bytes are read here, held in memory for the signer, and never
written anywhere or shown in a ``repr``.

Bad identities are input errors (exit 2) found before the render starts: a file that is not PEM,
a key that does not match the certificate, a certificate outside its validity dates, an
algorithm C2PA does not sign with, or a chain the C2PA library refuses (it is tried on a tiny
image in memory).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ...errors import ClaimreelError

__all__ = ["CERT_ENV", "EXTRA", "KEY_ENV", "TSA_ENV", "CredentialsError", "SigningIdentity", "SigningRequest",
           "load_identity", "make_signer", "probe_image", "require_c2pa", "signing_request"]

CERT_ENV, KEY_ENV, TSA_ENV = "CLAIMREEL_SIGN_CERT", "CLAIMREEL_SIGN_KEY", "CLAIMREEL_SIGN_TSA_URL"
EXTRA = "pip install 'claimreel[credentials]'"


class CredentialsError(ClaimreelError):
    """A signing identity that cannot sign (exit 2, before anything renders)."""

    options = ("sign_cert", "sign_key")  # named by a request's source, when options gave the files


@dataclass(frozen=True)
class SigningRequest:
    """Where the identity is: the chain's and the key's paths, optional timestamp authority, and
    ``source``: which option named them (said in messages: ``sign_cert/sign_key``, the env, the theme)."""

    cert: Path
    key: Path
    tsa_url: str | None = None
    source: str = "sign_cert/sign_key"

    def options(self) -> dict[str, str | None]:
        """As JSON-ready data for a job record: paths only, never the key itself."""
        return {"sign_cert": str(self.cert), "sign_key": str(self.key), "sign_tsa_url": self.tsa_url}


@dataclass(frozen=True)
class SigningIdentity:
    """A checked identity: PEM texts for the signer, the algorithm, and who the certificate names."""

    alg: str  # ES256, ES384, ES512, PS256 or ED25519
    chain_pem: bytes
    key_pem: bytes = field(repr=False)
    signer: str  # the certificate's organisation (else its common name)
    common_name: str
    not_after: dt.datetime
    tsa_url: str | None = None

    def __reduce__(self) -> tuple[object, ...]:  # never pickled: a key must not travel to workers or files
        raise TypeError("a signing identity is not pickled (the key stays in this process)")


def signing_request(cert: str | Path | None, key: str | Path | None, *, tsa_url: str | None = None,
                    env: Mapping[str, str] | None = None) -> SigningRequest | None:
    """The identity named by options, else by ``CLAIMREEL_SIGN_CERT``/``_KEY``; None when neither
    (the theme may still name one). One of the pair without the other is an error."""
    env = os.environ if env is None else env
    source = "sign_cert/sign_key"
    if cert is None and key is None:
        cert, key, source = env.get(CERT_ENV) or None, env.get(KEY_ENV) or None, f"{CERT_ENV}/{KEY_ENV}"
        tsa_url = tsa_url or env.get(TSA_ENV) or None
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        given, missing = ("certificate", "key") if cert is not None else ("key", "certificate")
        raise CredentialsError(f"{source}: a signing {given} without its {missing}; give both "
                               "(the certificate chain PEM and its private key PEM)")
    return SigningRequest(Path(cert), Path(key), tsa_url, source)


def load_identity(request: SigningRequest, *, now: dt.datetime | None = None) -> SigningIdentity:
    """Read and check the identity ``request`` names (:class:`CredentialsError`, exit 2, if it cannot sign)."""
    require_c2pa()  # the extra brings cryptography too: say which to install before reading anything
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise CredentialsError(f"Content Credentials need the cryptography library: {EXTRA}") from None

    chain_pem = _read(request.cert, "certificate chain", request.source)
    key_pem = _read(request.key, "private key", request.source)
    try:
        chain = x509.load_pem_x509_certificates(chain_pem)
    except ValueError:
        raise CredentialsError(f"{request.cert}: not a PEM certificate chain ({request.source}); give the "
                               "signing certificate, then its intermediates, as -----BEGIN CERTIFICATE----- "
                               "blocks") from None
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise CredentialsError(f"{request.key}: not an unencrypted PEM private key ({request.source}): "
                               f"{_first_line(exc)}; export it as PKCS#8 PEM without a passphrase") from None
    leaf = chain[0]
    alg = _algorithm(key, request)
    if _public_bytes(key.public_key()) != _public_bytes(leaf.public_key()):
        raise CredentialsError(f"{request.key}: this key does not belong to the certificate in {request.cert} "
                               f"({request.source}); give the key the certificate was issued for")
    now = now or dt.datetime.now(dt.timezone.utc)
    if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
        when = "expired on" if now > leaf.not_valid_after_utc else "is not valid before"
        date = leaf.not_valid_after_utc if now > leaf.not_valid_after_utc else leaf.not_valid_before_utc
        raise CredentialsError(f"{request.cert}: the signing certificate {when} {date:%Y-%m-%d %H:%M} UTC "
                               f"({request.source}); renew it or give a current one")
    identity = SigningIdentity(alg, chain_pem, key_pem, _name(leaf), _common_name(leaf),
                               leaf.not_valid_after_utc, request.tsa_url)
    _try_signing(identity, request)
    return identity


def _read(path: Path, what: str, source: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CredentialsError(f"{path}: cannot read the signing {what} ({source}): "
                               f"{exc.strerror or exc}") from None


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _algorithm(key: object, request: SigningRequest) -> str:
    """The C2PA algorithm for the key's type (EC P-256/384/521, RSA as PSS, Ed25519)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(key, ec.EllipticCurvePrivateKey):
        by_curve = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
        if key.curve.name in by_curve:
            return by_curve[key.curve.name]
        kind = f"an EC key on curve {key.curve.name}"
    elif isinstance(key, rsa.RSAPrivateKey):
        if key.key_size >= 2048:
            return "PS256"
        kind = f"a {key.key_size}-bit RSA key"
    elif isinstance(key, ed25519.Ed25519PrivateKey):
        return "ED25519"
    else:
        kind = f"a {type(key).__name__.removeprefix('_')} key"
    raise CredentialsError(f"{request.key}: {kind} cannot sign Content Credentials ({request.source}); "
                           "C2PA signs with ES256 (EC P-256, recommended), ES384, ES512, PS256 (RSA 2048+) "
                           "or Ed25519")


def _public_bytes(public_key: object) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.DER,  # type: ignore[attr-defined]
                                   serialization.PublicFormat.SubjectPublicKeyInfo)


def _attribute(cert: object, oid: object) -> str:
    values = cert.subject.get_attributes_for_oid(oid)  # type: ignore[attr-defined]
    return str(values[0].value) if values else ""


def _name(cert: object) -> str:
    from cryptography.x509.oid import NameOID

    return _attribute(cert, NameOID.ORGANIZATION_NAME) or _attribute(cert, NameOID.COMMON_NAME)


def _common_name(cert: object) -> str:
    from cryptography.x509.oid import NameOID

    return _attribute(cert, NameOID.COMMON_NAME)


def require_c2pa() -> object:
    """The ``c2pa`` module, or an error saying which extra to install."""
    try:
        import c2pa
    except ImportError:
        raise CredentialsError(f"Content Credentials need the c2pa-python library: {EXTRA}") from None
    return c2pa


def make_signer(identity: SigningIdentity) -> Any:
    c2pa = require_c2pa()
    info = c2pa.C2paSignerInfo(identity.alg, identity.chain_pem, identity.key_pem,  # type: ignore[attr-defined]
                               identity.tsa_url)
    return c2pa.Signer.from_info(info)  # type: ignore[attr-defined]



def probe_image() -> bytes:
    """A 16x16 JPEG: what an identity is tried on before a render."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), (13, 27, 42)).save(out, "JPEG")
    return out.getvalue()



def _try_signing(identity: SigningIdentity, request: SigningRequest) -> None:
    """Sign a tiny in-memory image, so a chain the C2PA library refuses fails now, not after the render."""
    import io

    c2pa = require_c2pa()
    created = {"action": "c2pa.created", "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/"
               "digitalCreation"}
    builder = c2pa.Builder({"claim_generator_info": [{"name": "claimreel"}], "title": "check",  # type: ignore[attr-defined]
                            "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [created]}}]})
    try:
        builder.sign(make_signer(identity), "image/jpeg", io.BytesIO(probe_image()), io.BytesIO())
    except c2pa.C2paError as exc:  # type: ignore[attr-defined]
        raise CredentialsError(f"{request.cert}: the C2PA library refuses this signing identity "
                               f"({request.source}): {_first_line(exc)}; the signing certificate needs the "
                               "digitalSignature key usage, an issuer (not self-signed) and the "
                               "emailProtection or documentSigning extended key usage") from None
