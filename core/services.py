"""The outside services the site may use (Redis, Elasticsearch): are they there, and if not,
which setting to look at. Messages name the setting and the host, never the URL itself,
which may hold a password."""

from urllib.parse import urlsplit

from django.conf import settings


def where(url):
    """The host and port of a service URL, without its scheme, user or password."""
    try:
        parts = urlsplit(url)
        return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
    except ValueError:
        return "(an unreadable address)"


def redis_problem(url=None, timeout=1.0):
    """None if Redis at REDIS_URL answers; otherwise a one-line reason naming the setting."""
    import redis

    url = url or settings.REDIS_URL
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        client.ping()
        client.close()
    except (redis.RedisError, ValueError) as error:
        return f"REDIS_URL: Redis at {where(url)} does not answer ({type(error).__name__})"
    return None


def elasticsearch_problem(url=None, timeout=2.0):
    """None if Elasticsearch at ELASTICSEARCH_URL answers; otherwise a one-line reason."""
    from elasticsearch import Elasticsearch

    url = url or settings.ELASTICSEARCH_URL
    try:
        client = Elasticsearch(url, request_timeout=timeout, max_retries=0)
        answered = client.ping()
        client.close()
    except Exception as error:
        return (
            f"ELASTICSEARCH_URL: Elasticsearch at {where(url)} does not answer "
            f"({type(error).__name__})"
        )
    if not answered:
        return f"ELASTICSEARCH_URL: Elasticsearch at {where(url)} does not answer"
    return None


def outage(error):
    """A one-line description of an error talking to a service, naming its setting."""
    import redis

    if isinstance(error, redis.RedisError):
        return f"REDIS_URL: Redis does not answer ({type(error).__name__})"
    from django.db import DatabaseError

    if isinstance(error, DatabaseError):
        return f"DATABASE_URL: the database failed ({type(error).__name__})"
    return f"{type(error).__name__}"
