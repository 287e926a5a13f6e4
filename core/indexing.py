"""Keeping the search and reference indexes up to date when many objects are saved at once.

Every save of an indexed model updates Wagtail's search index and its reference index (the
"usage" of an object) on the spot. Loading a site's worth of content saves the same pages
several times over (a draft, a revision, the published page, each translation), so inside
`deferred_indexing()` those updates wait, and each object saved is indexed once at the end,
in bulk where the search backend can; the page cache is purged once, as the block ends
(`page_cache.purged_once`).
"""

from collections import defaultdict
from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch import index
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from core import page_cache

_RECORDER = "core.indexing.record_saved"


_deferring = False  # the signal handlers are the process's: one block at a time


@contextmanager
def deferred_indexing():
    """Index each object saved inside the block once, when the block ends without an error;
    a block inside another joins it (its objects are indexed when the outer one ends). The
    page cache is purged after that indexing, once."""
    with page_cache.purged_once(), _deferred():
        yield


@contextmanager
def _deferred():
    global _deferring
    if _deferring:
        yield
        return
    saved = defaultdict(set)

    def record_saved(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[sender].add(instance.pk)

    searchable = [
        model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)
    ]
    for model in searchable:
        post_save.disconnect(post_save_signal_handler, sender=model)
    post_save.connect(record_saved, weak=False, dispatch_uid=_RECORDER)
    _deferring = True
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _deferring = False
        post_save.disconnect(dispatch_uid=_RECORDER)
        for model in searchable:
            post_save.connect(post_save_signal_handler, sender=model)
    _index(saved, searchable)


def _index(saved, searchable):
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in saved.items():
        if ReferenceIndex.is_indexed(model):
            for instance in model._default_manager.filter(pk__in=pks).iterator():
                ReferenceIndex.create_or_update_for_object(instance)
        if model in searchable:
            objects = list(model.get_indexed_objects().filter(pk__in=pks))
            for backend in backends:
                backend.add_bulk(model, objects)
