"""The suite's tests that must share a test worker do: `make test` runs pytest-xdist with
`--dist loadgroup`, and the tests that start processes on Redis database 3 (which they empty)
are one group, `xdist_group("processes")`, so that no two of them run at once.

xdist passes a test's group to its scheduler inside the test's node id, which pytest 9.2
no longer lets it change (pytest-xdist issue 1386): grouped tests are then spread over the
workers like any others, with nothing failing. This test would catch that again.
"""

import os
import subprocess
import sys
import textwrap

GROUPED_MODULE = """
import os

import pytest


@pytest.mark.xdist_group("together")
@pytest.mark.parametrize("n", range(8))
def test_grouped(n):
    with open(os.path.join(os.environ["RAN_IN"], f"ran-{n}"), "w") as file:
        file.write(os.environ["PYTEST_XDIST_WORKER"])


@pytest.mark.parametrize("n", range(8))
def test_free(n):
    pass
"""


def test_tests_in_one_group_run_on_one_worker(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_grouped.py").write_text(textwrap.dedent(GROUPED_MODULE))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist",
            "loadgroup",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        cwd=project,
        env={**os.environ, "RAN_IN": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    workers = {path.name: path.read_text() for path in tmp_path.glob("ran-*")}
    assert len(workers) == 8, run.stdout
    assert len(set(workers.values())) == 1, f"the group ran on several workers: {workers}"
