"""Cuts: short clips a script names, and how their scene references resolve.

A cut lists the scenes it plays, in its own order, each by one of:

- a fixed scene of every video: ``title``, ``claim``, ``verdict``, ``credits``;
- a body block's ``id`` (what producers should use: it survives edits);
- a body block's number, 1 for the first block (handy, but shifts when blocks move).

:func:`resolve` turns one reference into a :data:`SceneRef`; :func:`cut_problems`
checks every cut of raw script data (unknown references, a scene twice in a cut,
duplicate cut names, duplicate or reserved block ids) so the loader can pin each
problem to its place in the YAML.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterator, Sequence, Union

from claimreel.script.checks import Failure
from claimreel.script.fields import FIXED_SCENES
from claimreel.script.model import Cut, Script
from claimreel.script.yamltree import FieldPath

__all__ = ["SceneRef", "cut_problems", "cut_refs", "resolve"]

#: A fixed scene's name (``"claim"``), or a body block's index (0 for the first block).
SceneRef = Union[str, int]


def _scene_list(ids: Sequence[str | None]) -> str:
    named = [i for i in ids if i]
    blocks = f"a body block's id ({', '.join(named)})" if named else "a body block's id (add 'id:' to the block)"
    numbers = f"or its number 1-{len(ids)}" if len(ids) > 1 else "or its number 1"
    return f"use {', '.join(FIXED_SCENES)}, {blocks} {numbers}"


def resolve(ref: str, ids: Sequence[str | None]) -> SceneRef | Failure:
    """The scene ``ref`` names, given the body blocks' ids in order (``None`` where a block has none)."""
    text = str(ref).strip()
    if text in FIXED_SCENES:
        return text
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(ids):
            return number - 1
        return Failure(f"there is no body block {number}", f"the body has {len(ids)} blocks; {_scene_list(ids)}")
    if text in ids:
        return ids.index(text)
    close = difflib.get_close_matches(text, [*FIXED_SCENES, *(i for i in ids if i)], n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return Failure(f"unknown scene '{text}'", hint + _scene_list(ids))


def cut_refs(script: Script, cut: Cut) -> tuple[SceneRef, ...]:
    """The scenes of a cut of a loaded (already checked) script, in the cut's order."""
    ids = [block.id for block in script.body]
    refs = tuple(resolve(ref, ids) for ref in cut.scenes)
    bad = [r for r in refs if isinstance(r, Failure)]
    if bad:  # the loader refuses such scripts; reaching here is a bug
        raise ValueError(f"cut '{cut.name}': {bad[0].message}")
    return refs  # type: ignore[return-value]


def _ids(body: Any) -> list[str | None]:
    if not isinstance(body, list):
        return []
    return [b.get("id") if isinstance(b, dict) and isinstance(b.get("id"), str) else None for b in body]


def cut_problems(data: dict[str, Any]) -> Iterator[tuple[FieldPath, Failure]]:
    """Every problem with block ids and cuts in raw script ``data``, with the path to pin it to."""
    ids = _ids(data.get("body"))
    seen_ids: dict[str, int] = {}
    for index, block_id in enumerate(ids):
        if block_id is None:
            continue
        if block_id in FIXED_SCENES:
            yield ("body", index, "id"), Failure(
                f"'{block_id}' is the name of a fixed scene, so a cut could not tell them apart",
                f"choose another id, e.g. '{block_id}-block'",
            )
        elif block_id in seen_ids:
            yield ("body", index, "id"), Failure(
                f"block id '{block_id}' is already used by body.{seen_ids[block_id]}",
                "give each block its own id",
            )
        else:
            seen_ids[block_id] = index
    cuts = data.get("cuts")
    if not isinstance(cuts, list):
        return
    names: dict[str, int] = {}
    for c, cut in enumerate(cuts):
        if not isinstance(cut, dict):
            continue
        name = cut.get("name")
        if isinstance(name, str):
            if name in names:
                yield ("cuts", c, "name"), Failure(
                    f"there is already a cut named '{name}' (cuts.{names[name]})", "give each cut its own name"
                )
            else:
                names[name] = c
        scenes = cut.get("scenes")
        if not isinstance(scenes, list):
            continue
        chosen: dict[SceneRef, str] = {}
        for s, ref in enumerate(scenes):
            if not isinstance(ref, (str, int)) or isinstance(ref, bool):
                continue  # the model reports the wrong type
            scene = resolve(str(ref), ids)
            if isinstance(scene, Failure):
                yield ("cuts", c, "scenes", s), scene
            elif scene in chosen:
                same = f" ('{chosen[scene]}')" if chosen[scene] != str(ref) else ""
                yield ("cuts", c, "scenes", s), Failure(
                    f"'{ref}' is already in this cut{same}", "a cut plays each scene once; remove one"
                )
            else:
                chosen[scene] = str(ref)
