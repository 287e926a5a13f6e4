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
