"""Django's own form and validation messages read in every shipped language, not in English."""

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory
from django.utils import translation

from tests.volunteers.factories import UserFactory

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class EveryError(forms.Form):
    required = forms.CharField()
    email = forms.EmailField()
    too_long = forms.CharField(max_length=3)
    too_short = forms.CharField(min_length=5)
    null_character = forms.CharField()
    whole_number = forms.IntegerField()
    number = forms.FloatField()
    too_small = forms.IntegerField(min_value=1)
    too_big = forms.IntegerField(max_value=10)
    step = forms.IntegerField(step_size=5)
    digits = forms.DecimalField(max_digits=3, decimal_places=2)
    decimal_places = forms.DecimalField(max_digits=5, decimal_places=1)
    whole_digits = forms.DecimalField(max_digits=4, decimal_places=3)
    date = forms.DateField()
    time = forms.TimeField()
    datetime = forms.DateTimeField()
    choice = forms.ChoiceField(choices=[("a", "A")])
    choices = forms.MultipleChoiceField(choices=[("a", "A")])
    boolean = forms.BooleanField()
    url = forms.URLField(assume_scheme="https")
    uuid = forms.UUIDField()


BAD_INPUT = {
    "required": "",
    "email": "not an address",
    "too_long": "abcdef",
    "too_short": "ab",
    "null_character": "a\x00b",
    "whole_number": "1.5",
    "number": "many",
    "too_small": "0",
    "too_big": "11",
    "step": "7",
    "digits": "12.34",
    "decimal_places": "1.23",
    "whole_digits": "12.3",
    "date": "2026-02-30",
    "time": "25:61",
    "datetime": "yesterday",
    "choice": "b",
    "choices": ["b"],
    "boolean": "",
    "url": "not a url",
    "uuid": "not a uuid",
}


def form_errors():
    form = EveryError(data=BAD_INPUT)
    assert not form.is_valid()
    errors = {name: " ".join(messages) for name, messages in form.errors.items()}
    assert set(errors) == set(BAD_INPUT), set(BAD_INPUT) - set(errors)
    return errors


def other_errors(user):
    errors = {}
    for name, password in [
        ("password_short", "x7q"),
        ("password_common", "password123"),
        ("password_numeric", "83920175"),
        ("password_similar", user.username),
    ]:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            errors[name] = " ".join(error.messages)
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    sign_in = AuthenticationForm(request, data={"username": "nobody", "password": "wrong"})
    assert not sign_in.is_valid()
    errors["sign_in"] = " ".join(sign_in.non_field_errors())
    model_field = models.CharField(max_length=1, choices=[("a", "A")])
    try:
        model_field.clean("b", None)
    except ValidationError as error:
        errors["model_choice"] = " ".join(error.messages)
    return errors


def all_errors(user):
    return {**form_errors(), **other_errors(user)}


@pytest.mark.django_db
@pytest.mark.parametrize("code", TRANSLATED)
def test_every_kind_of_built_in_error_is_translated(code):
    user = UserFactory(username="gwenllian.morgan")
    with translation.override("en"):
        english = all_errors(user)
    assert len(english) == len(BAD_INPUT) + 6
    with translation.override(code):
        translated = all_errors(user)
    untranslated = {name: text for name, text in translated.items() if text == english[name]}
    assert untranslated == {}, f"English on {code} pages: {untranslated}"
