"""The product carries its own references: code, README, profiles and scripts point at
docs/standards.md (whose sections exist), never at a file or path outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _product_files() -> list[Path]:
    files = [REPO / "README.md", REPO / "pyproject.toml"]
    for folder, patterns in (("src", ("*.py",)), ("render", ("*.yaml",)), ("scripts", ("*.yaml",)),
                             ("assets", ("*.yaml", "*.md", "*.py")), ("docs", ("*.md",))):
        for pattern in patterns:
            files += sorted((REPO / folder).rglob(pattern))
    return [f for f in files if f.is_file()]


def test_nothing_points_outside_the_repository():
    outside = re.compile(r"/work/|shared/|\.\./shared|(?<!docs/)(?<![a-z])STANDARDS(\.md)?\b")
    found = [f"{f.relative_to(REPO)}:{n}: {line.strip()}" for f in _product_files()
             for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if outside.search(line)]
    assert found == []


def test_the_cited_sections_of_the_standards_exist():
    doc = (REPO / "docs" / "standards.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#+ (.+)$", doc, re.MULTILINE))
    cited = {(f.relative_to(REPO), m.group(1)) for f in _product_files() if f.name != "standards.md"
             for m in re.finditer(r'docs/standards\.md`?,? \(?"([^"]+)"', f.read_text(encoding="utf-8"))}
    assert cited, "code cites sections of docs/standards.md"
    missing = [(str(f), section) for f, section in cited
               if section not in headings and section.lower() not in doc.lower()]
    assert missing == []
    for number in ("42", "17", "20 cps", "−16 LUFS", "4.5:1", "y ≈ 270", "ClaimReview", "VideoObject"):
        assert number in doc, number
