"""Nothing secret in the logs: signed tokens in paths are replaced before a line is written.

The links that let a person withdraw a help request or manage a booking carry a signed token
in their path; anyone holding one can act on it, so it is never written to a log. Django logs
the path of every 404 and 500, and the web server's access log writes paths too
(config/gunicorn.conf.py); both go through `redact_path`.
"""

import logging
import re

# A path segment that is a signed value: it holds a colon (django.core.signing), or it is a
# long run of mixed-case letters and digits (slugs are lower case, ids are hex).
TOKEN = re.compile(r"^(?=.*:)[\w:.-]+$|^(?=.*[A-Z])(?=.*\d)[\w.-]{16,}$")
PATH = re.compile(r"/[^\s\"'?#]*")


def redact_path(path):
    """The path with every token-like segment replaced by "[token]"."""
    return "/".join("[token]" if TOKEN.match(part) else part for part in path.split("/"))


def _redact(value):
    if isinstance(value, str):
        return PATH.sub(lambda match: redact_path(match.group(0)), value)
    return value


class RedactTokens(logging.Filter):
    """A logging filter that redacts tokens in a record's message and arguments."""

    def filter(self, record):
        record.msg = _redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact(value) for key, value in record.args.items()}
        return True
