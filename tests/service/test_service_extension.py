"""The extension's endpoints: the trust list with ETag, and CORS on the API."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from sources import Registry


def test_trustlist_is_served_with_an_etag(tmp_path) -> None:
    with Registry(tmp_path) as registry:
        registry.allow("mairie-exemple.fr", reason="test", category="commune")
    app = create_app(Settings(data_dir=tmp_path))
    with TestClient(app) as client:
        first = client.get("/extension/trustlist.json")
        assert first.status_code == 200
        document = first.json()
        assert document["sha256"] and document["version"] and json.loads(document["payload"])
        etag = first.headers["etag"]
        again = client.get("/extension/trustlist.json", headers={"If-None-Match": etag})
        assert again.status_code == 304


def test_the_api_answers_cross_origin_requests_from_the_extension(tmp_path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    with TestClient(app) as client:
        preflight = client.options("/api/classify", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] in {"*", origin}
        answer = client.post("/api/classify", json={"urls": ["https://www.gouv.fr/"]},
                             headers={"Origin": origin})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] in {"*", origin}
        assert answer.json()["results"][0]["trusted"] is True


def test_a_lone_surrogate_is_a_4xx_not_a_500(tmp_path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    with TestClient(app) as client:
        answer = client.post("/api/classify", content=b'{"urls":["https://caf.fr/\\ud800"]}',
                             headers={"Content-Type": "application/json"})
        assert answer.status_code < 500


def test_an_oversized_body_is_refused_with_413(tmp_path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    with TestClient(app) as client:
        big = b'{"urls": ["' + b"a" * (11 * 1024 * 1024) + b'"]}'
        for path in ("/api/classify", "/api/rerank"):
            answer = client.post(path, content=big, headers={"Content-Type": "application/json"})
            assert answer.status_code == 413
            assert "detail" in answer.json()


def test_access_logs_carry_no_looked_up_host() -> None:
    import logging

    from service.logs import StripQueryFilter

    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("1.2.3.4", "GET", "/api/sources/mairie-secrete.fr?x=1", "1.1", 200), None)
    StripQueryFilter().filter(record)
    assert "mairie-secrete" not in record.getMessage() and "1.2.3.4" not in record.getMessage()


# --- signed packages and update manifests (service/extension_packages.py) ---------------------

def _fake_build(folder, key_path) -> None:
    """What ``sdc extension build --key`` leaves: unpacked builds and release.json."""
    from service import extension_packages as packages

    key_path.write_bytes(packages.generate_key())
    key = packages.load_key(key_path)
    for browser in ("chromium", "firefox"):
        (folder / browser / "data").mkdir(parents=True)
        manifest = {"manifest_version": 3, "version": "0.1.0"}
        (folder / browser / "manifest.json").write_text(json.dumps(manifest))
        (folder / browser / "content.js").write_text("// code")
    (folder / "release.json").write_text(json.dumps({
        "key": str(key_path), "base_version": "0.1.0", "chromium_id": packages.extension_id(key),
        "gecko_id": packages.GECKO_ID}))


def _read_crx(data: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """(public key, signature, signed header data, zip) of a CRX3, parsed by hand."""
    import struct

    assert data[:4] == b"Cr24" and struct.unpack("<I", data[4:8])[0] == 3
    size = struct.unpack("<I", data[8:12])[0]
    header, archive = data[12:12 + size], data[12 + size:]

    def varint(buf: bytes, i: int) -> tuple[int, int]:
        value, shift = 0, 0
        while True:
            byte = buf[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, i

    def fields(buf: bytes) -> list[tuple[int, bytes]]:
        out, i = [], 0
        while i < len(buf):
            tag, i = varint(buf, i)
            length, i = varint(buf, i)
            out.append((tag >> 3, buf[i:i + length]))
            i += length
        return out

    top = dict(fields(header))
    proof = dict(fields(top[2]))
    return proof[1], proof[2], top[10000], archive


def test_crx3_is_signed_by_the_deployers_key_and_names_its_id(tmp_path) -> None:
    import hashlib
    import io
    import struct
    import zipfile

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    from service import extension_packages as packages

    key_path = tmp_path / "key.pem"
    key_path.write_bytes(packages.generate_key())
    key = packages.load_key(key_path)
    archive = packages.zip_folder(tmp_path, {"manifest.json": b"{}"})
    public, signature, signed, body = _read_crx(packages.crx3(archive, key))
    assert body == archive and public == packages.public_der(key)
    crx_id = hashlib.sha256(public).digest()[:16]
    assert signed == b"\x0a\x10" + crx_id  # SignedData { crx_id = 1 }
    message = b"CRX3 SignedData\x00" + struct.pack("<I", len(signed)) + signed + archive
    serialization.load_der_public_key(public).verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    assert "".join(chr(97 + int(c, 16)) for c in crx_id.hex()) == packages.extension_id(key)
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()


def test_update_manifests_and_a_new_version_when_the_trust_list_changes(tmp_path) -> None:
    _fake_build(tmp_path / "extension", tmp_path / "key.pem")
    app = create_app(Settings(data_dir=tmp_path, curator_token="t" * 32))
    with TestClient(app) as client:
        xml = client.get("/extension/updates.xml")
        assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
        assert 'version="0.1.0.1"' in xml.text and "sources-de-confiance-chromium-0.1.0.1.crx" in xml.text
        assert client.get("/extension/updates.xml").text == xml.text  # same list, same release
        firefox = client.get("/extension/updates.json").json()
        (update,) = firefox["addons"]["sources-de-confiance@sdc.extension"]["updates"]
        assert update["version"] == "0.1.0.1" and update["update_link"].endswith("firefox-0.1.0.1.xpi")
        crx = client.get("/extension/sources-de-confiance-chromium-0.1.0.1.crx")
        assert crx.status_code == 200 and crx.content[:4] == b"Cr24"
        assert crx.headers["content-type"] == "application/x-chrome-extension"
        latest = client.get("/extension/sources-de-confiance-firefox.xpi", follow_redirects=False)
        assert latest.status_code == 302 and latest.headers["location"].endswith("firefox-0.1.0.1.xpi")
        allowed = client.post("/api/curator/allow", json={"host": "mairie-exemple.fr", "reason": "test"},
                              headers={"Authorization": f"Bearer {'t' * 32}"})
        assert allowed.status_code == 200, allowed.text
        assert 'version="0.1.0.2"' in client.get("/extension/updates.xml").text
        assert client.get("/extension/sources-de-confiance-chromium-0.1.0.1.crx").status_code == 200


def test_packages_are_404_with_a_detail_when_absent_or_misnamed(tmp_path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    with TestClient(app) as client:
        for path in ("/extension/updates.xml", "/extension/updates.json",
                     "/extension/sources-de-confiance-chromium-9.9.9.9.crx", "/extension/..%2Fkey.pem",
                     "/extension/sources-de-confiance-firefox.xpi"):
            answer = client.get(path, headers={"Accept": "application/json"})
            assert answer.status_code == 404, path
            assert answer.json()["detail"], path


def test_a_rebuild_of_the_code_is_a_new_release_the_same_build_is_not(tmp_path) -> None:
    from service import extension_packages as packages

    folder = tmp_path / "extension"
    _fake_build(folder, tmp_path / "key.pem")
    trustlist = {"sha256": "0" * 64, "entries": []}
    first = packages.release(folder, trustlist)
    assert packages.release(folder, trustlist) == first
    (folder / "chromium" / "content.js").write_text("// other code")
    assert packages.release(folder, trustlist).version != first.version
