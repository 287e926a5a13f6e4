"""What search terms a service is found by beyond its own words (its categories' ancestors
and translations, the synonym list) and how a misspelt query term is read: shared by both
engines (directory.search.text, synonyms, spelling), so tested here once, on the database
the tests run on; test_judged_queries.py runs realistic searches through both engines."""

import random
import sys
import threading

import pytest

from directory import indexing
from directory.models import Service
from directory.search import SearchQuery, search, spelling
from directory.search.fulltext import indexed_terms
from directory.search.spelling import correct, nearest
from directory.search.synonyms import SynonymError, parse, synonyms
from directory.search.text import (
    BODY,
    CATEGORY,
    MAX_TERM_LENGTH,
    NAME,
    _stem,
    language_stems,
    language_terms,
    query_terms,
    tokenize,
    weighted_terms,
)
from tests.directory import factories
from tests.directory.conftest import LEWISHAM


def terms_of(service):
    return indexed_terms()[Service.objects.get(pk=service.pk).search_key]


# -- edit distance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "indexed"),
    [
        ("berev", "bereav"),  # a letter left out
        ("hospis", "hospic"),  # a letter changed
        ("anxeiti", "anxieti"),  # two letters swapped: one edit
        ("councel", "counsel"),
        ("zalobe", "zaloba"),
        ("samariton", "samaritan"),
        ("berevment", "bereavement"),  # two edits, allowed from eight letters
    ],
)
def test_a_term_within_its_edits_is_read_as_the_indexed_one(typed, indexed):
    assert nearest(typed, None, {indexed: 1, "zzzzzzz": 5}) == indexed


def test_a_term_past_its_edits_is_kept():
    assert nearest("zebra", None, {"bereav": 1}) is None  # two edits, five letters
    assert nearest("funral", None, {"funer": 1}) is None  # three edits, and no word to vary
    assert nearest("fun", None, {"fund": 1}) is None  # too short to correct


def test_only_a_word_as_long_as_a_term_is_tried_one_edit_away():
    assert "funeral" in spelling._variants("funral")
    # A word longer than any indexed term (someone pasting a block of text without spaces)
    # is not varied: its variants alone would be tens of thousands of long strings.
    assert spelling._variants("f" * (MAX_TERM_LENGTH + 1)) == set()


# -- the synonym list ---------------------------------------------------------------------------


def test_a_line_makes_its_words_interchangeable_and_an_arrow_works_one_way():
    table = parse(
        ["# comment", "", "grief, bereavement  # trailing comment", "widow, widowed => grief"],
        tokenize,
    )
    assert table["grief"] == {"bereav", "widow"}
    assert table["bereav"] == {"grief"}
    assert "widow" not in table  # a widow's service is not found by "grief"


@pytest.mark.parametrize(
    "line", ["end of life, palliative", "grief", "grief, grief", "a => b => c", "the, grief"]
)
def test_a_line_that_cannot_be_read_says_which(line):
    with pytest.raises(SynonymError, match="line 1"):
        parse([line], tokenize)


def test_the_shipped_list_reads_and_links_the_words_people_type():
    table = synonyms()
    assert {"grief", "profedigaeth", "galar", "سوگ", "غم", "zaloba"} <= table["bereav"]
    assert {"widow", "loss"} <= table["bereav"]
    assert "hosbi" in table["hospic"]  # Welsh, stemmed as every term is
    assert "carer" in table["gofalwr"]
    assert "loneli" in table["befriend"]


# -- letters keyboards mix up ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("ديكه بهال", "دیکھ بھال"),  # Urdu typed with Arabic yeh, kaf and heh
        ("كاؤنسلنگ", "کاؤنسلنگ"),
        ("جنازه", "جنازہ"),
        ("سـوگ", "سوگ"),  # a kashida stretching the word
        ("٢٤ گھنٹے", "۲۴ گھنٹے"),  # Arabic-Indic and Urdu digits
        ("24", "۲۴"),
        ("24", "২৪"),  # Bengali digits
    ],
)
def test_urdu_typed_with_arabic_letters_has_the_same_terms(typed, written):
    assert tokenize(typed) == tokenize(written)


# -- other languages' stems --------------------------------------------------------------------


def test_a_text_in_a_language_snowball_stems_is_also_found_by_its_stems():
    # "Paperwork after a death", "Bereavement support": the catalogue's Polish and Arabic.
    assert "formalnosc" in language_terms("Formalności po śmierci bliskiej osoby", "pl")
    assert {"دعم", "فقد"} <= set(language_terms("الدعم بعد الفقد", "ar"))
    assert "مقدم" in language_terms("مقدّمو الرعاية", "ar")  # a vowel sign does not split it
    assert language_terms("Cymorth profedigaeth", "cy") == []  # Snowball has no Welsh
    assert language_terms("Bereavement support", "en") == []  # every term is English-stemmed


