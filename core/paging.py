"""Listings a page at a time, for the public pages that page their results."""

from django.core.paginator import EmptyPage, Paginator


def page_of(items, number, per_page):
    """Page `number` of `items` (the first when none is given, the last past the end)."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(number or 1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def query_without_page(request):
    """The request's query string without its page, for the pager's links to add one."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
