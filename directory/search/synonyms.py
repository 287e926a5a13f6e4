"""The synonym list (directory/search/data/synonyms.txt): words people search with for the
directory's kinds of help, in every language the site speaks.

Applied when a service is indexed, by both engines alike (`directory.search.text`): a service
whose terms include a word of a line is also given that line's other words, at the lowest
weight, so that they find it without ever ranking it above a service that uses the word
itself. Changing the list takes a rebuild of the index (`manage.py rebuild_directory_index`).
"""

from functools import cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.txt"
ONE_WAY = "=>"


class SynonymError(ValueError):
    """A line of the synonym list that cannot be read."""


def parse(lines, tokenize):
    """{term: the terms a service holding it is also found by}, from the list's lines.

    `tokenize` turns a word into search terms; every entry must be exactly one term."""
    found_by = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.count(ONE_WAY) > 1:
            raise SynonymError(f"line {number}: '{ONE_WAY}' more than once")
        typed, _arrow, used = line.rpartition(ONE_WAY) if ONE_WAY in line else ("", "", line)
        used_terms = _terms(used, tokenize, number)
        typed_terms = _terms(typed, tokenize, number) if typed else used_terms
        if len(set(used_terms) | set(typed_terms)) < 2:
            raise SynonymError(f"line {number}: a line needs two different words")
        for term in used_terms:
            extra = found_by.setdefault(term, set())
            extra.update(other for other in typed_terms if other != term)
    return {term: frozenset(extra) for term, extra in found_by.items() if extra}


def _terms(entries, tokenize, number):
    terms = []
    for entry in entries.split(","):
        entry_terms = tokenize(entry)
        if len(entry_terms) != 1:
            raise SynonymError(
                f"line {number}: {entry.strip()!r} must be one word, not {len(entry_terms)}"
            )
        terms.append(entry_terms[0])
    return terms


@cache
def synonyms():
    """The list as `parse` reads it, once per process."""
    from directory.search.text import tokenize

    with SYNONYMS_FILE.open(encoding="utf-8") as lines:
        return parse(lines, tokenize)


def expand(terms):
    """The terms that a service holding `terms` is also found by, that it does not hold."""
    table = synonyms()
    held = set(terms)
    extra = set()
    for term in held:
        extra.update(table.get(term, ()))
    return sorted(extra - held)
