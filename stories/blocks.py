"""StreamField blocks for stories and resources, built on the site's shared blocks."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from core.blocks import RICH_TEXT_FEATURES, CallToActionBlock, FigureBlock, HeadingBlock, QuoteBlock


class StoryBodyBlock(blocks.StreamBlock):
    """A story: the storyteller's words, with quotations and pictures."""

    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link"], icon="pilcrow"
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    figure = FigureBlock()


class DocumentLinkBlock(blocks.StructBlock):
    """A document to download in the middle of a guide, with its size and type shown."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to use the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "stories/blocks/document_link_block.html"


class ResourceBodyBlock(blocks.StreamBlock):
    """A guide: headings, text, pictures, quotations, downloads and calls to action."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FEATURES, icon="pilcrow"
    )
    figure = FigureBlock()
    quote = QuoteBlock()
    download = DocumentLinkBlock()
    call_to_action = CallToActionBlock()
