"""A view for tests/core/test_live_server.py: a short transaction that queues work on commit."""

import time

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

COMMITTED = []


def committed_later(request):
    with transaction.atomic():
        time.sleep(0.002)  # long enough for another request's transaction to start meanwhile
        transaction.on_commit(lambda: COMMITTED.append(request.GET["n"]))
    return HttpResponse("ok")


urlpatterns = [path("committed-later/", committed_later)]
