"""Spelling tolerance, for both engines alike: a query term that no service holds is read as
the nearest term the index does hold, within a small edit distance.

"berevement" is read as "bereavement", "hospise" as "hospice", "counceling" as
"counselling", "zaloba" as "żałoba". A term some service holds is never changed, and one
with nothing near enough is kept as typed (and so finds nothing, as before).

Terms are compared as they are indexed (folded and stemmed, `directory.search.text`), by
optimal string alignment distance (Levenshtein's, with a swap of two neighbouring letters
one edit; rapidfuzz's `OSA`): at most one edit for terms of four to seven letters, two from
eight letters, none below four. A word whose stem is not near any (a misspelt word stems
differently: "funral") is also tried one edit away as typed, each variant stemmed ("funeral").
Among equally near terms the words of the synonym list (the directory's own vocabulary)
come first, then the terms more services hold.

Before any of that, a word is read as its stem by the rules of another of the site's
languages (`text.language_stems`) when some service holds that stem, as the category names
in those languages are indexed under their stems too: "فقد" as the stem of "الفقد",
"formalnościach" as that of "Formalności", and "رعاية" (care) as the stem of "الرعاية" (the
care) even though the word itself is held. A stem no service holds is itself tried one or two
edits away, after the term as typed.

Corrections are looked for only when the terms as typed find nothing
(`directory.search.search`, `SearchQuery.respelled`). The index's list of terms is read only
when a term is missing, and kept in the cache until the directory changes (`IndexVersion`).
"""

import string

from django.core.cache import cache
from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.typed import fold
from directory.models import IndexVersion
from directory.search import fulltext
from directory.search.synonyms import synonyms
from directory.search.text import MAX_TERM_LENGTH, _stem, language_stems

SHORTEST = 4  # shorter terms are never corrected
TWO_EDITS_FROM = 8  # terms this long may be two edits away
LETTERS = string.ascii_lowercase

VOCABULARY_CACHE_SECONDS = 3600


def max_edits(term):
    if len(term) < SHORTEST:
        return 0
    return 2 if len(term) >= TWO_EDITS_FROM else 1


def vocabulary():
    """{term: services holding it}, read from the index once per version of the directory
    and kept in the cache that every process shares."""
    key = f"directory:vocabulary:{IndexVersion.current()}"
    indexed = cache.get(key)
    if indexed is None:
        indexed = fulltext.vocabulary()
        cache.set(key, indexed, VOCABULARY_CACHE_SECONDS)
    return indexed


def correct(terms, words=None):
    """The terms with each one replaced by a stem of its word by another language's rules
    (`text.language_stems`) when some service holds that stem, and each other one no service
    holds by its nearest indexed term, if one is near enough. `words` are the words the terms
    were made from, in the same order (for their stems, and for trying a misspelt word's
    variants as typed)."""
    terms = list(terms)
    if not terms:
        return terms
    words = list(words) if words is not None else [None] * len(terms)
    stems = [language_stems(word) if word else [] for word in words]
    correctable = [term for term in terms if max_edits(term)]
    all_stems = [stem for its_stems in stems for stem in its_stems]
    asked = correctable + all_stems
    held = fulltext.held(asked) if asked else set()
    missing = set(correctable) - held
    if not missing and not held.intersection(all_stems):
        return terms
    indexed = vocabulary() if missing else {}
    corrected = []
    for term, word, its_stems in zip(terms, words, stems, strict=True):
        held_stems = [stem for stem in its_stems if stem in held]
        if held_stems:
            term = held_stems[0]
        elif term in missing and term not in indexed:
            near = [nearest(term, word, indexed)] + [nearest(s, None, indexed) for s in its_stems]
            term = next(filter(None, near), term)
        corrected.append(term)
    return list(dict.fromkeys(corrected))


def nearest(term, word, indexed):
    """The indexed term nearest to `term` (or to one-edit variants of the `word` it was made
    from), or None when none is near enough."""
    limit = max_edits(term)
    if not limit:
        return None
    # Neither of the first two letters right: too far to guess.
    candidates = [c for c in indexed if c[:1] == term[:1] or c[1:2] == term[1:2]]
    near = process.extract(term, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None)
    found = {candidate: edits for candidate, edits, _index in near}  # candidate -> edits
    word = fold(word) if word else word
    if word and word.isascii() and word.isalpha():
        for variant in _variants(word):
            stem = _stem(variant)
            if stem in indexed and found.get(stem, 2) > 1:
                found[stem] = 1
    if not found:
        return None
    own = synonyms()
    return min(found, key=lambda t: (found[t], t not in own, -indexed[t], t))


def _variants(word):
    """Every word one edit (a letter dropped, swapped with the next, changed or added) away;
    none for a word longer than any indexed term (its variants would be 54 per letter)."""
    if len(word) > MAX_TERM_LENGTH:
        return set()
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    dropped = [a + b[1:] for a, b in splits if b]
    swapped = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    changed = [a + c + b[1:] for a, b in splits if b for c in LETTERS]
    added = [a + c + b for a, b in splits for c in LETTERS]
    return set(dropped + swapped + changed + added) - {word}
