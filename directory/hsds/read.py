"""Reading a JSON feed: refusing what is not one at once, then its services one at a time."""

import os
import struct
import subprocess
import sys
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import msgspec

from directory.hsds import split

# Files up to this size are checked and split in the importing process: starting the reading
# process (about 50 ms) would cost more than their pages held for the length of the import.
IN_PROCESS_BYTES = 4 * 1024 * 1024


class FeedError(Exception):
    """The file is not a feed we can read at all (syntax, shape, size); nothing was imported."""


def check_size(path, max_size):
    """Refuse files over `max_size` bytes before reading them."""
    size = os.path.getsize(path)
    if max_size is not None and size > max_size:
        raise FeedError(
            f"{path} is {size / 1e6:.1f} MB, over the {max_size / 1e6:.0f} MB limit "
            "(raise it with --max-size)."
        )
    return size


def iter_json_services(path, on_read=None, on_cut=None):
    """(index, service dict) for each service in a JSON feed, read incrementally.

    A feed is a list of services, an HSDS `Page` ({"contents": [...]}), the page of many
    ORUK 1.0 feeds ({"content": [...]}) or one service. A process of its own
    (`directory.hsds.split`) checks the whole file first, so that a syntax error anywhere
    refuses it before anything is written, and then hands over each service's JSON text;
    they are decoded here one at a time (numbers with a point or an exponent as `Decimal`,
    as they were written), so a feed of any size takes the memory of one service and of a
    frame of about a MB. A file of at most IN_PROCESS_BYTES is checked and split in this
    process, by the same code. `on_read(n)` is told of the bytes read, for a progress bar;
    `on_cut(index, paths)`, just before a service is handed on, of its fields where half of a
    surrogate pair was read as U+FFFD (`split.cut_fields`).
    """
    with open(path, "rb") as stream:
        first = split.first_byte(stream.read(4096))
    if first not in (b"[", b"{"):
        raise FeedError(f"{path} is not a JSON feed: it should start with [ or {{.")
    size = os.path.getsize(path)
    decode = msgspec.json.Decoder(float_hook=Decimal).decode
    with _texts(path, size) as (texts, cut):
        read = 0
        for index, text in enumerate(texts):
            if on_read:
                on_read(len(text))
                read += len(text)
            if on_cut and index in cut:
                on_cut(index, cut[index])
            yield index, decode(text)
        if on_read and size > read:
            on_read(size - read)  # the punctuation between services, for the bar to end full


@contextmanager
def _texts(path, size):
    """The services' texts of the file, once it is found readable, and its fields where
    halves of surrogate pairs were read as U+FFFD, by service."""
    if size > IN_PROCESS_BYTES:
        with _Splitter(path) as splitter:
            yield splitter.texts(), splitter.cut
        return
    with open(path, "rb") as stream:
        content = stream.read()
    try:
        texts, cut = split.check(content)
    except split.Unreadable as error:
        raise _refusal(path, error.kind, error.message) from None
    yield iter(texts), cut


def _refusal(path, kind, message):
    if kind == "utf-8":
        return FeedError(f"{path} is not UTF-8 text: {message}")
    return FeedError(f"{path} is not valid JSON: {message}")


class _Splitter:
    """The `directory.hsds.split` process for one file: its verdict on the file at once,
    then its services' texts."""

    def __init__(self, path):
        self.path = path
        self.cut = {}
        root = str(Path(__file__).resolve().parents[2])
        paths = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, paths] if paths else [root])}
        self.process = subprocess.Popen(  # noqa: S603 (this interpreter, our own module)
            [sys.executable, "-m", "directory.hsds.split", os.fspath(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )

    def __enter__(self):
        try:
            self._verdict()
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(self, *exc):
        self._stop()

    def _verdict(self):
        line = self.process.stdout.readline()
        if not line:
            self._failed()
        verdict = msgspec.json.decode(line)
        if "error" in verdict:
            raise _refusal(self.path, verdict["kind"], verdict["error"])
        self.cut = {int(index): paths for index, paths in verdict.get("cut", {}).items()}

    def texts(self):
        """Each service's JSON text (a memoryview of its frame)."""
        stdout = self.process.stdout
        while count := split.COUNT.unpack(self._read(stdout, split.COUNT.size))[0]:
            lengths = struct.unpack(f"<{count}I", self._read(stdout, 4 * count))
            frame = memoryview(self._read(stdout, sum(lengths)))
            start = 0
            for length in lengths:
                yield frame[start : start + length]
                start += length

    def _read(self, stdout, size):
        data = stdout.read(size)
        if len(data) != size:
            self._failed()
        return data

    def _failed(self):
        """The process ended before it had said all it should: what it said on its way out."""
        status = self.process.wait()
        error = self.process.stderr.read().decode(errors="replace").strip()
        said = error.splitlines()[-1] if error else f"it ended with status {status}"
        raise RuntimeError(f"Reading {self.path} failed: {said}")

    def _stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
