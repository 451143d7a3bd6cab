"""Signing identities for the Content Credentials tests, made fresh in a temporary folder (no key is
committed): a CA, a signing certificate it issues, and variants that must be refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Identity:
    cert: Path  # chain: the signing certificate, then the CA
    key: Path
    ca: Path  # the CA alone: a trust anchor


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)])


def _usage(*, sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=not sign, crl_sign=not sign,
                         encipher_only=False, decipher_only=False)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: object) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,  # type: ignore[attr-defined]
                             serialization.NoEncryption())


def make_ca(folder: Path, org: str = "Test Newsroom") -> tuple[x509.Certificate, object]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(f"{org} CA", org)).issuer_name(_name(f"{org} CA", org))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(sign=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def make_identity(folder: Path, name: str = "signer", *, org: str = "Test Newsroom", expired: bool = False,
                  ca: tuple[x509.Certificate, object] | None = None, key: object | None = None) -> Identity:
    """A CA and an ES256 signing certificate it issued, written as ``name.chain.pem``, ``name.key.pem``
    and ``name.ca.pem``; ``expired``: the certificate's validity ended yesterday."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_cert, ca_key = ca or make_ca(folder, org)
    key = key or ec.generate_private_key(ec.SECP256R1())
    end = NOW - dt.timedelta(days=1) if expired else NOW + dt.timedelta(days=30)
    cert = (x509.CertificateBuilder().subject_name(_name("Video desk", org)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())  # type: ignore[attr-defined]
            .not_valid_before(NOW - dt.timedelta(days=10)).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(sign=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)  # type: ignore[attr-defined]
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)  # type: ignore[attr-defined]
            .sign(ca_key, hashes.SHA256()))  # type: ignore[arg-type]
    identity = Identity(folder / f"{name}.chain.pem", folder / f"{name}.key.pem", folder / f"{name}.ca.pem")
    identity.cert.write_bytes(_pem(cert) + _pem(ca_cert))
    identity.key.write_bytes(_key_pem(key))
    identity.ca.write_bytes(_pem(ca_cert))
    return identity


def make_self_signed(folder: Path) -> Identity:
    """A signing certificate that signs itself: C2PA refuses it (a signer needs an issuer)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("Lone signer", "Nobody")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(NOW - dt.timedelta(days=1))
            .not_valid_after(NOW + dt.timedelta(days=30)).add_extension(_usage(sign=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(key, hashes.SHA256()))
    identity = Identity(folder / "self.pem", folder / "self.key.pem", folder / "self.pem")
    identity.cert.write_bytes(_pem(cert))
    identity.key.write_bytes(_key_pem(key))
    return identity
