"""`bot.py index PATH... --ray [ADDRESS]`: read, split and embed in Ray, write here.

An optional extra (requirements-scale.txt); nothing else imports this module, so the bot
never imports Ray unless --ray is given. Two Ray Data pipelines around one writer:

1. the files, `from_items` → `map_batches(_read_and_split)`: each file read and parsed
   and its articles split into passages, on Ray's workers; a bad file comes back as an
   error line for the report, as in a plain ingest;
2. the driver plans with ingest_steps.plan (unchanged articles skipped, changed ones
   replaced, duplicates dropped), then the passages that are not stored yet, in chunks
   of about EMBED_BATCH_PASSAGES, `map_batches(PassageEncoder, concurrency=N)`: an actor
   pool, each actor holding the same ONNX encoder (int8 when the index is) with one thread;
3. the driver writes each chunk through ingest_steps.write_batch as the results stream in,
   in plan order: each article in its own transaction, copies, quotes and dates as in
   a plain ingest, and the FAISS file saved at the end. The index equals a plain
   ingest's (tests/test_ray_ingest.py); an actor that dies is restarted and its chunk
   retried.

Without ADDRESS Ray runs on this machine only (no dashboard, no usage report); with
ADDRESS it joins that cluster, whose nodes need this project's requirements installed
(the `index` package is shipped to them; the files' bytes are read here and shipped).
"""

import logging
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from index.articles import _read_bytes, find_article_files, parse_articles, read_articles
from index.errors import IndexingError
from index.library import IngestReport, Library
from index.passage_embedding import embed
from index.passages import passages_of

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
FILES_PER_READ_BATCH = 8


def ingest_with_ray(
    library: Library, paths: Iterable[Path], address: str | None = None, quantized: bool = False,
    progress: Callable | None = None, onnx_cache: Path | None = None, concurrency: int | None = None,
    encoder: type | None = None, encoder_kwargs: dict | None = None,
) -> IngestReport:
    """Library.ingest with the reading, splitting and embedding done by Ray: on this machine
    when `address` is None (or "local"), else on the cluster at `address`. When Ray is
    already initialised (tests) that session is used and left running."""
    ray = _import_ray()
    started = start_ray(ray, address)
    try:
        report = IngestReport()
        articles, passages_by_article = [], {}
        for articles_and_passages, error in _read_in_ray(ray, list(paths), shipped=started == "cluster"):
            if error:
                report.errors.append(error)
            for article, passages in articles_and_passages:
                articles.append(article)
                passages_by_article[id(article)] = passages
        actor_kwargs = dict(
            onnx_cache=str(onnx_cache or _default_cache()) if started != "cluster" else None,
            quantized=quantized, batch_size=library.batch_size, threads=1,
            fingerprint=library.embedder.fingerprint, **(encoder_kwargs or {}),
        )
        return library.ingest_articles(
            articles, report, progress, split=lambda article: passages_by_article[id(article)],
            embed_batches=lambda batches: _embed_in_ray(ray, library, batches, actor_kwargs,
                                                        encoder or PassageEncoder, concurrency or _cpus(ray)))
    finally:
        if started:
            ray.shutdown()


# -- the driver --------------------------------------------------------------------------


def _import_ray():
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never report usage over the network
    # Ray Data's actors keep their constructor arguments in the object store, which Ray's core
    # logs as an error line each run (ray-project/ray#53727); failures are raised, not logged
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise IndexingError("--ray needs Ray: pip install -r requirements-scale.txt") from None
    return ray


def start_ray(ray, address: str | None, num_cpus: int | None = None) -> str | None:
    """Start Ray here (on `num_cpus`, default every core), or join the cluster at `address`:
    "local" or "cluster", or None when a session was already running."""
    if ray.is_initialized():
        return None
    local = address in (None, "", "local")
    common = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    try:
        if local:
            ray.init(num_cpus=num_cpus or _cores(), object_store_memory=256 * 1024 * 1024,
                     runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}}, **common)
        else:
            _check_reachable(address)
            ray.init(address=address, runtime_env={"py_modules": [str(ROOT / "index")]}, **common)
    except IndexingError:
        raise
    except Exception as error:  # Ray raises ConnectionError, RuntimeError, ValueError...
        where = "on this machine" if local else f"at {address}"
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise IndexingError(f"cannot start or reach Ray {where}: {first}") from None
    for name in ("ray", "ray.data"):  # execution notes; failures are raised
        logging.getLogger(name).setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the ingest's own bar counts passages as they are written
    context.print_on_execution_start = False
    context.enable_auto_log_stats = False
    return "local" if local else "cluster"


def _check_reachable(address: str) -> None:
    """A HOST:PORT (or ray://HOST:PORT) that accepts no connection fails at once: Ray itself
    retries for minutes. "auto" (the cluster this machine belongs to) is left to Ray."""
    import socket

    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        if address != "auto":
            raise IndexingError(f"--ray {address}: give the cluster's address as HOST:PORT "
                                "(or no address, to run on this machine)")
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except OSError as error:
        raise IndexingError(f"cannot reach the Ray cluster at {address}: {error.strerror or error}") from None


