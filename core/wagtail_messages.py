"""Wagtail's admin wording that the project's catalogues put differently.

Polish puts the name of what is added or made after a colon ("Dodaj: prośba o pomoc",
"Nowy wpis: usługa"), where Wagtail's own catalogue puts it straight after the verb or the
adjective ("Dodaj prośba", "Nowy: Usługa"), which needs a case or a gender no model name in
the nominative has. Bengali and Urdu get these words in their own language, where Wagtail's
catalogues have none. The project's catalogues come before Wagtail's; listing the messages
here keeps them there when `make messages` runs. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    # The add button of every list, and of every inline panel ("Add phone").
    gettext_noop("Add %(model_name)s"),
    gettext_noop("Add %(label)s"),
    gettext_noop("Create a new %(model_name)s"),
    # The heading and the browser tab's title of every add form.
    gettext_noop("New: %(model_name)s"),
    gettext_noop("New"),
]
