"""Category filters and counts, shared by both engines."""

from django.db.models import Count

from directory.models import Service, TaxonomyTerm
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
    """{term code: number of the given services in that term}, in one grouped query.

    A service counts towards a parent term once, whichever of its children it is in.
    """
    if not service_ids:
        return {}
    through = Service.categories.through
    direct = list(
        through.objects.filter(service_id__in=id_set(service_ids)).values_list(
            "service_id", "taxonomyterm_id"
        )
    )
    parents = dict(TaxonomyTerm.objects.values_list("id", "parent_id"))
    codes = dict(TaxonomyTerm.objects.values_list("id", "code"))
    members = {}
    for service_id, term_id in direct:
        seen = set()
        while term_id is not None and term_id not in seen:
            seen.add(term_id)
            members.setdefault(term_id, set()).add(service_id)
            term_id = parents.get(term_id)
    return {codes[term_id]: len(ids) for term_id, ids in members.items()}


def facet_codes_sql(services):
    """The same counts as facet_codes, for a queryset of services of any size, in SQL.

    One grouped query counts services per term they are filed under directly; each term with
    children gets one more query counting distinct services anywhere beneath it, so a service
    filed under two children of a term counts once for the term.
    """
    through = Service.categories.through
    rows = through.objects.filter(service_id__in=services.values("pk"))
    terms = list(TaxonomyTerm.objects.values_list("id", "code", "parent_id"))
    codes = {term_id: code for term_id, code, _parent in terms}
    counts = {
        codes[row["taxonomyterm_id"]]: row["n"]
        for row in rows.values("taxonomyterm_id").annotate(n=Count("service_id"))
    }
    parents = {parent for _id, _code, parent in terms if parent is not None}
    for parent_id in parents:
        beneath = expand_categories([codes[parent_id]])
        n = rows.filter(taxonomyterm_id__in=beneath).values("service_id").distinct().count()
        if n:
            counts[codes[parent_id]] = n
    return counts