def test_a_typed_word_is_stemmed_by_each_of_the_sites_languages_that_snowball_stems(settings):
    assert language_stems("formalnościach") == ["formalnosc"]
    assert language_stems("الفقد") == ["فقد"]
    assert language_stems("hospice") == []  # Polish rules give its English stem
    settings.LANGUAGES = [("en", "English"), ("cy", "Welsh")]
    assert language_stems("formalnościach") == []
    assert language_terms("Formalności", "pl") == []


def test_a_query_word_keeps_its_accents_for_the_stemmers_and_is_folded_for_its_term():
    assert query_terms("Formalnościach ŻAŁOBIE") == [
        ("formalnosciach", "formalnościach"),
        ("zalobi", "żałobie"),  # "ł" folds to "l": an ASCII word, English-stemmed,
    ]
    assert query_terms("مقدّمو") == [("مقدمو", "مقدمو")]
    # Pasted with a direction mark and a soft hyphen: the same word, as the index reads it.
    assert query_terms("\u200fżało\u00adbie") == [("zalobi", "żałobie")]


# -- what a service is found by -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_service_is_found_by_its_categories_ancestors_and_their_translations(taxonomy):
    hospice = factories.ServiceFactory(
        name="Hill Hospice", description="Nurses at home.", categories=[taxonomy["hospice"]]
    )
    hospice.save()  # its categories are stored, and indexed, with it
    terms = terms_of(hospice)
    # Its own term (Hospices) and its parent (End-of-life care), in English and translated.
    assert terms["hospic"] == NAME
    assert terms["end"] == terms["life"] == CATEGORY
    assert terms["hosbisau"] == terms["hospicja"] == terms["ہاسپس"] == CATEGORY  # cy, pl, ur
    assert terms["gofal"] == terms["diwedd"] == CATEGORY  # "Gofal diwedd oes"
    assert terms_of(hospice) == weighted_terms(Service.objects.get(pk=hospice.pk))


@pytest.mark.django_db
def test_synonyms_find_a_service_at_the_lowest_weight_never_above_the_word_itself(taxonomy):
    said = factories.ServiceFactory(name="Grief Walks", description="", at=[LEWISHAM])
    synonym = factories.ServiceFactory(
        name="Aardvark Group", description="For bereaved adults.", at=[LEWISHAM]
    )
    widows = factories.ServiceFactory(
        name="Widows' Lunch", description="A monthly lunch.", at=[LEWISHAM]
    )
    assert terms_of(synonym)["grief"] == terms_of(synonym)["profedigaeth"] == BODY
    assert terms_of(synonym)["widow"] == BODY
    assert terms_of(said)["bereav"] == BODY
    assert "grief" not in terms_of(widows)  # "widow => bereavement, grief" is one way
    found = search(SearchQuery(text="grief"))
    assert found.ids == [said.pk, synonym.pk]
    assert [hit.score for hit in found.hits] == [NAME, BODY]


@pytest.mark.django_db
def test_a_service_mapped_to_a_starter_term_is_found_by_its_names(taxonomy):
    other = factories.TaxonomyTermFactory(
        name="Service type 7", code="type-7", maps_to=taxonomy["palliative-care"]
    )
    mapped = factories.ServiceFactory(name="Clinic", description="", categories=[other])
    mapped.save()
    terms = terms_of(mapped)
    assert terms["palliat"] == terms["lliniarol"] == CATEGORY  # and in Welsh
    assert terms["end"] == CATEGORY  # its parent's


@pytest.mark.django_db
def test_a_service_is_found_by_its_categories_translated_names_stems(taxonomy):
    advice = factories.ServiceFactory(
        name="Paperwork Help", description="", categories=[taxonomy["after-a-death"]]
    )
    advice.save()
    terms = terms_of(advice)
    assert terms["formalnosci"] == terms["formalnosc"] == CATEGORY  # "Formalności po śmierci"
    assert terms["الوفاة"] == terms["وفا"] == CATEGORY  # "الإجراءات الرسمية بعد الوفاة"
    assert terms_of(advice) == weighted_terms(Service.objects.get(pk=advice.pk))


@pytest.mark.django_db
def test_a_name_the_catalogue_does_not_translate_is_not_stemmed_by_other_languages_rules():
    own = factories.TaxonomyTermFactory(name="Dementia cafés", code="dementia-cafes")
    cafe = factories.ServiceFactory(name="Memory Lane", description="", categories=[own])
    cafe.save()
    terms = terms_of(cafe)
    assert terms["dementia"] == CATEGORY
    assert "dement" not in terms  # Polish rules' stem of the English word


# -- spelling -----------------------------------------------------------------------------------


@pytest.fixture
def counselling(taxonomy):
    return factories.ServiceFactory(
        name="Lewisham Bereavement Counselling",
        description="Counselling after a funeral, for anxiety and grief.",
        categories=[taxonomy["bereavement-counselling"]],
        at=[LEWISHAM],
    )


def read_as(typed):
    """The terms a search for `typed` is made with when the typed ones find nothing."""
    query = SearchQuery(text=typed)
    return (query.respelled() or query).terms


