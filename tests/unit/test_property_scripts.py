"""Property: any script text — valid, mutated data, or damaged YAML — ends in success or a
ClaimreelError through load, the render checks, the caps and layout; never another exception."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimreel.errors import ClaimreelError
from claimreel.pipeline.limits import Limits, check_pixels, check_text_length
from claimreel.pipeline.checks import check_script, script_texts
from claimreel.pipeline.layouts import layout_all
from claimreel.script.load import load_script

from ..conftest import SMALL_SCRIPT, make_photo

BASE = yaml.safe_load(SMALL_SCRIPT)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["", " ", "False", "assets/photos/river.jpg", "../x.jpg", "/etc/passwd", "http://x/y.png",
                     "2024-13-45", "photo", "narration", "quote", "fact", "x" * 2000, "\u202e", "a\x00b", "16x9"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                      max_leaves=12)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, prefix + (i,))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> dict:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(0, 4))):
        paths = _paths(data)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(values)
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(values)
    return data


@st.composite
def script_bytes(draw: st.DrawFn) -> bytes:
    text = yaml.safe_dump(draw(mutated()), allow_unicode=True, sort_keys=False)
    if draw(st.booleans()):  # damage the YAML itself
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(["\t", ": ", "- ", "&a ", "*a ", "[", "}", '"', "\n  ",
                                                     "!!python/name:os.system ", "\x85", "\ufeff"])) + text[at:]
    raw = text.encode("utf-8")
    encoding = draw(st.sampled_from(["utf-8", "bom", "latin-1-bytes", "cut"]))
    if encoding == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif encoding == "latin-1-bytes":
        raw = raw.replace(b"e", b"\xe9", 1)
    elif encoding == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


def _workspace(root: Path) -> Path:
    if not (root / "assets" / "photos" / "river.jpg").exists():
        (root / "scripts").mkdir(parents=True, exist_ok=True)
        make_photo(root / "assets" / "photos" / "river.jpg", (160, 90))
    return root / "scripts" / "generated.yaml"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(raw=script_bytes())
def test_any_script_ends_in_success_or_a_claimreel_error(tmp_path: Path, raw: bytes) -> None:
    path = _workspace(tmp_path)
    path.write_bytes(raw)
    try:
        loaded = load_script(path)
        theme, book = check_script(loaded)
        limits = Limits()
        check_text_length(loaded, script_texts(loaded.script), limits)
        check_pixels(loaded, limits)
        layouts = layout_all(loaded, theme, book, loaded.script.formats)
    except ClaimreelError as exc:
        assert str(exc).strip(), "an error always says something"
        assert exc.exit_code in (1, 2)
        return
    assert set(layouts) == set(loaded.script.formats)


def test_the_unmutated_base_lays_out(tmp_path: Path) -> None:
    path = _workspace(tmp_path)
    path.write_text(SMALL_SCRIPT, encoding="utf-8")
    loaded = load_script(path)
    theme, book = check_script(loaded)
    assert layout_all(loaded, theme, book, ("16x9", "9x16"))
