"""Page search that finds what was typed, whatever keyboard typed it.

Wagtail's search backends match a word as it is stored. SQLite's full-text index removes the
accents of Latin letters but not a stroke ("zaloba" misses "żałoba"); PostgreSQL's text search
configurations remove no accents at all; neither knows that Urdu typed on an Arabic keyboard,
as many phones offer, writes ي and ك for Urdu's ی and ک. So each page that is searched also
holds, in one more search field, the folded forms (`core.typed.fold`) of those of its words
that folding changes (`FoldedSearchMixin`), and a query is matched word by word as typed or
as folded (`folded_query`). Pages in English, whose words folding leaves alone, hold nothing
more.
"""

import re
import unicodedata

from django.db.models import Manager
from django.utils.encoding import force_str
from wagtail.search import index
from wagtail.search.query import And, Or, PlainText

from core.typed import fold

FOLDED_FIELD = "folded_search_text"
_WORDLIKE = re.compile(r"[^\W_]")


def _chunks(text):
    return unicodedata.normalize("NFC", text).split()


def folded_words(text):
    """The folded forms of the words (as spaces part them) of `text` that folding changes
    beyond their case, each once, in order."""
    found = {}
    for chunk in _chunks(text):
        folded = fold(chunk)
        if folded != chunk.casefold():
            found.setdefault(folded)
    return list(found)


def _values(obj, fields):
    for field in fields:
        if isinstance(field, index.SearchField) and field.field_name != FOLDED_FIELD:
            yield from _flat(field.get_value(obj))
        elif isinstance(field, index.RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            if callable(related) and not isinstance(related, Manager):
                related = related()
            for item in related.all() if isinstance(related, Manager) else [related]:
                yield from _values(item, field.fields)


def _flat(value):
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flat(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flat(item)
    else:
        yield force_str(value)


class FoldedSearchMixin:
    """For a page model: its searched text (every `SearchField` of its `search_fields`, those
    of related objects included) is also indexed folded, where folding changes it."""

    @classmethod
    def get_search_fields(cls):
        return [*super().get_search_fields(), index.SearchField(FOLDED_FIELD)]

    def folded_search_text(self):
        return " ".join(folded_words(" ".join(_values(self, self.search_fields))))


def folded_query(text):
    """What to give Wagtail's `search()` for `text` typed into a search box: the text itself
    when folding changes none of its words; otherwise every word, each as typed or as folded
    (Wagtail matches all of a query's words). A stray mark that is no word ("-", "*") is left
    out, as the backends leave it out of a query given whole."""
    words = [(word, fold(word)) for word in _chunks(text) if _WORDLIKE.search(word)]
    if all(folded == word.casefold() for word, folded in words):
        return text
    parts = [
        PlainText(word) if folded == word.casefold() else Or([PlainText(word), PlainText(folded)])
        for word, folded in words
    ]
    return parts[0] if len(parts) == 1 else And(parts)
