"""The Python API: load, check and render a script from code; the command line is built on it.

Everything heavy is imported inside the functions, so importing this module (or
``claimreel``) costs next to nothing. Errors are :class:`~claimreel.errors.ClaimreelError`
subclasses with the same messages the command line prints; ``exit_code`` 2
means bad input, 1 a failure while rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal, Sequence

from .errors import ClaimreelError, Problem, in_file_order, problems_in

if TYPE_CHECKING:
    from .executor import WorkPool
    from .pipeline.request import RenderResult
    from .script.load import LoadedScript
    from .script.model import Script
    from .timeline.reading import ReadingHold

__all__ = ["Finding", "ProgressEvent", "findings_from", "load_script", "render", "validate"]

Severity = Literal["error", "warning", "note"]

@dataclass(frozen=True)
class Finding:
    """One thing wrong with a script: where it is, what is wrong and how to fix it.

    ``line`` and ``column`` (1-based) are known for everything found while reading
    the YAML; later checks (theme contrast, fonts, layout, caps) name the field
    (``path``) when they can, and leave the position ``None``. A ``warning`` is
    advice on a script that renders (say, structured data left without media
    addresses); a ``note`` says what the render will do on its own (hold a card
    longer so it can be read). ``str(finding)`` is the line ``claimreel validate`` prints.
    """

    file: str
    line: int | None
    column: int | None
    path: str  # dotted field path, e.g. "body.0.caption"; "" when the finding is about no single field
    message: str
    severity: Severity = "error"
    hint: str = ""  # how to fix it, when the message does not already say

    def __str__(self) -> str:
        if self.severity != "error":  # advice on a valid script: "FILE: warning: message"
            return ": ".join(part for part in (self.file, self.severity, self.path, self.message) if part)
        if self.line is not None:
            return str(Problem(self.file, self.line, self.column or 1, self.path, self.message, self.hint))
        text = ": ".join(part for part in (self.file, self.path, self.message) if part)
        return f"{text} ({self.hint})" if self.hint else text


def findings_from(error: ClaimreelError, script: Path | str) -> list[Finding]:
    """The findings an input error of ``script`` reports, one per problem it holds."""
    return [Finding(p.file, p.line, p.column, p.path, p.message, hint=p.hint) for p in problems_in(error, str(script))]


@dataclass(frozen=True)
class ProgressEvent:
    """How far one stage of a render is: ``done`` of ``total`` steps.

    Stages are ``narration`` (blocks spoken), ``video <format>`` and
    ``cut <name> <format>`` (scene segments ready; their ``kind`` is ``encode``, the others
    ``prepare``). Each stage reports once with
    ``done == 0`` when it starts, then after every step. A ``message`` is news
    outside the stages (for example that the render waits for another render of
    the same id); its stage is ``""``.
    """

    stage: str
    done: int
    total: int
    percent: float  # 0..100 for this stage
    message: str = ""
    kind: str = "prepare"  # "encode" for the stages whose segments the worker pool encodes


class _Events:
    """The render job's :class:`~claimreel.pipeline.progress.Progress` as calls to a callback."""

    def __init__(self, callback: Callable[[ProgressEvent], None]) -> None:
        self.callback = callback
        self.stages: dict[str, list[int]] = {}
        self.kinds: dict[str, str] = {}

    def _emit(self, stage: str) -> None:
        done, total = self.stages[stage]
        percent = 100.0 * min(done, total) / total if total else 100.0
        self.callback(ProgressEvent(stage, done, total, round(percent, 2), kind=self.kinds.get(stage, "prepare")))

    def start(self, stage: str, total: int, kind: str = "prepare") -> None:
        self.stages[stage] = [0, total]
        self.kinds[stage] = kind
        self._emit(stage)

    def advance(self, stage: str, amount: int = 1) -> None:
        self.stages.setdefault(stage, [0, 0])[0] += amount
        self._emit(stage)

    def note(self, message: str) -> None:
        self.callback(ProgressEvent("", 0, 0, 0.0, message))

    def close(self) -> None:
        pass


