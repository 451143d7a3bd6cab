"""The render page's script choice names each script by its title, language and file on its first
answer, as the scripts page does (a title read from its own line while the script is checked)."""

from __future__ import annotations

import re

from ..conftest import SMALL_SCRIPT
from ..studio_support import NAME, client, ws  # noqa: F401  (client, ws: fixtures)


def _options(page: str) -> dict[str, str]:
    return dict(re.findall(r'<option value="([^"]+)"[^>]*>(.*?)</option>', page))


def test_the_render_pages_choice_names_scripts_not_checked_yet_by_their_titles(ws, client):
    second = SMALL_SCRIPT.replace("title: A short test of the whole pipeline", "title: Second <b>look</b>")
    (ws / "scripts" / "second.yaml").write_text(second.replace("language: en", "language: fr"), encoding="utf-8")
    (ws / "scripts" / "untitled.yaml").write_text("id: untitled\ntitle: >\n  folded\n", encoding="utf-8")
    options = _options(client.get("/render", params={"script": NAME}).text)
    # the chosen script is checked for the form; the others are being checked, named by their titles
    assert options["second.yaml"] == "Second &lt;b&gt;look&lt;/b&gt; (fr, second.yaml, being checked)"
    assert options["untitled.yaml"] == "untitled.yaml (being checked)", "a title its line does not give: the file"
    assert options[NAME] == "A short test of the whole pipeline (en, small-check.yaml)"


def test_under_load_the_choice_names_the_rest_by_file(ws, client):
    (ws / "scripts" / "second.yaml").write_text(SMALL_SCRIPT, encoding="utf-8")
    client.app.state.studio.reports.HEADING_BUDGET = 0.0
    options = _options(client.get("/render", params={"script": NAME}).text)
    assert options["second.yaml"] == "second.yaml (being checked)"
