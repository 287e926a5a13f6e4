"""Every field of the vendored HSDS 3.0 and ORUK 3.0 schemas is read by the importer or listed in
directory/hsds/README.md as not kept, with the reason."""

import json
import re
from fnmatch import fnmatch
from pathlib import Path

import pytest
from django.conf import settings

from directory.hsds.fields import KNOWN

HSDS_DIR = Path(settings.BASE_DIR) / "directory" / "hsds"
SECTION = "## Fields of HSDS 3.0 and ORUK 3.0 not kept"


def not_kept():
    """The patterns (`service.funding`, `funding.*`, `*.metadata`) of the README's table, with
    the reason given for each."""
    text = (HSDS_DIR / "README.md").read_text()
    table = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    listed = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`"):
            continue
        for pattern in re.findall(r"`([^`]+)`", cells[0]):
            listed[pattern] = cells[1]
    return listed


def schema_fields():
    for folder in ("hsds-3.0", "oruk-3.0"):
        for path in sorted((HSDS_DIR / "schemas" / folder).glob("*.json")):
            if path.name == "openapi.json":
                continue
            schema = json.loads(path.read_text())
            for name in schema.get("properties", {}):
                yield folder, path.stem, name


def test_the_schemas_have_fields_to_walk():
    fields = list(schema_fields())
    assert len(fields) > 300
    assert ("hsds-3.0", "service", "funding") in fields


@pytest.mark.parametrize(("folder", "kind", "name"), sorted(set(schema_fields())))
def test_each_schema_field_is_read_or_listed_as_not_kept(folder, kind, name):
    read = name in KNOWN.get(kind, ())
    reasons = [why for pattern, why in not_kept().items() if fnmatch(f"{kind}.{name}", pattern)]
    assert read or reasons, f"{folder} {kind}.{name}: neither read nor listed as not kept"
    assert not (read and reasons), f"{kind}.{name} is read, yet listed as not kept"
    assert all(len(why) > 10 for why in reasons), f"{kind}.{name}: give the reason"


def test_every_listed_field_is_in_a_schema():
    fields = {f"{kind}.{name}" for _folder, kind, name in schema_fields()}
    for pattern in not_kept():
        assert any(fnmatch(field, pattern) for field in fields), pattern
