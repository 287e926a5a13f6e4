"""The README's table of staff roles names every role group that `migrate` makes."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def roles_section():
    text = README.read_text(encoding="utf-8")
    start = text.index("## Staff roles")
    return text[start : text.index("\n## ", start + 1)]


def test_every_group_made_by_migrate_is_in_the_readmes_roles():
    call_command("migrate", verbosity=0)  # post_migrate makes the role groups
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Volunteer coordinators", "Directory editors", "Story moderators"} <= names
    section = roles_section()
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    described = {name.strip() for row in rows[1:] for name in row.split("|")[1].split(",")}
    for name in names:
        assert name in described, f"{name!r} has no row in the README's Staff roles"