def load_script(path: Path | str) -> LoadedScript:
    """Read and check the script at ``path``: ``.script`` is the frozen model, ``.assets`` its files.

    Raises :class:`~claimreel.errors.ScriptError` listing every problem with its place: the same
    problems, in the same words, as :func:`validate` and :func:`render` (every check a render makes
    before it encodes, in the script's own formats).
    """
    from .pipeline.problems import check_all

    checked = check_all(Path(path))
    checked.ready()
    return checked.written  # type: ignore[return-value]  # ready: it is there


def validate(path: Path | str, *, formats: str | Sequence[str] | None = None) -> list[Finding]:
    """Every check a render makes before it encodes, without rendering; an empty list means valid.

    ``formats``: whose layouts to check (names, a comma list or ``"all"``; default the script's
    own). Every problem comes at once, with its place when it has one (the same list
    :func:`load_script` and :func:`render` raise). An unknown format name raises
    :class:`~claimreel.errors.ClaimreelError`.
    """
    from .pipeline.options import parse_formats
    from .pipeline.problems import validation
    from .pipeline.signing import unsigned_note

    names = parse_formats(formats) if formats is not None else None
    checked = validation(Path(path), names)
    if checked.problems:
        return [Finding(p.file, p.line, p.column, p.path, p.message, hint=p.hint)
                for p in in_file_order(checked.problems)]
    loaded, theme, _ = checked.ready()
    from .narration.voice_checks import unused_pronunciations
    from .pipeline.checks import script_warnings
    from .timeline.build import plan_scenes

    said = [spec.said for spec in plan_scenes(loaded.script) if spec.said]
    warnings = script_warnings(loaded.script) + unused_pronunciations(loaded, said)
    findings = [Finding(str(path), None, None, "", text, "warning") for text in warnings]
    if checked.signing is None:
        findings.append(Finding(str(path), None, None, "", unsigned_note(), "note"))
    findings += [Finding(str(path), None, None, "", f"{hold.message()} (narration length estimated; lint "
                         "measures it)", "note") for hold in _reading_holds(loaded.script)]
    return findings + _undescribed(loaded.script, str(path), theme)


def _undescribed(script: Script, path: str, theme: object) -> list[Finding]:
    """Scenes whose essential text (heading, numbers) the audio description cannot say in the
    narration's gaps, at the description's rate; narration lengths estimated as for the holds. Notes:
    the render itself says less where it must (and reports it)."""
    from fractions import Fraction

    from .captions.rules import rules_for_format
    from .pipeline.described import description_rate, undescribed
    from .timeline.build import build_timeline, estimated_narration, plan_scenes

    specs = plan_scenes(script)
    timeline = build_timeline(specs, estimated_narration(specs, script.voice.rate), Fraction(30),
                              rules_for_format("16x9"))
    rate = description_rate(script)
    return [Finding(path, None, None, specs[position].where,
                    "the audio description cannot say "
                    + "; ".join(repr(text) for text in lost)
                    + f" in the narration's gaps at {rate} words a minute (a render says less and reports what it"
                    " leaves out)", "note", hint="to describe it, shorten the narration or give the scene a longer "
                    "timing: {tail: SECONDS}")
            for position, lost in undescribed(script, specs, timeline, theme, rate).items()]


def _reading_holds(script: Script) -> list[ReadingHold]:
    """Cards that stay up longer than their narration so they can be read, with narration lengths
    estimated from the voice's rate (validate speaks nothing)."""
    from fractions import Fraction

    from .captions.rules import rules_for_format
    from .timeline.build import build_timeline, estimated_narration, plan_scenes, reading_holds

    specs = plan_scenes(script)
    timings = estimated_narration(specs, script.voice.rate)
    return reading_holds(specs, build_timeline(specs, timings, Fraction(30), rules_for_format("16x9")))


