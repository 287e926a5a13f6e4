"""Category filters and counts, shared by both engines."""

from directory.models import Service, TaxonomyTerm


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
        through.objects.filter(service_id__in=service_ids).values_list(
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
