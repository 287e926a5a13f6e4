"""The database engine's text index: the databases' own full-text search, on the terms of
`directory.search.text` (folded and stemmed in Python, as for Elasticsearch, so that every
engine matches and scores the same).

One row per service, keyed by its search key (`Service.search_key`), kept by
`directory.indexing` (directory's migration 0001 makes the tables):
- SQLite: an FTS5 table `TEXT_TABLE` (rowid = search key) with a column per field of
  TEXT_COLUMNS, each holding its field's terms between spaces (the `ascii` tokenizer,
  with `_` a word character as in `\\w`, splits them back exactly);
- PostgreSQL: a table `TEXT_TABLE` (service_key, document tsvector) under a GIN index, each
  term once, labelled A-D by the weight of the best field it is in (setweight's labels).
  The same document is copied onto the service's rows of the place index (`SearchPoint`,
  `SearchArea`, each under a GIN index of its own), so that a search for text near a place
  tests each row in the circle by its own document: PostgreSQL ANDs the GIN index's bitmap
  with the spatial index's, and reads only the rows that pass both (`row_match_sql`).

A service matches a query when it holds every query term; its score is the sum of each
query term's best field weight: the first column holding the term (SQLite, read from the
matched row's text) or the term's label (PostgreSQL).
"""

import re

from django.db import connection

from directory.search.idset import key_set
from directory.search.text import TEXT_COLUMNS, weighted_terms

TEXT_TABLE = "directory_service_text"
LABELS = {4: "A", 3: "B", 2: "C", 1: "D"}
_LEXEME = re.compile(r"'([^']*)'(?::\d+([A-D]?))?")


def _sqlite():
    return connection.vendor == "sqlite"


def key_column():
    return "rowid" if _sqlite() else "service_key"


def columns():
    if _sqlite():
        return ("rowid", *(column for column, _w in TEXT_COLUMNS))
    return ("service_key", "document")


def row(search_key, fields, document):
    """The index row of a service, from its `text.field_terms`: on PostgreSQL its
    `document(fields)`, given (it is copied onto the place rows too); SQLite's columns are
    the fields."""
    if _sqlite():
        return (search_key, *(_spaced(fields[column]) for column, _w in TEXT_COLUMNS))
    return (search_key, document)


def document(fields):
    """PostgreSQL's tsvector of a service's `text.field_terms`, as text: each term once,
    labelled by its weight (`text.weighted_terms`); None on SQLite, which keeps the text in
    FTS5 alone."""
    if _sqlite():
        return None
    weights = weighted_terms(None, fields)
    return " ".join(f"'{term}':1{LABELS[weight]}" for term, weight in weights.items())


def _spaced(terms):
    return f" {' '.join(terms)} " if terms else ""


def match_sql(terms):
    """SQL listing the search keys of the services holding every term, and its parameters."""
    if _sqlite():
        match = " ".join(f'"{term}"' for term in terms)
        return f"SELECT rowid FROM {TEXT_TABLE} WHERE {TEXT_TABLE} MATCH %s", [match]  # noqa: S608
    query = " & ".join(f"'{term}'" for term in terms)
    return f"SELECT service_key FROM {TEXT_TABLE} WHERE document @@ %s::tsquery", [query]  # noqa: S608


def rows_hold_text():
    """Whether the place index's rows carry their service's document (PostgreSQL), so that
    text is tested row by row; otherwise (SQLite) by search key, against FTS5's list."""
    return not _sqlite()


def row_match_sql(terms):
    """SQL testing that a row of the place index (SearchPoint, SearchArea) is of a service
    holding every term, and its parameters: on PostgreSQL by the row's own copy of the
    document; on SQLite by its search key in the FTS5 table."""
    if _sqlite():
        match, params = match_sql(terms)
        return f"service_key IN ({match})", params
    return "document @@ %s::tsquery", [" & ".join(f"'{term}'" for term in terms)]


def score_sql(terms, key):
    """SQL for the score of the service whose search key is the SQL `key` (which holds
    every term), and its parameters."""
    cases, params = [], []
    for term in terms:
        if _sqlite():  # the first column by weight that holds the term
            ranked = sorted(TEXT_COLUMNS, key=lambda column: -column[1])[:-1]
            whens = [f"WHEN instr({column}, %s) > 0 THEN {weight}" for column, weight in ranked]
            params += [f" {term} "] * len(ranked)
        else:  # the term's label
            whens = [f"WHEN document @@ %s::tsquery THEN {w}" for w in (4, 3, 2)]
            params += [f"'{term}':{LABELS[w]}" for w in (4, 3, 2)]
        cases.append(f"CASE {' '.join(whens)} ELSE 1 END")
    table_key = key_column()
    sql = f"(SELECT {' + '.join(cases)} FROM {TEXT_TABLE} WHERE {table_key} = {key})"  # noqa: S608
    return sql, params


def delete(keys=None):
    """Remove the rows of these search keys (all rows when None)."""
    with connection.cursor() as cursor:
        if keys is None:
            cursor.execute(f"DELETE FROM {TEXT_TABLE}")  # noqa: S608
            return
        keys = key_set(keys)
        cursor.execute(
            f"DELETE FROM {TEXT_TABLE} WHERE {key_column()} IN ({keys.sql})",  # noqa: S608
            keys.params,
        )


def indexed_terms():
    """{search key: {term: weight}}, read back from the index (tests, benchmarks)."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns())} FROM {TEXT_TABLE}")  # noqa: S608
        for key, *values in cursor.fetchall():
            if _sqlite():
                fields = dict(zip(columns()[1:], (value.split() for value in values), strict=True))
                found[key] = weighted_terms(None, fields)
            else:
                weights = {label: weight for weight, label in LABELS.items()}
                found[key] = {
                    term: weights[label or "D"] for term, label in _LEXEME.findall(values[0])
                }
    return found


VOCABULARY_TABLE = f"{TEXT_TABLE}_vocabulary"


def held(terms):
    """Those of these terms that some service in the index holds (one indexed look-up each)."""
    found = set()
    with connection.cursor() as cursor:
        for term in dict.fromkeys(terms):
            sql, params = match_sql([term])
            cursor.execute(f"{sql} LIMIT 1", params)
            if cursor.fetchone() is not None:
                found.add(term)
    return found


def vocabulary():
    """{term: the number of services holding it} over the whole index: SQLite reads FTS5's
    own term list (through an `fts5vocab` table of the connection's temporary schema), and
    PostgreSQL counts the documents' lexemes (`ts_stat`, a read of the whole table)."""
    with connection.cursor() as cursor:
        if _sqlite():
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{VOCABULARY_TABLE} "
                f"USING fts5vocab(main, {TEXT_TABLE}, row)"
            )
            cursor.execute(f"SELECT term, doc FROM temp.{VOCABULARY_TABLE}")  # noqa: S608
        else:
            cursor.execute(f"SELECT word, ndoc FROM ts_stat('SELECT document FROM {TEXT_TABLE}')")  # noqa: S608
        return dict(cursor.fetchall())
