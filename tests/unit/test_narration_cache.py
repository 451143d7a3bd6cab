"""The speech cache: content keys, hits and misses, and never serving a bad entry."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from claimreel.errors import RenderError
from claimreel.narration import Speech, SpeechCache, VoiceSettings
from claimreel.narration.engines.fake import FakeEngine

TEXT = "The so-called assessment is completely illegal."
VOICE = VoiceSettings()


@dataclass
class CountingEngine:
    """Wraps the fake engine and counts real syntheses."""

    label: str = "v1"
    calls: list[str] = field(default_factory=list)
    name: str = "counting"

    def version(self) -> str:
        return self.label

    def synthesize(self, text: str, voice: VoiceSettings) -> Speech:
        self.calls.append(text)
        return FakeEngine().synthesize(text, voice)


def entry_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def test_miss_then_hit_gives_the_same_speech(tmp_path: Path) -> None:
    cache, engine = SpeechCache(tmp_path), CountingEngine()
    first, key = cache.get_or_synthesize(engine, TEXT, VOICE)
    second, key2 = cache.get_or_synthesize(engine, TEXT, VOICE)
    assert key == key2 and len(key) == 64
    assert (cache.misses, cache.hits) == (1, 1)
    assert engine.calls == [TEXT]
    assert second.words == first.words
    assert second.sample_rate == first.sample_rate == 22050
    assert np.array_equal(second.samples, first.samples)
    assert second.samples.dtype == np.float32
    direct = FakeEngine().synthesize(TEXT, VOICE)
    assert np.abs(second.samples - direct.samples).max() < 1 / 32768 + 1e-9


def test_entry_layout_is_two_level_wav_and_json(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    speech, key = cache.get_or_synthesize(CountingEngine(), TEXT, VOICE)
    wav, meta_path = tmp_path / key[:2] / f"{key}.wav", tmp_path / key[:2] / f"{key}.json"
    assert (wav, meta_path) == cache.paths(key)
    assert entry_files(tmp_path) == sorted([wav.name, meta_path.name])
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["sample_rate"] == 22050 and meta["estimated"] is False
    assert meta["words"][0] == ["The", 0, 180]
    assert len(meta["words"]) == len(speech.words) == 6


def test_key_changes_with_text_voice_and_engine_version(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    base = cache.key(CountingEngine(), TEXT, VOICE)
    assert base == cache.key(CountingEngine(), TEXT, VOICE)
    others = {
        cache.key(CountingEngine(), TEXT + " ", VOICE),
        cache.key(CountingEngine(), TEXT, VoiceSettings(voice="en-gb")),
        cache.key(CountingEngine(), TEXT, VoiceSettings(rate=170)),
        cache.key(CountingEngine(), TEXT, VoiceSettings(pitch=40)),
        cache.key(CountingEngine(label="v2"), TEXT, VOICE),
        cache.key(CountingEngine(name="other"), TEXT, VOICE),
    }
    assert len(others) == 6 and base not in others


def test_new_engine_version_misses(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    cache.get_or_synthesize(CountingEngine(label="v1"), TEXT, VOICE)
    newer = CountingEngine(label="v2")
    cache.get_or_synthesize(newer, TEXT, VOICE)
    assert (cache.misses, cache.hits) == (2, 0)
    assert newer.calls == [TEXT]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda wav, meta: wav.write_bytes(wav.read_bytes()[:-100]), id="truncated-wav"),
        pytest.param(lambda wav, meta: wav.write_bytes(b"RIFF garbage"), id="garbage-wav"),
        pytest.param(lambda wav, meta: wav.unlink(), id="missing-wav"),
        pytest.param(lambda wav, meta: meta.write_text("{\"words\": [", encoding="utf-8"), id="half-json"),
        pytest.param(lambda wav, meta: meta.write_text("[]", encoding="utf-8"), id="json-not-object"),
        pytest.param(
            lambda wav, meta: meta.write_text(
                meta.read_text(encoding="utf-8").replace('"wav_sha256": "', '"wav_sha256": "0'),
                encoding="utf-8",
            ),
            id="checksum-mismatch",
        ),
        pytest.param(
            lambda wav, meta: meta.write_text(
                json.dumps({**json.loads(meta.read_text(encoding="utf-8")), "words": [["x", 0]]}),
                encoding="utf-8",
            ),
            id="bad-words",
        ),
    ],
)
def test_damaged_entry_is_resynthesised_not_served(tmp_path: Path, damage) -> None:
    cache, engine = SpeechCache(tmp_path), CountingEngine()
    good, key = cache.get_or_synthesize(engine, TEXT, VOICE)
    damage(*cache.paths(key))
    again, _ = cache.get_or_synthesize(engine, TEXT, VOICE)
    assert engine.calls == [TEXT, TEXT]
    assert (cache.misses, cache.hits) == (2, 0)
    assert again.words == good.words and np.array_equal(again.samples, good.samples)
    third, _ = cache.get_or_synthesize(engine, TEXT, VOICE)
    assert cache.hits == 1 and third.words == good.words


def test_wav_without_json_is_a_miss(tmp_path: Path) -> None:
    cache, engine = SpeechCache(tmp_path), CountingEngine()
    _, key = cache.get_or_synthesize(engine, TEXT, VOICE)
    cache.paths(key)[1].unlink()
    cache.get_or_synthesize(engine, TEXT, VOICE)
    assert cache.misses == 2 and len(engine.calls) == 2


def test_writes_leave_no_temp_files(tmp_path: Path) -> None:
    cache, engine = SpeechCache(tmp_path), CountingEngine()
    for text in ("one line", "another line", "a third"):
        cache.get_or_synthesize(engine, text, VOICE)
    names = entry_files(tmp_path)
    assert len(names) == 6
    assert all(n.endswith((".wav", ".json")) and not n.startswith(".tmp-") for n in names)


def test_failed_write_leaves_no_entry_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    cache, engine = SpeechCache(tmp_path), CountingEngine()
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith(".json"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(RenderError, match="cannot write the speech cache .No space left on device"):
        cache.get_or_synthesize(engine, TEXT, VOICE)
    monkeypatch.undo()
    assert not any(p.name.startswith(".tmp-") for p in tmp_path.rglob("*"))
    # The wav alone is not an entry: the next call synthesises again and then hits.
    cache.get_or_synthesize(engine, TEXT, VOICE)
    cache.get_or_synthesize(engine, TEXT, VOICE)
    assert len(engine.calls) == 2 and cache.hits == 1
