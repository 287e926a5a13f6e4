"""System checks run as each process starts (runserver, the workers, the scheduler): an
outside service named in the environment that does not answer is reported in one line."""

from django.conf import settings
from django.core.checks import Warning, register

from core.services import elasticsearch_problem, redis_problem


@register("services")
def services_answer(app_configs=None, **kwargs):
    problems = []
    if settings.REDIS_URL and (problem := redis_problem()):
        problems.append(
            Warning(
                problem,
                hint="Pages are served without the cache until it answers; tasks queued on "
                "Redis (TASKS_BACKEND=redis) wait.",
                id="core.W010",
            )
        )
    if (settings.ELASTICSEARCH_URL or settings.DIRECTORY_SEARCH_ENGINE == "elasticsearch") and (
        problem := elasticsearch_problem()
    ):
        problems.append(
            Warning(
                problem,
                hint="Page and directory search on Elasticsearch fail until it answers.",
                id="core.W011",
            )
        )
    return problems
