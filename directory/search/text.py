"""How text becomes search terms, shared by both engines so that they match the same way.

Both the database engine and the Elasticsearch engine are given the same terms, computed
here, with the same weights; so the same query matches the same services and scores them the
same in either engine. Words are case-folded, accents removed, English stop words dropped and
English words stemmed (grieving -> griev, counselling -> counsel); words in other scripts
(Urdu, Bengali, Arabic ...) are kept whole.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

MAX_QUERY_TERMS = 8
MAX_TERM_LENGTH = 40
WORD_RE = re.compile(r"\w+", re.UNICODE)
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "we",
        "were",
        "will",
        "with",
        "you",
        "your",
    ]
)

# Field weights: a word in a service's name counts four times one in its description.
NAME, ALTERNATE_NAME, CATEGORY, ORGANIZATION, BODY = 4, 3, 2, 2, 1

_stemmer = snowballstemmer.stemmer("english")


def _fold(text):
    folded = text.casefold()
    if folded.isascii():  # nothing to decompose or strip: most text, and much faster
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=50_000)
def _stem(word):
    if word.isascii() and word.isalpha():
        return _stemmer.stemWord(word)
    return word


def tokenize(text):
    """The distinct search terms of a text, in order of first appearance."""
    seen = {}
    for word in WORD_RE.findall(_fold(text or "")):
        if word in STOP_WORDS or len(word) < 2:
            continue
        term = _stem(word)[:MAX_TERM_LENGTH]
        seen.setdefault(term, None)
    return list(seen)


def query_terms(text):
    """The terms of what someone typed, at most MAX_QUERY_TERMS of them."""
    return tokenize(text)[:MAX_QUERY_TERMS]


def weighted_terms(service):
    """{term: weight} for a service: each term keeps the weight of the best field it is in."""
    fields = [
        (NAME, service.name),
        (ALTERNATE_NAME, service.alternate_name),
        (ORGANIZATION, service.organization.name if service.organization_id else ""),
        (BODY, service.description),
        (BODY, service.eligibility_description),
    ]
    fields.extend((CATEGORY, term.name) for term in service.categories.all())
    weights = {}
    for weight, text in fields:
        for term in tokenize(text):
            if weights.get(term, 0) < weight:
                weights[term] = weight
    return weights


# What `indexed_weights` gives a service whose terms are too many to sit in an index entry.
WEIGHTS_OVERFLOW = "*"
# PostgreSQL refuses a B-tree entry over 2,704 bytes; the point's other columns need some.
MAX_INDEXED_WEIGHTS_BYTES = 1_600


def encode_weights(weights):
    """A service's {term: weight} as one string, " term:weight term:weight ", kept on its
    search index rows so that a text search near a place matches and scores the rows it
    reads already. Terms are word characters only, so neither the space nor the colon can
    occur in one; weights are single digits."""
    if not weights:
        return ""
    return " " + " ".join(f"{term}:{weight}" for term, weight in weights.items()) + " "


def indexed_weights(encoded):
    """An `encode_weights` string, or WEIGHTS_OVERFLOW when it is too long for an index
    entry (a service with hundreds of distinct words); searches then read its terms from
    ServiceTerm instead."""
    if len(encoded.encode()) > MAX_INDEXED_WEIGHTS_BYTES:
        return WEIGHTS_OVERFLOW
    return encoded


def weight_needles(terms):
    """What a search looks for in an `encode_weights` string: each term between a space and
    its colon, so that a term never matches the start or end of another."""
    return [f" {term}:" for term in terms]
