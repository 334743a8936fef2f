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
    ('{"url": "https://a.fr", "title": "t", "body": "b", "date": "hier"}', "'date' is not a date"),
])
def test_invalid_lines_say_why(line: str, reason: str) -> None:
    result = parse_line(line, 7)
    assert isinstance(result, InvalidLine) and result.line == 7 and reason in result.reason


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
