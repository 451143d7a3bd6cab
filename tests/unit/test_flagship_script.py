"""The flagship example script parses, is complete, and its stand-in photos are usable."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PIL import Image

from claimreel.script.blocks import ClipBlock, DocumentBlock, FactBlock, PhotoBlock, QuoteBlock
from claimreel.script.model import Script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "xinjiang-un-report.yaml"
PHOTO_SIZE = (2880, 1620)


@pytest.fixture(scope="module")
def script() -> Script:
    with SCRIPT.open(encoding="utf-8") as fh:
        return Script.model_validate(yaml.safe_load(fh))


def _narration(script: Script) -> list[str]:
    parts = [script.intro, script.claim.narration, script.verdict.narration]
    parts += [block.narration for block in script.body]
    return [p for p in parts if p]


def test_identity_claim_and_verdict(script: Script) -> None:
    assert script.id == SCRIPT.stem == "xinjiang-un-report"
    assert script.outlet.name == "Polygraph.info"
    assert script.claim.speaker.name == "Wang Wenbin"
    assert script.claim.speaker.title == "Chinese Foreign Ministry Spokesperson"
    assert script.claim.date.iso == "2022-09-21" and script.claim.date.precision == "day"
    assert "completely illegal, null and void" in script.claim.quote
    assert script.verdict.rating == "False"


def test_body_has_quotes_photos_and_a_comparison(script: Script) -> None:
    quotes = [b for b in script.body if isinstance(b, QuoteBlock)]
    photos = [b for b in script.body if isinstance(b, PhotoBlock)]
    facts = [b for b in script.body if isinstance(b, FactBlock)]
    assert len(quotes) >= 3 and all(q.attribution for q in quotes)
    assert len(photos) >= 3
    assert len(facts) >= 1
    compared = {c.label: c.value for f in facts if f.compare for c in f.compare}
    assert compared == {"Xinjiang": 243, "All of China": 32.1}


def test_photos_are_honestly_credited_and_described(script: Script) -> None:
    for photo in (b for b in script.body if isinstance(b, PhotoBlock)):
        assert "stand-in" in photo.credit.lower(), photo.image
        assert photo.caption and len(photo.description.split()) >= 8, photo.image
    watchtower = next(b for b in script.body if isinstance(b, PhotoBlock) and "watchtower" in b.image)
    assert "Ng Han Guan/Associated Press" in watchtower.credit


def test_credits_name_the_video_producer(script: Script) -> None:
    assert ("Video producer", "Nik Yarst") in {(c.role, c.name) for c in script.credits}
    assert script.sources


def test_every_referenced_image_exists_at_full_size(script: Script) -> None:
    images = [b.image for b in script.body if isinstance(b, PhotoBlock)]
    images += [b.background.photo for b in script.body if getattr(b, "background", None) and b.background.photo]
    assert images
    for rel in images:
        path = ROOT / rel
        assert path.is_file(), f"{rel} is missing; run python assets/photos/make_standins.py"
        with Image.open(path) as im:
            assert im.size == PHOTO_SIZE, rel
            assert im.format == "JPEG", rel
        assert path.stat().st_size < 1_000_000, rel


def test_narration_length_fits_about_100_seconds(script: Script) -> None:
    blocks = _narration(script)
    words = sum(len(text.split()) for text in blocks)
    assert 180 <= words <= 260, words
    seconds = words / script.voice.rate * 60 + len(blocks) * 1.0
    assert 90 <= seconds <= 115, seconds
    for text in blocks:
        sentences = sum(text.count(end) for end in (". ", "? ", "! ")) + 1
        assert sentences <= 4, text


def test_every_block_has_an_id_and_the_cuts_name_them(script: Script) -> None:
    from claimreel.script.cuts import cut_refs

    ids = [block.id for block in script.body]
    assert all(ids) and len(set(ids)) == len(ids)
    assert {cut.name: cut_refs(script, cut) for cut in script.cuts} == {
        "claim-verdict": ("claim", "verdict"),
        "key-finding": ("claim", "verdict", ids.index("crimes-against-humanity")),
    }
    crimes = script.body[ids.index("crimes-against-humanity")]
    # The gravest finding is shown on a page of the assessment (a marked stand-in) with the quoted
    # words highlighted.
    assert isinstance(crimes, DocumentBlock) and crimes.page == 2 and "stand-in" in crimes.source
    assert isinstance(crimes.highlight, str) and "crimes against humanity" in crimes.highlight
    # Biden at the General Assembly is stand-in footage, its room tone under the narration.
    biden = script.body[ids.index("biden-at-the-un")]
    assert isinstance(biden, ClipBlock) and biden.audio == "under" and "Stand-in footage" in biden.credit
