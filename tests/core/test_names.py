"""Names on the public forms: refused when nothing in them can be seen, bidi controls removed."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from communities.forms import BookingForm
from core.forms import PersonNameField
from stories.forms import ShareStoryForm
from volunteers.forms import HelpRequestForm, VolunteerSignUpForm

MESSAGE = "This name has no letters that can be seen. Please type the name again."
INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200d\u200c\u2060",  # zero-width joiners and word joiner
    "\u202e\u202d",  # bidi overrides only
    "\u2066\u2069",  # bidi isolates only
    "\u3164\u3164",  # Hangul fillers
    "\u2800",  # blank braille pattern
    "\u00ad\u034f",  # soft hyphen, combining grapheme joiner
    "\u3000\u00a0",  # ideographic and no-break spaces
    "\x07\x1b",  # control characters
]
FORMS = [
    (HelpRequestForm, "name", {}),
    (VolunteerSignUpForm, "display_name", {}),
    (BookingForm, "name", {}),
    (ShareStoryForm, "name", {"name_choice": "name"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "field", "extra"), FORMS)
@pytest.mark.parametrize("name", INVISIBLE)
def test_every_public_form_refuses_a_name_nobody_can_see(form_class, field, extra, name):
    form = form_class(data={field: name, **extra})
    assert not form.is_valid()
    errors = " ".join(form.errors[field])
    # A name that is empty once bidi controls and spaces are gone counts as not given.
    not_given = [
        "Enter the name of the person who needs help",
        "Enter your name",
        "Enter the name to show, or choose to be anonymous.",
    ]
    assert MESSAGE in errors or any(message in errors for message in not_given), errors


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "field", "extra"), FORMS)
def test_a_real_name_in_any_script_is_accepted(form_class, field, extra):
    for name in ["Siân", "Zoë O’Brien", "নাসরিন", "عائشة", "ایمان", "Łucja", "李华", "\u0928\u093f"]:
        form = form_class(data={field: name, **extra})
        form.is_valid()
        assert field not in form.errors, (name, form.errors.get(field))


def test_bidi_controls_are_removed_from_the_stored_name():
    field = PersonNameField(max_length=120)
    assert field.clean("\u202eGwen\u202c \u2067Jones\u2069") == "Gwen Jones"
    assert field.clean("  \u202aAli\u202c  ") == "Ali"
    # Marks that only set direction inside a name (as Arabic or Urdu names may carry) stay.
    assert field.clean("\u200fعلي") == "\u200fعلي"


@pytest.mark.parametrize("code", ["cy", "pl", "bn", "ur", "ar"])
def test_the_message_is_translated(code):
    with pytest.raises(ValidationError) as refused:
        PersonNameField().clean("\u200b")
    with translation.override(code):
        messages = refused.value.messages
    assert messages and MESSAGE not in messages
