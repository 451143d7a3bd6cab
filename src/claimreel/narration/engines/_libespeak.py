"""A thin ctypes binding to libespeak-ng (speak_lib.h), synchronous mode only.

Nothing is loaded at import. :func:`loaded` loads and initialises the library for
one use and unloads it afterwards; callers hold :func:`lock` around it, because
espeak-ng keeps one global state per process.

Why load it for every use: espeak-ng keeps state in statics that nothing in its
API resets (its pitch-flutter phase among them; neither ``espeak_Terminate`` nor
a new ``espeak_Initialize`` clears it), so a sentence said after others comes out
a few samples different from the same sentence said first. A render's blocks,
spoken in script order on one machine or in any order by cluster workers that
spoke other blocks before, would then differ. Unloaded (``dlclose``) and loaded
again, the library starts from its initial state: the same text and voice give
the same samples in any process, in any order, for about 1.5 ms more per block.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
from dataclasses import dataclass, field
from typing import Iterator

from ...errors import NarrationError

__all__ = ["LibEspeak", "Synthesis", "library_version", "loaded", "lock"]

AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000
CHARS_UTF8 = 1
PHONEMES = 0x100  # espeakPHONEMES: [[...]] in the text is phoneme mnemonics (pronounce: entries)
POS_CHARACTER = 1
EVENT_LIST_TERMINATED = 0
EVENT_WORD = 1
PARAM_RATE = 1
PARAM_PITCH = 3
EE_OK = 0
BUFFER_MS = 500
_ERRORS = {-1: "internal error", 1: "buffer full", 2: "not found"}


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


class _Voice(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass
class Synthesis:
    """What one call collected: 16-bit PCM bytes and word marks (0-based char, ms)."""

    pcm: list[bytes] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)
    error: BaseException | None = None


def _describe(code: int) -> str:
    return _ERRORS.get(code, f"error code {code}")


class LibEspeak:
    """One loaded and initialised libespeak-ng."""

    def __init__(self, library_path: str, data_path: str) -> None:
        try:
            lib = ctypes.CDLL(library_path)
        except OSError as exc:
            raise NarrationError(
                f"espeak: cannot load libespeak-ng from {library_path}: {exc}; "
                "reinstall the espeakng-loader package (pip install --force-reinstall espeakng-loader)"
            ) from exc
        self._declare(lib)
        self.lib = lib
        self.version: str = (lib.espeak_Info(None) or b"unknown").decode("ascii", "replace")
        rate = lib.espeak_Initialize(
            AUDIO_OUTPUT_SYNCHRONOUS, BUFFER_MS, data_path.encode(), INITIALIZE_DONT_EXIT
        )
        if rate <= 0:
            raise NarrationError(
                f"espeak: libespeak-ng {self.version} could not start with data at {data_path}; "
                "reinstall the espeakng-loader package, whose wheel ships espeak-ng-data"
            )
        self.sample_rate: int = rate
        self._current: Synthesis | None = None
        self._callback = _Callback(self._collect)  # kept referenced for the library's lifetime
        lib.espeak_SetSynthCallback(self._callback)
        self._voice: str | None = None

    @staticmethod
    def _declare(lib: ctypes.CDLL) -> None:
        lib.espeak_Info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Terminate.argtypes = []
        lib.espeak_Terminate.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_Callback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetVoiceByProperties.argtypes = [ctypes.POINTER(_Voice)]
        lib.espeak_SetVoiceByProperties.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        lib.espeak_Synth.restype = ctypes.c_int

    def _collect(self, wav: ctypes.Array, count: int, events: ctypes.Array) -> int:
        sink = self._current
        if sink is None:
            return 1
        try:
            if wav and count > 0:
                sink.pcm.append(ctypes.string_at(wav, count * 2))
            i = 0
            while events[i].type != EVENT_LIST_TERMINATED:
                event = events[i]
                if event.type == EVENT_WORD:
                    sink.marks.append((event.text_position - 1, event.audio_position))
                i += 1
        except BaseException as exc:  # never let an exception cross the C boundary
            sink.error = exc
            return 1
        return 0

    def set_voice(self, voice: str) -> None:
        """Choose a voice by name (``en-us``), falling back to a language match (``en-gb``)."""
        if voice == self._voice:
            return
        self._voice = None
        if self.lib.espeak_SetVoiceByName(voice.encode()) != EE_OK:
            wanted = _Voice(languages=voice.split("+")[0].lower().encode())
            if self.lib.espeak_SetVoiceByProperties(ctypes.byref(wanted)) != EE_OK:
                raise NarrationError(
                    f"espeak: no voice or language called {voice!r}; use an espeak-ng voice "
                    "such as en-us, en-gb, es, fr, de (the script's voice.voice)"
                )
        self._voice = voice

    def set_parameter(self, parameter: int, value: int, label: str) -> None:
        code = self.lib.espeak_SetParameter(parameter, value, 0)
        if code != EE_OK:
            raise NarrationError(f"espeak: cannot set {label} to {value}: {_describe(code)}")

    def synthesize(self, text: str) -> Synthesis:
        """Speak UTF-8 ``text`` and return the collected audio and word marks."""
        data = text.replace("\0", " ").encode("utf-8") + b"\0"
        flags = CHARS_UTF8 | (PHONEMES if "[[" in text else 0)  # plain text keeps its old flags
        sink = Synthesis()
        self._current = sink
        try:
            code = self.lib.espeak_Synth(data, len(data), 0, POS_CHARACTER, 0, flags, None, None)
        finally:
            self._current = None
        if sink.error is not None:
            raise NarrationError(f"espeak: failed while collecting audio: {sink.error!r}") from sink.error
        if code != EE_OK:
            raise NarrationError(f"espeak: synthesis failed ({_describe(code)}) for text {text[:60]!r}")
        return sink

    def close(self) -> None:
        """Free espeak-ng's memory and unload the library (its statics go with it)."""
        import _ctypes

        self.lib.espeak_Terminate()
        _ctypes.dlclose(self.lib._handle)


_LOCK = threading.Lock()
_lock_pid = os.getpid()
_versions: dict[str, str] = {}


def lock() -> threading.Lock:
    """The process's espeak lock (a fresh one in a forked child)."""
    global _LOCK, _lock_pid
    if os.getpid() != _lock_pid:
        _LOCK, _lock_pid = threading.Lock(), os.getpid()
    return _LOCK


@contextlib.contextmanager
def loaded(library_path: str, data_path: str) -> Iterator[LibEspeak]:
    """The library loaded and initialised from its initial state, unloaded on exit (see the module
    docstring); call with :func:`lock` held."""
    lib = LibEspeak(library_path, data_path)
    _versions[library_path] = lib.version
    try:
        yield lib
    finally:
        lib.close()


def library_version(library_path: str, data_path: str) -> str:
    """libespeak-ng's version (remembered per library path); call with :func:`lock` held."""
    if library_path not in _versions:
        with loaded(library_path, data_path):
            pass
    return _versions[library_path]
