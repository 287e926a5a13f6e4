"""bench/RESULTS.md holds one section per benchmark; each run rewrites only its own section.

A section sits between `<!-- begin NAME -->` and `<!-- end NAME -->` lines, so the directory
search, import and matching benchmarks can be run separately without losing each other's
figures. Sections keep the order in which they were first written.
"""

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
TITLE = (
    "# Benchmark results\n\n"
    "Each section is written by the benchmark it names; see bench/README.md.\n"
)


def _markers(name):
    if not re.fullmatch(r"[a-z0-9_-]+", name):
        raise ValueError(f"section names are lower-case words, not {name!r}")
    return f"<!-- begin {name} -->", f"<!-- end {name} -->"


def write_section(name, markdown, path=RESULTS):
    """Replace (or append) section `name` of the results file with `markdown`."""
    begin, end = _markers(name)
    block = f"{begin}\n{markdown.strip()}\n{end}\n"
    text = path.read_text() if path.exists() else TITLE
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)


def read_section(name, path=RESULTS):
    """The markdown of section `name`, or None if the file has no such section."""
    begin, end = _markers(name)
    if not path.exists():
        return None
    match = re.search(re.escape(begin) + r"\n(.*?)\n" + re.escape(end), path.read_text(), re.DOTALL)
    return match.group(1) if match else None
