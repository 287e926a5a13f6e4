"""How text becomes search terms, shared by both engines so that they match the same way.

Both the database engine and the Elasticsearch engine are given the same terms, computed
here, with the same weights; so the same query matches the same services and scores them the
same in either engine. Words are case-folded, accents removed, English stop words dropped and
English words stemmed (grieving -> griev, counselling -> counsel); words in other scripts
(Urdu, Bengali, Arabic ...) are kept whole.

Beyond its own words a service is found by the names of its categories' terms, of the terms
they map to and of their ancestors, in every language the site speaks, and by the synonyms
of its terms (`directory.search.synonyms`, at the lowest weight); a query term that no
service holds is read as the nearest one that some service does (`directory.search.spelling`).
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from directory.search.synonyms import expand as expand_synonyms

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
    return list(_terms(text))


# Indexing in bulk meets the same texts again and again: an organisation's name on each of
# its services, the names of the same categories, service names that many feeds share.
@lru_cache(maxsize=8192)
def _terms(text):
    return tuple(_term_words(text))


def _term_words(text):
    """{term: the first word it was made from} of a text, in order of first appearance."""
    seen = {}
    for word in WORD_RE.findall(_fold(text or "")):
        if word in STOP_WORDS or len(word) < 2:
            continue
        term = _stem(word)[:MAX_TERM_LENGTH]
        seen.setdefault(term, word)
    return seen


def query_terms(text):
    """The terms of what someone typed, at most MAX_QUERY_TERMS of them, each with the word
    it was made from: [(term, word)]."""
    return list(_term_words(text).items())[:MAX_QUERY_TERMS]


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


def field_terms(service, taxonomy=None):
    """{column: the terms of that field} for a service, columns as in TEXT_COLUMNS.

    Its categories are found by the names of each of its terms, of the terms they map to and
    of all their ancestors, in every language the site speaks (`CategoryNames`: `taxonomy`,
    the service's own `taxonomy`, or read afresh). The synonyms of every term it holds
    (`directory.search.synonyms`) follow its description's, at the same, lowest, weight."""
    if taxonomy is None:
        taxonomy = getattr(service, "taxonomy", None)
    if taxonomy is None:
        from directory.search.taxonomy import CategoryNames

        taxonomy = CategoryNames()
    categories = " ".join(taxonomy.names(category_ids(service)))
    fields = {
        "name": tokenize(service.name),
        "alternate_name": tokenize(service.alternate_name),
        "organization": tokenize(service.organization.name if service.organization_id else ""),
        "body": tokenize(f"{service.description or ''} {service.eligibility_description or ''}"),
        "categories": tokenize(categories),
    }
    held = [term for terms in fields.values() for term in terms]
    fields["body"] = fields["body"] + expand_synonyms(held)
    return fields


def category_ids(service):
    """The ids of a service's own categories: a `directory.indexing.ServiceRecord`'s, or a
    Service's (prefetched or read)."""
    ids = getattr(service, "category_ids", None)
    if ids is None:
        ids = [term.pk for term in service.categories.all()]
    return ids


def weighted_terms(service, fields=None, taxonomy=None):
    """{term: weight} for a service (or its `field_terms`): each term keeps the weight of
    the best field it is in."""
    fields = field_terms(service, taxonomy) if fields is None else fields
    weights = {}
    for column, weight in TEXT_COLUMNS:
        for term in fields[column]:
            if weights.get(term, 0) < weight:
                weights[term] = weight
    return weights
