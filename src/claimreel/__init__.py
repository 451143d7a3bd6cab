"""claimreel: a fact-check written as one YAML script, rendered into a narrated, captioned explainer video.

The Python API (the command line is built on it)::

    import claimreel

    findings = claimreel.validate("scripts/story.yaml")        # [] when the script is ready
    result = claimreel.render("scripts/story.yaml", formats="all", progress=print)
    result.files                                               # every file written

``claimreel.clips`` hands scenes, overlays and the captions layer to moviepy;
``claimreel.jobs`` is the render queue. Names load on first use (PEP 562), so
``import claimreel`` does no work.
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from . import clips, jobs
    from .api import Finding, ProgressEvent, load_script, render, validate
    from .errors import ClaimreelError
    from .pipeline.request import RenderResult

__all__ = [
    "ClaimreelError",
    "Finding",
    "ProgressEvent",
    "RenderResult",
    "clips",
    "jobs",
    "load_script",
    "render",
    "validate",
]

# Where each public name lives: a module ("pkg.mod") or an attribute of one ("pkg.mod:name").
_LAZY = {
    "ClaimreelError": "claimreel.errors:ClaimreelError",
    "Finding": "claimreel.api:Finding",
    "ProgressEvent": "claimreel.api:ProgressEvent",
    "RenderResult": "claimreel.pipeline.request:RenderResult",
    "clips": "claimreel.clips",
    "jobs": "claimreel.jobs",
    "load_script": "claimreel.api:load_script",
    "render": "claimreel.api:render",
    "validate": "claimreel.api:validate",
}


def __getattr__(name: str) -> object:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'claimreel' has no attribute {name!r}")
    module_name, _, attribute = target.partition(":")
    module = _importlib.import_module(module_name)
    value = getattr(module, attribute) if attribute else module
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
