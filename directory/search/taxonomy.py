"""Category filters and counts, shared by both engines."""

from django.conf import settings
from django.db.models import Count, Q
from django.utils import translation

from directory.models import ServiceCategory, TaxonomyTerm, filed_under
from directory.search.idset import id_set
from directory.search.text import language_terms, stemmed_languages


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


def _kept(store, term_ids, compute):
    """`compute(term_ids)` as a new list, worked out once per set of terms in `store`."""
    key = tuple(term_ids)
    known = store.get(key)
    if known is None:
        known = store[key] = tuple(compute(key))
    return list(known)


class CategoryNames:
    """The names a service is found by through its categories: each term's, the term of another
    taxonomy it maps to, and all their ancestors', in English and in every language the site
    translates them into (the starter taxonomy's names are in the interface catalogue; other
    terms' names are as written). Read once, for a batch of services."""

    def __init__(self):
        rows = TaxonomyTerm.objects.values_list("id", "name", "parent_id", "maps_to_id")
        self.name = {}
        self.parent = {}
        self.maps_to = {}
        for pk, name, parent_id, maps_to_id in rows:
            self.name[pk] = name
            self.parent[pk] = parent_id
            if maps_to_id is not None:
                self.maps_to[pk] = maps_to_id
        self._translated = {}
        # Many services are filed under the same few terms: their closures and names are
        # worked out once (the terms are read once, so they cannot change meanwhile).
        self._closures = {}
        self._names = {}
        self._stems = {}
        self._name_stems = {}

    def closure(self, term_ids):
        """The terms, the terms of another taxonomy they map to, and all their ancestors, once
        each, in a stable order."""
        return _kept(self._closures, term_ids, self._closure)

    def _closure(self, term_ids):
        seen = set()
        for term_id in filed_under((pk, self.maps_to.get(pk)) for pk in term_ids):
            while term_id is not None and term_id not in seen:
                seen.add(term_id)
                term_id = self.parent.get(term_id)
        return sorted(seen, key=str)

    def names(self, term_ids):
        """Every name of the terms' closure, each translation once, in a stable order."""
        return _kept(self._names, term_ids, self._names_of)

    def _names_of(self, term_ids):
        found = {}
        for term_id in self.closure(term_ids):
            if term_id in self.name:
                found.update(dict.fromkeys(self.translations(self.name[term_id])))
        return list(found)

    def stems(self, term_ids):
        """The terms the names of the terms' closure are also found by in the site's languages
        that have stemmers of their own (`text.language_terms`), each once, in a stable
        order: only names translated into the language, not its fallback to the original."""
        return _kept(self._stems, term_ids, self._stems_of)

    def _stems_of(self, term_ids):
        found = {}
        for term_id in self.closure(term_ids):
            if term_id in self.name:
                found.update(dict.fromkeys(self._stems_of_name(self.name[term_id])))
        return found

    def _stems_of_name(self, name):
        known = self._name_stems.get(name)
        if known is None:
            translated = self._by_language(name)
            known = self._name_stems[name] = [
                stem
                for code in stemmed_languages()
                if translated[code] != name
                for stem in language_terms(translated[code], code)
            ]
        return known

    def translations(self, name):
        """The name and its translations into the site's languages, each once."""
        return list(dict.fromkeys([name, *self._by_language(name).values()]))

    def _by_language(self, name):
        """{language code: the name in that language (the name itself when untranslated)}."""
        known = self._translated.get(name)
        if known is None:
            known = {}
            for code, _label in settings.LANGUAGES:
                with translation.override(code):
                    known[code] = translation.gettext(name)
            self._translated[name] = known
        return known
