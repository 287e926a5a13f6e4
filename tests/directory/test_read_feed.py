"""Reading a JSON feed file (`directory.hsds.read`, `directory.hsds.split`): the whole file is
checked before a service is handed on, then the services come one at a time, as written."""

import json
import subprocess
from decimal import Decimal

import pytest

from directory.hsds import read as read_module
from directory.hsds import split
from directory.hsds.read import FeedError, iter_json_services


@pytest.fixture(autouse=True, params=["in this process", "in a reading process"])
def where(request, monkeypatch):
    """Each test reads its feed both ways: small files are split in the importing process,
    larger ones by `directory.hsds.split` in a process of its own."""
    if request.param == "in a reading process":
        monkeypatch.setattr(read_module, "IN_PROCESS_BYTES", 0)
    return request.param


@pytest.fixture
def started(monkeypatch):
    """The reading processes started, in order."""
    processes = []
    start = subprocess.Popen

    def popen(*args, **kwargs):
        processes.append(start(*args, **kwargs))
        return processes[-1]

    monkeypatch.setattr(read_module.subprocess, "Popen", popen)
    return processes


def write(tmp_path, content, name="feed.json"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def read(path, **kwargs):
    return [record for _index, record in iter_json_services(path, **kwargs)]


@pytest.mark.parametrize(
    "document",
    [
        [{"id": "a"}, {"id": "b"}],
        {"total_items": 2, "contents": [{"id": "a"}, {"id": "b"}]},
        {"totalElements": 2, "content": [{"id": "a"}, {"id": "b"}]},
    ],
    ids=["list", "hsds page", "oruk 1.0 page"],
)
def test_lists_and_pages_give_their_services_in_order(tmp_path, document):
    assert read(write(tmp_path, json.dumps(document, indent=2))) == [{"id": "a"}, {"id": "b"}]


def test_one_service_object_is_a_feed_of_one(tmp_path):
    assert read(write(tmp_path, ' \n{"id": "a", "name": "Café"}\n')) == [
        {"id": "a", "name": "Café"}
    ]


def test_a_page_whose_contents_are_not_a_list_lists_nothing(tmp_path):
    assert read(write(tmp_path, '{"contents": null}')) == []


def test_a_byte_order_mark_is_read_past(tmp_path):
    assert read(write(tmp_path, b'\xef\xbb\xbf[{"id": "a"}]')) == [{"id": "a"}]


def test_numbers_are_kept_as_written(tmp_path):
    (record,) = read(
        write(tmp_path, '[{"a": 1.50, "b": 2e3, "c": 7, "d": 123456789012345678901234567890}]')
    )
    assert record == {
        "a": Decimal("1.50"),
        "b": Decimal("2E+3"),
        "c": 7,
        "d": 123456789012345678901234567890,
    }
    assert str(record["a"]) == "1.50" and isinstance(record["c"], int)


def test_a_byte_that_is_not_utf_8_near_the_end_refuses_the_file_before_any_service(tmp_path):
    content = ("[" + ",".join(json.dumps({"id": str(n)}) for n in range(500))).encode()
    path = write(tmp_path, content + b', {"id": "caf\xe9"}]')
    records = iter_json_services(path)
    with pytest.raises(FeedError, match=f"is not UTF-8 text: byte {len(content) + 13}:"):
        next(records)


@pytest.mark.parametrize("size", [split.FRAME_BYTES - 1, split.FRAME_BYTES, split.FRAME_BYTES + 1])
def test_a_character_across_two_pieces_read_is_whole_and_a_broken_one_is_found_where_it_is(
    tmp_path, size
):
    head = b'[{"id": "'
    padding = b"x" * (size - len(head) - 1)
    whole = write(tmp_path, head + padding + "ł".encode() + b'"}]', "whole.json")
    assert read(whole) == [{"id": "x" * len(padding) + "ł"}]
    cut = write(tmp_path, head + padding + "ł".encode()[:1] + b'"}]', "cut.json")
    with pytest.raises(FeedError, match=f"is not UTF-8 text: byte {size - 1}:"):
        read(cut)


def test_a_syntax_error_names_where_it_is(tmp_path):
    with pytest.raises(FeedError, match=r"not valid JSON: .*byte 13"):
        read(write(tmp_path, '[{"id": "x"} {"id": "y"}]'))


def test_small_files_are_read_here_and_large_ones_by_a_reading_process(
    tmp_path, monkeypatch, started
):
    monkeypatch.setattr(read_module, "IN_PROCESS_BYTES", 100)
    assert read(write(tmp_path, '[{"id": "small"}]')) == [{"id": "small"}]
    assert not started
    assert read(write(tmp_path, json.dumps([{"id": "x" * 100}]))) == [{"id": "x" * 100}]
    assert len(started) == 1


def test_the_progress_bar_is_told_of_every_byte(tmp_path):
    path = write(tmp_path, json.dumps([{"id": str(n)} for n in range(3000)], indent=1))
    told = []
    read(path, on_read=told.append)
    assert sum(told) == path.stat().st_size
    assert len(told) > 3000  # as the services arrive, not at the end


@pytest.mark.parametrize("where", ["in a reading process"], indirect=True)
def test_a_feed_left_unread_stops_its_reading_process(tmp_path, started):
    path = write(tmp_path, json.dumps([{"id": str(n), "text": "x" * 500} for n in range(20_000)]))
    records = iter_json_services(path)
    next(records)
    (reader,) = started
    assert reader.poll() is None  # still handing over services, the pipe being full
    records.close()
    assert reader.returncode is not None


@pytest.mark.parametrize("where", ["in a reading process"], indirect=True)
def test_a_reading_process_that_cannot_run_is_an_error_naming_the_file(tmp_path, monkeypatch):
    path = write(tmp_path, '[{"id": "a"}]')
    monkeypatch.setattr(read_module.sys, "executable", "/bin/false")
    with pytest.raises(RuntimeError, match=f"Reading {path} failed: it ended with status 1"):
        read(path)


def test_half_a_surrogate_pair_is_read_as_a_replacement_character(tmp_path):
    # Text cut in the middle of an emoji by a limit counted in UTF-16, as a JavaScript
    # exporter writes it; an escaped backslash before "ud83d" and a whole pair are kept.
    content = r'[{"a": "cut \ud83d", "b": "\ude00 alone", "c": "\\ud83d", "d": "\ud83d\ude00"}]'
    assert read(write(tmp_path, content)) == [
        {"a": "cut \ufffd", "b": "\ufffd alone", "c": "\\ud83d", "d": "😀"}
    ]


def test_the_fields_where_halves_were_read_are_told_just_before_their_service(tmp_path):
    content = (
        r'{"contents": [{"a": "whole \ud83d\ude00"}, '
        r'{"a": "\ufffd given", "b": [{"c": "cut \ud83d"}]}, {"d": "\ude00"}, {"e": 1}]}'
    )
    told, handed = [], []

    def on_cut(index, paths):
        told.append((index, paths, len(handed)))

    for _index, record in iter_json_services(write(tmp_path, content), on_cut=on_cut):
        handed.append(record)
    assert told == [(1, ["b[0].c"], 1), (2, ["d"], 2)]
    assert handed[1] == {"a": "\ufffd given", "b": [{"c": "cut \ufffd"}]}


def test_a_syntax_error_beside_whole_escapes_is_still_refused(tmp_path):
    with pytest.raises(FeedError, match="not valid JSON"):
        read(write(tmp_path, r'[{"a": "\\ \ud83d\ude00"} {"b": 1}]'))
