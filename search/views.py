"""The site search page: parse the query, search, render."""

from urllib.parse import urlencode

from django.template.response import TemplateResponse

from core.paging import page_of, query_without_page

from .forms import SiteSearchForm
from .results import search_site

SEARCH_RESULTS_PER_PAGE = 10


def search(request):
    """Search across stories, resources and pages, with matching services from the directory."""
    form = SiteSearchForm(request.GET or None)
    context = {"form": form, "searched": False}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"].strip()
        near = form.cleaned_data["near"].strip()
        found = search_site(text, near=near)
        context.update(
            searched=True,
            text=text,
            near=near,
            results=page_of(found.pages, form.cleaned_data.get("page"), SEARCH_RESULTS_PER_PAGE),
            services=found.services,
            services_total=found.services_total,
            services_error=found.services_error,
            directory_url=(
                f"{found.directory_url}?{urlencode({'q': text, 'near': near})}"
                if found.directory_url
                else ""
            ),
            base_query=query_without_page(request),
        )
    return TemplateResponse(request, "search/search.html", context)
