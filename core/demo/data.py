"""Reading an app's demo content: the data file ``demo.yaml`` beside the app's modules.

Each app keeps what its demo shows (pages, places, people, their translations) in
``<app>/demo.yaml`` and creates it in its ``demo`` module; core's site shell keeps its own in
``core/demo.yaml``. Translations are listed segment by segment, as wagtail-localize extracts
them from a page: the English text under ``en`` and each translation under its language code.
"""

from importlib.resources import files

import yaml
from wagtail.rich_text import RichText


def read(package):
    """The demo content of an app (its package name, such as "directory"), as plain data."""
    return yaml.safe_load(files(package).joinpath("demo.yaml").read_text(encoding="utf-8"))


def stream(body):
    """A StreamField's value from a data file's blocks, each a mapping of its type to its value;
    paragraphs are rich text."""
    return [
        (kind, RichText(value) if kind == "paragraph" else value)
        for block in body
        for kind, value in block.items()
    ]


def by_language(segments):
    """The translations of a page's segments as ``{language: {English: translation}}``, the
    languages in the order they first appear."""
    translations = {}
    for segment in segments:
        for code, text in segment.items():
            if code != "en":
                translations.setdefault(code, {})[segment["en"]] = text
    return translations
