"""Online speech through Google Translate's voice, packaged by the gTTS library.

gTTS builds the request (its public ``get_bodies()`` and headers); this engine
sends it itself so it can retry with exponential backoff on 429 and 5xx (and on
connection failures), honour ``Retry-After``, and point at another host
(``base_url``; tests use a local fake of the service). The MP3 that comes back
is decoded with ffmpeg. The service reports no word timings, so they are
estimated by :func:`claimreel.narration.align.align` (pauses matched to the
text's punctuation, words spread by syllable weight) and marked ``estimated``.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ...errors import NarrationError
from ..align import ALIGNER_VERSION, align
from ..base import Speech, VoiceSettings

__all__ = ["DEFAULT_BASE_URL", "GttsEngine", "OFFLINE_MESSAGE"]

DEFAULT_BASE_URL = "https://translate.google.com"
PATH = "/_/TranslateWebserverUi/data/batchexecute"
OFFLINE_MESSAGE = "gtts needs network access; set the voice option to espeak"
SAMPLE_RATE = 24000
TAIL_MS = 150
_AUDIO = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')
_RETRY = {429, 500, 502, 503, 504}


def _lang(voice: str) -> str:
    """gTTS language from an espeak-style voice: ``en-us`` → ``en``; ``zh-CN``/``pt-BR`` kept."""
    from gtts.lang import tts_langs

    langs = tts_langs()
    for candidate in (voice, voice.split("+")[0], voice.split("-")[0].lower()):
        for code in langs:
            if code.lower() == candidate.lower():
                return code
    raise NarrationError(
        f"gtts: no language {voice!r}; set voice.voice to a language code gTTS knows, e.g. "
        f"{', '.join(sorted(langs)[:8])}…"
    )


class GttsEngine:
    name = "gtts"

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        session: Any = None,
        retries: int = 4,
        backoff_s: float = 0.5,
        timeout_s: float = 15.0,
        sleep: Callable[[float], None] = time.sleep,
        ffmpeg: Any = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = session
        self.retries = retries
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s
        self._sleep = sleep
        self._ffmpeg = ffmpeg

    def version(self) -> str:
        from gtts import __version__

        return f"gtts {__version__}; aligner {ALIGNER_VERSION}"

    def _post(self, body: str) -> str:
        import requests
        from gtts import gTTS

        session = self._session or requests.Session()
        url = self.base_url + PATH
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self.backoff_s * 2 ** (attempt - 1))
            try:
                reply = session.post(url, data=body, headers=gTTS.GOOGLE_TTS_HEADERS, timeout=self.timeout_s)
            except requests.exceptions.RequestException as exc:
                last = f"cannot reach {self.base_url} ({type(exc).__name__})"
                continue
            if reply.status_code in _RETRY:
                last = f"{self.base_url} answered HTTP {reply.status_code}"
                wait = reply.headers.get("Retry-After", "")
                if wait.isdigit() and attempt < self.retries:
                    self._sleep(min(float(wait), 30.0))
                continue
            if reply.status_code != 200:
                raise NarrationError(f"gtts: {self.base_url} answered HTTP {reply.status_code}; "
                                     "check voice.voice, or set the voice option to espeak").naming("voice")
            return str(reply.text)
        raise NarrationError(f"gtts: {last} after {self.retries + 1} tries; {OFFLINE_MESSAGE}").naming("voice")

    def _mp3(self, text: str, lang: str) -> bytes:
        from gtts import gTTS

        chunks = []
        for body in gTTS(text, lang=lang, lang_check=False).get_bodies():
            found = _AUDIO.search(self._post(body))
            if not found:
                raise NarrationError(f"gtts: the service sent no audio for {text[:60]!r}; "
                                     "try again later, or set the voice option to espeak").naming("voice")
            chunks.append(base64.b64decode(found.group(1)))
        return b"".join(chunks)

    def synthesize(self, text: str, voice: VoiceSettings) -> Speech:
        from ...encode.decode import decode_audio_bytes
        from ...encode.ffmpeg import Ffmpeg

        if not text.strip():
            return Speech(np.zeros(0, np.float32), SAMPLE_RATE, ())
        mp3 = self._mp3(text, _lang(voice.voice))
        samples = decode_audio_bytes(self._ffmpeg or Ffmpeg(), mp3, rate=SAMPLE_RATE, what="gtts reply")
        if samples.size == 0:
            raise NarrationError(f"gtts: the audio for {text[:60]!r} was empty; set the voice option to espeak"
                                 ).naming("voice")
        result = align(text, samples, SAMPLE_RATE)
        keep = min(len(samples), (max(result.offset_ms, result.words[-1].end_ms) + TAIL_MS) * SAMPLE_RATE // 1000)
        return Speech(samples[:keep].astype(np.float32), SAMPLE_RATE, result.words, estimated=True)
