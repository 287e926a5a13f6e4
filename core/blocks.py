"""StreamField blocks shared by the site's pages."""

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from .illustrations import get_illustration, illustration_choices
from .navigation import MenuItem, localized_item, localized_items

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level keeps the page outline correct."""

    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section (level 2)")), ("h3", _("Sub-section (level 3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "core/blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    """A quotation with who said it."""

    quote = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Said by"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "core/blocks/quote_block.html"


class FigureBlock(blocks.StructBlock):
    """An image with its alternative text and an optional caption."""

    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "core/blocks/figure_block.html"


class CallToActionBlock(blocks.StructBlock):
    """A short panel that sends the reader somewhere useful."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or web address"), required=False)
    link_text = blocks.CharBlock(label=_("Link text"), max_length=80)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "core/blocks/call_to_action_block.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Choose a page or enter a web address, not both."))
                }
            )
        return value


class BodyBlock(blocks.StreamBlock):
    """The body of a page: headings, text, images, quotations and calls to action."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FEATURES, icon="pilcrow"
    )
    figure = FigureBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()


class CrisisLineBlock(blocks.StructBlock):
    """A helpline shown in the crisis bar on every page."""

    name = blocks.CharBlock(label=_("Name"), max_length=80, help_text=_("For example: Samaritans"))
    number = blocks.RegexBlock(
        label=_("Telephone number"),
        regex=r"^\+?[0-9 ]{3,20}$",
        max_length=20,
        error_messages={"invalid": _("Enter a telephone number using digits and spaces.")},
        help_text=_("As people should dial it, for example: 116 123"),
    )
    free = blocks.BooleanBlock(label=_("Free to call"), required=False, default=True)
    open_24_hours = blocks.BooleanBlock(label=_("Open 24 hours"), required=False, default=True)
    hours = blocks.CharBlock(
        label=_("Opening hours"),
        required=False,
        max_length=80,
        help_text=_("Used when the line is not open 24 hours, for example: 7pm to 11pm"),
    )

    class Meta:
        icon = "mobile-alt"
        label = _("Helpline")


# Pages that are not Wagtail pages but forms a home-page link may lead to, by URL name. They
# are resolved in the reader's language when the page is shown.
SITE_LINKS = {
    "ask_for_help": ("volunteers:ask_for_help", _("Form: ask for help")),
    "volunteer_sign_up": ("volunteers:sign_up", _("Form: sign up to volunteer")),
    "site_search": ("search", _("Search this website")),
}


class HomeLinkValue(blocks.StructValue):
    """A home-page link resolved for the reader: in their language, or marked as another."""

    def item(self):
        page = self.get("page")
        if page is not None:
            return localized_item(page.specific) if page.live else None
        return self.site_link_item()

    def site_link_item(self):
        name = SITE_LINKS.get(self.get("site_link") or "")
        if name is None:
            return None
        try:
            return MenuItem(page=None, url=reverse(name[0]))
        except NoReverseMatch:
            return None

    def link(self, item=None):
        """What the template shows: url, title, text and illustration, and for a title or
        text taken from a page not translated into the reader's language, that language.
        `item` is the link's page or form already resolved (`home_links`), else found here."""
        item = item or self.item()
        if item is None:
            return None
        page = item.page
        title, text = self.get("title"), self.get("text")
        other = {"lang": item.lang, "bidi": item.bidi} if item.lang else None
        return {
            "url": item.url or page.get_url(),
            "title": title or page.title,
            "title_language": None if title else other,
            "text": text or getattr(page, "introduction", ""),
            "text_language": None if text else other,
            "illustration": get_illustration(self.get("illustration")),
        }


def home_links(values, pages=()):
    """`HomeLinkValue.link()` for many links at once, with `pages` (MenuItems for other
    pages the caller needs, in the reader's language) resolved alongside: every page read
    and localised in a fixed number of queries. Returns (a link for each value, None where
    its page is not live, and the MenuItems for `pages`)."""
    chosen = [value.get("page") for value in values]
    live = [page for page in chosen if page is not None and page.live]
    pages = list(pages)
    items = localized_items([*pages, *live], specific=True)
    extra, by_id = (
        items[: len(pages)],
        {page.pk: item for page, item in zip(live, items[len(pages) :], strict=True)},
    )
    links = []
    for value, page in zip(values, chosen, strict=True):
        item = by_id.get(page.pk) if page is not None else value.site_link_item()
        links.append(value.link(item) if item is not None else None)
    return links, extra


class HomeLinkBlock(blocks.StructBlock):
    """A link from the home page to a page or a form, with words and an illustration."""

    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    site_link = blocks.ChoiceBlock(
        label=_("Or form"),
        choices=[(key, label) for key, (_name, label) in SITE_LINKS.items()],
        required=False,
    )
    title = blocks.CharBlock(
        label=_("Title"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to use the page's title."),
    )
    text = blocks.TextBlock(
        label=_("Text"),
        required=False,
        help_text=_("One sentence. Leave empty to use the page's introduction."),
    )
    illustration = blocks.ChoiceBlock(
        label=_("Illustration"), choices=illustration_choices, required=False
    )

    class Meta:
        icon = "link"
        label = _("Link")
        value_class = HomeLinkValue

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("site_link")):
            raise blocks.StructBlockValidationError(
                block_errors={"site_link": ValidationError(_("Choose a page or a form, not both."))}
            )
        if value.get("site_link") and not value.get("title"):
            raise blocks.StructBlockValidationError(
                block_errors={"title": ValidationError(_("Give a title for the form's link."))}
            )
        return value


class HomeLinksBlock(blocks.StreamBlock):
    link = HomeLinkBlock()
