"""deferred_indexing: content saved in bulk is searchable and its usage known afterwards."""

import pytest
from wagtail.models import Page, ReferenceIndex

from core.indexing import deferred_indexing
from core.models import StandardPage
from tests.core.factories import StandardPageFactory
from tests.directory.factories import LocationFactory

pytestmark = pytest.mark.django_db


def found(words):
    return list(StandardPage.objects.live().search(words))


def test_pages_saved_inside_are_indexed_once_at_the_end(home):
    with deferred_indexing():
        page = StandardPageFactory(parent=home, title="Lantern walk", introduction="Marigolds")
        page.save_revision().publish()
        page.introduction = "Sunflowers by the river"
        page.save_revision().publish()
        # Nothing reaches the index while the block runs.
        assert found("Sunflowers") == []
    page.refresh_from_db()
    # Afterwards: the last state saved, once.
    assert found("Sunflowers") == [page]
    assert found("Marigolds") == []


def test_references_are_recorded_at_the_end():
    with deferred_indexing():
        location = LocationFactory()
        assert not ReferenceIndex.get_references_to(location.organization).exists()
    assert (
        ReferenceIndex.get_references_to(location.organization)
        .filter(object_id=str(location.pk))
        .exists()
    )


def test_saves_after_the_block_are_indexed_as_usual(home):
    with deferred_indexing():
        pass
    page = StandardPageFactory(parent=home, title="Quiet room", introduction="Evening candles")
    assert found("candles") == [page]


def test_an_error_inside_leaves_the_signals_as_they_were(home):
    with pytest.raises(RuntimeError), deferred_indexing():
        raise RuntimeError("stop")
    page = StandardPageFactory(parent=home, title="Memory tree", introduction="Paper leaves")
    assert found("leaves") == [page]
    assert Page.objects.filter(pk=page.pk).exists()


def test_a_block_inside_another_waits_for_the_outer_one(home):
    with deferred_indexing():
        with deferred_indexing():
            page = StandardPageFactory(parent=home, title="Lantern walk", introduction="Marigolds")
        # The inner block's end indexes nothing; saves after it are still deferred.
        page.introduction = "Sunflowers by the river"
        page.save_revision().publish()
        assert found("Marigolds") == [] and found("Sunflowers") == []
    page.refresh_from_db()
    assert found("Sunflowers") == [page]
    assert found("Marigolds") == []
