"""What a remote pool needs to know of a unit kind: how it runs away from the client's files.

The pipeline describes each kind of unit it sends (:class:`Form`) and hands the forms to
:func:`claimreel.executor.open_pool`; the executor runs them without knowing what they draw or mix.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Form", "moved_bytes"]


@dataclass(frozen=True)
class Form:
    """A unit kind's remote form ``remote(scratch, *args)``, run on a worker with a scratch folder of
    its own (created by ``remote`` if it writes files; removed when the unit ends), which returns what
    the unit made as values; and its landing ``land(value, *args)``, run on the client, which puts
    that where the local unit would have and returns what the local unit returns (None: the value
    as it came)."""

    remote: Callable[..., Any]
    land: Callable[..., Any] | None = None
    # Arguments of megabytes (a soundtrack's speech samples) go to a worker as data of their own,
    # not inside the task the scheduler keeps.
    bulky: bool = False
    # Units of a higher priority run before those already queued (a soundtrack's chain: its pieces are
    # sent once the mix is back, and would otherwise wait for every segment sent before them).
    priority: int = 0


def moved_bytes(value: Any) -> int:
    """The bulk bytes ``value`` carries over the network: its bytes and its arrays' buffers (anything
    with an integer ``nbytes``), found through dataclasses, mappings and sequences; small fields
    (numbers, text, paths) count as nothing."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    size = getattr(value, "nbytes", None)
    if isinstance(size, int):
        return size
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(moved_bytes(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return sum(moved_bytes(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(moved_bytes(v) for v in value)
    return 0
