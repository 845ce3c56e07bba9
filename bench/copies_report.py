"""The `## Copies` section of bench/RESULTS.md (bench/copies.py): the tables and the errors to
read, made from what one run measured."""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from bench.copies_corpus import Made
from bench.copies_groups import change_of
from bench.copies_ingest import Built
from bench.copies_replies import Replies

TARGET_PRECISION, TARGET_RECALL, TARGET_LATENCY = 0.98, 0.95, 1.1


@dataclass
class Measured:
    """What one run measured; latencies are (detection on, detection off), in seconds."""

    seed: int
    with_tuning: bool
    made: list[Made]
    passages: int  # of the copies corpus
    seconds: float  # the whole run
    result: dict  # group_figures
    replies: dict[str, Replies]
    questions: int
    on: Built
    off: Built
    model_per_text: float
    latency: tuple[float, float]  # question vectors cached
    encoded_latency: tuple[float, float]  # each question encoded by the product's encoder
    tuning: list[str]


def groups_table(figures: dict) -> list[str]:
    lines = [
        "| articles | level | precision | recall | predicted pairs | true pairs | false merges | missed |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for half, by_level in figures.items():
        for level, row in by_level.items():
            lines.append(
                f"| {half} | {level} | {row['precision']:.3f} | {row['recall']:.3f}"
                f" | {row['predicted pairs']:,} | {row['true pairs']:,} | {row['false merges']:,}"
                f" | {row['missed']:,} |"
            )
    return lines


def short(text: str, n: int = 110) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def error_lines(result: dict, count: int = 3) -> list[str]:
    """A few errors of each kind, for reading."""
    lines = []
    by_kind = defaultdict(list)
    for a, b in result["merged"]:
        by_kind[result["merge kind"](a, b)].append((a, b))
    for kind, pairs in sorted(by_kind.items()):
        seen = set()
        for a, b in pairs:
            if (a.true, b.true) not in seen and len(seen) < count:
                seen.add((a.true, b.true))
                lines.append(f"- false merge ({kind}): «{short(a.label)}» ~ «{short(b.label)}»")
    by_change = defaultdict(list)
    for a, b in result["missed"]:
        by_change[change_of(a, b)].append((a, b))
    for change, pairs in sorted(by_change.items()):
        seen = set()
        for a, b in pairs:
            if a.true not in seen and len(seen) < count:
                seen.add(a.true)
                lines.append(f"- missed ({change}): «{short(a.label)}» ~ «{short(b.label)}»")
    shown = set()
    for a, b in result["story merged"]:
        if a.family not in result["without own"] and len(shown) < count and (a.family, b.family) not in shown:
            shown.add((a.family, b.family))
            lines.append(f"- story false merge: «{a.label}» ~ «{b.label}»")
    lines += [f"- story missed: «{a.label}» ~ «{b.label}»" for a, b in result["story missed"][:count]]
    return lines


def section_lines(measured: Measured) -> list[str]:
    made, passages, result, replies = measured.made, measured.passages, measured.result, measured.replies
    on, off, model_per_text, tuning = measured.on, measured.off, measured.model_per_text, measured.tuning
    (latency_on, latency_off), (encoded_on, encoded_off) = measured.latency, measured.encoded_latency
    originals = sum(m.copy == 0 for m in made)
    copies = len(made) - originals
    command = (
        "python bench/copies.py"
        + (" --tune" if measured.with_tuning else "")
        + (f" --seed {measured.seed}" if measured.seed != 7 else "")
    )
    lines = [
        f"`{command}`: the {originals} whole articles of the news development"
        f" split and {copies} altered copies of them (1-3 each, seeded; other outlets' URLs, later days,"
        " chrome, a changed headline, one sentence reworded, a paragraph dropped and/or one of new text"
        f" added): {len(made)} articles, {passages:,} passages; {measured.seconds:.0f} s."
        " Corpus and indexes in bench/_work/copies (not committed). Halves: originals by position parity,"
        " each with its copies.",
        "",
        "**Copy groups and stories against the known copies** (pairwise, over pairs of passages /"
        " articles of different articles; targets: precision"
        f" ≥ {TARGET_PRECISION}, recall ≥ {TARGET_RECALL})",
        "",
        *groups_table(result["figures"]),
        "",
        "The originals' own near-copies: paragraphs that two distinct CNN articles of the split share"
        " nearly word for word (containment ≥ 0.7, ≥ 4 word 3-grams); the truth keeps them apart, the"
        " lenient row counts them as copies. Pages with no text of their own: CNN video pages whose kept"
        " text is only the ad-feedback widget, the same on each (a chrome miss, not a copy miss).",
        "",
        "False paragraph merges by kind: "
        + (", ".join(f"{k} {v}" for k, v in result["merge kinds"].items()) or "none")
        + ".",
        "Paragraph recall by what was done to the copy: "
        + ", ".join(
            f"{change} {1 - result['missed by change'][change] / n:.3f} ({n:,} pairs)"
            for change, n in sorted(result["true by change"].items())
        )
        + ".",
        "",
        "**Whole-article quiz questions on the copies corpus** (k = 3; article in top 3 counts a copy of"
        " the gold article)",
        "",
        "| index | questions | answer in top 3 | article in top 3 | article first | answered"
        " | replies with a copy group shown twice | with texts that are copies"
        " | with a true copy shown twice |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in replies.items():
        s = r.hits.scores(np.ones(measured.questions, bool))
        twice = ("-", "-", "-") if name == "originals only" else (r.group_twice, r.text_twice, r.truth_twice)
        lines.append(
            f"| {name} | {s['questions']} ({s['with answer']} verbatim) | {s['answer']:.3f} | {s['top3']:.3f}"
            f" | {s['first']:.3f} | {s['answered']:.3f} | {twice[0]} | {twice[1]} | {twice[2]} |"
        )
    rate_on, rate_off = passages / on.seconds, passages / off.seconds
    lines += [
        "",
        "**Cost** (2 shared CPU cores)",
        "",
        "| measure | detection on | detection off | ratio |",
        "|---|---:|---:|---:|",
        "| ingest, passages/s (vectors from cache, faster of 2)"
        f" | {rate_on:.0f} | {rate_off:.0f} | {rate_off / rate_on:.2f}× time |",
        "| time finding copies (Library._copies), ms per passage"
        f" | {1000 * on.copies_seconds / passages:.2f}"
        f" | {1000 * off.copies_seconds / passages:.2f} | |",
        "| time writing groups (copy_groups.write), ms per passage"
        f" | {1000 * on.write_seconds / passages:.2f}"
        f" | {1000 * off.write_seconds / passages:.2f} | |",
        f"| the model alone, ms per text encoded (passages and sentences) | {1000 * model_per_text:.2f}"
        f" | {1000 * model_per_text:.2f} | |",
        f"| query latency, mean ms ({measured.questions} questions, median of 3, question vectors cached)"
        f" | {1000 * latency_on:.1f} | {1000 * latency_off:.1f} | {latency_on / latency_off:.2f}× |",
        f"| query latency, mean ms (the same, each question encoded by the product's encoder)"
        f" | {1000 * encoded_on:.1f} | {1000 * encoded_off:.1f} | {encoded_on / encoded_off:.2f}× |",
    ]
    examples = error_lines(result)
    for name, r in replies.items():
        examples += [f"- {name}, shown twice: {short(e, 300)}" for e in r.examples[:2]]
    lines += ["", "Errors to read:", "", *(examples or ["- none"])]
    if tuning:
        title = "**Constants of index/copy_groups.py and copy_marks.py, patched** (first row shipped)"
        lines += ["", title, "", *tuning]
    return lines
