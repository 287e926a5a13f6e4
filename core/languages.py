"""Names of languages, in the reader's language: one place for every list and label.

Django names most languages in every interface language the site ships; the few it does not
know (Somali, Gujarati, British Sign Language) are named here.
"""

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

OWN_NAMES = {
    "gu": _("Gujarati"),
    "so": _("Somali"),
    "bsl": _("British Sign Language"),
}
# Beside the site's own languages, some widely spoken in the UK that people may ask for.
WIDELY_SPOKEN = ["pa", "gu", "so", "bsl", "hi", "ta", "lt", "ro", "pt", "es", "fr", "tr", "zh-hans"]


def language_name(code, default=""):
    """The name of the language `code` (ISO 639), lazily in the reader's language; `default`
    (a feed's own name, say), or else the code, when no name is known."""
    code = (code or "").strip().lower()
    if code in OWN_NAMES:
        return OWN_NAMES[code]
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return default or code


def language_choices(codes):
    """(code, name) pairs for a form's or a model field's choices."""
    return [(code, language_name(code)) for code in codes]


def site_language_codes():
    return [code for code, _name in settings.LANGUAGES]
