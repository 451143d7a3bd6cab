"""A private cluster: a scheduler and a worker on 127.0.0.1 that require mutual TLS, with a CA and
certificates this test makes.

A client with a certificate of that CA renders through it, byte for byte as the local pool does
(given by options, or by Dask's own configuration); a client with no certificate, or with one of
another CA, is refused with a clear message (exit 1) and writes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("distributed", reason="Dask is not installed: pip install 'claimreel[cluster]'")
pytest.importorskip("cryptography", reason="the test's certificates need cryptography: pip install 'claimreel[test]'")

from ..conftest import REPO, make_workspace  # noqa: E402
from ..dask_processes import ClusterTls, DaskProcesses, dask_cluster  # noqa: E402
from ..tls_certs import make_ca, make_pair  # noqa: E402

pytestmark = pytest.mark.integration

PREVIEW = Path("out") / "_previews" / "small-check"


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="claimreel-tls-") as name:
        os.chmod(name, 0o755)  # the cluster's folders are inside
        yield Path(name)


@pytest.fixture(scope="module")
def certs(folder: Path) -> dict[str, tuple[Path, Path]]:
    """The cluster's CA and the certificates it signed (scheduler, worker, client), and a stranger's
    certificate signed by another CA."""
    made = folder / "certs"
    made.mkdir(mode=0o755)
    ca, key = make_ca(made)
    pairs = {name: make_pair(made, name, ca, key) for name in ("scheduler", "worker", "client")}
    other, other_key = make_ca(made, "other-ca")
    pairs["stranger"] = make_pair(made, "stranger", other, other_key)
    return {"ca": (ca.cert, ca.key), **{name: (p.cert, p.key) for name, p in pairs.items()}}


@pytest.fixture(scope="module")
def cluster(folder: Path, certs: dict[str, tuple[Path, Path]]) -> Iterator[DaskProcesses]:
    tls = ClusterTls(certs["ca"][0], certs["scheduler"], certs["worker"], certs["client"])
    with dask_cluster(folder / "cluster", workers=1, as_nobody=False, tls=tls) as procs:
        yield procs


@pytest.fixture(scope="module")
def script(folder: Path) -> Path:
    return make_workspace(folder / "ws")


def _render(script: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "claimreel", "render", str(script), "--preview", "--out", str(out / "out"),
            "--cache", str(out / "cache"), *extra]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMREEL_", "DASK_"))}
    return subprocess.run(argv, env={**clean, "PYTHONPATH": str(REPO / "src"), **(env or {})},
                          capture_output=True, text=True, timeout=600)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def local(folder: Path, script: Path) -> dict[str, bytes]:
    result = _render(script, folder / "local", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return _files(folder / "local" / PREVIEW)


def test_a_client_with_its_certificate_renders_as_the_local_pool(cluster, certs, folder, script, local):
    assert cluster.address.startswith("tls://")
    result = _render(script, folder / "tls", "--cluster", cluster.address, "--tls-ca", str(certs["ca"][0]),
                     "--tls-cert", str(certs["client"][0]), "--tls-key", str(certs["client"][1]))
    assert result.returncode == 0, result.stderr
    ours = _files(folder / "tls" / PREVIEW)
    assert sorted(ours) == sorted(local)
    assert [name for name in ours if ours[name] != local[name]] == [], "the same bytes as the local render"
    stored = [p for p in cluster.folders[0].rglob("claimreel-files/*") if p.is_file()]
    assert stored, "the worker got the photo and fonts by content, over TLS"


def test_dasks_own_configuration_gives_the_certificate_too(cluster, certs, folder, script, local):
    env = {"DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(certs["ca"][0]),
           "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": str(certs["client"][0]),
           "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": str(certs["client"][1])}
    result = _render(script, folder / "config", "--cluster", cluster.address, env=env)
    assert result.returncode == 0, result.stderr
    assert _files(folder / "config" / PREVIEW) == local


def test_a_client_without_a_certificate_is_refused(cluster, certs, folder, script):
    result = _render(script, folder / "none", "--cluster", cluster.address,
                     env={"DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(certs["ca"][0])})
    assert result.returncode == 1, result.stderr
    assert f"{cluster.address}: the scheduler requires TLS and this client has no certificate" in result.stderr
    assert "--tls-cert" in result.stderr and "Traceback" not in result.stderr
    assert not (folder / "none" / "out").exists()


def test_a_certificate_of_another_ca_is_refused_by_the_scheduler(cluster, certs, folder, script):
    result = _render(script, folder / "stranger", "--cluster", cluster.address, "--tls-ca", str(certs["ca"][0]),
                     "--tls-cert", str(certs["stranger"][0]), "--tls-key", str(certs["stranger"][1]))
    assert result.returncode == 1, result.stderr
    assert f"{cluster.address}: cannot reach the Dask scheduler" in result.stderr
    assert "refused this client's certificate" in result.stderr and "Traceback" not in result.stderr
    assert not (folder / "stranger" / "out").exists()


def test_half_a_certificate_is_a_usage_error(certs, folder, script):
    result = _render(script, folder / "half", "--cluster", "tls://127.0.0.1:1", "--tls-cert", str(certs["client"][0]))
    assert result.returncode == 2, result.stderr
    assert "give all three; missing --tls-ca (or CLAIMREEL_TLS_CA), --tls-key (or CLAIMREEL_TLS_KEY)" in result.stderr
    plain = _render(script, folder / "plain", "--cluster", "tcp://127.0.0.1:1", "--tls-ca", str(certs["ca"][0]),
                    "--tls-cert", str(certs["client"][0]), "--tls-key", str(certs["client"][1]))
    assert plain.returncode == 2 and "give --cluster tls://HOST:PORT too" in plain.stderr, plain.stderr
