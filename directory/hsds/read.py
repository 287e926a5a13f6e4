"""Reading a JSON feed: refusing what is not one at once, then its services one at a time."""

import os


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


class _CountingReader:
    """A binary stream that reports how many bytes have been read, for a progress bar."""

    def __init__(self, stream, on_read):
        self.stream = stream
        self.on_read = on_read

    def read(self, size=-1):
        data = self.stream.read(size)
        self.on_read(len(data))
        return data


NO_PREFIX = "\x00"  # ijson's prefixes are dotted keys of the document; none is this


def iter_json_services(path, on_read=None):
    """(index, service dict) for each service in a JSON feed, read incrementally.

    A feed is a list of services, an HSDS `Page` ({"contents": [...]}) or one service. Lists
    and pages are streamed with ijson, one service in memory at a time; the file is first
    read once through the parser (in C, no objects built) so that a syntax error anywhere
    refuses the whole file before anything is written.
    """
    import ijson

    with open(path, "rb") as stream:
        first = _first_byte(stream)
        if first not in (b"[", b"{"):
            raise FeedError(f"{path} is not a JSON feed: it should start with [ or {{.")
        start = 3 if stream.read(3) == b"\xef\xbb\xbf" else 0
        stream.seek(start)
        try:
            keys = set()
            if first == b"[":
                # Nothing to learn but that the syntax holds: items under a prefix that no
                # item has, which the parser discards in C, without a Python step per event.
                for _item in ijson.items(stream, NO_PREFIX):
                    pass
            else:
                for prefix, event, value in ijson.parse(stream):
                    if prefix == "" and event == "map_key":
                        keys.add(value)
        except ijson.JSONError as error:
            raise FeedError(f"{path} is not valid JSON: {error}") from None
        except UnicodeDecodeError as error:
            raise FeedError(f"{path} is not UTF-8 text: {error}") from None
        stream.seek(start)
        source = _CountingReader(stream, on_read) if on_read else stream
        if first == b"[":
            items = ijson.items(source, "item")
        elif "contents" in keys:
            items = ijson.items(source, "contents.item")
        elif "content" in keys:
            # The page shape of many ORUK 1.0 feeds ({"totalElements": .., "content": [..]}).
            items = ijson.items(source, "content.item")
        else:
            items = ijson.items(source, "")
        yield from enumerate(items)


def _first_byte(stream):
    head = stream.read(4096)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    stripped = head.lstrip()
    return stripped[:1]
