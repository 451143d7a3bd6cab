"""The package's modules import each other one way: no import circles, even deferred or for typing;
and its packages import only the packages below them in :data:`STAGES`.

A circle (``render`` importing ``cuts`` while ``cuts`` imports ``render`` under
``TYPE_CHECKING``) works until someone moves an import; types both sides need
belong in a module of their own (``pipeline/prepared.py``). Between packages, a module-level check
does not see a circle through different modules (``executor.dask`` importing ``pipeline.segments``
while ``pipeline.render`` imports ``executor``); the order below does.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "claimreel"


def _name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module of the package with the package's modules it imports anywhere in its code."""
    modules = {_name(p, package): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = here.split(".")[: len(here.split(".")) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    full = f"{module}.{alias.name}"
                    targets.add(full if full in modules else module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


# The packages, top first: a package may import only packages after it. The front ends, then what
# they call (the API, the job queue), the pipeline that runs a render, the pool it runs units in, the
# pipeline's stages (a later stage may use an earlier one's results and helpers: publishing packages
# what compose drew; the timeline places the captions' cues; encoding a clip crops it with the
# layout's cover geometry), and last what everything reads: the script, file helpers, errors.
# "claimreel" is the package's own __init__; top-level modules count as packages of their own.
STAGES = (
    ("__main__", "cli", "studio"),
    ("claimreel", "api", "jobs", "clips"),
    ("pipeline",),
    ("executor",),
    ("publish", "compose", "timeline", "captions", "narration", "encode", "layout"),
    ("script", "files", "errors"),
)
ORDER = [name for tier in STAGES for name in tier]


def package_of(module: str) -> str:
    """``claimreel.pipeline.render`` → ``pipeline``; the package's own ``__init__`` is ``claimreel``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_arrows(graph: dict[str, set[str]]) -> dict[tuple[str, str], list[str]]:
    """Each import between two packages, with the module imports that make it."""
    arrows: dict[tuple[str, str], list[str]] = {}
    for module, targets in graph.items():
        for target in sorted(targets):
            pair = (package_of(module), package_of(target))
            if pair[0] != pair[1]:
                arrows.setdefault(pair, []).append(f"{module} -> {target}")
    return arrows


def upward_arrows(graph: dict[str, set[str]]) -> list[str]:
    """The package imports that do not point down :data:`ORDER` (or name a package not in it)."""
    rank = {name: i for i, name in enumerate(ORDER)}
    wrong = []
    for (source, target), imports in sorted(package_arrows(graph).items()):
        if source not in rank or target not in rank:
            wrong.append(f"{source} -> {target}: place the new package in STAGES ({imports[0]})")
        elif rank[source] > rank[target]:
            wrong.append(f"{source} -> {target} points up ({', '.join(imports[:3])})")
    return wrong


def test_the_graph_sees_deferred_and_typing_imports():
    graph = import_graph()
    assert "claimreel.pipeline.prepared" in graph["claimreel.pipeline.cuts"]
    assert "claimreel.pipeline.cuts" in graph["claimreel.pipeline.render"]
    # imported inside a function, not at the top of the module
    assert "claimreel.pipeline.mixdown" in graph["claimreel.pipeline.soundtracks"]


def test_circles_are_found():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_in_the_package():
    assert circles(import_graph()) == []


def test_upward_package_imports_are_found():
    graph = {"claimreel.executor.dask": {"claimreel.pipeline.segments"}, "claimreel.pipeline.render": set()}
    assert upward_arrows(graph) == ["executor -> pipeline points up (claimreel.executor.dask -> "
                                    "claimreel.pipeline.segments)"]
    assert upward_arrows({"claimreel.pipeline.render": {"claimreel.executor"}}) == []
    assert upward_arrows({"claimreel.newpkg.a": {"claimreel.errors"}})[0].startswith("newpkg -> errors: place")


def test_every_package_import_points_down_the_stages():
    graph = import_graph()
    assert {package_of(m) for m in graph} <= set(ORDER), "every package has its place in STAGES"
    assert upward_arrows(graph) == []
