"""Django's own form and validation messages that its catalogues leave untranslated (or
marked fuzzy) for some of the site's languages: Welsh, Bengali, Urdu and Arabic.

The project's catalogues (locale/<code>/LC_MESSAGES/django.po) come before Django's, so a
translation there is the one visitors see. Listing the messages here keeps them in those
catalogues when `make messages` runs; nothing imports this module. Where Django's catalogue
already has a translation for a language, the project's entry repeats it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # Any form field: an email address, and the characters Django refuses in text.
    gettext_noop("Enter a valid email address."),
    gettext_noop("Null characters are not allowed."),
    # Numbers in steps, and identifiers.
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    gettext_noop("Enter a valid UUID."),
    # A model's choices (the service feedback form).
    gettext_noop("Value %(value)r is not a valid choice."),
    # Text too long or too short.
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    # Decimal numbers (the hours a volunteer logs).
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    # Signing in, and the password checks of the volunteer sign-up form.
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    gettext_noop("This account is inactive."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
]
