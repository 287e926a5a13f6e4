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


# The columns of the database engines' text index (directory.indexing), in field order,
# with their weights: each holds its field's terms, so that a term's weight is that of the
# first column holding it.
TEXT_COLUMNS = (
    ("name", NAME),
    ("alternate_name", ALTERNATE_NAME),
    ("organization", ORGANIZATION),
    ("body", BODY),
    ("categories", CATEGORY),
)


def field_terms(service):
    """{column: the terms of that field} for a service, columns as in TEXT_COLUMNS."""
    categories = " ".join(term.name for term in service.categories.all())
    return {
        "name": tokenize(service.name),
        "alternate_name": tokenize(service.alternate_name),
        "organization": tokenize(service.organization.name if service.organization_id else ""),
        "body": tokenize(f"{service.description or ''} {service.eligibility_description or ''}"),
        "categories": tokenize(categories),
    }


def weighted_terms(service, fields=None):
    """{term: weight} for a service (or its `field_terms`): each term keeps the weight of
    the best field it is in."""
    fields = field_terms(service) if fields is None else fields
    weights = {}
    for column, weight in TEXT_COLUMNS:
        for term in fields[column]:
            if weights.get(term, 0) < weight:
                weights[term] = weight
    return weights
