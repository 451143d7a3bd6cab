"""The command line's cluster options: which Dask scheduler, which shared cache, which certificate."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from ..errors import ClaimreelError

__all__ = ["CLUSTER_ENV", "TLS_ENV", "add_cluster_arguments", "cluster_address", "cluster_tls", "open_cluster"]

CLUSTER_ENV = "CLAIMREEL_CLUSTER"
# The client's side of mutual TLS, each option's environment variable; with none of them Dask's own
# configuration is used (distributed.comm.tls.ca-file, .client.cert, .client.key).
TLS_ENV = {"tls_ca": "CLAIMREEL_TLS_CA", "tls_cert": "CLAIMREEL_TLS_CERT", "tls_key": "CLAIMREEL_TLS_KEY"}


def add_cluster_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cluster", default=None, metavar="tls://HOST:8786|tcp://HOST:8786|local:N",
                        help="render on a Dask cluster: a scheduler's address, or local:N to start N worker "
                        "processes here (default: CLAIMREEL_CLUSTER, else this machine's process pool)")
    parser.add_argument("--cache-url", default=None, metavar="URL",
                        help="with --cluster: a segment cache the workers and this machine share "
                        "(fsspec URL: file:///mnt/render-cache/claimreel, s3://bucket/prefix)")
    parser.add_argument("--tls-ca", type=Path, default=None, metavar="PEM",
                        help="with --cluster tls://: the CA that signed the scheduler's and workers' certificates "
                        "(default: CLAIMREEL_TLS_CA, else Dask's distributed.comm.tls.ca-file)")
    parser.add_argument("--tls-cert", type=Path, default=None, metavar="PEM",
                        help="with --cluster tls://: this client's certificate (default: CLAIMREEL_TLS_CERT, "
                        "else Dask's distributed.comm.tls.client.cert)")
    parser.add_argument("--tls-key", type=Path, default=None, metavar="PEM",
                        help="with --cluster tls://: this client's private key (default: CLAIMREEL_TLS_KEY, "
                        "else Dask's distributed.comm.tls.client.key)")


def cluster_address(args: argparse.Namespace) -> str | None:
    """The Dask cluster that ``--cluster`` (or CLAIMREEL_CLUSTER) names, or None for the local pool."""
    address = args.cluster or os.environ.get(CLUSTER_ENV) or None
    if address is None and args.cache_url:
        raise ClaimreelError("--cache-url: give --cluster too (the local pool writes the local cache)")
    return address


def cluster_tls(args: argparse.Namespace) -> Any:
    """The client's certificate, key and CA from ``--tls-*`` (or CLAIMREEL_TLS_*), all three or none
    (None: Dask's own configuration, if any, applies)."""
    from ..executor import Tls

    given = {name: getattr(args, name, None) or (Path(os.environ[env]) if os.environ.get(env) else None)
             for name, env in TLS_ENV.items()}
    if not any(given.values()):
        return None
    flag = {name: "--" + name.replace("_", "-") for name in TLS_ENV}
    missing = [f"{flag[name]} (or {TLS_ENV[name]})" for name, value in given.items() if value is None]
    if missing:
        raise ClaimreelError(f"--tls-ca, --tls-cert, --tls-key: give all three; missing {', '.join(missing)}")
    for name, path in given.items():
        if not path.is_file():
            raise ClaimreelError(f"{flag[name]} {path}: no such file; give the PEM file "
                                 f"(or set {TLS_ENV[name]})")
    if not (cluster_address(args) or "").startswith("tls://"):
        raise ClaimreelError("--tls-ca, --tls-cert, --tls-key: give --cluster tls://HOST:PORT too "
                             "(a scheduler that requires TLS)")
    return Tls(given["tls_ca"], given["tls_cert"], given["tls_key"])


def open_cluster(args: argparse.Namespace) -> Any:
    """The Dask pool that ``--cluster`` (or CLAIMREEL_CLUSTER) names, or None for the local pool."""
    address = cluster_address(args)
    if address is None:
        return None
    from ..pipeline.remote import open_render_pool

    return open_render_pool(address, cache_url=args.cache_url, tls=cluster_tls(args))
