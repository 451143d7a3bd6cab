"""What the studio shows about a script: its summary, its findings at their lines, its scenes.

Findings (:mod:`.findings`) come from the same checks as ``claimreel validate``
and ``claimreel lint``. Reports are cached by a digest of the script's bytes, the files it names
under ``assets/`` and the folders every script depends on (themes, fonts,
loudness profiles), so an unchanged script is never checked twice and a new photo
checks again only the scripts that name it; summaries are also kept on disk so a
restarted studio lists a large workspace at once.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..script.load import MAX_SCRIPT_BYTES
from ..timeline.model import Timeline, frame_to_ms
from .findings import Finding, inspect, lint_findings, loose_fields, validate_file
from .signatures import referenced_files, shared_signature, stat_signature
from .workspace import Workspace

__all__ = ["Finding", "Pending", "Reports", "SceneRow", "ScriptReport", "Summary", "read_heading", "summarize"]

#: Bumped when what a summary holds changes, so old files on disk are not read.
_SUMMARY_VERSION = "1"


@dataclass(frozen=True)
class Summary:
    """One row of the scripts page."""

    name: str
    digest: str
    id: str
    title: str
    language: str
    formats: tuple[str, ...]
    cuts: tuple[str, ...]
    valid: bool
    problems: int
    first_problem: str


@dataclass(frozen=True)
class SceneRow:
    index: int
    kind: str
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class ScriptReport:
    summary: Summary
    text: str
    findings: tuple[Finding, ...]
    scenes: tuple[SceneRow, ...] = ()
    notes: tuple[str, ...] = field(default=())




def _read_text(path: Path) -> tuple[bytes, str]:
    raw = path.read_bytes()[: MAX_SCRIPT_BYTES + 1]
    return raw, raw.decode("utf-8", errors="replace")


def _as_text(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _summary(name: str, digest: str, text: str, findings: list[Finding], loaded: Any) -> Summary:
    if loaded is not None:
        s = loaded.script
        return Summary(name, digest, s.id, s.title, s.language, tuple(s.formats), tuple(c.name for c in s.cuts),
                       True, 0, "")
    data = loose_fields(text, name)
    formats = data.get("formats") if isinstance(data.get("formats"), list) else ["16x9"]
    cuts = data.get("cuts") if isinstance(data.get("cuts"), list) else []
    first = findings[0] if findings else None
    where = f"line {first.line}: " if first and first.line else ""
    return Summary(
        name, digest, _as_text(data.get("id")), _as_text(data.get("title"), name), _as_text(data.get("language")),
        tuple(str(f) for f in formats if isinstance(f, str)),
        tuple(c["name"] for c in cuts if isinstance(c, dict) and isinstance(c.get("name"), str)),
        not findings, len(findings), f"{where}{first.message}" if first else "")


def scene_rows(timeline: Timeline) -> tuple[SceneRow, ...]:
    return tuple(SceneRow(s.index, s.kind, s.title, frame_to_ms(s.start_frame, timeline.fps),
                          frame_to_ms(s.end_frame, timeline.fps)) for s in timeline.scenes)


@dataclass(frozen=True)
class Pending:
    """A script whose summary is being worked out in the background, with its title and language
    when :func:`read_heading` found them."""

    name: str
    digest: str
    title: str = ""
    language: str = ""


_HEADING = re.compile(r"^(title|language):[ \t]*(\S.*)$", re.MULTILINE)


def read_heading(text: str) -> tuple[str, str]:
    """A script's title and language read from their own top-level lines, without checking (or even
    parsing) the rest: what the scripts page shows while the script is checked. A value the line
    alone does not give (a block scalar, a continued quote) reads as ''."""
    import yaml

    found: dict[str, str] = {}
    for key, value in _HEADING.findall(text):
        if key in found:
            continue
        try:
            parsed = yaml.safe_load(f"v: {value}")
        except yaml.YAMLError:
            continue
        if isinstance(parsed, dict) and isinstance(parsed.get("v"), str):
            found[key] = parsed["v"].strip()
    return found.get("title", ""), found.get("language", "")


def summarize(name: str, digest: str, path: Path) -> Summary:
    """The summary of one script (runs in a worker process when the studio has a pool)."""
    _, text = _read_text(path)
    findings, loaded = validate_file(path)
    return _summary(name, digest, text, findings, loaded)


def _remember(cache: OrderedDict[str, Any], key: str, value: Any, keep: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > keep:
        cache.popitem(last=False)


class Reports:
    """Summaries and full reports of the workspace's scripts, cached by content digest."""

    #: Seconds the shared folders' signature is reused: one page and its images need it several times.
    ASSETS_TTL = 1.0
    #: Seconds one listing may spend reading the titles of scripts not checked yet; past it (a large
    #: workspace under load) the rest list by file name until they are checked.
    HEADING_BUDGET = 0.2
    #: Preview preparations kept for drawing storyboards (the most recent scripts opened).
    KEEP_PREPARED = 4
    KEEP_REPORTS = 256
    KEEP_SUMMARIES = 8192

    def __init__(self, ws: Workspace, clock: Callable[[], float] = time.monotonic) -> None:
        self.ws = ws
        self.clock = clock
        self._lock = threading.Lock()
        # bounded: every saved version of a script is a new key
        self._summaries: OrderedDict[str, Summary] = OrderedDict()
        self._reports: OrderedDict[str, ScriptReport] = OrderedDict()
        self._prepared: OrderedDict[str, Any] = OrderedDict()
        self._inspecting: dict[str, threading.Lock] = {}
        self._shared: tuple[float, str] | None = None
        self._refs: OrderedDict[str, tuple[Path, ...]] = OrderedDict()
        self._pending: set[str] = set()
        self._disk = ws.cache / "studio" / "summaries"
        self.pool: Any = None  # a WorkPool for checking scripts in the background, or None

    def shared(self) -> str:
        """The shared folders' signature, read again after :attr:`ASSETS_TTL` or :meth:`assets_changed`."""
        now = self.clock()
        with self._lock:
            if self._shared is not None and now - self._shared[0] < self.ASSETS_TTL:
                return self._shared[1]
        signature = shared_signature(self.ws)
        with self._lock:
            self._shared = (now, signature)
        return signature

    def assets_changed(self) -> None:
        with self._lock:
            self._shared = None

    def digest(self, raw: bytes, text: str) -> str:
        """The script's version: its bytes, the shared folders and the files it names (so a new
        photo changes only the scripts that use it)."""
        content = hashlib.sha256(raw).hexdigest()
        with self._lock:
            refs = self._refs.get(content)
        if refs is None:
            refs = referenced_files(text, self.ws.root)
            with self._lock:
                _remember(self._refs, content, refs, self.KEEP_SUMMARIES)
        extra = f"{self.shared()}:{stat_signature(refs)}"
        return hashlib.sha256(f"{content}:{extra}".encode()).hexdigest()[:24]

    def salt(self, prepared: Any) -> str:
        """What a prepared script's stills depend on beyond their layout: the files it uses."""
        return f"{self.shared()}:{stat_signature(sorted(prepared.loaded.assets.values()))}"

    def summary(self, name: str) -> Summary:
        """The summary of script ``name`` now (checked here if it is not known yet)."""
        path = self.ws.script_path(name)
        raw, text = _read_text(path)
        digest = self.digest(raw, text)
        known = self._known(name, digest)
        if known is not None:
            return known
        summary = summarize(name, digest, path)
        self._keep(summary)
        return summary

    def listing(self) -> list[Summary | Pending]:
        """Every script's summary where it is known; the others, :class:`Pending`, are checked in
        the background (in the pool's workers when there is a pool) and known at a later call."""
        rows: list[Summary | Pending] = []
        todo = []
        budget = self.clock() + self.HEADING_BUDGET
        for name in self.ws.script_names():
            try:
                raw, text = _read_text(self.ws.scripts / name)
            except OSError:  # removed or unreadable since the folder was listed: not a script now
                continue
            digest = self.digest(raw, text)
            known = self._known(name, digest)
            if known is not None:
                rows.append(known)
                continue
            pending = Pending(name, digest, *(read_heading(text) if self.clock() < budget else ("", "")))
            rows.append(pending)
            todo.append(pending)
        with self._lock:
            # Neither being checked nor checked since it was looked up above: a check that ended in
            # between (it keeps its summary, then leaves the pending set) is not started again.
            todo = [p for p in todo if f"{p.name}:{p.digest}" not in self._pending
                    and f"{p.name}:{p.digest}" not in self._summaries]
            self._pending.update(f"{p.name}:{p.digest}" for p in todo)
        if todo:
            threading.Thread(target=self._check, args=(todo,), name="claimreel-studio-check", daemon=True).start()
        return rows

    def _check(self, todo: list[Pending]) -> None:
        pool = self.pool
        try:
            if pool is not None:
                futures = {pool.submit(summarize, p.name, p.digest, self.ws.scripts / p.name): p for p in todo}
                done = ((futures[f], f) for f in pool.as_completed(futures))
                for item, future in done:
                    self._finish(item, future.result)
            else:
                for item in todo:
                    self._finish(item, lambda item=item: summarize(item.name, item.digest, self.ws.scripts / item.name))
        finally:
            with self._lock:
                self._pending.difference_update(f"{p.name}:{p.digest}" for p in todo)

    def _finish(self, item: Pending, result: Callable[[], Summary]) -> None:
        try:
            summary = result()
        except Exception as exc:  # shown on the page as the script's problem; the listing goes on
            summary = Summary(item.name, item.digest, "", item.name, "", (), (), False, 1,
                              f"could not be checked: {type(exc).__name__}: {exc}")
        self._keep(summary)
        with self._lock:
            self._pending.discard(f"{item.name}:{item.digest}")

    def _known(self, name: str, digest: str) -> Summary | None:
        key = f"{name}:{digest}"
        with self._lock:
            if key in self._summaries:
                return self._summaries[key]
        summary = self._from_disk(name, digest)
        if summary is not None:
            with self._lock:
                _remember(self._summaries, key, summary, self.KEEP_SUMMARIES)
        return summary

    def _keep(self, summary: Summary) -> None:
        if summary.problems == 0 or not summary.first_problem.startswith("could not be checked"):
            self._to_disk(summary)
        with self._lock:
            _remember(self._summaries, f"{summary.name}:{summary.digest}", summary, self.KEEP_SUMMARIES)

    def report(self, name: str) -> ScriptReport:
        """Findings (validate, then lint when valid) and scenes of one script."""
        path = self.ws.script_path(name)
        raw, text = _read_text(path)
        digest = self.digest(raw, text)
        key = f"{name}:{digest}"
        with self._lock:
            if key in self._reports:
                return self._reports[key]
        with self._inspect_lock(key):
            with self._lock:
                if key in self._reports:
                    return self._reports[key]
            findings, prepared, notes = inspect(path, text, self.ws.cache)
            scenes: tuple[SceneRow, ...] = ()
            if prepared is not None:
                linted, more = lint_findings(prepared, text)
                findings += linted
                notes += more
                scenes = scene_rows(prepared.timelines[prepared.formats[0].name])
                # kept for the storyboards, which need no sound: the music bed and the narration's
                # samples (tens of megabytes for a long piece) are let go
                prepared.music = None
                prepared.speeches = {}
            summary = _summary(name, digest, text, [f for f in findings if f.source == "validate"],
                               prepared.loaded if prepared is not None else None)
            report = ScriptReport(summary, text, tuple(findings), scenes, tuple(notes))
            with self._lock:
                _remember(self._reports, key, report, self.KEEP_REPORTS)
                _remember(self._summaries, key, summary, self.KEEP_SUMMARIES)
                if prepared is not None:
                    _remember(self._prepared, key, prepared, self.KEEP_PREPARED)
        return report

    def known_report(self, name: str) -> ScriptReport | None:
        """The report of script ``name`` as it is now if it was made already (None: not yet; this
        checks nothing, so a page can answer at once and ask for the report later)."""
        raw, text = _read_text(self.ws.script_path(name))
        key = f"{name}:{self.digest(raw, text)}"
        with self._lock:
            return self._reports.get(key)

    def prepared(self, name: str, digest: str) -> Any:
        """The storyboard preparation of script ``name`` at ``digest`` (None if it does not validate or
        the script has changed since)."""
        key = f"{name}:{digest}"
        with self._lock:
            if key in self._prepared:
                self._prepared.move_to_end(key)
                return self._prepared[key]
        report = self.report(name)
        with self._lock:
            return self._prepared.get(key) if report.summary.digest == digest else None

    def _inspect_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._inspecting.setdefault(key, threading.Lock())

    def _from_disk(self, name: str, digest: str) -> Summary | None:
        try:
            data = json.loads((self._disk / f"{digest}.json").read_text(encoding="utf-8"))
            if data.pop("version") != _SUMMARY_VERSION or data["name"] != name:
                return None
            return Summary(**{**data, "formats": tuple(data["formats"]), "cuts": tuple(data["cuts"])})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _to_disk(self, summary: Summary) -> None:
        from ..files import atomic_write_text

        try:
            atomic_write_text(self._disk / f"{summary.digest}.json",
                              json.dumps({"version": _SUMMARY_VERSION, **asdict(summary)}, ensure_ascii=False))
        except OSError:
            pass  # a read-only cache only costs speed