@pytest.mark.django_db
def test_terms_are_respelled_only_when_the_typed_ones_find_nothing(counselling):
    typed = SearchQuery(text="berevement")
    assert typed.terms == ["berev"]  # stemmed as typed
    results = search(typed)
    assert results.total == 1 and results.query.spelled == ("bereav",)
    assert search(SearchQuery(text="bereavement")).query.spelled is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("berevement", ["bereav"]),
        ("bereevment counceling", ["bereav", "counsel"]),
        ("counse", ["counsel"]),
        ("anxeity", ["anxieti"]),
        ("funral", ["funer"]),  # its stem is far, the word one edit from "funeral"
        ("profedigaith", ["profedigaeth"]),
        ("grief zebra", ["grief", "zebra"]),  # nothing near: kept, and finds nothing
        ("grif", ["grief"]),  # four letters: one edit
        ("fnu", ["fnu"]),  # too short to guess at
    ],
)
def test_a_term_no_service_holds_is_read_as_the_nearest_that_one_does(counselling, typed, read):
    assert read_as(typed) == read


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("poradnictwem", ["poradnictw"]),  # "Poradnictwo psychologiczne w żałobie"
        ("نفسية", ["نفس"]),  # "الإرشاد النفسي بعد الفقد": the article and an ending apart
        ("psychologicznym", ["psychologiczn"]),  # past the edits allowed a misspelling
    ],
)
def test_a_word_no_service_holds_is_read_as_its_stem_in_another_language(counselling, typed, read):
    assert read_as(typed) == read
    assert search(SearchQuery(text=typed)).ids == [counselling.pk]


@pytest.mark.django_db
def test_a_held_word_is_read_as_its_stem_when_the_search_finds_nothing(taxonomy, monkeypatch):
    carers = factories.ServiceFactory(
        name="Carers' Café", description="", categories=[taxonomy["carers"]]
    )
    hospice = factories.ServiceFactory(
        name="Hill Hospice", description="", categories=[taxonomy["hospice"]]
    )
    for service in (carers, hospice):
        service.save()
    # "A carer" and "care": the carers' Arabic name is "the carers of the care" (الرعاية),
    # the hospice's holds the word as typed (رعاية), so no service holds both words.
    typed = SearchQuery(text="مقدم رعاية")
    assert search(SearchQuery(text="مقدم")).ids == [carers.pk]

    def whole_index_read():
        raise AssertionError("every word is held: the index's whole list of terms is not read")

    monkeypatch.setattr(spelling, "vocabulary", whole_index_read)
    found = search(typed)
    assert found.query.spelled == ("مقدم", "رعا")
    assert found.ids == [carers.pk]


@pytest.mark.django_db
def test_a_term_some_service_holds_is_never_changed(counselling, taxonomy):
    factories.ServiceFactory(name="Counsel Chambers", description="Law.")
    assert correct(["counsel", "council"]) == ["counsel", "council"]
    assert search(SearchQuery(text="council")).total == 0  # kept, though near "counsel"


@pytest.mark.django_db
def test_a_misspelt_search_finds_what_the_right_spelling_does(counselling):
    right = search(SearchQuery(text="bereavement counselling"))
    wrong = search(SearchQuery(text="berevement counceling"))
    assert wrong.ids == right.ids == [counselling.pk]
    assert wrong.total == right.total and wrong.hits == right.hits


@pytest.mark.django_db
def test_the_list_of_terms_is_kept_until_the_directory_changes(
    counselling, django_assert_num_queries
):
    assert read_as("wheelchiar") == ["wheelchiar"]
    kept = spelling.vocabulary()
    with django_assert_num_queries(1):  # the directory's version; the list is kept
        assert spelling.vocabulary() == kept
    factories.ServiceFactory(name="Wheelchair Loans")
    assert read_as("wheelchiar") == ["wheelchair"]
    assert "wheelchair" in spelling.vocabulary()


@pytest.mark.django_db
def test_a_rebuilt_index_corrects_the_same_way(counselling):
    indexing.rebuild(engines=[])
    assert read_as("berevement") == ["bereav"]


# -- stemming from many threads -----------------------------------------------------------------


def test_words_stemmed_in_many_threads_at_once_keep_their_own_stems():
    """A Snowball stemmer holds the word it is working on: a server's threads (WEB_THREADS,
    runserver) stemming at once must neither get each other's words nor an IndexError."""
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choices(letters, k=9)) + "ings" for _ in range(1500)]
    polish = [word + "ach" for word in words]

    def stems():
        pairs = zip(words, polish, strict=True)
        return [(_stem.__wrapped__(word), language_terms(pl, "pl")) for word, pl in pairs]

    expected = stems()
    failures = []

    def stem_all():
        try:
            failures.extend(1 for got, want in zip(stems(), expected, strict=True) if got != want)
        except Exception as error:  # noqa: BLE001 - any error is what this test looks for
            failures.append(repr(error))

    threads = [threading.Thread(target=stem_all) for _ in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
