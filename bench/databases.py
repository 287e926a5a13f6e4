"""The benchmarks' own databases, dropped and created before Django connects to them."""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def reset_database(url):
    """An empty database at `url`: a SQLite file removed, or a PostgreSQL database dropped and
    created again through the server's `postgres` database."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        Path(parts.path).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
