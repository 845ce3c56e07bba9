"""all-MiniLM-L6-v2 through ONNX Runtime: the same vectors as sentence-transformers, without torch.

Importing torch and sentence-transformers takes seconds; onnxruntime and `tokenizers` take
a fraction of one. The ONNX file is exported here, once, from the packaged weights (never
downloaded) into a cache folder, with the mean pooling and L2 normalisation inside the
graph and BERT's attention fused by ONNX Runtime's optimiser. Its vectors match the torch
model's to a cosine of 1 - 1e-6. The `int8` variant quantizes the weights (per channel): a
different model in all but name, so it carries its own fingerprint.
"""

import json
import logging
import os
import threading
import time
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

VARIANTS = ("fp32", "int8")
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
BATCH_TOKENS = 512
# an ingest leaves a core free while the last question is at most this old (OnnxEncoder._run_bulk)
QUESTIONS_RECENT_SECONDS = 60.0


def onnx_file(cache_dir: Path, fingerprint: str, variant: str) -> Path:
    return cache_dir / f"all-MiniLM-L6-v2-{fingerprint}-{variant}.onnx"


def export(model_dir: Path, target: Path, variant: str = "fp32") -> Path:
    """Write the ONNX export of the model in `model_dir` to `target` (atomically)."""
    if variant not in VARIANTS:
        raise ValueError(f"ONNX variant must be one of {VARIANTS}, got {variant!r}")
    import torch
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel

    target.parent.mkdir(parents=True, exist_ok=True)
    # eager attention traces to the pattern ONNX Runtime fuses into one Attention node
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    raw = target.with_name(f"{target.stem}.{os.getpid()}.raw.onnx")
    staged = target.with_name(f"{target.stem}.{os.getpid()}.tmp.onnx")
    ids = torch.ones(2, 16, dtype=torch.long)
    mask = torch.ones(2, 16, dtype=torch.long)
    mask[1, 9:] = 0  # a padded row, so the traced graph keeps the mask
    axes = {name: {0: "batch", 1: "tokens"} for name in _INPUTS}
    try:
        with torch.no_grad():
            torch.onnx.export(
                _Pooled(model), (ids, mask, torch.zeros_like(ids)), str(raw),
                input_names=list(_INPUTS), output_names=["embedding"],
                dynamic_axes={**axes, "embedding": {0: "batch"}}, opset_version=17, dynamo=False,
            )
        config = json.loads((model_dir / "config.json").read_text())
        optimized = optimize_model(
            str(raw), model_type="bert", num_heads=int(config["num_attention_heads"]),
            hidden_size=int(config["hidden_size"]), opt_level=1,
        )
        optimized.save_model_to_file(str(staged))
        if variant == "int8":
            from onnx import TensorProto
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(
                str(staged), str(raw), weight_type=QuantType.QInt8, per_channel=True,
                extra_options={"DefaultTensorType": TensorProto.FLOAT},
            )
            os.replace(raw, staged)
        os.replace(staged, target)
    finally:
        raw.unlink(missing_ok=True)
        staged.unlink(missing_ok=True)
    return target


class OnnxEncoder:
    """Texts to unit vectors with ONNX Runtime and the model's own `tokenizer.json`.

    One batch (a question) runs on one session spread over every core. Many batches (an
    ingest) run on a second session of one thread each, one batch per core at a time:
    13-14% more texts per second than spreading each batch (bench/perf.py: ingest), since
    the small operators between the matrix products no longer wait for each other's threads.
    """

    def __init__(self, onnx_path: Path, model_dir: Path, max_seq_length: int, threads: int = 0):
        from tokenizers import Tokenizer

        self._path = onnx_path
        self._cores = threads or _cores()
        self._session = _session(onnx_path, threads)
        self._bulk: tuple | None = None  # (one-thread session, worker pool), made on first use
        self._counter = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._counter.no_truncation()
        self._counter.no_padding()
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_seq_length)
        self._tokenizer.no_padding()
        self._pad_id = self._tokenizer.token_to_id("[PAD]") or 0
        self._lock = threading.Lock()
        self._last_question = float("-inf")  # time.monotonic() of the last one-batch encode

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Rows in the order of `texts`; batches are made of texts of similar token counts.

        All texts are tokenised in one call (the tokenizer spreads it over the cores), then
        each batch is padded to its longest text only. A batch holds at most `batch_size`
        texts and at most BATCH_TOKENS padded tokens, so its activations stay in the core's
        cache: `bot.py index` of bench/perf.py's 1,155 SQuAD passages is 1.28x as fast in
        int8 and 1.22x in fp32 as with 32 texts a batch.
        """
        with self._lock:  # the tokenizer alone; ONNX Runtime runs sessions from several threads
            tokens = [e.ids for e in self._tokenizer.encode_batch(texts)]
            session, pool = self._bulk_session() if self._cores > 1 else (None, None)
        lengths = np.array([len(t) for t in tokens])
        order = np.argsort(-lengths, kind="stable")
        feeds = []
        for batch in _batches(order, lengths, batch_size):
            ids = np.full((len(batch), lengths[batch[0]]), self._pad_id, dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, text in enumerate(batch):
                ids[row, :lengths[text]] = tokens[text]
                mask[row, :lengths[text]] = 1
            feeds.append({"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        if len(feeds) == 1 or pool is None:
            # a question waits for no ingest: it runs beside it on the session of every core
            self._last_question = time.monotonic()
            rows = [self._session.run(None, feed)[0] for feed in feeds]
        else:
            rows = self._run_bulk(session, pool, feeds)
        vectors = np.empty((len(texts), rows[0].shape[1]), dtype=np.float32)
        vectors[order] = np.concatenate(rows)
        return vectors

    def _run_bulk(self, session, pool, feeds: list[dict]) -> list[np.ndarray]:
        """Many batches, one per core at a time; one core fewer while questions are being asked
        (one in the last QUESTIONS_RECENT_SECONDS), so that an ingest in a serving bot leaves
        them a core: bench/feed_ingest.py measures questions while a feed poll ingests."""
        recent = time.monotonic() - self._last_question < QUESTIONS_RECENT_SECONDS
        slots = threading.Semaphore(max(1, self._cores - 1) if recent else self._cores)

        def run(feed):
            with slots:
                return session.run(None, feed)[0]

        return list(pool.map(run, feeds))

    def _bulk_session(self):
        if self._bulk is None:
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(self._cores, thread_name_prefix="onnx-batch")
            self._bulk = (_session(self._path, threads=1), pool)
        return self._bulk


def _batches(order: np.ndarray, lengths: np.ndarray, batch_size: int) -> list[np.ndarray]:
    """`order` (longest text first) cut into batches of at most `batch_size` texts and at most
    BATCH_TOKENS tokens once padded to their first text's length; a longer text goes alone."""
    batches, start = [], 0
    while start < len(order):
        fits = max(1, min(batch_size, BATCH_TOKENS // max(1, lengths[order[start]])))
        batches.append(order[start:start + fits])
        start += fits
    return batches


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _session(onnx_path: Path, threads: int):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # idle worker threads must sleep, not spin: the machine is shared with the bot's
    # event loop, SQLite and FAISS
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if threads:
        options.intra_op_num_threads = threads
    return onnxruntime.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])


def _pooled_module():
    import torch

    class Pooled(torch.nn.Module):
        """The transformer, then sentence-transformers' mean pooling and normalisation."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return Pooled


def _Pooled(model):  # noqa: N802 - reads as the class it builds
    return _pooled_module()(model)
