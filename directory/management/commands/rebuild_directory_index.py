"""Rebuild the directory's search index: the database's full-text and place indexes, and
Elasticsearch."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from directory import indexing
from directory.models import Service
from directory.search.engines.elasticsearch import ElasticsearchEngine, SearchServerUnavailable


class Command(BaseCommand):
    help = "Recompute every service's search terms and flags, and refill the Elasticsearch index."

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine",
            choices=["database", "elasticsearch", "all"],
            default="all",
            help="database: the database indexes only; elasticsearch: also refill Elasticsearch; "
            "all (the default): the database indexes, plus Elasticsearch when ELASTICSEARCH_URL "
            "is set.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, engine, no_progress, **options):
        engines = []
        if engine == "elasticsearch" or (engine == "all" and settings.ELASTICSEARCH_URL):
            if not settings.ELASTICSEARCH_URL:
                raise CommandError("Set ELASTICSEARCH_URL to rebuild the Elasticsearch index.")
            engines.append(ElasticsearchEngine())
        started = time.monotonic()
        self.stderr.ending = ""  # tqdm draws its own line endings
        bar = tqdm(
            total=Service.objects.count(),
            unit="service",
            desc="Indexing",
            file=self.stderr,
            disable=no_progress,
        )
        try:
            with bar:
                count = indexing.rebuild(progress=bar.update, engines=engines)
        except SearchServerUnavailable as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        where = ", ".join(["database terms"] + [f"{e.name} index {e.index!r}" for e in engines])
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} services into {where} in {elapsed:.1f}s.")
        )
