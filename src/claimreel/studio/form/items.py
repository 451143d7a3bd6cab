"""The item buttons' work when the page runs no script: an item added to a list, removed, or moved
up or down, in the posted form's data (the page is then shown again with the change, unsaved)."""

from __future__ import annotations

from typing import Any

from ...errors import ClaimreelError
from .posted import Posted

__all__ = ["ItemNotOnForm", "apply_op", "get", "put"]


class ItemNotOnForm(ClaimreelError):
    """A button naming a list or item the posted form does not hold (a stale or forged page)."""


def put(data: Any, place: tuple, value: Any) -> None:
    """Set the value at ``place`` (``("body", 2, "image")``), making the groups on the way."""
    for part in place[:-1]:
        data = data[part] if isinstance(data, list) else data.setdefault(part, {})
    data[place[-1]] = value


def apply_op(op: str, posted: Posted) -> str:
    """An item button's work on the posted data (the page without script): ``add:LIST:TYPE``,
    ``remove:ITEM``, ``up:ITEM``, ``down:ITEM``; what was done, in words."""
    verb, _, rest = op.partition(":")
    if verb == "add":
        list_name, _, kind = rest.partition(":")
        place = next((p for p, n in posted.names.items() if n == list_name), None)
        if place is None:
            raise ItemNotOnForm("that list is not on the form; open the form again")
        items = get(posted.data, place, [])
        items = items if isinstance(items, list) else []
        items.append({"type": kind} if kind else {})
        put(posted.data, place, items)
        return f"Added a {kind} block at the end (not saved yet)." if kind else \
            "Added an item at the end (not saved yet)."
    place = next((p for p, n in posted.names.items() if n == rest and isinstance(p[-1], int)), None)
    if place is None or verb not in ("remove", "up", "down"):
        raise ItemNotOnForm("that item is not on the form; open the form again")
    items, i = get(posted.data, place[:-1], []), place[-1]
    if not isinstance(items, list) or i >= len(items):
        raise ItemNotOnForm("that item is not on the form; open the form again")
    if verb == "remove":
        del items[i]
        return f"Removed item {i + 1} (not saved yet)."
    j = i - 1 if verb == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    return f"Moved item {i + 1} {verb} (not saved yet)."


def get(data: Any, place: tuple, default: Any) -> Any:
    """The value at ``place``, or ``default`` where there is none."""
    for part in place:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return default
    return data
