"""The list compiled into buckets: the service's Python (``service.extension_packages``, which
repacks the packages with each new list) writes what the extension's JavaScript
(``extension/src/shared/compact.js``, used by the build and at run time) writes."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.extension_packages import bucket_of, compiled_file
from sources.trustlist import build_trustlist
from tests.extension.real_serp_run import real_registry

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "classification_trustlist.json"
COMPILE_JS = """
import { readFileSync } from "node:fs";
import { compile, compiledFile } from "%s";
import { verifyTrustList } from "%s";
const document = JSON.parse(readFileSync(0, "utf-8"));
process.stdout.write(compiledFile(document, compile(await verifyTrustList(document))));
"""


def js_compiled(node: str, extension_dir: Path, document: dict[str, object]) -> str:
    shared = extension_dir / "src" / "shared"
    script = COMPILE_JS % ((shared / "compact.js").as_uri(), (shared / "trustlist.js").as_uri())
    done = subprocess.run([node, "--input-type=module", "-e", script], input=json.dumps(document),
                          capture_output=True, text=True, check=True)
    return done.stdout


def parsed(file: str) -> list[object]:
    """The same content, whatever the JSON spelling of each line."""
    return [json.loads(line) for line in file.split("\n")]


@pytest.mark.parametrize("source", ["fixture", "generated"])
def test_python_and_javascript_compile_alike(source: str, node: str, extension_dir: Path) -> None:
    if source == "fixture":
        document = json.loads(FIXTURE.read_text("utf-8"))
    else:  # enough rows for more buckets than the minimum
        document = build_trustlist(real_registry(5000), now=datetime(2026, 1, 1, tzinfo=UTC))
    python = compiled_file(document)
    header = json.loads(python.split("\n", 1)[0])
    assert header["buckets"] >= 16 and python.count("\n") == header["buckets"] + 2
    assert parsed(python) == parsed(js_compiled(node, extension_dir, document))


def test_bucket_of_takes_the_last_two_labels() -> None:
    assert bucket_of("a.b.gouv.fr", 1024) == bucket_of("gouv.fr", 1024)
    assert bucket_of("fr", 1024) != bucket_of("gouv.fr", 1024)
    assert 0 <= bucket_of("例え.テスト", 64) < 64
