"""Names say what things do: no two functions whose names differ only by a leading underscore.

``segment_jobs`` beside ``_segment_jobs`` tells a reader that one wraps the other, not what
either does; so within a module, a class, or a package's modules, a private function's name
is never a public one's with ``_`` in front.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "claimreel"


def _functions(body: list[ast.stmt]) -> set[str]:
    return {node.name for node in body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def underscore_twins(names: set[str]) -> list[str]:
    """The private names in ``names`` that are a public name in ``names`` with underscores in front."""
    return sorted(name for name in names
                  if name.startswith("_") and not name.startswith("__") and name.lstrip("_") in names)


def twins_in(package: Path) -> list[str]:
    """Every such pair under ``package``: per module, per class, and across each package's modules."""
    found: list[str] = []
    by_package: dict[Path, set[str]] = defaultdict(set)
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        where = path.relative_to(package.parent)
        found += [f"{where}: {name}" for name in underscore_twins(_functions(tree.body))]
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                found += [f"{where}: {node.name}.{name}" for name in underscore_twins(_functions(node.body))]
        by_package[path.parent] |= _functions(tree.body)
    for folder, names in sorted(by_package.items()):
        found += [f"{folder.relative_to(package.parent)}/: {name}" for name in underscore_twins(names)]
    return found


def test_no_function_differs_from_another_by_a_leading_underscore():
    assert twins_in(PACKAGE) == []


def test_the_check_finds_twins(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("def plan(): ...\ndef _plan(): ...\nclass C:\n    def run(self): ...\n"
                                  "    def _run(self): ...\n    def __init__(self): ...\n    def init(self): ...\n")
    (package / "b.py").write_text("def _step(): ...\n")
    (package / "c.py").write_text("def step(): ...\n")
    assert twins_in(package) == ["pkg/a.py: _plan", "pkg/a.py: C._run", "pkg/: _plan", "pkg/: _step"]


def test_no_module_is_over_400_lines():
    """One job per module: a module that grows past 400 lines is split by job (docs/development.md)."""
    root = Path(__file__).resolve().parents[2]
    long = [f"{path.relative_to(root)}: {n} lines"
            for path in sorted([*(root / "src" / "claimreel").rglob("*.py"), *(root / "assets").rglob("*.py")])
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400]
    assert long == []
