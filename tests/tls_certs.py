"""A certificate authority of a test's own, and certificates it signs, for mutual TLS on 127.0.0.1.

Made with ``cryptography`` in a folder the test gives (nothing is fetched); every file is PEM.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Pair", "make_ca", "make_pair"]


@dataclass(frozen=True)
class Pair:
    cert: Path
    key: Path


def _key():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _write(folder: Path, name: str, cert, key) -> Pair:
    from cryptography.hazmat.primitives import serialization

    pair = Pair(folder / f"{name}.pem", folder / f"{name}.key")
    pair.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pair.key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return pair


def _name(common: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _builder(subject, issuer, public_key):
    from cryptography import x509

    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1)))


def make_ca(folder: Path, name: str = "ca") -> tuple[Pair, object]:
    """A self-signed CA in ``folder``: its files, and its key (to sign with)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    key = _key()
    cert = (_builder(_name(f"claimreel test {name}"), _name(f"claimreel test {name}"), key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    return _write(folder, name, cert, key), key


def make_pair(folder: Path, name: str, ca: Pair, ca_key) -> Pair:
    """A certificate for ``name`` (valid for 127.0.0.1 and localhost, as server and as client) signed
    by the CA ``ca``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID

    issuer = x509.load_pem_x509_certificate(ca.cert.read_bytes())
    key = _key()
    cert = (_builder(_name(name), issuer.subject, key.public_key())
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return _write(folder, name, cert, key)
