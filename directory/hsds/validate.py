"""Checking HSDS 3.0 service records against the official JSON Schemas vendored in `schemas/`.

Each record a feed gives in the HSDS 3.0 shape is validated on its own. Lenient in: breaking the
schema does not skip a usable service.

- A value of the wrong structure where a list or an object belongs (a `phones` that is a
  string, say) is left out, with a warning naming the record and the field.
- Any other violation (a number given as text, a missing required field, a value outside the
  schema's list) is reported as a warning naming the record and the field, and the field is
  then repaired or dropped by the mapping (`directory.hsds.fields`). Where the mapping reports
  on the same field itself (an error, or a warning saying what it did), the schema's warning
  is left out, so each field is named once.
- A null or empty value is read as not given, as HSDS feeds commonly send them. Formats
  (uuid, email, uri, date) are left to the mapping, which checks each value it keeps.

Speed: `jsonschema` takes some milliseconds a record, minutes for a feed of 100,000. So each
record is first checked by `jsonschema_rs` (compiled, a few microseconds a record), and only a
record it does not find valid is validated again by `jsonschema`, which names every violation
with its path and gives the messages the report shows. Both are given the same schema, with its
`$ref`s resolved within one document and without the descriptive keys (`bundled`). The quick
check only ever lets a record through that `jsonschema` finds valid too: where the two could
differ (a value JSON has no type for, a dictionary key that is not text, a number that is not
finite), `jsonschema_rs` says invalid or refuses the value, and `jsonschema` then decides.
"""

import json
import textwrap
from functools import cache
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SCHEMA_NAME = "HSDS 3.0"
# Kinds of violation that say nothing when the value is null or empty (not given).
ABOUT_VALUES = {"type", "format", "enum", "minLength", "pattern"}
# The keys of the schemas that validate; the others (title, description, example, ...) describe.
VALIDATING = {"type", "properties", "items", "required", "enum"}


@cache
def _schema_files(folder):
    return {path.name: json.loads(path.read_text()) for path in (SCHEMAS / folder).glob("*.json")}


def _validating(node, ref):
    """A schema node with the validating keys only, each `$ref` to a file given by `ref`."""
    if "$ref" in node:
        return ref(node["$ref"])
    out = {}
    for key, value in node.items():
        if key not in VALIDATING:
            continue
        if key == "properties":
            out[key] = {prop: _validating(sub, ref) for prop, sub in value.items()}
        elif key == "items":
            out[key] = _validating(value, ref)
        else:
            out[key] = value
    return out


def bundled(name, folder="hsds-3.0"):
    """The schema `name` with every `$ref` to another file of the folder inlined, keeping the
    validating keys only: one document, whose references need no look-up."""
    files = _schema_files(folder)

    def inline(ref):
        return _validating(files[ref], inline)

    return inline(name)


@cache
def service_validator(folder="hsds-3.0"):
    """A compiled `jsonschema` validator for one whole service record. The bundled schema is
    checked against JSON Schema's own by the tests, not on each import (a second's work)."""
    return Draft202012Validator(bundled("service.json", folder))


@cache
def quick_validator(folder="hsds-3.0"):
    """The same schema as `service_validator`'s, compiled by `jsonschema_rs`: a yes or no."""
    return jsonschema_rs.Draft202012Validator(bundled("service.json", folder))


def field_path(parts):
    """`service_at_locations[0].location.name` from the parts of a JSON path."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _about(path, other):
    """Whether two field paths name the same field, or one lies inside the other."""
    return (
        path == other
        or other.startswith((path + ".", path + "["))
        or (path.startswith((other + ".", other + "[")))
    )


class SchemaCheck:
    """Validates service records one at a time; see the module's docstring."""

    def __init__(self, report):
        self.report = report
        self.validator = service_validator()
        self.quick = quick_validator()

    def _valid(self, record):
        """Whether the record meets the schema, by the quick validator."""
        try:
            return self.quick.is_valid(record)
        except (ValueError, TypeError, OverflowError):
            return False  # a value outside JSON's types: jsonschema says what is wrong

    def check(self, record, index):
        """The record, with values of the wrong structure left out (a copy, if any is), and the
        schema's other violations, as (field path, message) for `ServiceBuilder.build`."""
        if not isinstance(record, dict) or self._valid(record):
            return record, []
        violations = []
        drops = []
        for error in self.validator.iter_errors(record):
            parts = list(error.absolute_path)
            if error.validator == "required":
                missing = error.message.split("'")[1] if "'" in error.message else ""
                parts.append(missing)
            elif error.validator in ABOUT_VALUES and error.instance in (None, ""):
                continue
            path = field_path(parts)
            message = textwrap.shorten(error.message, 160, placeholder="…")
            if (
                error.validator == "type"
                and error.validator_value in ("array", "object")
                and parts
                and error.instance is not None
            ):
                drops.append(parts)
                self.report.add(
                    "warning",
                    index,
                    record.get("id"),
                    path,
                    f"breaks the {SCHEMA_NAME} schema ({message}); left out.",
                )
                continue
            violations.append((path, f"breaks the {SCHEMA_NAME} schema: {message}."))
        for parts in reversed(drops):  # the last first, so that list positions hold
            record = _without(record, parts)
        return record, violations


def unmentioned(violations, mentioned):
    """The violations on fields the mapping said nothing of."""
    return [
        (path, message)
        for path, message in violations
        if not any(_about(path, other) for other in mentioned)
    ]


def _without(record, parts):
    """A copy of `record` without the value at `parts`; the containers on the way are copied,
    so the record as the feed gave it is left as it was."""
    top = dict(record)
    container = top
    try:
        for part in parts[:-1]:
            child = container[part]
            child = dict(child) if isinstance(child, dict) else list(child)
            container[part] = child
            container = child
        del container[parts[-1]]
    except (KeyError, IndexError, TypeError):
        pass  # inside a value left out already
    return top
