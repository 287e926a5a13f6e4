"""Splitting a JSON feed into the JSON texts of its services, in a process of its own.

`python -m directory.hsds.split FEED` maps the file and reads it whole with msgspec, in C,
without building its values: a syntax error or a byte that is not UTF-8 anywhere in the file
is found before a single service is handed on. It then writes, to its standard output, a
header line and the text of each service in frames (`directory.hsds.read` decodes them one at
a time). A list, an HSDS page (`{"contents": [...]}`), the page of many ORUK 1.0 feeds
(`{"content": [...]}`) and a single service object are read.

It is a process apart because the file's pages, read all at once, are resident while it is
checked: in the importer's own process they would count hundreds of MB of a large feed
against its memory.

The output: one line of JSON, `{"count": N, "cut": {index: [field paths]}}` (`cut_fields`) or
`{"error": "...", "kind": "syntax"|"utf-8"}`, then frames, each a little-endian count k, k
lengths, and the k texts; a frame of 0 ends.
"""

import codecs
import json
import mmap
import re
import struct
import sys

import msgspec

FRAME_BYTES = 1 << 20  # texts gathered into one frame, about
WHITESPACE = re.compile(rb"[ \t\r\n]*")
BOM = b"\xef\xbb\xbf"
COUNT = struct.Struct("<I")
# In a JSON string: an escaped backslash, a surrogate pair, or half of one (a high
# surrogate without its low one, or a low one alone), in that order of preference.
ESCAPES = re.compile(
    rb"\\\\"
    rb"|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    rb"|(?P<half>\\u[dD][89a-fA-F][0-9a-fA-F]{2})"
)
REPLACEMENT = rb"\ufffd"
HALF = re.compile("[\ud800-\udfff]")


class Unreadable(Exception):
    """The file is not JSON (`kind` "syntax") or not UTF-8 text ("utf-8"); `message` says
    what and where."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def check(document):
    """The services' texts of a whole feed file's content (a buffer, a byte order mark
    allowed), once it is found to be UTF-8 JSON to its last byte, and where halves of
    surrogate pairs were read as U+FFFD (`cut_fields`); else Unreadable."""
    if document[:3] == BOM:
        document = document[3:]
    cut = {}
    try:
        try:
            texts = services(document)
        except msgspec.DecodeError:
            # Half a surrogate pair, as a feed whose text was cut in the middle of an emoji
            # (by a length limit, counted in UTF-16) has it, is read as U+FFFD.
            repaired, halves = _whole_characters(document)
            if not halves:
                raise
            texts = services(repaired)
            cut = cut_fields(document, repaired, texts, halves)
            document = repaired
        check_utf_8(document)
    except msgspec.DecodeError as error:
        raise Unreadable("syntax", str(error)) from None
    except UnicodeDecodeError as error:
        raise Unreadable("utf-8", f"byte {error.start}: {error.reason}") from None
    return texts, cut


def _whole_characters(document):
    """The document with each half of a surrogate pair escaped in its strings written as
    U+FFFD, and where each was (the escapes are of one length, so these places are the
    same in both)."""
    halves = []

    def whole(match):
        if match.group("half") is None:
            return match.group()  # an escaped backslash or a whole pair, kept
        halves.append(match.start())
        return REPLACEMENT

    return ESCAPES.sub(whole, document), halves


def cut_fields(document, repaired, texts, halves):
    """{index of a service: the paths of its fields ("description", "phones[0].number")
    where a half of a surrogate pair was read as U+FFFD}, from the places of the halves in
    the document. A field where the feed gave U+FFFD itself is not among them."""
    cut = {}
    halves = iter(halves)
    half = next(halves, None)
    start = 0
    for index, text in enumerate(texts):
        if half is None:
            break
        start = repaired.find(bytes(text), start)
        end = start + len(text)
        if half >= end:
            start = end
            continue
        # Python's own parser keeps a half as it is, so the fields holding one can be named.
        cut[index] = list(_with_halves(json.loads(bytes(document[start:end]))))
        while half is not None and half < end:
            half = next(halves, None)
        start = end
    return cut


def whole_value(value):
    """A value as Python's json module decodes it (keeping each half of a surrogate pair as it
    is, a character no text can be written with) with each half written as U+FFFD, and the
    paths of its fields where that was done, as `cut_fields` names them."""
    paths = list(_with_halves(value))
    return (_whole(value) if paths else value), paths


def _whole(value):
    if isinstance(value, str):
        return HALF.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_whole(key): _whole(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole(item) for item in value]
    return value


def _with_halves(value, path=""):
    if isinstance(value, str):
        if HALF.search(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _with_halves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _with_halves(item, f"{path}[{position}]")


def first_byte(head):
    """The first byte of a JSON text (or of its first bytes, `head`) past a byte order mark
    and whitespace: `[` for a list, `{` for an object."""
    if head[:3] == BOM:
        head = head[3:]
    return bytes(head[WHITESPACE.match(head).end() :][:1])


def services(document):
    """The texts (msgspec.Raw) of the services in the JSON `document` (a buffer)."""
    if first_byte(document) == b"[":
        return msgspec.json.decode(document, type=list[msgspec.Raw])
    top = msgspec.json.decode(document, type=dict[str, msgspec.Raw])
    for key in ("contents", "content"):
        if key in top:
            try:
                return msgspec.json.decode(top[key], type=list[msgspec.Raw])
            except msgspec.ValidationError:
                return []  # a page whose contents are not a list lists nothing
    return [msgspec.Raw(document)]


def check_utf_8(document):
    """Raise UnicodeDecodeError, at the byte where the file stops being UTF-8 (msgspec skips
    the strings it does not decode without looking at their bytes)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in [*range(0, len(document), FRAME_BYTES), len(document)]:
        held = len(decoder.getstate()[0])  # the start of a character cut by the last piece
        try:
            decoder.decode(document[start : start + FRAME_BYTES], final=start == len(document))
        except UnicodeDecodeError as error:
            error.start += start - held
            raise


def write_frames(texts, out, written=None):
    """The texts in frames of about FRAME_BYTES; `written()` is called after each."""
    frame = []
    size = 0
    for text in texts:
        frame.append(text)
        size += len(text)
        if size >= FRAME_BYTES:
            _write_frame(frame, out)
            frame, size = [], 0
            if written:
                written()
    if frame:
        _write_frame(frame, out)
    out.write(COUNT.pack(0))


def _write_frame(frame, out):
    out.write(COUNT.pack(len(frame)))
    out.write(struct.pack(f"<{len(frame)}I", *map(len, frame)))
    for text in frame:
        out.write(text)


def main(path):
    out = sys.stdout.buffer
    with open(path, "rb") as stream:
        # Left open until the process ends: the texts are views of it.
        mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        texts, cut = check(memoryview(mapped))
    except Unreadable as error:
        out.write(msgspec.json.encode({"error": error.message, "kind": error.kind}) + b"\n")
        return
    out.write(msgspec.json.encode({"count": len(texts), "cut": cut}) + b"\n")
    # The check left every page of the file in this process's memory, and the import takes
    # a while: pages are let go after each frame is written, so that only the next frame's
    # are held (read again from the system's file cache, where they still are).
    release = getattr(mmap, "MADV_DONTNEED", None)
    write_frames(texts, out, written=release and (lambda: mapped.madvise(release)))
    out.flush()


if __name__ == "__main__":
    main(sys.argv[1])
