"""A set of ids sent to the database as one parameter, for `field__in=id_set(ids)` (UUIDs)
or `field__in=key_set(keys)` (integers).

Thousands of ids as separate parameters cost Django more time to prepare than the query
takes to run, and SQLite caps a query at 32,766 parameters. One JSON array (SQLite) or one
uuid[] (PostgreSQL) avoids both.
"""

import json

from django.db import connection
from django.db.models.expressions import RawSQL


def id_set(ids):
    ids = list(ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::uuid[])", [[str(i) for i in ids]])
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps([i.hex for i in ids])])
    return ids


def key_set(keys):
    keys = [int(key) for key in keys]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [keys])
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(keys)])
    return keys
