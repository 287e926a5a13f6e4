"""Loads the site shell's demo content (core/demo.yaml): locales, home pages, standard pages and
settings."""

import json
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site
from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    Translation,
    TranslationSource,
)

from core.geo.sample import load_sample_districts
from core.localization import is_translated, publish, synchronise_locales
from core.models import HomePage, SiteSettings, StandardPage

from . import data, registry
from .registry import DemoContext

WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"
ADMIN_USERNAME = "admin"

CONTENT = data.read("core")
HOME = CONTENT["home"]
STANDARD_PAGES = CONTENT["standard_pages"]
HOME_LINKS = CONTENT["home_links"]
TRANSLATIONS = {
    slug: data.by_language(segments) for slug, segments in CONTENT["translations"].items()
}


def ensure_locales():
    """Every language in settings.LANGUAGES has a Wagtail locale, kept in step with the
    default one, so that every page is at its address in every language (see
    core.localization)."""
    return synchronise_locales()


def ensure_tree_root(locale):
    """The page tree's root node, recreated if the database was flushed since migrating."""
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def _remove_wagtail_welcome_page(root):
    for child in root.get_children():
        if child.specific_class is Page and child.title == WAGTAIL_WELCOME_TITLE:
            child.delete()


def ensure_home(locale):
    """The English home page, created under the tree root and made the default site's root."""
    home = HomePage.objects.filter(depth=2, locale=locale).first()
    created = home is None
    if created:
        root = ensure_tree_root(locale)
        _remove_wagtail_welcome_page(root)
        home = HomePage(
            title=HOME["title"],
            slug=HOME["slug"],
            locale=locale,
            introduction=HOME["introduction"],
            body=data.stream(HOME["body"]),
        )
        root.add_child(instance=home)
        publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
    return home, created


def ensure_standard_pages(home):
    """The 'about', 'accessibility' and 'privacy' pages under the home page."""
    created = []
    existing = set(home.get_children().values_list("slug", flat=True))
    for spec in STANDARD_PAGES:
        if spec["slug"] in existing:
            continue
        page = StandardPage(
            title=spec["title"],
            slug=spec["slug"],
            introduction=spec["introduction"],
            body=data.stream(spec["body"]),
            show_in_menus="footer" not in spec,
        )
        home.add_child(instance=page)
        publish(page)
        created.append(page)
    return created


def ensure_settings(site):
    site_settings = SiteSettings.for_site(site)
    changed = False
    if not site_settings.contact_email:
        site_settings.organisation_name = CONTENT["settings"]["organisation_name"]
        site_settings.contact_email = CONTENT["settings"]["contact_email"]
        changed = True
    children = {page.slug: page for page in site.root_page.get_children()}
    for spec in STANDARD_PAGES:
        field = spec.get("footer")
        page = children.get(spec["slug"])
        if field and page is not None and getattr(site_settings, f"{field}_id") is None:
            setattr(site_settings, field, page)
            changed = True
    if changed:
        site_settings.save()
    return site_settings


def translate(page, locale, strings):
    """Translate a page through wagtail-localize's translation memory and publish it.

    Strings missing from `strings` fall back to the source text, as they do for editors.
    """
    source, source_created = TranslationSource.get_or_create_from_instance(page)
    if not source_created:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    po = translation.export_po()
    for entry in po:
        if entry.msgid in strings:
            entry.msgstr = strings[entry.msgid]
    translation.import_po(po, translation_type="manual")
    _localise_site_links(source, locale)
    translation.save_target(publish=True)
    return page.get_translation(locale)


def _localise_site_links(source, locale):
    """Links to the site's own pages in the default language ("/en/ask-for-help/") lead to
    the same place in the translation's language, as an editor would set them."""
    prefix = f"/{settings.LANGUAGE_CODE}/"
    for segment in OverridableSegment.objects.filter(source=source).select_related("context"):
        value = segment.data
        if isinstance(value, str) and value.startswith(prefix):
            localised = f"/{locale.language_code}/{value[len(prefix) :]}"
            SegmentOverride.objects.update_or_create(
                locale=locale,
                context=segment.context,
                defaults={"data_json": json.dumps(localised)},
            )


def ensure_translations(locales):
    done = []
    pages = {page.slug: page for page in Page.objects.filter(locale=locales["en"]).specific()}
    for slug, by_language in TRANSLATIONS.items():
        page = pages.get(slug)
        if page is None:
            continue
        for code, strings in by_language.items():
            if is_translated(page, locales[code]):
                continue
            translate(page, locales[code], strings)
            done.append(f"{slug} ({code})")
    return done


def _home_link(spec, children):
    page = children.get(spec.get("page"))
    return (
        "link",
        {
            "page": page,
            "site_link": spec.get("site_link", ""),
            "title": spec.get("title", ""),
            "text": spec.get("text", ""),
            "illustration": spec.get("illustration", ""),
        },
    )


def ensure_home_links(home, locales):
    """The home page's search, actions and features, once the pages they lead to exist;
    its translations are brought up to date to carry them too."""
    if home.search_page_id or home.actions or home.features:
        return False
    children = {page.slug: page for page in home.get_children()}
    home.search_page = children.get(HOME_LINKS["search"])
    home.actions = [_home_link(spec, children) for spec in HOME_LINKS["actions"]]
    home.features = [_home_link(spec, children) for spec in HOME_LINKS["features"]]
    publish(home)
    for code, strings in TRANSLATIONS["home"].items():
        if home.has_translation(locales[code]):
            translate(home, locales[code], strings)
    return True


def _load_apps(log, home, locales):
    """The sample gazetteer, then each app's own demo steps (core.demo.registry), after the
    site shell they hang from."""
    districts, postcodes = load_sample_districts()
    if districts or postcodes:
        log(f"Gazetteer: {districts} sample postcode districts, {postcodes} postcodes")
    registry.run(DemoContext(log=log, home=home, locales=locales, translate=translate))


def ensure_admin():
    """A superuser for the demo; its password is kept in var/ and printed by `make run`."""
    password_file = settings.VAR_DIR / "demo-admin-password.txt"
    user_model = get_user_model()
    user = user_model.objects.filter(username=ADMIN_USERNAME).first()
    password = password_file.read_text().strip() if password_file.exists() else ""
    if user is None or not password or not user.check_password(password):
        password = secrets.token_urlsafe(12)
        if user is None:
            user = user_model.objects.create_superuser(
                ADMIN_USERNAME, "admin@compassionate-communities.example", password
            )
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
    return ADMIN_USERNAME, password


def load(log):
    """Create whatever part of the demo site is missing; running it again changes nothing.

    Each step checks what exists first, so an interrupted run is completed by the next one.
    (One transaction around the whole load is avoided: Wagtail publishes translations on
    commit, and publishing them late would overwrite the page tree's child counts.)
    """
    locales = ensure_locales()
    home, home_created = ensure_home(locales["en"])
    created = ensure_standard_pages(home)
    site = Site.objects.get(is_default_site=True)
    ensure_settings(site)
    translated = ensure_translations(locales)
    _load_apps(log, home, locales)
    ensure_home_links(home, locales)
    if home_created or created or translated:
        log(f"Site: home page and {len(created)} pages; translations: {', '.join(translated)}")
    else:
        log("Site: demo content already loaded")
    return ensure_admin()
