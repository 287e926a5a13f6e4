"""Which pytest-xdist worker runs this test process, without asking pytest-xdist: the suite
also runs without it (`-p no:xdist`, as the production leg does), where its fixtures such as
`worker_id` do not exist."""

import os


def xdist_worker():
    """The name of this pytest-xdist worker ("gw0"), or "" in a run without workers (xdist
    not loaded, or `-n 0`)."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def run_directory(tmp_path_factory):
    """A directory that every test worker of this run shares (each pytest-xdist worker's
    temporary directory is one of the run's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if xdist_worker() else base
