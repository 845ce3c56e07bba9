"""`bot.py index --ray`: Ray reads, splits and embeds; the index equals a plain ingest's."""

import os
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install -r requirements-scale.txt)")

from index.embedder import MiniLMEmbedder  # noqa: E402
from index.library import Library  # noqa: E402
from index.ray_ingest import PassageEncoder, ingest_with_ray, start_ray  # noqa: E402
from tests.conftest import FIXTURES, SAMPLE  # noqa: E402

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "news-passage-bot"
VECTOR_COLUMNS = {"title_vector", "centroid", "vector", "sentence_vectors"}
# Ray Data reads its own deprecated settings when it pickles its context
pytestmark = [pytest.mark.timeout(300), pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")]


@pytest.fixture(scope="module")
def ray_session():
    """Ray on this machine, once for the module."""
    import ray

    if ray.is_initialized():
        ray.shutdown()
    start_ray(ray, None, num_cpus=2)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The fixtures of every format, the sample article, a wire story run twice (copies),
    quotes and dates, and enough paragraphs for two embedding chunks."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(FIXTURES, folder / "fixtures", ignore=shutil.ignore_patterns("*.json"))
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    wire = [
        f"The harbour authority in Port {town} said on Tuesday that ferry crossing number {n} "
        f"would resume after the strike. “We expect the first boats by noon,” said Maria Lund, "
        f"the authority's spokeswoman."
        for n, town in enumerate(["Ellis", "Marren", "Tolby", "Dunmore", "Cray", "Halden"])
    ]
    (folder / "wire-a.txt").write_text("Ferries to resume after strike\n\n" + "\n\n".join(wire))
    (folder / "wire-b.txt").write_text("Ferry crossings resume\n\n" + "\n\n".join(wire[:-1]))
    for number in range(10):
        paragraphs = [
            f"Council {number} debated item {item} of the budget, on roads, schools and parks. "
            f"The mayor said item {item} would cost {number * 10 + item} thousand."
            for item in range(14)
        ]
        text = f"# Budget debate {number}\n\n" + "\n\n".join(paragraphs)
        (folder / f"council-{number}.md").write_text(text)
    return folder


def library(directory: Path) -> Library:
    return Library(directory, MiniLMEmbedder(onnx_cache=CACHE))


def ray_ingest(lib: Library, paths, **options):
    return ingest_with_ray(lib, paths, onnx_cache=CACHE, concurrency=2, **options)


def tables(directory: Path) -> dict[str, list[tuple]]:
    """Every table of the store, rows in a stable order; vectors as float32 arrays and the
    time an article was added left out."""
    db = sqlite3.connect(directory / "store.sqlite")
    names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
             if not n.startswith(("sqlite_", "passages_fts_"))]
    found = {}
    for name in names:
        ordered = name in ("articles", "passages")
        cursor = db.execute(f"SELECT * FROM {name}" + (" ORDER BY id" if ordered else ""))
        columns = [c[0] for c in cursor.description]
        rows = []
        for row in cursor:
            rows.append(tuple(
                np.frombuffer(value, dtype=np.float32) if column in VECTOR_COLUMNS and value is not None
                else value
                for column, value in zip(columns, row, strict=True) if column != "added_at"
            ))
        found[name] = rows if ordered else sorted(rows, key=repr)
    found["passages_fts"] = list(db.execute("SELECT rowid, * FROM passages_fts ORDER BY rowid"))
    db.close()
    return found


def assert_same_index(plain: Path, ray_built: Path) -> None:
    mine, theirs = tables(plain), tables(ray_built)
    assert mine.keys() == theirs.keys()
    for name in mine:
        assert len(mine[name]) == len(theirs[name]), name
        for a, b in zip(mine[name], theirs[name], strict=True):
            for x, y in zip(a, b, strict=True):
                if isinstance(x, np.ndarray):
                    assert x.shape == y.shape and np.allclose(x, y, atol=1e-5), name
                else:
                    assert x == y, (name, a, b)
    assert len(list(plain.glob("vectors-*.faiss"))) == len(list(ray_built.glob("vectors-*.faiss"))) == 1


@pytest.fixture(scope="module")
def plain_index(tmp_path_factory, corpus) -> tuple[Path, object]:
    directory = tmp_path_factory.mktemp("plain") / "index"
    lib = library(directory)
    report = lib.ingest([corpus])
    lib.close()
    return directory, report


def test_ray_builds_the_same_index_as_a_plain_ingest(ray_session, tmp_path, corpus, plain_index):
    plain, plain_report = plain_index
    lib = library(tmp_path / "index")
    report = ray_ingest(lib, [corpus])
    assert (report.added, report.duplicates, report.errors) == (
        plain_report.added, plain_report.duplicates, plain_report.errors)
    assert (report.passages_embedded, report.passages_reused) == (
        plain_report.passages_embedded, plain_report.passages_reused)
    assert len(lib.vectors) == lib.store.count_passages() > 128
    lib.close()
    assert_same_index(plain, tmp_path / "index")


class CrashingOnce(PassageEncoder):
    """The encoder, whose first chunk kills its worker process once (a marker file says so)."""

    def __init__(self, marker: str, **settings):
        super().__init__(**settings)
        self.marker = Path(marker)

    def __call__(self, batch):
        if not self.marker.exists():
            self.marker.write_text("crashed once")
            os._exit(1)
        return super().__call__(batch)


def test_a_worker_killed_mid_run_still_gives_the_same_index(ray_session, tmp_path, corpus, plain_index):
    marker = tmp_path / "crashed"
    lib = library(tmp_path / "index")
    report = ray_ingest(lib, [corpus], encoder=CrashingOnce, encoder_kwargs={"marker": str(marker)})
    lib.close()
    assert marker.exists(), "the actor never crashed"
    assert not report.errors
    assert_same_index(plain_index[0], tmp_path / "index")


def test_a_bad_file_is_reported_and_the_rest_indexed_then_a_rerun_skips_the_unchanged(
    ray_session, tmp_path
):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not an article")
    (folder / "story.txt").write_text("Story\n\nFirst paragraph stays.\n\nThird will change.")
    lib = library(tmp_path / "index")
    report = ray_ingest(lib, [folder])
    assert len(report.errors) == 1 and "binary.txt" in report.errors[0] and "binary" in report.errors[0]
    assert len(report.added) == 2

    (folder / "story.txt").write_text("Story\n\nFirst paragraph stays.\n\nThird has changed.")
    again = ray_ingest(lib, [folder])
    assert len(again.unchanged) == 1 and len(again.replaced) == 1 and not again.added
    assert (again.passages_embedded, again.passages_reused) == (1, 1)
    assert len(lib.vectors) == lib.store.count_passages()
    [story] = [a for a in lib.articles() if a.title == "Story"]
    assert lib.store.passages_of_article(story.article_id)[-1].passage.text == "Third has changed."
    lib.close()


def test_ray_missing_or_unreachable_is_one_line(monkeypatch):
    import builtins

    from index.errors import IndexingError
    from index.ray_ingest import _check_reachable, _import_ray

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(builtins, "__import__", no_ray)
        with pytest.raises(IndexingError, match="requirements-scale.txt"):
            _import_ray()
    with pytest.raises(IndexingError, match="cannot reach the Ray cluster at 127.0.0.1:1"):
        _check_reachable("127.0.0.1:1")
    with pytest.raises(IndexingError, match="HOST:PORT"):
        _check_reachable("nonsense")
