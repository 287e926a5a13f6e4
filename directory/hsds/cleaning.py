"""Repairs the importer makes to values as publishers write them: HTML to plain text, and
whether a feed says a service is free (invisible characters out of addresses: `core.typed`).

Each function returns the repaired value; the importer reports what was done."""

import re
from html.parser import HTMLParser

# Elements that start a new line in a browser. Paragraph-like ones leave a blank line.
PARAGRAPHS = {"p", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr"}
LINES = {
    "address",
    "article",
    "aside",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "li",
    "main",
    "nav",
    "ol",
    "section",
    "tr",
    "ul",
}
CELLS = {"td", "th"}
HIDDEN = {"script", "style", "template", "head", "title"}
# Something that looks like a tag, a comment or an entity; "a < b" is not HTML.
LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z!/]|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")

PARAGRAPH = "\x00P"
LINE = "\x00L"  # markers the parser leaves between words; never in text it decodes


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        else:
            self._boundary(tag)

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        else:
            self._boundary(tag)

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        else:
            self._boundary(tag)

    def _boundary(self, tag):
        if tag in PARAGRAPHS:
            self.parts.append(PARAGRAPH)
        elif tag in LINES:
            self.parts.append(LINE)
        elif tag in CELLS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def looks_like_html(value):
    return bool(LOOKS_LIKE_HTML.search(value))


def html_to_text(value):
    """Plain text from HTML as a reader would see it: paragraphs separated by a blank line,
    line breaks and list items on lines of their own, table cells by a space, runs of spaces
    collapsed, entities decoded. Text without markup is returned unchanged."""
    if not looks_like_html(value):
        return value
    parser = _TextParser()
    parser.feed(value)
    parser.close()
    out = ""
    pending = 0  # the break owed before the next words: 0 none, 1 a line, 2 a paragraph
    for part in parser.parts:
        if part in (PARAGRAPH, LINE, "\n"):
            pending = max(pending, 2 if part == PARAGRAPH else 1)
            continue
        words = re.sub(r"\s+", " ", part.replace("\xa0", " "))
        if not words.strip():
            if out and not pending and not out.endswith(" "):
                out += " "
            continue
        if out and pending:
            out = out.rstrip(" ") + "\n" * pending + words.lstrip(" ")
        else:
            out += words.lstrip(" ") if not out or out.endswith(" ") else words
        pending = 0
    return "\n".join(line.strip(" ") for line in out.strip().split("\n"))


FREE_WORDS = re.compile(
    r"^\s*(free( of charge)?|no (charge|cost|fee)s?|none|nil|£?0(\.00)?)\s*[.!]?\s*$",
    re.IGNORECASE,
)


def says_free(text):
    """Whether a fees text says plainly that a service is free ("Free", "No charge")."""
    return bool(text) and bool(FREE_WORDS.match(text))


def free_from_costs(cost_options, fees_text):
    """Free only when the feed says so: a cost option of nothing (amount 0, or named "Free"
    without an amount) and none above nothing, or a fees text that says free. A feed that says
    nothing about costs is not taken to mean free."""
    amounts = [cost.amount for cost in cost_options if cost.amount is not None]
    if any(amount > 0 for amount in amounts):
        return False
    if any(amount == 0 for amount in amounts):
        return True
    if any(says_free(cost.option) for cost in cost_options if cost.amount is None):
        return True
    return says_free(fees_text)
