"""Public forms render from templates compiled once per process, not once per form: the
site's field template and Django's widget templates are parsed the first time and then
reused, as every other template is."""

from unittest import mock

from django.template.base import Template

from directory.forms import SearchForm
from volunteers.forms import HelpRequestForm


def _compiled_while(render):
    """The names of the templates parsed while `render()` runs."""
    original, parsed = Template.compile_nodelist, []

    def counting(template):
        parsed.append(template.name)
        return original(template)

    with mock.patch.object(Template, "compile_nodelist", counting):
        render()
    return parsed


def test_a_public_form_compiles_its_templates_once(db):
    str(SearchForm({"q": "grief"}))  # the first form parses the templates
    assert _compiled_while(lambda: str(SearchForm({"q": "loss", "near": "SE13"}))) == []


def test_every_public_form_shares_one_renderer(db):
    assert SearchForm().renderer is SearchForm().renderer
    assert HelpRequestForm().renderer is SearchForm().renderer


def test_the_kept_list_of_service_languages_holds_plain_text(db, settings):
    """The site keeps the search form's language choices in the cache per reader's language:
    they are stored as text, not as lazy translations (a lazy string is rebuilt, class and
    all, every time the cache hands it back)."""
    from django.core.cache import cache
    from django.utils import translation

    from core.page_cache import site_key
    from tests.directory.factories import ServiceLanguageFactory

    settings.SITE_CACHE_SECONDS = 3600
    ServiceLanguageFactory(code="cy")
    ServiceLanguageFactory(code="so")
    with translation.override("cy"):
        SearchForm()
        kept = cache.get(site_key("service-languages"))
    assert kept == [("cy", "Cymraeg"), ("so", "Somalieg")]
    assert {type(name) for _code, name in kept} == {str}
