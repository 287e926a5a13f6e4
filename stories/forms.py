"""The public 'share your story' form and the filters of the story index and the library."""

import re

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from core.forms import TEXT_ERRORS, HoneypotMixin, OnceOnlyForm, PersonNameField, PublicForm

from .models import Audience, ResourceFormat, StorytellerRole

MAX_STORY_CHARACTERS = 20000
# Fewer words than this is too little for a moderator to publish; the hint says so.
MIN_STORY_WORDS = 20

# The start of an HTML tag ("<b>", "</p", "<script ", "<img/") or of a comment or declaration
# ("<!--", "<!DOCTYPE"). Plain text such as "I <3 her" or "less than < 2 hours" is not markup.
MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?=[\s/>])|<!")


def reject_markup(value):
    """A storyteller writes plain text: HTML tags and code are refused with a message, so what
    is published is exactly what they wrote (and what is shown is escaped in any case)."""
    if MARKUP.search(value):
        raise forms.ValidationError(
            _(
                "Please write this as plain text, without HTML tags or code "
                "(words between < and >)."
            ),
            code="markup",
        )


class ShareStoryForm(HoneypotMixin, OnceOnlyForm):
    """What a storyteller sends: the story, how to name them, a content note, and consent."""

    title = forms.CharField(
        label=_("A title for your story"),
        max_length=120,
        validators=[reject_markup],
        help_text=_("For example: The night nurse who sat with us"),
        error_messages={**TEXT_ERRORS, "required": _("Enter a title for your story")},
    )
    story = forms.CharField(
        label=_("Your story"),
        max_length=MAX_STORY_CHARACTERS,
        error_messages={**TEXT_ERRORS, "required": _("Write your story")},
        validators=[reject_markup],
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=lazy(
            lambda: (
                gettext(
                    "Write at least %(words)d words, and as much more as you like. "
                    "Leave a blank line between paragraphs."
                )
                % {"words": MIN_STORY_WORDS}
            ),
            str,
        )(),
    )
    role = forms.ChoiceField(
        label=_("Which of these describes you best?"),
        choices=StorytellerRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which of these describes you best")},
    )
    name_choice = forms.ChoiceField(
        label=_("How should we name you?"),
        choices=[
            ("anonymous", _("Publish my story anonymously")),
            ("name", _("Show the name I give below")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to publish your name or stay anonymous")},
    )
    name = PersonNameField(
        label=_("Your name as it should appear"),
        required=False,
        max_length=80,
        error_messages=TEXT_ERRORS,
        validators=[reject_markup],
        help_text=_("A first name is enough. Only used if you chose to be named."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    content_note = forms.CharField(
        label=_("Does your story mention anything readers should know about first?"),
        required=False,
        max_length=200,
        error_messages=TEXT_ERRORS,
        validators=[reject_markup],
        help_text=_(
            "For example: suicide, the death of a child, or a sudden death. "
            "We show this before your story so readers can choose when to read it."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that this story can be published on this website, after a moderator "
            "has read it. I can ask for it to be taken down at any time."
        ),
        error_messages={"required": _("We can only publish your story with your agreement.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name_choice") == "name" and not cleaned.get("name", "").strip():
            self.add_error("name", _("Enter the name to show, or choose to be anonymous."))
        return cleaned

    def clean_story(self):
        story = self.cleaned_data["story"].strip()
        words = len(story.split())
        if words < MIN_STORY_WORDS:
            raise forms.ValidationError(
                gettext("Your story is too short. Write at least %(words)d words.")
                % {"words": MIN_STORY_WORDS}
            )
        return story


class StoryFilterForm(PublicForm):
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    role = forms.ChoiceField(
        label=_("Told by"),
        required=False,
        choices=[("", _("Anyone"))] + StorytellerRole.choices,
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (tag.slug, tag.name) for tag in topics
        ]


def _language_choices():
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class ResourceFilterForm(PublicForm):
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    audience = forms.ChoiceField(
        label=_("For"), required=False, choices=[("", _("Everyone"))] + Audience.choices
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Any format"))] + ResourceFormat.choices,
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (tag.slug, tag.name) for tag in topics
        ]
        self.fields["language"].choices = [("", _("Any language"))] + _language_choices()
