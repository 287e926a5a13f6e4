"""Every shipped language has a complete, compiled interface translation."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def test_at_least_five_languages_one_right_to_left():
    assert len(settings.LANGUAGES) >= 5
    rtl = [code for code, _ in settings.LANGUAGES if translation.get_language_info(code)["bidi"]]
    assert rtl, "no right-to-left language is shipped"


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_is_complete_and_compiled(code):
    po = polib.pofile(LOCALE_DIR / code / "LC_MESSAGES" / "django.po")
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.obsolete_entries() == []
    mo_path = LOCALE_DIR / code / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"compiled messages for {code} are not committed"
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in polib.mofile(mo_path)}
    source = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in po.translated_entries()}
    assert compiled == source, f"locale/{code} .mo is out of date: run 'make messages'"


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_survive_translation(code):
    po = polib.pofile(LOCALE_DIR / code / "LC_MESSAGES" / "django.po")
    for entry in po.translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if entry.msgid_plural:
            expected |= set(PLACEHOLDER.findall(entry.msgid_plural))
        for translated in translations:
            # A plural form may leave out the count (e.g. Welsh "one"), never add or rename.
            found = set(PLACEHOLDER.findall(translated))
            assert found <= expected, (code, entry.msgid, found - expected)
            if not entry.msgid_plural:
                assert found == expected, (code, entry.msgid)


@pytest.mark.parametrize("code", TRANSLATED)
def test_chrome_is_translated_at_run_time(code):
    with translation.override(code):
        for message in ("Skip to main content", "Need help now?", "Language"):
            assert translation.gettext(message) != message, (code, message)


# The letters each catalogue may use besides Latin ones (names, codes and English terms
# such as "DBS" are written in Latin letters in every language).
SCRIPTS = {"cy": set(), "pl": set(), "bn": {"BENGALI"}, "ur": {"ARABIC"}, "ar": {"ARABIC"}}


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_letter_from_a_script_foreign_to_the_language(code):
    """A Bengali letter in an Urdu word reads as nonsense; so does any stray script."""
    import unicodedata

    allowed = {"LATIN", *SCRIPTS[code]}
    po = polib.pofile(LOCALE_DIR / code / "LC_MESSAGES" / "django.po")
    foreign = []
    for entry in po.translated_entries():
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            for letter in filter(str.isalpha, text):
                script = unicodedata.name(letter, "UNKNOWN").split()[0]
                if script not in allowed:
                    foreign.append((entry.msgid[:40], letter, unicodedata.name(letter, "?")))
    assert foreign == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_entry_is_found_in_the_source(code):
    """`make messages` (makemessages --no-obsolete) keeps only what it finds in the source, so
    an entry without a source reference (a correction of Wagtail's or Django's wording added by
    hand) would be dropped by the next run: such strings are listed in core/wagtail_messages.py
    or core/django_messages.py instead."""
    po = polib.pofile(LOCALE_DIR / code / "LC_MESSAGES" / "django.po")
    unreferenced = [entry.msgid for entry in po if entry.msgid and not entry.occurrences]
    assert unreferenced == []
