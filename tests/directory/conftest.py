"""Directory fixtures: a small, known set of services around Lewisham and Leeds, and a
search server for the Elasticsearch engine.

The Elasticsearch engine is tested over real HTTP: against the cluster at ELASTICSEARCH_URL
when that is set, otherwise against an Elasticsearch-API emulator (the `noida-db` binary from
PyPI) that the session starts on a free local port, one per xdist worker.
"""

import datetime as dt
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from importlib.resources import files

import pytest

from directory.taxonomy import ensure_starter_taxonomy
from tests import states
from tests.directory import factories
from tests.processes import processes  # noqa: F401 - a fixture for the harvest tests
from tests.workers import xdist_worker

LEWISHAM = (51.4615, -0.0106)
DEPTFORD = (51.4787, -0.0262)  # about 2.2 km from Lewisham
CROYDON = (51.3762, -0.0982)  # about 11.5 km from Lewisham
LEEDS = (53.7965, -1.5478)


def _terms(_handle):
    from directory.models import TaxonomyTerm

    return {term.code: term for term in TaxonomyTerm.objects.all()}


@states.fixture(load=_terms)
def taxonomy():
    """The starter taxonomy's terms, by code."""
    ensure_starter_taxonomy()


def _services(ids):
    from directory.models import Service

    return states.in_bulk(Service, ids)


@states.fixture(needs=("taxonomy",), load=_services)
def corpus(taxonomy):
    """Services with known places, words, categories, languages, ages and hours (indexed
    once, at the end, as an import indexes them), by key."""
    with factories.indexed_at_the_end():
        services = _build_corpus(taxonomy)
    return {key: service.pk for key, service in services.items()}


def _build_corpus(taxonomy):
    f = factories
    services = {}
    services["counselling"] = f.ServiceFactory(
        name="Lewisham Bereavement Counselling",
        description="Counselling for adults grieving the death of someone close.",
        minimum_age=18,
        categories=[taxonomy["bereavement-counselling"]],
        at=[LEWISHAM],
    )
    f.ServiceLanguageFactory(service=services["counselling"], code="en")
    f.ServiceLanguageFactory(service=services["counselling"], code="ur")
    f.ScheduleFactory(service=services["counselling"], byday="MO,TU,WE,TH,FR")

    services["children"] = f.ServiceFactory(
        name="Deptford Children's Grief Group",
        description="A group for bereaved children and young people.",
        minimum_age=5,
        maximum_age=16,
        categories=[taxonomy["childrens-grief"]],
        at=[DEPTFORD],
    )
    f.ScheduleFactory(
        service=services["children"],
        freq="MONTHLY",
        byday="1SA",
        opens_at=dt.time(10),
        closes_at=dt.time(12),
    )

    services["carers"] = f.ServiceFactory(
        name="Croydon Carers' Café",
        description="A weekly café for carers, with someone to sit with the person you care for.",
        free=False,
        categories=[taxonomy["carers-groups"]],
        at=[CROYDON],
    )
    f.ServiceLanguageFactory(service=services["carers"], code="pl")

    services["hospice"] = f.ServiceFactory(
        name="Leeds Hospice at Home",
        description="Nurses caring for people at the end of life at home, day and night.",
        categories=[taxonomy["hospice"]],
        at=[LEEDS],
    )
    f.ScheduleFactory(
        service=services["hospice"],
        byday="MO,TU,WE,TH,FR,SA,SU",
        opens_at=dt.time(0, 0),
        closes_at=dt.time(23, 59),
    )

    services["helpline"] = f.ServiceFactory(
        name="National Grief Helpline",
        description="Telephone support for anyone who is grieving.",
        categories=[taxonomy["helplines"], taxonomy["bereavement-counselling"]],
    )
    f.ServiceAreaFactory(service=services["helpline"])
    f.PhoneFactory(service=services["helpline"], number="0808 000 0000")

    services["district"] = f.ServiceFactory(
        name="SE13 Befriending",
        description="Volunteers who visit people living alone after a bereavement.",
        categories=[taxonomy["befriending"]],
    )
    f.ServiceAreaFactory(
        service=services["district"], name="Lewisham", extent_type="districts", extent="SE13, SE6"
    )

    services["closed"] = f.ServiceFactory(
        name="Closed Grief Service",
        status="defunct",
        at=[LEWISHAM],
        categories=[taxonomy["bereavement-counselling"]],
    )
    return services


ENGINES = ["database", "elasticsearch"]
EMULATOR_START_SECONDS = 20


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (local URL)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _start_emulator(data_dir):
    """Start the emulator on a free port; (process, url), or raise RuntimeError saying why."""
    binary = files("noida_db").joinpath("noida-db")  # the binary itself, not the pip wrapper
    if not binary.is_file():
        raise RuntimeError(f"the emulator binary is missing ({binary}); pip install noida-db")
    os.chmod(binary, 0o755)  # noqa: S103 (pip may unpack it without the execute bit)
    port = _free_port()
    log = data_dir / "emulator.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                str(binary),
                "start",
                "--data-dir",
                str(data_dir / "data"),
                "--host",
                "127.0.0.1",
                "--only",
                "elasticsearch",
                "--elasticsearch-port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + EMULATOR_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if _answers(url):
            return process, url
        time.sleep(0.1)
    _stop(process)
    raise RuntimeError(
        f"the emulator did not answer at {url} within {EMULATOR_START_SECONDS}s "
        f"(exit code {process.returncode}); its output:\n{log.read_text(errors='replace')}"
    )


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def search_server(tmp_path_factory):
    """(url, index name): ELASTICSEARCH_URL's cluster, or an emulator started for this worker.

    When the emulator cannot start, the tests that need it fail under CI=true and are skipped
    with the reason elsewhere.
    """
    index = f"test_{xdist_worker() or 'main'}_services"
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if url:
        yield url, index
        return
    try:
        process, url = _start_emulator(tmp_path_factory.mktemp("es-emulator"))
    except (RuntimeError, OSError) as error:
        message = f"The Elasticsearch-API emulator (noida-db) could not start: {error}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield url, index
    finally:
        _stop(process)


@pytest.fixture
def search_settings(search_server, settings):
    """Point the Elasticsearch engine at the test server, with this worker's own index."""
    settings.ELASTICSEARCH_URL, settings.DIRECTORY_ELASTICSEARCH_INDEX = search_server
    return settings


@pytest.fixture
def es_engine(search_settings):
    """The Elasticsearch engine on the test server, with an empty index."""
    from directory.search.engines.elasticsearch import ElasticsearchEngine

    engine = ElasticsearchEngine()
    engine.reset_index()
    return engine


def engine_holding(request, services):
    """The engine `request.param` names, holding these services (engines with their own
    index are filled with exactly them)."""
    from directory.search import get_engine

    if request.param == "elasticsearch":
        request.getfixturevalue("search_settings")
    engine = get_engine(request.param)
    prepare = getattr(engine, "prepare_for_tests", None)
    if prepare is not None:
        prepare(list(services))
    return engine


@pytest.fixture(params=ENGINES)
def engine(request, corpus):
    """Each search engine, holding the corpus."""
    return engine_holding(request, corpus.values())
