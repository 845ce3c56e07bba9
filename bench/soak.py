"""The soak suite's long runs, one table: what was tried and what survived.

    python bench/soak.py [--kills 20] [--articles 500] [--fuzz] [--no-write]

- storage (bench/soak_storage.py): kill -9 at random moments of `bot.py index`, of an
  admin /ingest inside the bot, and of `bot.py feeds poll`, each followed by the index
  checker (index/integrity.py), a question and the same ingest run again; a full disk;
- the bot (bench/soak_bot.py): 200 concurrent questions, memory over 10,000, two processes
  on one index, gateway and REST faults through the Discord stand-in;
- with --fuzz, the hostile-input tests under hypothesis's `soak` profile (many more
  examples than CI's; tests/test_hostile_input.py).

The short form of each runs in the test suite (tests/test_durability.py,
tests/test_bot_soak.py, tests/test_hostile_input.py, tests/test_security.py).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import soak_bot, soak_storage  # noqa: E402
from bench.results_file import publish  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def fuzz_row() -> dict:
    """The hostile-input tests with hypothesis's soak profile, as one row."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_hostile_input.py"],
        cwd=ROOT, env=dict(os.environ, HYPOTHESIS_PROFILE="soak"), capture_output=True, text=True)
    summary = (done.stdout.strip().splitlines() or ["no output"])[-1]
    passed = done.returncode == 0
    return {"mode": "hostile input, fuzzed (hypothesis soak profile)", "tried": 1, "survived": int(passed),
            "notes": f"{summary} ({time.monotonic() - started:.0f} s)"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20, help="kills per storage mode")
    parser.add_argument("--articles", type=int, default=500, help="articles `bot.py index` is killed in")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fuzz", action="store_true", help="also run the fuzz tests' soak profile")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    arguments = parser.parse_args(argv)
    started = time.monotonic()
    rows = soak_storage.run(kills=arguments.kills, articles=arguments.articles, seed=arguments.seed)
    rows += soak_bot.run()
    if arguments.fuzz:
        rows.append(fuzz_row())
    given = (("kills", arguments.kills, 20), ("articles", arguments.articles, 500),
             ("seed", arguments.seed, 7))
    command = "python bench/soak.py" + "".join(
        f" --{name} {value}" for name, value, default in given if value != default)
    command += " --fuzz" if arguments.fuzz else ""
    body = [
        f"`{command}` (one run, {(time.monotonic() - started) / 60:.0f} min on 2 shared cores). "
        "Survived: for a kill, the index opened without repair, every article committed before it "
        "was whole (index/integrity.py: passages, vectors, keyword rows, quotes, dates), a question "
        "was answered and the same ingest then completed; for the bot, every question answered "
        "exactly once and no crash.",
        "",
        "| mode | tried | survived | notes |",
        "|---|---:|---:|---|",
        *(f"| {r['mode']} | {r['tried']} | {r['survived']} | {r['notes']} |" for r in rows),
    ]
    publish("Soak", body, write=not arguments.no_write)
    return 0 if all(r["survived"] == r["tried"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
