from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.health import HealthView
from core.robots import robots_txt
from core.sitemaps import PageSitemap
from directory import api as hsds_api

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/hsds/", hsds_api.urls),
    # With or without the slash monitors are often given: never the public site's 404.
    re_path(r"^healthz/?$", HealthView.as_view(), name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages are served under a language prefix (/en/, /cy/, /ur/ ...); Wagtail's page serving
# comes last so that it catches everything not matched above.
urlpatterns += i18n_patterns(
    path("", include("search.urls")),
    path("", include("communities.urls")),
    path("", include("volunteers.urls")),
    path("", include("insight.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
