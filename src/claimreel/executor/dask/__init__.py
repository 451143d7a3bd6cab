"""Run a render's units on a Dask cluster (``--cluster tcp://HOST:8786``, ``tls://HOST:8786`` or
``local:N``): :mod:`.client` runs on the client, :mod:`.worker` on each worker."""

from .client import CONNECT_TIMEOUT_S, ClusterLost, ClusterUnreachable, DaskPool, NoClientCertificate, Traffic
from .worker import VersionMismatch

__all__ = ["CONNECT_TIMEOUT_S", "ClusterLost", "ClusterUnreachable", "DaskPool", "NoClientCertificate", "Traffic",
           "VersionMismatch"]
