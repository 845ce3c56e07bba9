"""bench/copies.py --tune: the corpus re-ingested under a small grid of copy_groups' and
copy_marks' constants, patched in this process, and both halves scored for each."""

import sys
from pathlib import Path

from bench.copies_corpus import FOLDER, Made
from bench.copies_groups import group_figures
from bench.copies_ingest import ingest
from index import copy_groups, copy_marks

# copy_groups' and copy_marks' constants tried with --tune (the first row is the shipped setting)
GRID = [
    {"COPY_MIN_COSINE": c, "COPY_MIN_OVERLAP": o, "COPY_NEIGHBOURS": k, "STORY_MIN_SHARE": s,
     "COPY_MIN_SHINGLES": m, "COPY_MIN_NAME_SHARE": n}
    for c, o, k, s, m, n in [
        (0.6, 0.7, 10, 0.5, 4, 0.8),
        (0.6, 0.7, 10, 0.5, 4, 0.0),
        (0.6, 0.7, 10, 0.5, 4, 0.6),
        (0.6, 0.7, 10, 0.5, 0, 0.8),
        (0.6, 0.6, 10, 0.5, 4, 0.8),
        (0.6, 0.6, 20, 0.5, 4, 0.8),
        (0.6, 0.6, 10, 0.4, 4, 0.8),
    ]
]


def tune(corpus: Path, embedder, made: list[Made], truth: dict, sharing) -> list[str]:
    names = list(GRID[0])
    owner = {name: copy_marks if hasattr(copy_marks, name) else copy_groups for name in names}
    shipped = {name: getattr(owner[name], name) for name in names}
    lines = [
        "| " + " | ".join(GRID[0]) + " | half | paragraph P | paragraph R | paragraph P, lenient"
        " | story P | story R | story P, pages with text |",
        "|" + "---:|" * len(GRID[0]) + "---|" + "---:|" * 6,
    ]
    try:
        for setting in GRID:
            for name in names:
                setattr(owner[name], name, setting[name])
            built = ingest(corpus, FOLDER / "index_tune", embedder, detect=True)
            figures = group_figures(built.library, made, truth, sharing)["figures"]
            built.library.close()
            for half in ("tune (even)", "report (odd)"):
                rows = list(figures[half].values())
                cells = [
                    f"{rows[0]['precision']:.3f}",
                    f"{rows[0]['recall']:.3f}",
                    f"{rows[1]['precision']:.3f}",
                    f"{rows[2]['precision']:.3f}",
                    f"{rows[2]['recall']:.3f}",
                    f"{rows[3]['precision']:.3f}",
                ]
                lines.append("| " + " | ".join([*(f"{v:g}" for v in setting.values()), half, *cells]) + " |")
                print(lines[-1], file=sys.stderr)
    finally:
        for name, value in shipped.items():
            setattr(owner[name], name, value)
    return lines
