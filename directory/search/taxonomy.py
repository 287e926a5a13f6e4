"""Category filters and counts, shared by both engines."""

from django.db.models import Count, Q

from directory.models import ServiceCategory, TaxonomyTerm
from directory.search.idset import id_set


def expand_categories(codes):
    """Term ids for the given codes and all their descendants (a parent includes children)."""
    terms = list(TaxonomyTerm.objects.values_list("id", "code", "parent_id"))
    children = {}
    for term_id, _code, parent_id in terms:
        children.setdefault(parent_id, []).append(term_id)
    wanted = [term_id for term_id, code, _parent in terms if code in set(codes)]
    found = set()
    while wanted:
        term_id = wanted.pop()
        if term_id not in found:
            found.add(term_id)
            wanted.extend(children.get(term_id, []))
    return found


def expand_category_codes(codes):
    ids = expand_categories(codes)
    return sorted(TaxonomyTerm.objects.filter(id__in=ids).values_list("code", flat=True))


def facet_codes(service_ids):
    """{term code: number of the given services filed under it or beneath it}."""
    if not service_ids:
        return {}
    return facet_codes_sql(Q(service_id__in=id_set(service_ids)))


def facet_codes_sql(rows_filter):
    """Facet counts in one grouped query over the category index (directory.indexing keeps
    each service under its terms and their ancestors, once each).

    `rows_filter` is a Q on ServiceCategory selecting the matched services' rows, for example
    Q(service_id__in=<a subquery of service ids>).
    """
    rows = (
        ServiceCategory.objects.filter(rows_filter)
        .values("term__code")
        .annotate(n=Count("service_id"))
        .values_list("term__code", "n")
    )
    return dict(rows)


def in_categories(codes):
    """A subquery of the ids of services filed under any of these terms (or beneath them)."""
    return ServiceCategory.objects.filter(term__code__in=list(codes)).values("service_id")
