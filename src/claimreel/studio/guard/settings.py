"""What the guard checks against: the access token, the hosts answered, the CSRF token."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

__all__ = ["COOKIE", "LOOPBACK", "GuardSettings", "new_token", "same_secret"]

COOKIE = "claimreel_studio"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class GuardSettings:
    """``token``: the access token (None: none needed); ``hosts``: Host header values answered
    (empty: any); ``csrf``: this server's CSRF token."""

    token: str | None = None
    hosts: frozenset[str] = frozenset()
    csrf: str = field(default_factory=new_token)


def same_secret(given: str | None, secret: str | None) -> bool:
    """Whether ``given`` is ``secret``, compared in constant time (a missing one is never the same)."""
    return given is not None and secret is not None and hmac.compare_digest(given.encode(), secret.encode())
