"""StreamField blocks shared by the site's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

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
                    "url": blocks.BlockValidationError(
                        _("Choose a page or enter a web address, not both.")
                    )
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
