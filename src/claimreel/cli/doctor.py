"""``claimreel doctor``: is this machine ready to render? One line per check."""

from __future__ import annotations

import argparse
import socket
from typing import Callable

HELP = "check ffmpeg, fonts, text shaping and speech engines"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--network", action="store_true",
                        help="also check that gTTS's service can be reached (makes a network connection)")


def _ffmpeg() -> str:
    from ..encode.ffmpeg import Ffmpeg

    ff = Ffmpeg()
    encoders = ff.run(["-encoders"]).stdout
    text = encoders.decode(errors="replace") if isinstance(encoders, bytes) else str(encoders)
    if "libx264" not in text:
        raise RuntimeError(f"{ff.binary} has no libx264 encoder; set CLAIMREEL_FFMPEG to one that does")
    return f"{ff.binary} ({ff.version()}), libx264 and aac present"


def _fonts() -> str:
    from ..layout.text import FontBook
    from ..layout.theme import load_theme

    theme = load_theme("default")
    book = FontBook(theme.fonts, theme.fallbacks)
    for weight in theme.fonts:
        book.font(weight, 40).getlength("Fact check")
    return ", ".join(p.name for p in theme.fonts.values())


def _raqm() -> str:
    from PIL import features

    if not features.check("raqm"):
        raise RuntimeError("Pillow was built without raqm: complex scripts will not shape; reinstall Pillow from PyPI")
    return f"raqm {features.version('raqm')}, fribidi {features.version('fribidi')}, harfbuzz {features.version('harfbuzz')}"


def _espeak() -> str:
    from ..narration import VoiceSettings, get_engine

    engine = get_engine("espeak")
    speech = engine.synthesize("Fact check.", VoiceSettings())
    return f"{engine.version()}; said 'Fact check.' in {speech.duration_ms} ms of audio"


SPEED_TEXT = ("On September 21, China rejected a U.N. report on abuses in Xinjiang. The assessment drew on "
              "official Chinese documents, satellite imagery and forty interviews.")


def _piper() -> str:
    """The default English voice: loaded, and how fast it speaks here (seconds of speech per CPU-second)."""
    import time

    from ..narration import VoiceSettings, get_engine
    from ..narration.engines._pipermodel import BUNDLED_NAME

    engine = get_engine("piper")
    loading = time.process_time()
    engine.synthesize("Fact check.", VoiceSettings())  # loads the model (once per process)
    loaded = time.process_time() - loading
    start = time.process_time()
    speech = engine.synthesize(SPEED_TEXT, VoiceSettings())
    cpu = max(time.process_time() - start, 1e-6)
    return (f"{engine.version()}; voice {BUNDLED_NAME} (synthetic); model loaded in {loaded:.1f} CPU-s; "
            f"speaks {speech.duration_ms / 1000 / cpu:.1f} s of speech per CPU-second here")


def _gtts_network() -> str:
    with socket.create_connection(("translate.google.com", 443), timeout=3):
        return "translate.google.com reachable"


def _export() -> str:
    """The optional ``claimreel[export]`` extra (``export --otio``); its absence is not a failure."""
    from importlib import metadata

    from ..publish.edit import ADAPTERS, require_adapters

    require_adapters()
    return (f"OpenTimelineIO {metadata.version('opentimelineio')} with the "
            f"{', '.join(sorted(set(ADAPTERS.values())))} adapters")


def _credentials() -> str:
    """The optional ``claimreel[credentials]`` extra (signing and ``verify``); its absence is not a failure."""
    from importlib import metadata

    from ..publish.credentials.identity import require_c2pa

    require_c2pa()
    return f"c2pa-python {metadata.version('c2pa-python')}: renders can be signed (see docs/credentials.md)"


def run(args: argparse.Namespace) -> int:
    checks: list[tuple[str, Callable[[], str]]] = [
        ("ffmpeg", _ffmpeg), ("fonts", _fonts), ("text shaping", _raqm), ("espeak", _espeak),
        ("piper", _piper),
    ]
    if args.network:
        checks.append(("gtts network", _gtts_network))
    failed = 0
    for name, check in checks:
        try:
            print(f"ok    {name}: {check()}")
        except Exception as exc:  # every check reports, none stops the others
            failed += 1
            print(f"FAIL  {name}: {exc}")
    try:
        print(f"ok    export: {_export()}")
    except Exception as exc:  # an optional extra: reported, never a failure
        print(f"skip  export: {exc}")
    try:
        print(f"ok    content credentials: {_credentials()}")
    except Exception as exc:  # an optional extra: reported, never a failure
        print(f"skip  content credentials: {exc}")
    if not args.network:
        print("skip  gtts network: not checked (run 'claimreel doctor --network'; gtts needs internet access)")
    return 1 if failed else 0
