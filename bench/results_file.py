"""bench/RESULTS.md: each benchmark rewrites its own `## ...` section and leaves the rest."""

import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def replace_section(heading: str, section: str, results: Path = RESULTS) -> None:
    """Put `section` (starting with the `## heading` line) in place of the old one, or append it."""
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n\n"
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == f"## {heading}"), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        new = "\n".join([*lines[:start], *section.splitlines(), *([""] if end < len(lines) else []),
                         *lines[end:]])
    results.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def publish(heading: str, body: list[str], write: bool) -> None:
    """Print the `## heading` section made of `body`, and put it in RESULTS.md when `write`."""
    section = "\n".join([f"## {heading}", "", *body])
    print(section)
    if write:
        replace_section(heading, section)
        print("\nwritten to bench/RESULTS.md", file=sys.stderr)
