"""Interface text a right-to-left language has no translation for reads left to right.

Wagtail has no Urdu catalogue, and Django's Urdu one is half done: a coordinator using the
admin in Urdu reads many of Wagtail's strings in English, inside a page laid out right to
left. The Unicode bidirectional algorithm then places an English string's neutral characters
by the page's direction, not the text's: "Search all pages…" showed as "…Search all pages",
"Configure a site now." as ".Configure a site now", and a listing's "1-6 of 6 pages" as
"of 6-1 … 6 pages".

Django falls back to the default language (English) for a message a catalogue lacks. For the
languages in `LANGUAGES_BIDI` that fallback is wrapped here, so that the English it returns
carries LEFT-TO-RIGHT MARKs: one after it, which keeps its closing punctuation with it, and
one before it when it does not start with a letter (a number, a placeholder, a quotation
mark), which keeps "1-6 of 6" in its order. The marks are invisible and change nothing else:
a string that is translated, text in a left-to-right language, and text that is not prose
(a URL, a date format) are left as they are.

Django offers no setting for the fallback: `install()` (CoreConfig.ready) wraps
`DjangoTranslation._add_fallback`, Django's step that adds it; tests/core/test_untranslated.py
fails if that step changes.
"""

import re

from django.conf import settings
from django.utils.translation import trans_real

LRM = "\u200e"
CONTEXT_SEPARATOR = trans_real.CONTEXT_SEPARATOR
# Prose: a word of two or more Latin letters outside the %-directives (%Y, %(name)s, %.1f).
_DIRECTIVE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[A-Za-z%]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_STARTS_WITH_LETTER = re.compile(r"[^\W\d_]")
_NOT_PROSE = re.compile(r"^(?:\S*://|/|#|mailto:)\S*$")  # a URL, a path, an anchor


def reads_left_to_right(text):
    """`text`, an English string shown in a right-to-left page, with the marks that keep its
    characters in their order; unchanged when it is not prose."""
    if not isinstance(text, str) or _NOT_PROSE.match(text):
        return text
    if not _LATIN_WORD.search(_DIRECTIVE.sub(" ", text)):
        return text
    if LRM in text:
        return text
    lead = "" if _STARTS_WITH_LETTER.match(text) else LRM
    return f"{lead}{text}{LRM}"


def _without_context(text):
    # pgettext asks for "context\x04message" and, when that comes back unchanged, shows the
    # bare message: the marked message is returned instead, which pgettext then shows.
    if CONTEXT_SEPARATOR in text:
        return text.split(CONTEXT_SEPARATOR, 1)[1]
    return text


class LeftToRightFallback:
    """The default language's translation, for a right-to-left language's misses."""

    def __init__(self, fallback):
        self._fallback = fallback

    def gettext(self, message):
        return reads_left_to_right(_without_context(self._fallback.gettext(message)))

    def ngettext(self, singular, plural, n):
        return reads_left_to_right(_without_context(self._fallback.ngettext(singular, plural, n)))

    def __getattr__(self, name):  # add_fallback, _catalog, plural ... as the wrapped one's
        return getattr(self._fallback, name)


def _is_right_to_left(language):
    return language.split("-")[0] in settings.LANGUAGES_BIDI


_add_fallback = trans_real.DjangoTranslation._add_fallback


def _add_left_to_right_fallback(self, localedirs=None):
    _add_fallback(self, localedirs)
    # No fallback when the right-to-left language is the default language itself.
    if self.domain == "django" and self._fallback and _is_right_to_left(self.language()):
        self._fallback = LeftToRightFallback(self._fallback)


def install():
    """Wrap the default-language fallback of right-to-left languages (CoreConfig.ready)."""
    trans_real.DjangoTranslation._add_fallback = _add_left_to_right_fallback
    # Translations made before (by another app's ready()) are made again with the fallback.
    trans_real._translations.clear()
