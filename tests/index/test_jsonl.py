from __future__ import annotations

import gzip
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from index.errors import InputFileError
from index.jsonl import InvalidLine, parse_line, read_documents


def test_fields_and_ignored_registry_keys() -> None:
    doc = parse_line(json.dumps({
        "url": " https://www.paris.fr/a ", "title": "T", "body": "B", "description": "D",
        "headings": ["H1", 3], "date": "2024-05-31", "fetched": "2026-01-02T03:04:05+00:00", "lang": "fr",
        "category": "commune", "domain": "evil.example", "name": "Faux",
    }), 1)
    assert not isinstance(doc, InvalidLine)
    assert (doc.url, doc.headings, doc.published, doc.lang) == ("https://www.paris.fr/a", ["H1"],
                                                                 date(2024, 5, 31), "fr")
    assert doc.fetched == datetime.fromisoformat("2026-01-02T03:04:05+00:00")
    assert not hasattr(doc, "category")


@pytest.mark.parametrize(("line", "reason"), [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"title": "t", "body": "b"}', "missing or non-text 'url'"),
    ('{"url": "https://a.fr", "title": 3, "body": "b"}', "missing or non-text 'title'"),
])
def test_invalid_lines_say_why(line: str, reason: str) -> None:
    result = parse_line(line, 7)
    assert isinstance(result, InvalidLine) and result.line == 7 and reason in result.reason


@pytest.mark.parametrize(("fields", "note"), [
    ({"date": "hier"}, "'date' is not a date"),
    ({"date": 20240531}, "'date' is not a date"),
    ({"fetched": "demain"}, "'fetched' is not a date-time"),
])
def test_an_unreadable_date_is_dropped_and_the_page_kept(fields: dict[str, object], note: str) -> None:
    doc = parse_line(json.dumps({"url": "https://a.fr", "title": "t", "body": "b", **fields}), 7)
    assert not isinstance(doc, InvalidLine)
    assert (doc.published, doc.fetched) == (None, None) and note in doc.notes[0]


@pytest.mark.parametrize("day", ["0202-05-12", "9999-12-31", "1677-01-01"])
def test_dates_out_of_a_sane_range_are_dropped_at_the_boundary(day: str) -> None:
    from index.documents import normalise

    doc = parse_line(json.dumps({"url": "https://a.fr", "title": "t", "body": "b", "date": day}), 1)
    assert not isinstance(doc, InvalidLine) and doc.published is not None
    kept = normalise(doc)
    assert kept.published is None and "out of range" in kept.notes[0]
    assert normalise(kept) is kept  # idempotent: the writer may normalise again


def test_oversized_texts_are_cut_and_named() -> None:
    from index.documents import MAX_BODY, MAX_HEADINGS, InvalidPage, normalise

    doc = parse_line(json.dumps({"url": "https://a.fr", "title": "t" * 5000, "body": "b" * (MAX_BODY + 5),
                                 "headings": ["h"] * (MAX_HEADINGS + 1)}), 1)
    assert not isinstance(doc, InvalidLine)
    kept = normalise(doc)
    assert len(kept.body) == MAX_BODY and len(kept.title) == 1000 and len(kept.headings) == MAX_HEADINGS
    assert len(kept.notes) == 3
    with pytest.raises(InvalidPage):
        normalise(parse_line(json.dumps({"url": "https://a.fr/" + "x" * 9000, "title": "t",
                                         "body": "b"}), 1))  # type: ignore[arg-type]


def test_truncated_gzip_is_an_input_error_after_the_good_lines(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    line = json.dumps({"url": "https://a.fr/x", "title": "t", "body": "mot " * 2000}) + "\n"
    data = gzip.compress((line * 50).encode())
    path.write_bytes(data[: len(data) // 2])
    seen = []
    with pytest.raises(InputFileError, match="cut.jsonl.gz"):
        for number, _ in read_documents(path):
            seen.append(number)
    assert seen  # what was readable came through first
