"""Every scene of a script laid out in every format, before any sound or picture work: text that
cannot fit is an input error, pointed at its line in the script.
"""

from __future__ import annotations

from typing import Sequence

from ..captions.rules import rules_for_format
from ..errors import LayoutError
from ..layout.elements import SceneLayout
from ..layout.formats import Format, get_format
from ..layout.scenes import SceneContext, layout_scene
from ..layout.text import FontBook
from ..layout.theme import Theme
from ..layout.typography import typeset_script
from ..script.load import LoadedScript
from ..timeline.build import plan_scenes
from .limits import long_word_problem

__all__ = ["layout_all", "layout_end_cards"]


def layout_all(
    loaded: LoadedScript, theme: Theme, book: FontBook, formats: Sequence[Format | str]
) -> dict[str, tuple[SceneLayout, ...]]:
    """Every scene of the script laid out in every format (raises LayoutError on text that cannot fit)."""
    script = loaded.script
    shown = typeset_script(script)  # what cards draw: the language's quotation marks and apostrophes
    specs = plan_scenes(script)
    out = {}
    for fmt in formats:
        fmt = get_format(fmt) if isinstance(fmt, str) else fmt
        problem = long_word_problem(specs, rules_for_format(fmt.name).max_chars_per_line)
        if problem:
            field, _, message = problem.partition(": ")
            placed = loaded.problem(field, f"{fmt.name}: {message}")
            raise LayoutError(str(placed), field=field, problem=placed)
        scenes = []
        for spec in specs:
            block = shown.body[spec.block] if spec.block is not None else None
            ctx = SceneContext(shown, fmt, theme, book, loaded.assets, block, spec.block, spec.kind)
            try:
                scenes.append(layout_scene(spec.kind, ctx))
            except LayoutError as exc:
                if not exc.field:  # not the script's text (e.g. a theme's word no font covers): says where
                    raise LayoutError(f"{loaded.path}: {fmt.name}: {exc}") from None
                # pointed at the line of the field in the script, in the producer's words
                message = exc.message.removeprefix(f"{exc.field}: ")
                problem = loaded.problem(exc.field, f"{fmt.name}: {message}")
                raise LayoutError(str(problem), field=exc.field, problem=problem) from None
        out[fmt.name] = tuple(scenes)
    return out



def layout_end_cards(
    loaded: LoadedScript, theme: Theme, book: FontBook, formats: Sequence[Format | str]
) -> dict[str, SceneLayout]:
    """The end card of the script's social cuts in every format (raises LayoutError if it cannot fit)."""
    shown = typeset_script(loaded.script)
    out = {}
    for fmt in formats:
        fmt = get_format(fmt) if isinstance(fmt, str) else fmt
        try:
            out[fmt.name] = layout_scene("end", SceneContext(shown, fmt, theme, book, loaded.assets, kind="end"))
        except LayoutError as exc:
            raise LayoutError(f"{loaded.path}: {fmt.name}: end card: {exc}") from None
    return out

