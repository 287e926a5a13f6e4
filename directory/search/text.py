"""How text becomes search terms, shared by both engines so that they match the same way.

Both the database engine and the Elasticsearch engine are given the same terms, computed
here, with the same weights; so the same query matches the same services and scores them the
same in either engine. Words are folded as `core.typed.fold` reads what anyone types (case,
accents, "ł" as "l", the Arabic-script letters keyboards mix up, every script's digits),
English stop words dropped and English words stemmed (grieving -> griev, counselling ->
counsel); words in other scripts (Urdu, Bengali, Arabic ...) are kept whole.

Text known to be in another of the site's languages that Snowball stems (Polish and Arabic
of the shipped ones; Welsh, Bengali and Urdu have no Snowball stemmer) is also indexed under
its words' stems by that language's rules (`language_terms`): a category's translated name,
so that "الفقد" (the bereavement) is found by "فقد" and "Formalności" by "formalnościach".
A query word that no service holds is tried under the same stems (`language_stems`,
`directory.search.spelling`).

Beyond its own words a service is found by the names of its categories' terms, of the terms
they map to and of their ancestors, in every language the site speaks, and by the synonyms
of its terms (`directory.search.synonyms`, at the lowest weight); a query term that no
service holds is read as the nearest one that some service does (`directory.search.spelling`).
"""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.conf import settings

from core.typed import fold, without_format
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

# Snowball's stemmers for languages a site may speak, by language code (English is above).
SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "es": "spanish",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}


def _case(text):
    """Case-folded with its accented letters kept whole (as a language's stemmer reads them),
    and the marks that compose with no letter (Arabic's vowel signs) and the invisible ones a
    paste leaves (`without_format`, as `fold` drops them) dropped."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    composed = unicodedata.normalize("NFC", without_format(folded))
    return "".join(ch for ch in composed if not unicodedata.combining(ch))


_threads = threading.local()


def _snowball(algorithm):
    """Snowball's stemmer for `algorithm`, one per thread: a stemmer keeps the word it is
    working on in itself, so threads sharing one would get each other's words."""
    stemmers = _threads.__dict__.setdefault("stemmers", {})
    stemmer = stemmers.get(algorithm)
    if stemmer is None:
        stemmer = stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmer


def stemmed_languages():
    """The site's languages, other than English (whose stemmer every term already has), that
    Snowball stems."""
    return [code for code, _name in settings.LANGUAGES if code in SNOWBALL]


@lru_cache(maxsize=50_000)
def _stem(word):
    if word.isascii() and word.isalpha():
        return _snowball("english").stemWord(word)
    return word


def tokenize(text):
    """The distinct search terms of a text, in order of first appearance."""
    return list(_terms(text))


# Indexing in bulk meets the same texts again and again: an organisation's name on each of
# its services, the names of the same categories, service names that many feeds share.
@lru_cache(maxsize=8192)
def _terms(text):
    found = {}
    for word in WORD_RE.findall(fold(text or "")):
        if word not in STOP_WORDS and len(word) > 1:
            found.setdefault(_stem(word)[:MAX_TERM_LENGTH])
    return tuple(found)


def _words(text):
    return WORD_RE.findall(_case(text or ""))


def query_terms(text):
    """The terms of what someone typed (as `tokenize` makes them), at most MAX_QUERY_TERMS
    of them, each with the word it was made from, case-folded with its accents kept (for
    `language_stems`): [(term, word)]."""
    seen = {}
    for word in _words(text):
        for term in _terms(word):
            seen.setdefault(term, word)
    return list(seen.items())[:MAX_QUERY_TERMS]


def language_terms(text, language):
    """The terms a text in `language` is also found by: its words' stems by the language's
    own rules (`SNOWBALL`), folded, each once; none for a language without a stemmer."""
    if language not in stemmed_languages():
        return []
    stemmer = _snowball(SNOWBALL[language])
    found = {}
    for word in _words(text):
        if word in STOP_WORDS or len(word) < 2:
            continue
        found.setdefault(fold(stemmer.stemWord(word))[:MAX_TERM_LENGTH])
    return list(found)


def language_stems(word):
    """The stems of a typed word by the rules of each of the site's languages that Snowball
    stems, folded, each once: those that are neither the word (rules for another language or
    script leave it as it is) nor its own term."""
    folded = fold(word)
    unchanged = {folded[:MAX_TERM_LENGTH], _stem(folded)[:MAX_TERM_LENGTH]}
    found = {}
    for language in stemmed_languages():
        stem = fold(_snowball(SNOWBALL[language]).stemWord(word))[:MAX_TERM_LENGTH]
        if stem not in unchanged and len(stem) >= 2:
            found.setdefault(stem)
    return list(found)


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
    of all their ancestors, in every language the site speaks, and by those names' stems in
    the languages Snowball stems (`CategoryNames`: `taxonomy`, the service's own `taxonomy`,
    or read afresh). The synonyms of every term it holds (`directory.search.synonyms`) follow
    its description's, at the same, lowest, weight."""
    if taxonomy is None:
        taxonomy = getattr(service, "taxonomy", None)
    if taxonomy is None:
        from directory.search.taxonomy import CategoryNames

        taxonomy = CategoryNames()
    ids = category_ids(service)
    categories = tokenize(" ".join(taxonomy.names(ids)))
    fields = {
        "name": tokenize(service.name),
        "alternate_name": tokenize(service.alternate_name),
        "organization": tokenize(service.organization.name if service.organization_id else ""),
        "body": tokenize(f"{service.description or ''} {service.eligibility_description or ''}"),
        "categories": list(dict.fromkeys(categories + taxonomy.stems(ids))),
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
