"""Content Credentials (C2PA): who made a published file, from what, signed so it can be checked.

- :mod:`.identity`: the newsroom's signing certificate chain and key, checked before a render starts;
- :mod:`.content`: what went into a render (sources, narration, edits), as C2PA manifest definitions;
- :mod:`.sign`: signing the final files of a staged render in place;
- :mod:`.verify`: reading a signed file back, as a person reads it and as JSON.

The signing library (``c2pa-python``, the ``claimreel[credentials]`` extra) is imported only
where a file is signed or read, so a render without a signing identity never loads it.
"""

from __future__ import annotations

from .identity import SigningIdentity, SigningRequest, load_identity, signing_request

__all__ = ["SigningIdentity", "SigningRequest", "load_identity", "signing_request"]
