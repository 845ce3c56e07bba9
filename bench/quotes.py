"""Quotes and their speakers, measured on hand-labelled news articles (issue 13).

    python bench/quotes.py [--attribution-only] [--fresh] [--fresh2] [--quiz] [--unseen] [--polnear]
                           [--errors] [--no-write]

Needs the news development split (bench/_work/news, see bench/quality.py) and the labels in
bench/_work/quotes/: labels.json (fold A: the speaker of every paragraph holding a direct
quote in 30 whole articles, read and labelled by hand, pronouns resolved) and
labels_more.json (fold B: 20 further articles labelled the same way), and for each set its
questions (questions.json, questions_more.json: "What did X say?" for every person with two
or more quote paragraphs, one "What did X say about Y?" per person in the labeller's own
words, with the paragraphs that answer it). With --fresh, labels_fresh.json and
questions_fresh.json (20 articles labelled after the first rules were chosen) are measured
too. Folds A, B and the fresh set have all been read while writing the rules: a rule stays
only when it lowers named-and-pronoun precision or recall on none of the three and raises
one (development figures, not honest ones). With --fresh2, labels_fresh2.json and
questions_fresh2.json (14 articles labelled after those rules were chosen; the honest figure
until 2026-12-07, when their errors were read to choose the last rules, so development
figures too: the split has no other quoted article to label) are measured as well. Without
a flag nothing of its set is read. With --quiz, the quiz passages (bench/quotes_quiz.py):
every evidence passage of the news quiz holding a quotation mark, each passage an article
of its own, labelled blind; its development part (read while choosing rules) and its
held-out part (measured, never read) apart, and questions asked of all 3,728 evidence
passages. With --polnear, PolNeAR's direct quotes (bench/quotes_polnear.py): 1,004 US
political news articles of 2015-16 whose speakers PolNeAR's own annotators marked, pronouns
resolved by hand here; its train split read, dev reported, test never read; attribution
only. With --unseen, the unseen news set (bench/quotes_unseen.py): 135 whole news articles
from some sixty outlets that no session read while choosing rules, labelled blind, with their
questions; its development part apart from its held-out part. Without labels.json (the hand
labels are lost with bench/_work), --polnear and --unseen measure their sets alone and leave
RESULTS.md as it is. All stay in bench/_work: the articles' text is
not ours to commit.

On 2026-12-07 (tenth session) bench/_work was lost with the checkout. Every label file was
made again, blind, by helpers who saw neither the product's code nor its output: fold A is
the first 30 articles of the split holding a quotation mark, fold B the next 25, fresh the
next 20, fresh 2 the last 14 (with their questions); the quiz passages holding a quotation
mark in thirds, the first two the development part, the third held out (its questions were
not written again); PolNeAR's pronouns resolved again. The news articles are the ones the
rules were chosen on, the labels are new. The eleventh session's checkout came without
bench/_work too: everything was made again the same way (helpers' briefs kept in
bench/_work/labeling while it lasts), and the figures moved by at most .01, but for the
quiz development part's recall (.024). The twelfth session's checkout came without it again:
the news split's and the quiz's labels were made again the same way (PolNeAR's pronouns were
not), and the unseen set was added. The thirteenth session's came without it again: every
label file but PolNeAR's pronouns was made again, the unseen set's included, from the
labellers' files, brief and merge now committed (bench/quotes_labeling.py,
bench/quotes_labeling_brief.md): two commands and thirteen helpers.

Attribution: per paragraph, the product's speakers against the labelled ones, precision and
recall by the form the article uses (named, pronoun, role, organisation, continuation).
Questions (bench/quotes_questions.py): through the product (all the labelled articles read
indexed together with the product's ingest), beside plain dense search and the product with
speaker routing turned off, in one run; at most 3 passages shown, "share of shown theirs"
over the passages a reply shows (a person quoted in two paragraphs gets a reply of two).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import quotes_polnear as polnear_set  # noqa: E402
from bench import quotes_quiz as quiz_set  # noqa: E402
from bench import quotes_unseen as unseen_set  # noqa: E402
from bench.quotes_attribution import attribution, attribution_table, labelled_articles, print_errors  # noqa: E402
from bench.results_file import publish  # noqa: E402

WORK = Path(__file__).resolve().parent / "_work"
NEWS = WORK / "news" / "news-articles-dev.jsonl"
LABELS = WORK / "quotes" / "labels.json"  # fold A
REPORT_LABELS = WORK / "quotes" / "labels_more.json"  # fold B
QUESTIONS = WORK / "quotes" / "questions.json"
REPORT_QUESTIONS = WORK / "quotes" / "questions_more.json"
# labelled after the first rules were chosen, read while choosing the present ones (--fresh)
FRESH_LABELS = WORK / "quotes" / "labels_fresh.json"
FRESH_QUESTIONS = WORK / "quotes" / "questions_fresh.json"
# labelled after the rules of 2026-12-07 (second session) were chosen, read while choosing
# the present ones (--fresh2)
FRESH2_LABELS = WORK / "quotes" / "labels_fresh2.json"
FRESH2_QUESTIONS = WORK / "quotes" / "questions_fresh2.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attribution-only", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--errors", action="store_true",
                        help="list every wrong or missed speaker of each set measured on stderr")
    parser.add_argument("--fresh", action="store_true",
                        help="also measure the fresh set (labels_fresh.json, questions_fresh.json)")
    parser.add_argument("--fresh2", action="store_true",
                        help="also measure fresh set 2 (labels_fresh2.json, questions_fresh2.json),"
                             " labelled later than the others")
    parser.add_argument("--quiz", action="store_true",
                        help="also measure the quiz passages (bench/quotes_quiz.py)")
    parser.add_argument("--polnear", action="store_true",
                        help="also measure PolNeAR's direct quotes (bench/quotes_polnear.py)")
    parser.add_argument("--unseen", action="store_true",
                        help="also measure the unseen news set (bench/quotes_unseen.py)")
    arguments = parser.parse_args()
    if arguments.polnear and not polnear_set.DATA.exists():
        print(f"--polnear needs {polnear_set.DATA}: see bench/quotes_polnear.py", file=sys.stderr)
        return 1
    hand_labelled = NEWS.exists() and LABELS.exists()
    if not (hand_labelled or arguments.polnear or arguments.unseen):
        print(f"needs {NEWS} and {LABELS} (or --polnear or --unseen alone): see this file's docstring",
              file=sys.stderr)
        return 1
    if not hand_labelled:
        print(f"{LABELS} is missing: the news split's sets are left out, and RESULTS.md is not written",
              file=sys.stderr)
    for wanted, flag, labels, questions in (
            (arguments.fresh, "--fresh", FRESH_LABELS, FRESH_QUESTIONS),
            (arguments.fresh2, "--fresh2", FRESH2_LABELS, FRESH2_QUESTIONS),
            (arguments.quiz, "--quiz", quiz_set.HELD_LABELS, quiz_set.QUESTIONS),
            (arguments.unseen, "--unseen", unseen_set.HELD_LABELS, unseen_set.HELD_QUESTIONS)):
        if wanted and not labels.exists():
            print(f"{flag} needs {labels} (and {questions} for its questions)", file=sys.stderr)
            return 1
    started = time.perf_counter()
    fold_a = labelled_articles(LABELS, NEWS) if hand_labelled else []
    fold_b = labelled_articles(REPORT_LABELS, NEWS) if hand_labelled and REPORT_LABELS.exists() else []
    fresh = labelled_articles(FRESH_LABELS, NEWS) if arguments.fresh else []
    fresh2 = labelled_articles(FRESH2_LABELS, NEWS) if arguments.fresh2 else []
    unseen_dev = labelled_articles(unseen_set.DEV_LABELS, unseen_set.ARTICLES) if arguments.unseen else []
    unseen_held = labelled_articles(unseen_set.HELD_LABELS, unseen_set.ARTICLES) if arguments.unseen else []
    quiz_dev = labelled_articles(quiz_set.DEV_LABELS, quiz_set.passages_file()) if arguments.quiz else []
    quiz_held = labelled_articles(quiz_set.HELD_LABELS, quiz_set.passages_file()) if arguments.quiz else []
    sets = [("fold A", "labels.json", fold_a, QUESTIONS),
            ("fold B", "labels_more.json", fold_b, REPORT_QUESTIONS),
            ("fresh", "labels_fresh.json", fresh, FRESH_QUESTIONS)]
    if fresh2:
        sets.insert(0, ("fresh 2", "labels_fresh2.json", fresh2, FRESH2_QUESTIONS))
    lines = ["Attribution, per paragraph. The news articles of every set were read while choosing the"
             " rules; their labels were made again, blind, after the rules, by helpers who saw neither"
             " the product nor its output (tenth session, and again in the eleventh, twelfth and"
             " thirteenth); the unseen news set's articles were read by none of them, but for the"
             " development part's errors, read after its first measurement to choose rules (twelfth and"
             " thirteenth sessions); its held-out part's errors were never read."]
    every = fold_a + fold_b + fresh + fresh2  # all labelled articles read
    together = ("A, B and fresh" if fresh else "A and B", "together", fold_a + fold_b + fresh, None)
    quiz_parts = [
        ("quiz passages, development part (labelled blind, errors may be read)", "quiz/labels_quiz_dev.json",
         quiz_dev, None),
        ("quiz passages, held-out part (labelled blind, never read)", "quiz/labels_quiz_held.json",
         quiz_held, None)]
    unseen_parts = [
        ("unseen news, development part (labelled blind, errors may be read)",
         "unseen/labels_unseen_dev.json", unseen_dev, unseen_set.DEV_QUESTIONS),
        ("unseen news, held-out part (labelled blind, never read)", "unseen/labels_unseen_held.json",
         unseen_held, unseen_set.HELD_QUESTIONS)]
    polnear_parts = []
    splits = (("train", "errors read"), ("dev", "reported, errors not read"),
              ("test", "held out, never read"))
    for split, state in splits if arguments.polnear else ():
        articles_file, labels_file = polnear_set.files(split)
        polnear_parts.append((f"PolNeAR {split} ({state}; labelled by PolNeAR's annotators)",
                              f"polnear/{labels_file.name}",
                              labelled_articles(labels_file, articles_file), None))
    never_read = ("together", "quiz/labels_quiz_held.json", "unseen/labels_unseen_held.json",
                  "polnear/dev-labels.json", "polnear/test-labels.json")
    for name, file, part, _ in [*sets, together, *quiz_parts, *unseen_parts, *polnear_parts]:
        if part:
            result = attribution(part)
            lines += ["", f"**{name}** ({len(part)} articles, {file})", "", *attribution_table(result)]
            if arguments.errors and file not in never_read:
                print(f"## {name}", file=sys.stderr)
                print_errors(result)
    if not arguments.attribution_only:
        from bench.quotes_questions import question_figures, questions_table

        lines += ["", f"Questions, over all {len(every)} labelled articles indexed together; each set's"
                  " questions were written for its own articles:"]
        for name, _, part, questions in sets:
            if part and questions.exists():
                figures = question_figures(every, questions)
                lines += ["", *questions_table(f"{name}: its articles' questions", figures)]
        if quiz_dev and quiz_set.QUESTIONS.exists():
            figures = question_figures(quiz_dev + quiz_held, quiz_set.QUESTIONS, quiz_set.passages_file())
            lines += ["", *questions_table("quiz passages: their questions, asked of all 3,728 evidence"
                                           " passages", figures)]
        for name, _, _, questions in unseen_parts if unseen_dev else ():
            if questions.exists():
                figures = question_figures(unseen_dev + unseen_held, questions, unseen_set.ARTICLES)
                lines += ["", *questions_table(f"{name.split(' (')[0]}: its questions, asked of all"
                                               f" {len(unseen_dev) + len(unseen_held)} unseen articles",
                                               figures)]
    flags = "".join(f" --{f}" for f, on in (("fresh", fresh), ("fresh2", fresh2), ("quiz", quiz_dev),
                                             ("unseen", unseen_dev), ("polnear", polnear_parts)) if on)
    publish("Quotes", [
        f"`python bench/quotes.py{flags}`: "
        + (f"hand-labelled quotes of {len(every)} whole articles of the news development split"
           if every else "no hand-labelled articles")
        + (f" and of {len(quiz_dev) + len(quiz_held)} quiz evidence passages" if quiz_dev else "")
        + (f", {len(unseen_dev) + len(unseen_held)} unseen news articles" if unseen_dev else "")
        + (", and PolNeAR's labelled quotes of 1,004 political news articles" if polnear_parts else "")
        + " (labels in bench/_work, not committed);"
        f" {time.perf_counter() - started:.0f} s.",
        "", *lines],
        hand_labelled and not (arguments.attribution_only or arguments.no_write))
    return 0


if __name__ == "__main__":
    sys.exit(main())
