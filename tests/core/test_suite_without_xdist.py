"""The suite runs without pytest-xdist too (`pytest -p no:xdist`: the production leg of
`make test`, or a debugger's single process), so no test or fixture may ask for a fixture
that only pytest-xdist provides, such as `worker_id`: tests.workers tells the worker."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_fixture_of_the_suite_resolves_without_pytest_xdist():
    # --setup-plan resolves every test's fixtures, as a run would, without running them.
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider"]
        + ["--setup-plan", "-q", "tests"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    missing = sorted({line.strip() for line in run.stdout.splitlines() if "not found" in line})
    assert missing == []
    assert run.returncode == 0, run.stdout[-3000:]
