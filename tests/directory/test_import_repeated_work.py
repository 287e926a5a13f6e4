"""Work an import would repeat for every service is done once: the terms of a text, a set of
categories' closure and names, a field's length limit. What callers get back is theirs to
change, and the shortcuts give what the long way gives."""

import unicodedata
import uuid

import pytest

from directory.hsds import bulk
from directory.hsds.cleaning import invisible_characters
from directory.hsds.fields import Fields, Problems
from directory.models import Service, ServiceLanguage
from directory.search.taxonomy import CategoryNames
from directory.search.text import tokenize
from tests.directory import factories


def test_the_terms_of_a_text_are_a_new_list_each_time():
    first = tokenize("Bereavement counselling for grieving families")
    first.append("changed")
    again = tokenize("Bereavement counselling for grieving families")
    assert again == ["bereav", "counsel", "griev", "famili"]
    assert again is not first


@pytest.mark.django_db
def test_a_closure_and_its_names_are_a_new_list_each_time():
    parent = factories.TaxonomyTermFactory(name="Grief support")
    child = factories.TaxonomyTermFactory(
        name="Child bereavement", taxonomy=parent.taxonomy, parent=parent
    )
    taxonomy = CategoryNames()
    closure = taxonomy.closure([child.pk])
    assert set(closure) == {child.pk, parent.pk}
    closure.clear()
    assert taxonomy.closure(iter([child.pk])) == sorted([child.pk, parent.pk], key=str)
    names = taxonomy.names([child.pk])
    assert {"Grief support", "Child bereavement"} <= set(names)
    names.clear()
    assert {"Grief support", "Child bereavement"} <= set(taxonomy.names([child.pk]))
    # Another set of terms has a closure of its own.
    assert taxonomy.closure([parent.pk]) == [parent.pk]


@pytest.mark.parametrize(
    "value",
    [
        "https://example.org/a?b=c",
        "hello world",
        "tab\there",
        "line\nbreak",
        "nul\x00",
        "delete\x7f",
        "unit\x1fseparator",
        "no-break\xa0space",
        "zero\u200bwidth",
        "",
    ],
)
def test_invisible_characters_are_found_in_plain_ascii_and_beyond(value):
    slow = []
    for char in value:
        if unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp", "Cc") or char.isspace():
            name = f"U+{ord(char):04X}"
            if name not in slow:
                slow.append(name)
    assert invisible_characters(value) == slow


def test_fields_name_what_they_do_not_read_and_read_blank_text_as_not_given():
    problems, ignored = Problems(), set()
    data = {"name": "  ", "description": "Visits", "colour": "blue", "empty": [], "none": None}
    fields = Fields(data, "", "service", problems, ignored)
    assert ignored == {"service.colour"}
    assert fields.text("name", Service) == ""
    assert fields.text("name", Service, required=True) == ""
    assert problems.errors == [("name", "is required.")]
    assert fields.text("description", Service) == "Visits"
    too_long = Fields({"code": "x" * 20}, "languages[0]", "language", problems, ignored)
    assert too_long.text("code", ServiceLanguage) == "x" * 20
    assert problems.errors[-1][0] == "languages[0].code"


@pytest.mark.django_db
def test_rows_for_the_database_read_every_column_and_convert_those_that_need_it():
    service = factories.ServiceFactory()
    columns = bulk._columns(Service)
    (row,) = bulk._rows([service], columns)
    expected = []
    for _column, attname, convert in columns:
        value = getattr(service, attname)
        expected.append(value if convert is None or value is None else convert(value))
    assert list(row) == expected
    one = [("id", "pk", None)]
    assert [list(r) for r in bulk._rows([service, service], one)] == [[service.pk]] * 2
    converted = [("id", "pk", lambda value: value.hex)]
    assert bulk._rows([service], converted) == [[service.pk.hex]]
    assert isinstance(service.pk, uuid.UUID)
