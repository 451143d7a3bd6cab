"""The studio's guard: four small ASGI middlewares in front of every route, so no route can forget
a check. From the outside in:

- :class:`~.headers.SecurityHeaders`: a content security policy (studio pages run only the
  studio's own script and style files), no framing, no sniffing, no referrer, on every answer;
- :class:`~.hosts.HostCheck`: on loopback only the loopback names are answered, so a page on
  another site cannot reach the studio by rebinding its own DNS name;
- :class:`~.access.AccessToken`: off loopback (or when one is given), the first visit carries
  ``?token=…`` and is answered with a cookie, later requests carry the cookie;
- :class:`~.csrf.CsrfCheck`: every request that is not GET/HEAD carries this server's CSRF token
  and, when the browser says where it came from, comes from this host.

:func:`guard_middleware` puts them in that order; each is tested on its own.
"""

from __future__ import annotations

from starlette.middleware import Middleware

from .access import AccessToken
from .csrf import CsrfCheck
from .headers import SecurityHeaders
from .hosts import HostCheck
from .settings import COOKIE, LOOPBACK, GuardSettings, new_token

__all__ = ["COOKIE", "LOOPBACK", "AccessToken", "CsrfCheck", "GuardSettings", "HostCheck", "SecurityHeaders",
           "guard_middleware", "new_token"]


def guard_middleware(settings: GuardSettings) -> list[Middleware]:
    """The guard's middlewares, outermost first (Starlette's order), for ``settings``."""
    return [Middleware(SecurityHeaders), Middleware(HostCheck, hosts=settings.hosts),
            Middleware(AccessToken, token=settings.token), Middleware(CsrfCheck, csrf=settings.csrf)]
