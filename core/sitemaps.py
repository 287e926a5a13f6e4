"""The sitemap: every language's live pages, without the aliases that repeat an original."""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from .pages import public


class PageSitemap(Sitemap):
    """Wagtail's sitemap lists the site root's own tree, which is the default language's
    alone; the other languages' trees are the root's translations. An untranslated page is an
    alias showing its original's words, named as that original's copy by its canonical link,
    so it is left out."""

    def items(self):
        root = self.get_wagtail_site().root_page
        trees = Q()
        for home in root.get_translations(inclusive=True):
            trees |= Q(path__startswith=home.path)
        return (
            public(Page.objects.filter(trees, alias_of__isnull=True).live())
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
