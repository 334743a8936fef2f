"""What the tests of ``POST /api/classify``'s hot path share: bodies, helpers, the stack client."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
from prometheus_client.parser import text_string_to_metric_families

from service.bodies import MAX_BODY_BYTES
from service.models import MAX_URL_LENGTH, MAX_URLS

ROUTE = "/api/classify"
ORIGIN = {"Origin": "chrome-extension://abcdefghijklmnop"}
TOO_LARGE = {"detail": f"request body larger than {MAX_BODY_BYTES} bytes"}

SAMPLE = ["https://www.lyon.fr/x", "https://evil.example.com/", "pas une url", "https://impots.gouv.fr/",
          "https://www.caf.fr/", "HTTPS://WWW.AMELI.FR/", "https://user:pw@www.lyon.fr:8443/a",
          "https://www.lyon.fr./", "https://xn--mairie-e9a.fr/", "https://127.0.0.1/", "",
          "javascript:alert(1)", "www.lyon.fr", "https://www.lyon.fr\\x", "https://www..lyon.fr/",
          'https://www.univ-exemple.fr/"\\\t\n\x00\x7f\u2028é', "https://mairie-exemple.fr/?q=1#f"]

#: body -> the name of the problem: the field the 422's ``loc`` ends with, or its ``type``
BAD_BODIES: dict[str, tuple[bytes, str]] = {
    "invalid-json": (b'{"urls": [', "json_invalid"),
    "not-json": (b"urls=https://www.lyon.fr/", "json_invalid"),
    "empty": (b"", "json_invalid"),
    "non-utf8": (b'{"urls": ["\xff"]}', "json_invalid"),
    "lone-surrogate": (b'{"urls": ["\\ud800"]}', "json_invalid"),
    "null": (b"null", "model_type"),
    "list": (b'["https://www.lyon.fr/"]', "model_type"),
    "urls-string": (b'{"urls": "https://www.lyon.fr/"}', "list_type"),
    "urls-null": (b'{"urls": null}', "list_type"),
    "url-number": (b'{"urls": ["https://www.lyon.fr/", 3]}', "string_type"),
    "url-object": (b'{"urls": [{"url": "https://www.lyon.fr/"}]}', "string_type"),
    "missing": (b"{}", "missing"),
    "extra-key": (b'{"urls": [], "verbose": true}', "extra_forbidden"),
    "too-many": (orjson.dumps({"urls": ["https://www.lyon.fr/"] * (MAX_URLS + 1)}), "too_long"),
    "too-long-url": (orjson.dumps({"urls": ["https://www.lyon.fr/" + "x" * MAX_URL_LENGTH]}),
                     "string_too_long"),
}

GOOD_BODIES: dict[str, bytes] = {
    "sample": orjson.dumps({"urls": SAMPLE}),
    "none": b'{"urls": []}',
    "spaced": b' { "urls" : [ "https://www.lyon.fr/" ] }\n',
    "max": orjson.dumps({"urls": [f"https://www.lyon.fr/{i}" for i in range(MAX_URLS)]}),
    "longest-url": orjson.dumps({"urls": ["https://www.caf.fr/" + "y" * (MAX_URL_LENGTH - 19)]}),
    "escaped": b'{"urls": ["https:\\/\\/www.lyon.fr\\/\\u00e9", "\\ud83d\\ude00"]}',
}


def headers_of(response: httpx.Response) -> list[tuple[str, str]]:
    """Headers as a sorted list, without those the server adds (date, server)."""
    return sorted((k.lower(), v) for k, v in response.headers.multi_items()
                  if k.lower() not in {"date", "server"})


def metric(client: Any, name: str, **labels: str) -> float:
    """The value of one sample of ``/metrics`` (0 when absent)."""
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0
