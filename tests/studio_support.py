"""What the studio's test modules share: the studio extra, a workspace and an in-process client.

Importing this module skips the importing test module, with the reason, when the studio extra
(Starlette, Jinja2, python-multipart) is missing. Test modules take the fixtures by importing
them (``from ..studio_support import client, ws``); :func:`studio_client` opens the real app over
any workspace, with options for :func:`claimreel.studio.app.create_app`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Iterator

import pytest

REASON = "the studio needs the studio extra: pip install 'claimreel[studio]'"
pytest.importorskip("starlette", reason=REASON)
pytest.importorskip("jinja2", reason=REASON)
pytest.importorskip("multipart", reason=REASON)

from starlette.testclient import TestClient  # noqa: E402

from claimreel.studio.app import create_app  # noqa: E402

from .conftest import SMALL_SCRIPT, make_workspace  # noqa: E402

__all__ = ["NAME", "SCRIPT_WITH_CUTS", "TestClient", "client", "create_app", "studio_client", "ws"]

NAME = "small-check.yaml"
SCRIPT_WITH_CUTS = SMALL_SCRIPT + "cuts:\n  - {name: claim-verdict, scenes: [claim, verdict]}\n"


@contextlib.contextmanager
def studio_client(root: Path, *, follow_redirects: bool = True, **options: Any) -> Iterator[TestClient]:
    """Starlette's TestClient of the studio over ``root``, started for the block and stopped after
    it (its runner and workers with it), with ``csrf`` (the forms' token) and ``ws`` (``root``)."""
    app = create_app(root, **options)
    with TestClient(app, follow_redirects=follow_redirects) as client:
        client.csrf = app.state.studio.guard.csrf
        client.ws = root
        yield client


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace with ``scripts/small-check.yaml`` and its photo."""
    make_workspace(tmp_path)
    return tmp_path


@pytest.fixture
def client(ws: Path) -> Iterator[TestClient]:
    with studio_client(ws) as c:
        yield c
