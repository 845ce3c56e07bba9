"""The embedder's two backends: ONNX gives torch's vectors without importing torch."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embedder import MiniLMEmbedder
from index.errors import ModelMismatch
from index.library import Library
from tests.conftest import ROOT

# the folder bot.py exports to, so a machine makes the export once for tests and bot alike
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "news-passage-bot"
TEXTS = [
    "What did Zhao Lijian say?",
    "Chinese foreign ministry spokesman Zhao Lijian told reporters that the US was deluding itself.",
    "Short.",
]


@pytest.fixture(scope="module")
def onnx_embedder():
    return MiniLMEmbedder(onnx_cache=CACHE)


def test_onnx_vectors_equal_the_torch_models(onnx_embedder, minilm):
    assert onnx_embedder.backend == "onnx"
    assert (onnx_embedder.name, onnx_embedder.fingerprint) == (minilm.name, minilm.fingerprint)
    onnx, torch = onnx_embedder.encode(TEXTS, batch_size=2), minilm.encode(TEXTS)
    assert onnx.shape == (3, 384) and onnx.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1, atol=1e-5)
    assert (onnx * torch).sum(axis=1).min() > 0.9999


def test_token_counts_and_limit_need_no_model(minilm):
    fresh = MiniLMEmbedder(onnx_cache=CACHE)
    assert fresh.max_tokens == 254 and fresh._model is None
    tokenizer = minilm._load().tokenizer
    for text in TEXTS:
        assert fresh.count_tokens(text) == len(tokenizer.tokenize(text))
    assert fresh._model is None


def test_the_quantized_encoder_is_another_model_to_the_index(tmp_path):
    directory = tmp_path / "index"
    Library(directory, MiniLMEmbedder(onnx_cache=CACHE)).close()
    quantized = MiniLMEmbedder(onnx_cache=CACHE, quantized=True)
    assert quantized.fingerprint.endswith("-int8") and quantized.name == "all-MiniLM-L6-v2-int8"
    with pytest.raises(ModelMismatch, match="this run uses all-MiniLM-L6-v2-int8"):
        Library(directory, quantized)
    with pytest.raises(ValueError, match="onnx_cache"):
        MiniLMEmbedder(quantized=True)


def test_asking_never_imports_torch(tmp_path, onnx_embedder):
    onnx_embedder.encode(["the export exists before the question is asked"])
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bot;"
        "code = bot.main(['ask', 'What did Zhao Lijian say?', '--index', sys.argv[2]]);"
        "assert code == 0; print('torch loaded:', 'torch' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(ROOT), str(tmp_path / "index")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "¶9–10" in result.stdout and "torch loaded: False" in result.stdout


def test_batches_hold_a_token_budget_at_most():
    from index.onnx_encoder import BATCH_TOKENS, _batches

    lengths = np.array([300, 600, 40] + [5] * 100)
    order = np.argsort(-lengths, kind="stable")
    batches = _batches(order, lengths, batch_size=32)
    assert sorted(np.concatenate(batches).tolist()) == list(range(len(lengths)))
    assert [len(b) for b in batches[:3]] == [1, 1, 12]  # a text past the budget goes alone
    for batch in batches:
        assert len(batch) <= 32
        assert len(batch) == 1 or len(batch) * lengths[batch[0]] <= BATCH_TOKENS


def test_the_quantized_vectors_stay_near_the_full_precision_ones(onnx_embedder):
    long = " ".join(TEXTS * 20)  # in a batch of its own
    texts = [*TEXTS, long]
    quantized = MiniLMEmbedder(onnx_cache=CACHE, quantized=True).encode(texts)
    assert quantized.shape == (4, 384)
    assert (quantized * onnx_embedder.encode(texts)).sum(axis=1).min() > 0.97
