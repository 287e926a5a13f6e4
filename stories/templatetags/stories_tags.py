"""Template tags for stories and resources."""

from django import template
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag
def language_name(code):
    """A language's name in that language ('اردو', 'Polski')."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


@register.simple_tag
def translations_of(page):
    """The page's other live translations, each in its own language's name."""
    return [
        {
            "page": other,
            "code": other.locale.language_code,
            "name": language_name(other.locale.language_code),
        }
        for other in page.get_translations().live().select_related("locale")
    ]


@register.simple_tag
def topics_language():
    """Topics are tags shared by every translation, named in the site's default language."""
    from wagtail.models import Locale

    return Locale.get_default().language_code
