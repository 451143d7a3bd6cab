"""The gtts engine against a local fake of Google Translate's speech endpoint (never the network).

The fake listens on 127.0.0.1, checks that the request is the one gTTS builds (the text in
``f.req``), and answers with scripted status codes, then with an MP3 (made by ffmpeg from the
fake engine's tones) wrapped the way the real service wraps it.
"""

from __future__ import annotations

import base64
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from claimreel.encode.audio import write_wav
from claimreel.encode.ffmpeg import Ffmpeg, media_path
from claimreel.errors import NarrationError
from claimreel.narration.base import VoiceSettings
from claimreel.narration.engines.fake import FakeEngine
from claimreel.narration.engines.gtts import OFFLINE_MESSAGE, PATH, GttsEngine

pytestmark = pytest.mark.integration

PHRASES = ("The river is dry,", "the mayor said.", "It was not.")
TEXT = " ".join(PHRASES)
PAUSES_MS = (250, 450)


def speech_like() -> tuple[np.ndarray, int, list[int]]:
    """Fake-engine tone bursts per phrase with pauses between; and the true word starts."""
    fake = FakeEngine(gap_ms=40)
    parts, starts, clock = [], [], 0
    for k, phrase in enumerate(PHRASES):
        speech = fake.synthesize(phrase, VoiceSettings())
        pause = 200 if k == 0 else PAUSES_MS[k - 1]
        parts += [np.zeros(pause * 22050 // 1000, np.float32), speech.samples]
        clock += pause
        starts += [clock + w.start_ms for w in speech.words]
        clock += speech.duration_ms
    return np.concatenate(parts + [np.zeros(4410, np.float32)]), 22050, starts


@pytest.fixture(scope="module")
def mp3(tmp_path_factory) -> bytes:
    """Speech-like audio as MP3, as the service sends it."""
    samples, rate, _ = speech_like()
    folder = tmp_path_factory.mktemp("mp3")
    wav = write_wav(samples, rate, folder / "s.wav")
    out = folder / "s.mp3"
    Ffmpeg().run(["-i", media_path(wav), "-c:a", "libmp3lame", "-b:a", "64k", "-ar", "24000", media_path(out)])
    return out.read_bytes()


class FakeService:
    def __init__(self, mp3: bytes, statuses: list[int], retry_after: str | None = None) -> None:
        self.mp3, self.statuses, self.retry_after = mp3, list(statuses), retry_after
        self.requests: list[tuple[str, str]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                service.requests.append((self.path, body))
                status = service.statuses.pop(0) if service.statuses else 200
                if status != 200:
                    self.send_response(status)
                    if service.retry_after:
                        self.send_header("Retry-After", service.retry_after)
                    self.end_headers()
                    return
                audio = base64.b64encode(service.mp3).decode()
                payload = f')]}}\'\n\n123\n[["wrb.fr","jQ1olc","[\\"{audio}\\"]",null,null,null,"generic"]]\n'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeService":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def engine_for(url: str, sleeps: list[float], retries: int = 4) -> GttsEngine:
    return GttsEngine(base_url=url, retries=retries, backoff_s=0.5, sleep=sleeps.append, timeout_s=5)


def test_speech_comes_back_with_estimated_word_timings(mp3):
    sleeps: list[float] = []
    with FakeService(mp3, [200]) as service:
        speech = engine_for(service.url, sleeps).synthesize(TEXT, VoiceSettings(voice="en-us"))
    path, body = service.requests[0]
    assert path == PATH
    assert "river is dry" in urllib.parse.unquote(body) and '\\"en\\"' in urllib.parse.unquote(body)
    assert speech.estimated and speech.sample_rate == 24000
    assert [w.text for w in speech.words] == TEXT.split()
    truth = speech_like()[2]
    # phrases after the comma and the full stop start where their sound really starts
    for word in ("the", "It"):
        i = TEXT.split().index(word)
        assert abs(speech.words[i].start_ms - truth[i]) <= 150, (word, speech.words[i], truth[i])
    assert sleeps == []


def test_retries_with_exponential_backoff_on_429_and_5xx(mp3):
    sleeps: list[float] = []
    with FakeService(mp3, [429, 503, 500]) as service:
        speech = engine_for(service.url, sleeps).synthesize(TEXT, VoiceSettings())
    assert len(service.requests) == 4
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(speech.words) == len(TEXT.split())


def test_retry_after_is_honoured(mp3):
    sleeps: list[float] = []
    with FakeService(mp3, [429], retry_after="3") as service:
        engine_for(service.url, sleeps).synthesize(TEXT, VoiceSettings())
    assert sleeps == [3.0, 0.5]


def test_gives_up_after_the_retries_with_a_clear_message(mp3):
    sleeps: list[float] = []
    with FakeService(mp3, [503] * 10) as service, pytest.raises(NarrationError) as info:
        engine_for(service.url, sleeps, retries=2).synthesize(TEXT, VoiceSettings())
    assert len(service.requests) == 3
    assert "HTTP 503" in str(info.value) and OFFLINE_MESSAGE in str(info.value)


def test_a_client_error_is_not_retried(mp3):
    sleeps: list[float] = []
    with FakeService(mp3, [400]) as service, pytest.raises(NarrationError, match="HTTP 400"):
        engine_for(service.url, sleeps).synthesize(TEXT, VoiceSettings())
    assert len(service.requests) == 1 and sleeps == []


def test_unreachable_service_says_use_espeak():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sleeps: list[float] = []
    with pytest.raises(NarrationError) as info:
        engine_for(f"http://127.0.0.1:{port}", sleeps, retries=1).synthesize(TEXT, VoiceSettings())
    assert "gtts needs network access; set the voice option to espeak" in str(info.value)
    assert sleeps == [0.5]
    assert info.value.exit_code == 1


def test_unknown_language_is_named():
    with pytest.raises(NarrationError, match="no language 'xx-yy'"):
        GttsEngine(base_url="http://127.0.0.1:9").synthesize("Hello.", VoiceSettings(voice="xx-yy"))


def test_version_names_gtts_and_the_aligner():
    version = GttsEngine().version()
    assert version.startswith("gtts ") and "aligner" in version


def test_a_render_can_use_gtts_through_the_registry(mp3, workspace, monkeypatch):
    """--voice gtts in the pipeline, the service redirected by CLAIMREEL_GTTS_URL to the fake."""
    from claimreel.pipeline.prepare import prepare
    from claimreel.pipeline.request import RenderOptions

    with FakeService(mp3, []) as service:
        monkeypatch.setenv("CLAIMREEL_GTTS_URL", service.url)
        prepared = prepare(workspace / "scripts" / "small-check.yaml",
                           RenderOptions(cache=workspace / "cache", preview=True, voice="gtts"))
    assert len(service.requests) == prepared.synthesized == 5
    assert all(speech.estimated for speech, _ in prepared.speeches.values())
