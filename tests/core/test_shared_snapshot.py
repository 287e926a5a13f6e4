"""A snapshot the test workers of a run share (`tests.snapshots.Shared`): built once, by the
first worker that needs it, and dropped by the last one done with it."""

import threading
import time

from tests.snapshots import Shared, Snapshot


def builder(path, calls, seconds=0.0):
    def build():
        calls.append(threading.get_ident())
        time.sleep(seconds)
        path.write_text("content")
        return Snapshot("sqlite", str(path))

    return build


def test_the_first_worker_builds_and_the_others_use_what_it_built(tmp_path):
    path, calls = tmp_path / "demo.sqlite3", []
    first, second = Shared(tmp_path, "demo"), Shared(tmp_path, "demo")

    snapshot, built = first.use(builder(path, calls))
    again, built_again = second.use(builder(path, calls))

    assert (built, built_again) == (True, False)
    assert snapshot == again == Snapshot("sqlite", str(path))
    assert len(calls) == 1


def test_a_worker_that_needs_it_while_it_is_being_built_waits_for_that_build(tmp_path):
    path, calls, answers = tmp_path / "demo.sqlite3", [], []

    def worker():
        answers.append(Shared(tmp_path, "demo").use(builder(path, calls, seconds=0.3)))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(calls) == 1
    assert sorted(built for _snapshot, built in answers) == [False, False, True]
    assert {snapshot for snapshot, _built in answers} == {Snapshot("sqlite", str(path))}


def test_the_last_worker_done_with_it_drops_it_and_a_later_one_builds_it_again(tmp_path):
    path, calls = tmp_path / "demo.sqlite3", []
    first, second = Shared(tmp_path, "demo"), Shared(tmp_path, "demo")
    first.use(builder(path, calls))
    second.use(builder(path, calls))

    first.done()
    assert path.exists()  # the second worker still restores from it
    second.done()
    assert not path.exists()

    _snapshot, built = Shared(tmp_path, "demo").use(builder(path, calls))
    assert built and len(calls) == 2
