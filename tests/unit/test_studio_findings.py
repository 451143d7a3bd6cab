"""The studio's caption findings are ``claimreel lint``'s: the same check (one function), for every
format the script declares with that format's own rules, in the same words."""

from __future__ import annotations

import html
import re

from claimreel.cli import main

from ..conftest import SMALL_SCRIPT
from ..studio_support import NAME, client, ws  # noqa: F401  (client, ws: fixtures)

FAST_TWO_FORMATS = SMALL_SCRIPT.replace("voice: {engine: fake}", "voice: {engine: fake, rate: 330}").replace(
    "intro: A quick check.", "intro: Internationalization, telecommunications, institutionalization.") + \
    "formats: [16x9, 9x16]\n"

_LINT_LINE = re.compile(r": cue (\d+) at [\d:.]+: (\w+) value ([\d.]+), limit ([\d.]+): (.*?)(?: \| \".*\")?$")
_STUDIO_ITEM = re.compile(r"<code>cue (\d+)(?: in ([\w/]+))?</code>: (\w+): value ([\d.]+), limit ([\d.]+): (.*?)</li>",
                          re.S)


def _lint(path, fmt: str, cache, capsys) -> set[tuple[str, ...]]:
    main(["lint", str(path), "--format", fmt, "--cache", str(cache)])
    found = set()
    for line in capsys.readouterr().out.splitlines():
        match = _LINT_LINE.search(line)
        if match:
            found.add(match.groups())
    return found


def test_the_studio_finds_what_lint_finds_in_every_declared_format(ws, client, capsys):
    path = ws / "scripts" / NAME
    path.write_text(FAST_TWO_FORMATS, encoding="utf-8")
    page = client.get(f"/scripts/{NAME}").text
    start = page.index('<ul class="findings">')
    listed = html.unescape(page[start:page.index("</ul>", start)])
    studio: dict[str, set[tuple[str, ...]]] = {}
    for cue, fmt, rule, value, limit, message in _STUDIO_ITEM.findall(listed):
        message = re.sub(r'\s*<span class="hint">.*', "", message, flags=re.S).strip()
        studio.setdefault(fmt, set()).add((cue, rule, value, limit, message))
    cli = {fmt: _lint(path, fmt, ws / "render" / "cache", capsys) for fmt in ("16x9", "9x16")}
    assert cli["16x9"] and cli["9x16"]
    assert studio == cli  # each format's own findings, with lint's voice-rate advice
