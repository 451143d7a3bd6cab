"""``claimreel studio``: serve the studio web app over this workspace (needs ``claimreel[studio]``)."""

from __future__ import annotations

import argparse
import importlib.util
import os
from pathlib import Path

from ..errors import ClaimreelError

HELP = "serve the studio, a local web app: scripts, findings, storyboards, renders, outputs, social packs"

EXTRA_MODULES = ("starlette", "uvicorn", "jinja2", "multipart")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8421, help="port (default 8421)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1; any other address requires an access token)")
    parser.add_argument("--token", default=None,
                        help="access token visitors give once as ?token=... (default: none on 127.0.0.1, "
                        "a new one printed at start otherwise)")
    parser.add_argument("--workspace", type=Path, default=Path("."), help="workspace folder (default: here)")
    parser.add_argument("--no-runner", action="store_true",
                        help="do not start a queue runner (another 'claimreel jobs run' renders the tasks)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes of the studio's runner")


def missing_extra() -> list[str]:
    return [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Host header values a loopback studio answers (none checked on other binds: the token guards)."""
    from ..studio.guard import LOOPBACK

    if host not in LOOPBACK:
        return frozenset()
    return frozenset(f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]"))


def run(args: argparse.Namespace) -> int:
    missing = missing_extra()
    if missing:
        raise ClaimreelError(f"the studio needs {', '.join(missing)}; install them with: "
                             "python3 -m pip install 'claimreel[studio]'")
    import uvicorn

    from ..studio.app import create_app
    from ..studio.guard import LOOPBACK, GuardSettings, new_token

    if not 0 < args.port < 65536:
        raise ClaimreelError(f"--port: {args.port} is not a port; give 1-65535")
    token = args.token
    if token is not None and len(token) < 16:
        raise ClaimreelError("--token: use at least 16 characters (or leave it out to get a new random one)")
    if token is None and args.host not in LOOPBACK:
        token = new_token()
    app = create_app(args.workspace, guard=GuardSettings(token=token, hosts=allowed_hosts(args.host, args.port)),
                     runner=not args.no_runner, runner_jobs=args.jobs,
                     board_workers=min(4, os.cpu_count() or 1))
    shown = f"[{args.host}]" if ":" in args.host else args.host
    address = f"http://{shown}:{args.port}/"
    print(f"claimreel studio: {address}{'?token=' + token if token else ''}", flush=True)
    if token:
        print("open that address once; the browser keeps the token in a cookie. Anyone with it can use this studio.",
              flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