def _read_in_ray(ray, paths: list[Path], shipped: bool):
    """(articles with their passages, error or "") for each file, in file order. On a
    cluster the bytes are read here (the workers need not see this file system)."""
    rows = []
    for position, path in enumerate(find_article_files(paths)):
        row = {"position": position, "path": str(path), "source": str(path.resolve()),
               "data": b"", "error": ""}
        if shipped:
            try:
                row["data"] = _read_bytes(path)
            except IndexingError as error:
                row["error"] = str(error)
        rows.append(row)
    if not rows:
        return []
    dataset = ray.data.from_items(rows, override_num_blocks=max(1, min(len(rows), 4 * _cpus(ray))))
    dataset = dataset.map_batches(_read_and_split, batch_size=FILES_PER_READ_BATCH, batch_format="numpy",
                                  fn_kwargs={"shipped": shipped})
    results = {}
    for row in dataset.iter_rows():
        results[int(row["position"])] = (pickle.loads(row["payload"]), str(row["error"]))
    return [results[p] for p in sorted(results)]


def _embed_in_ray(ray, library: Library, chunks, encoder_kwargs, encoder, concurrency):
    """(chunk, vectors by text hash, title vectors) for each chunk, in order, as soon as the
    chunk and all before it are embedded. A passage stored already, or sent in an earlier
    chunk, is not embedded again (ingest_steps.write_batch finds it in the store by then)."""
    if not chunks:
        return
    rows, sent = [], set()
    for number, chunk in enumerate(chunks):
        hashes = {p.text_hash: p for _, ps in chunk for p in ps if p.text_hash not in sent}
        stored = library.store.vectors_by_hash(list(hashes))
        fresh = [p for h, p in hashes.items() if h not in stored]
        sent.update(hashes)
        titles = [article.title for article, _ in chunk]
        rows.append({"chunk": number, "payload": pickle.dumps((fresh, titles))})
    dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
    # Ray Data restarts an actor that dies (max_restarts=-1) and retries the chunk it held
    # (max_task_retries=-1) by default; passing them is deprecated since Ray 2.60
    dataset = dataset.map_batches(
        encoder, batch_size=1, batch_format="numpy", num_cpus=1, fn_constructor_kwargs=encoder_kwargs,
        compute=ray.data.ActorPoolStrategy(size=max(1, min(concurrency, len(rows)))),
    )
    done, following = {}, 0
    for row in dataset.iter_rows():
        if row["error"]:
            raise IndexingError(str(row["error"]))
        done[int(row["chunk"])] = pickle.loads(row["payload"])
        while following in done:
            vectors, titles = done.pop(following)
            yield chunks[following], vectors, titles
            following += 1
    if following != len(chunks):  # Ray returned fewer rows than it was given
        raise IndexingError(f"Ray embedded {following} of {len(chunks)} chunks; the rest was not written")


def _cpus(ray) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _default_cache() -> Path:
    """cli/opening.py's encoder_cache_dir, on whichever machine this runs."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "news-passage-bot"


# -- Ray's workers -----------------------------------------------------------------------

_splitter = None


def _read_and_split(batch: dict, shipped: bool) -> dict:
    """Files to articles and passages: one pickled list (or an error line) per file."""
    global _splitter
    if _splitter is None:  # the tokenizer only, to count word pieces; the model is not loaded
        from index.embedder import MiniLMEmbedder

        _splitter = MiniLMEmbedder()
    payloads, errors = [], []
    for path, source, data, error in zip(batch["path"], batch["source"], batch["data"], batch["error"],
                                         strict=True):
        found = []
        if not error:
            try:
                articles = (parse_articles(bytes(data), Path(path).name, str(source)) if shipped
                            else read_articles(Path(path)))
                found = [(a, passages_of(a, _splitter.count_tokens, _splitter.max_tokens)) for a in articles]
            except IndexingError as failure:
                error = str(failure)
        payloads.append(pickle.dumps(found))
        errors.append(str(error))
    return {"position": batch["position"], "payload": np.array(payloads, dtype=object),
            "error": np.array(errors, dtype=object)}


class PassageEncoder:
    """A Ray actor holding the ONNX encoder: chunks of passages and titles to their vectors,
    computed as a plain ingest computes them (index/passage_embedding.py: paragraphs,
    sentences of longer ones, titles)."""

    def __init__(self, onnx_cache: str | None, quantized: bool, batch_size: int, threads: int,
                 fingerprint: str):
        from index.embedder import MiniLMEmbedder

        embedder = MiniLMEmbedder(onnx_cache=Path(onnx_cache) if onnx_cache else _default_cache(),
                                  quantized=quantized)
        self.error = ""
        if embedder.fingerprint != fingerprint:
            self.error = (f"a Ray worker has model {embedder.fingerprint}, the index {fingerprint}: "
                          "install the same requirements on every node")
        self.embedder = embedder
        if embedder.backend == "onnx":
            from index.onnx_encoder import OnnxEncoder

            if not embedder.onnx_file.exists():
                embedder._load()  # exports the model once, on a node that has no export yet
            # one thread per actor: the pool has an actor per CPU
            self.embedder = OnnxEncoder(embedder.onnx_file, embedder.model_dir, embedder.max_seq_length,
                                        threads=threads)
        self.batch_size = batch_size

    def __call__(self, batch: dict) -> dict:
        payloads = []
        for payload in batch["payload"]:
            passages, titles = pickle.loads(payload)
            payloads.append(pickle.dumps(embed(self.embedder, self.batch_size, passages, titles)))
        return {"chunk": batch["chunk"], "payload": np.array(payloads, dtype=object),
                "error": np.array([self.error] * len(payloads), dtype=object)}
