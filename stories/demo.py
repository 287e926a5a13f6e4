"""Demo stories and guides for `manage.py load_demo`, with translations and PDF downloads, from
stories/demo.yaml."""

import re
import textwrap

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection, Locale, Site

from core.demo.data import by_language, read, stream
from core.demo.registry import register
from core.localization import is_translated, publish
from core.models import HomePage

from .models import (
    ResourceFormat,
    ResourceFormatLink,
    ResourceLibraryPage,
    ResourcePage,
    StoryIndexPage,
    StoryPage,
)
from .moderation import ensure_moderation

CONTENT = read("stories")
DEMO_NOTE = CONTENT["note"]
STORY_INDEX = CONTENT["story_index"]
LIBRARY = CONTENT["library"]
STORIES = CONTENT["stories"]
RESOURCES = CONTENT["resources"]
TRANSLATIONS = {slug: by_language(segments) for slug, segments in CONTENT["translations"].items()}


def _plain(body):
    lines = []
    blocks = [item for block in body for item in block.items()]
    for kind, value in blocks:
        if kind == "paragraph":
            lines.append(re.sub(r"<[^>]+>", "", value))
        elif kind == "heading":
            lines.append(value["text"].upper())
        elif kind == "quote":
            lines.append(f'"{value["quote"]}"')
    return lines


def text_pdf(title, paragraphs, font_size=12):
    """A one-page PDF with real (selectable, searchable) text in Helvetica; ASCII only."""
    width = 95 if font_size <= 12 else 60
    leading = font_size * 1.5
    lines = [(title, font_size + 6)]
    for paragraph in paragraphs:
        lines.append(("", font_size))
        lines.extend((line, font_size) for line in textwrap.wrap(paragraph, width * 12 // 16))
    commands = ["BT", f"{leading:.1f} TL", "56 780 Td"]
    for line, size in lines:
        safe = line.encode("ascii", "replace").decode().replace("\\", "\\\\")
        safe = safe.replace("(", "\\(").replace(")", "\\)")
        commands.append(f"/F1 {size} Tf ({safe}) Tj T*")
    commands.append("ET")
    stream = "\n".join(commands).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def ensure_root_collection():
    """The collections tree's root, recreated if the database was flushed since migrating."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def _document(spec, format_code):
    label = dict(ResourceFormat.choices)[format_code]
    title = f"{spec['title']} ({label})"
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    paragraphs = [spec["summary"], *_plain(spec["body"])]
    if format_code == ResourceFormat.EASY_READ:
        paragraphs = [sentence for p in paragraphs for sentence in re.split(r"(?<=\.) ", p)]
    size = 18 if format_code == ResourceFormat.LARGE_PRINT else 12
    content = text_pdf(spec["title"], paragraphs, font_size=size)
    document = Document(title=title, collection=ensure_root_collection())
    document.file.save(f"{spec['slug']}-{format_code}.pdf", ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    return document


def _add(parent, page):
    parent.add_child(instance=page)
    publish(page)
    return page


def ensure_story_index(home):
    index = StoryIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = _add(
            home,
            StoryIndexPage(
                title=STORY_INDEX["title"],
                slug=STORY_INDEX["slug"],
                introduction=STORY_INDEX["introduction"],
                share_introduction=STORY_INDEX["share_introduction"],
                show_in_menus=True,
            ),
        )
    return index


def ensure_stories(index):
    existing = set(index.get_children().values_list("slug", flat=True))
    created = 0
    for spec in STORIES:
        if spec["slug"] in existing:
            continue
        story = StoryPage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            storyteller_name=spec["name"],
            role=spec["role"],
            content_note=spec["content_note"],
            body=stream(spec["body"]),
            featured=spec["featured"],
            consent_to_publish=True,
            consent_recorded_at=timezone.now(),
            consent_how=DEMO_NOTE,
            anonymised=not spec["name"],
            editorial_notes=DEMO_NOTE,
        )
        for topic in spec["topics"]:
            story.tags.add(topic)
        _add(index, story)
        created += 1
    return created


def ensure_library(home):
    library = ResourceLibraryPage.objects.filter(locale=home.locale).first()
    if library is None:
        library = _add(
            home,
            ResourceLibraryPage(
                title=LIBRARY["title"],
                slug=LIBRARY["slug"],
                introduction=LIBRARY["introduction"],
                show_in_menus=True,
            ),
        )
    return library


def ensure_resources(library):
    existing = set(library.get_children().values_list("slug", flat=True))
    created = 0
    for spec in RESOURCES:
        if spec["slug"] in existing:
            continue
        resource = ResourcePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            audience=spec["audience"],
            body=stream(spec["body"]),
        )
        for topic in spec["topics"]:
            resource.tags.add(topic)
        resource.formats = [
            ResourceFormatLink(
                format=entry["format"],
                language=entry["language"],
                document=_document(spec, entry["format"]),
            )
            for entry in spec["formats"]
        ]
        _add(library, resource)
        created += 1
    return created


def ensure_translations(pages, translate, locales):
    done = []
    for slug, languages in TRANSLATIONS.items():
        page = pages.get(slug)
        if page is None:
            continue
        for code, strings in languages.items():
            if not is_translated(page, locales[code]):
                translate(page, locales[code], strings)
                done.append(f"{slug} ({code})")
    return done


def load(log, translate):
    """Create whatever part of the stories and the library is missing; `translate` publishes
    a page's translation (core.demo.site.translate)."""
    site = Site.objects.get(is_default_site=True)
    home = HomePage.objects.get(pk=site.root_page_id)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    index = ensure_story_index(home)
    ensure_moderation(index)
    stories = ensure_stories(index)
    library = ensure_library(home)
    resources = ensure_resources(library)
    pages = {index.slug: index, library.slug: library}
    pages.update({page.slug: page for page in StoryPage.objects.child_of(index)})
    pages.update({page.slug: page for page in ResourcePage.objects.child_of(library)})
    translated = ensure_translations(pages, translate, locales)
    if stories or resources or translated:
        log(
            f"Stories: {stories} stories, {resources} resources; "
            f"translations: {', '.join(translated) or 'none new'}"
        )
    else:
        log("Stories: demo stories and resources already loaded")


@register(order=30)
def demo_stories(context):
    """Stories, the resource library and their translations."""
    load(context.log, context.translate)