def render(
    path: Path | str,
    *,
    formats: str | Sequence[str] | None = None,
    cuts: str | Sequence[str] | None = None,
    preview: bool = False,
    described: str = "track",
    voice: str | None = None,
    loudness: str | None = None,
    out: Path | str = Path("render/out"),
    cache: Path | str = Path("render/cache"),
    jobs: int = 0,
    progress: Callable[[ProgressEvent], None] | None = None,
    pool: WorkPool | None = None,
    ffmpeg: str | None = None,
    max_duration: float | None = None,
    max_pixels: int | None = None,
    max_text: int | None = None,
    max_clip_pixels: int | None = None,
    max_clip_fps: float | None = None,
    max_clip_duration: float | None = None,
    media_base_url: str | None = None,
    sign_cert: Path | str | None = None,
    sign_key: Path | str | None = None,
    sign_tsa_url: str | None = None,
) -> RenderResult:
    """Render the script at ``path`` into ``out/<id>/`` (nothing there is replaced unless all succeeds).

    - ``formats``: ``("16x9", "9x16")``, ``"16x9,9x16"`` or ``"all"``; default the script's own.
    - ``cuts``: social cuts by name, ``"all"`` or ``"none"``; default all of the script's,
      none for a ``preview`` (a fast half-size draft).
    - ``described``: ``"track"`` (every ``video.mp4`` carries a described audio track) or
      ``"extended"`` (also ``video-described.mp4``, the picture held while the rest is described).
    - ``voice``: a speech engine for every block (``espeak``, ``gtts``, ``fake``...);
      ``loudness``: a profile of ``render/profiles`` (``web``, ``youtube``, ``ebu-r128``, ``atsc-a85``).
    - ``jobs``: worker processes (0: one per core; a render with little to do, such as after a small
      edit, works in this process and starts none); ``pool``: a
      :class:`~claimreel.executor.WorkPool` the caller keeps open across renders instead.
    - ``progress``: called with a :class:`ProgressEvent` as each stage starts and advances, in the
      calling thread.
    - ``max_duration`` (seconds), ``max_pixels`` (per image), ``max_text`` (characters),
      ``max_clip_pixels`` (per footage frame), ``max_clip_fps``, ``max_clip_duration`` (seconds of a
      footage file): caps, default from ``CLAIMREEL_MAX_*`` or built in.
    - ``media_base_url``: the address ``<id>/`` is served from, for the media URLs of the
      structured data (default the script's ``publish.media_base_url``; without either they are
      left out). A ``preview`` goes to ``out/_previews/<id>/`` and is never published.
    - ``sign_cert``, ``sign_key``: a certificate chain PEM and its private key PEM to sign every video,
      poster and storyboard with Content Credentials (C2PA; default ``CLAIMREEL_SIGN_CERT`` and
      ``CLAIMREEL_SIGN_KEY``, else the theme's ``publish.credentials``, else unsigned);
      ``sign_tsa_url``: a timestamp authority (default ``CLAIMREEL_SIGN_TSA_URL``).

    Returns the :class:`~claimreel.pipeline.request.RenderResult`: ``.folder``, ``.files`` (every
    file written, absolute), ``.timeline``, ``.cuts`` and cache counts.
    """
    from .pipeline.limits import Limits
    from .pipeline.options import render_options
    from .pipeline.progress import NullProgress
    from .pipeline.render import render as render_job
    from .publish.credentials import signing_request

    options = render_options(
        path, formats=formats, cuts=cuts, preview=preview, described=described, voice=voice, loudness=loudness,
        out=out, cache=cache, jobs=jobs, ffmpeg=ffmpeg, media_base_url=media_base_url, wait_for_output=True,
        signing=signing_request(sign_cert, sign_key, tsa_url=sign_tsa_url),
        limits=Limits.from_env(max_duration=max_duration, max_pixels=max_pixels, max_text=max_text,
                               max_clip_pixels=max_clip_pixels, max_clip_fps=max_clip_fps,
                               max_clip_duration=max_clip_duration),
    )
    reporter = _Events(progress) if progress is not None else NullProgress()
    return render_job(Path(path), options, progress=reporter, pool=pool)

