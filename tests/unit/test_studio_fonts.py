"""The shipped fonts served to the studio's pages, so a Chinese or Uyghur title shows in a browser
that has no such fonts: the style sheet's rules, the files with their type and cache headers, the
licences, and a script page in Chinese that marks its title's language and loads the rules."""

from __future__ import annotations

import re

from ..conftest import SMALL_SCRIPT
from ..studio_support import client, ws  # noqa: F401  (fixtures)

from claimreel.studio.fonts import fonts_folder  # noqa: E402  (the studio extra: after its check)

ZH_TITLE = "北京称联合国报告非法"


def test_the_font_rules_name_each_shipped_face_at_a_versioned_address(client):
    css = client.get("/fonts/fonts.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    faces = re.findall(r'@font-face \{ font-family: "([^"]+)"; [^}]*font-weight: (\d+);[^}]*url\("([^"]+)"\)'
                       r'[^}]*unicode-range: ([^;]+);', css.text)
    assert {(family, weight) for family, weight, _, _ in faces} == {
        ("Noto Sans SC", "400"), ("Noto Sans SC", "700"), ("Noto Sans Arabic", "400"), ("Noto Sans Arabic", "700")}
    # each face is fetched only for its own script's characters: Latin pages load none of them
    sc = next(r for family, _, _, r in faces if family == "Noto Sans SC")
    assert "U+4E00-9FFF" in sc and "U+00" not in sc and "U+20" not in sc
    assert "/fonts/OFL-NotoSansSC.txt" in css.text and "/fonts/OFL-NotoSansArabic.txt" in css.text

    url = next(u for family, weight, u, _ in faces if family == "Noto Sans SC" and weight == "400")
    assert re.fullmatch(r"/fonts/NotoSansSC-Regular\.otf\?v=[0-9a-f]{12}", url)
    font = client.get(url)
    assert font.status_code == 200 and font.headers["content-type"] == "font/otf"
    assert "max-age=31536000" in font.headers["cache-control"] and "immutable" in font.headers["cache-control"]
    assert font.content == (fonts_folder() / "NotoSansSC-Regular.otf").read_bytes()
    arabic = next(u for family, weight, u, _ in faces if family == "Noto Sans Arabic" and weight == "700")
    assert client.get(arabic).headers["content-type"] == "font/ttf"

    licence = client.get("/fonts/OFL-NotoSansSC.txt")
    assert licence.headers["content-type"].startswith("text/plain") and "SIL Open Font License" in licence.text


def test_only_the_shipped_faces_and_licences_are_served(client):
    for url in ("/fonts/subset_cjk.py", "/fonts/..%2fthemes%2fdefault%2ftheme.yaml", "/fonts/.hidden.otf",
                "/fonts/NotoSansSC-Regular.otf%2f..", "/fonts/missing.otf"):
        assert client.get(url).status_code == 404, url


def test_a_chinese_script_page_marks_its_title_and_loads_the_font_rules(ws, client):
    (ws / "scripts" / "zh-check.yaml").write_text(
        SMALL_SCRIPT.replace("title: A short test of the whole pipeline", f"title: {ZH_TITLE}")
        .replace("id: small-check", "id: zh-check").replace("language: en", "language: zh-Hans"),
        encoding="utf-8")
    page = client.get("/scripts/zh-check.yaml")
    assert page.status_code == 200 and "Validates." in page.text, page.text[-800:]
    assert f'<h1 lang="zh-Hans">{ZH_TITLE}</h1>' in page.text
    assert '<link rel="stylesheet" href="/fonts/fonts.css">' in page.text
    css = client.get("/static/studio.css").text
    assert re.search(r':lang\(zh\) \{ font-family: "Noto Sans SC"', css)
    # every valid script's title carries its language: an English one keeps the page's fonts
    assert '<h1 lang="en">A short test of the whole pipeline</h1>' in client.get("/scripts/small-check.yaml").text
