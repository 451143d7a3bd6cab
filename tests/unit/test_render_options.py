"""``render_options``: the one place a render's options are made from a user's choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.errors import ClaimreelError
from claimreel.pipeline.limits import Limits
from claimreel.pipeline.options import render_options
from claimreel.script.load import load_script

FLAGSHIP = Path(__file__).resolve().parents[2] / "scripts" / "xinjiang-un-report.yaml"


def test_unchosen_formats_are_the_scripts_and_the_rest_has_defaults():
    options = render_options(FLAGSHIP)
    assert options.formats == tuple(load_script(FLAGSHIP).script.formats)
    assert (options.cuts, options.preview, options.described, options.voice, options.loudness) == \
        (None, False, "track", None, None)
    assert (options.out, options.cache, options.jobs) == (Path("render/out"), Path("render/cache"), 0)
    assert options.limits == Limits.from_env() and options.signing is None and not options.wait_for_output


def test_choices_are_spelled_as_the_command_line_spells_them():
    options = render_options(FLAGSHIP, formats="all", cuts="claim,claim,verdict", voice="fake", loudness="youtube",
                             out="o", cache="c", jobs=3)
    assert options.formats == ("16x9", "9x16", "1x1", "4x5")
    assert options.cuts == ("claim", "verdict")
    assert (options.voice, options.loudness, options.out, options.cache, options.jobs) == \
        ("fake", "youtube", Path("o"), Path("c"), 3)


@pytest.mark.parametrize(("cuts", "expected"), [(None, ()), ("all", None), ("none", ()), (["a"], ("a",))])
def test_a_preview_drafts_its_cuts_only_when_asked(cuts, expected):
    assert render_options(FLAGSHIP, formats="16x9", cuts=cuts, preview=True).cuts == expected


@pytest.mark.parametrize(("choice", "option"), [
    ({"jobs": -1}, "jobs"),
    ({"described": "both"}, "described"),
    ({"media_base_url": "ftp://x"}, "media_base_url"),
    ({"formats": "16x9,8x8"}, "formats"),
    ({"cuts": " , "}, "cuts"),
])
def test_a_bad_choice_is_refused_naming_its_option(choice, option):
    with pytest.raises(ClaimreelError) as caught:
        render_options(FLAGSHIP, **choice)
    assert caught.value.exit_code == 2
    assert str(caught.value).startswith(f"{option}: ")
