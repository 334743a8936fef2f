"""The extension's signed packages and their update manifests, for a deployment by policy.

* Identity: an RSA key the deployer owns (``sdc extension keygen``) fixes the Chromium extension
  ID (the first 16 bytes of the SHA-256 of the public key, one letter ``a``-``p`` per nibble);
  Firefox's add-on id is fixed in the manifest (``gecko.id``).
* Packages: a CRX3 for Chromium/Edge (format of Chromium's ``components/crx_file/crx3.proto``:
  ``"Cr24"``, version 3, the header length, a ``CrxFileHeader`` protobuf, then the zip; the
  signature is RSA-SHA256 over ``"CRX3 SignedData\\0"``, the length of the signed header data, that
  data and the zip), and the Firefox ``.xpi`` (a zip; Mozilla signs it, not us).
* Releases: ``sdc extension build`` writes the unpacked builds and ``release.json`` (the key's path,
  the ids); each release repacks them with the trust list of the moment (as it is and compiled
  into buckets, ``compiled_file``) and the version ``<package version>.<serial>``.  The serial goes
  up whenever the trust list's digest changes, so browsers see a newer version and update.  State
  lives in ``releases/state.json``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import os
import re
import struct
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

GECKO_ID = "sources-de-confiance@sdc.extension"
RELEASE_FILE = "release.json"
RELEASES = "releases"
PACKAGE = re.compile(r"^sources-de-confiance-(chromium|firefox)-(\d+(?:\.\d+){1,3})\.(crx|xpi)$")
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_SIGNATURE_CONTEXT = b"CRX3 SignedData\x00"


class PackageError(ValueError):
    """A key, build or release that cannot be used (missing, unreadable, malformed)."""


# --- identity -------------------------------------------------------------------------------

def generate_key() -> bytes:
    """A new RSA-2048 private key, PEM (PKCS#8, unencrypted: the service signs with it)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def load_key(path: Path) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise PackageError(f"cannot read the extension key {path}: {exc}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise PackageError(f"{path} is not an RSA private key")
    return key


def public_der(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def manifest_key(key: rsa.RSAPrivateKey) -> str:
    """The manifest's ``key`` (base64 public key): an unpacked build keeps the same ID."""
    return base64.b64encode(public_der(key)).decode("ascii")


def extension_id(key: rsa.RSAPrivateKey) -> str:
    digest = hashlib.sha256(public_der(key)).digest()[:16]
    return "".join(chr(ord("a") + int(nibble, 16)) for nibble in digest.hex())


# --- packages -------------------------------------------------------------------------------

def zip_folder(folder: Path, replace: dict[str, bytes | None] | None = None) -> bytes:
    """The folder as a zip, names sorted and times fixed (equal inputs, equal bytes); a file
    replaced by None is left out."""
    replace = replace or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        names = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
        for name in sorted({*names, *replace}):
            data = replace[name] if name in replace else names[name].read_bytes()
            if data is None:
                continue
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buffer.getvalue()


def _field(number: int, payload: bytes) -> bytes:
    """One length-delimited protobuf field (wire type 2)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def crx3(archive: bytes, key: rsa.RSAPrivateKey) -> bytes:
    """A signed CRX3 of the zip ``archive``."""
    der = public_der(key)
    signed_data = _field(1, hashlib.sha256(der).digest()[:16])  # SignedData.crx_id
    message = _SIGNATURE_CONTEXT + struct.pack("<I", len(signed_data)) + signed_data + archive
    signature = key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    proof = _field(1, der) + _field(2, signature)  # AsymmetricKeyProof
    # CrxFileHeader: sha256_with_rsa (2), signed_header_data (10000)
    header = _field(2, proof) + _field(10000, signed_data)
    return b"Cr24" + struct.pack("<II", 3, len(header)) + header + archive


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# --- releases -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Release:
    version: str
    chromium_id: str
    gecko_id: str
    crx: str  # file names under releases/
    xpi: str


def read_release_info(folder: Path) -> dict[str, Any]:
    """``release.json`` of a build: ``{"key", "base_version", "chromium_id", "gecko_id"}``."""
    path = folder / RELEASE_FILE
    try:
        info = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise PackageError(f"no extension build with a key in {folder} "
                           f"(run `sdc extension build --key ...`): {exc}") from None
    for name in ("key", "base_version", "chromium_id", "gecko_id"):
        if not isinstance(info.get(name), str):
            raise PackageError(f"{path}: {name} missing")
    return info


_lock = threading.Lock()


def _names(version: str) -> tuple[str, str]:
    return f"sources-de-confiance-chromium-{version}.crx", f"sources-de-confiance-firefox-{version}.xpi"


def build_digest(folder: Path) -> str:
    """What the unpacked builds hold, the list and version aside: a rebuild of other code is a release.

    Every update check asks it: the files are read again only when one's name, size or
    modification time changed (a rebuild), else the digest of the last read is reused.
    """
    files = []
    for browser in ("chromium", "firefox"):
        for path in sorted(p for p in (folder / browser).rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            if not name.endswith(("data/trustlist.json", COMPILED_FILE)):
                stat = path.stat()
                files.append((name, stat.st_size, stat.st_mtime_ns))
    return _digest_of(str(folder), tuple(files))


@functools.lru_cache(maxsize=8)
def _digest_of(folder: str, files: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _size, _mtime in files:
        digest.update(name.encode() + b"\0" + (Path(folder) / name).read_bytes() + b"\0")
    return digest.hexdigest()


def release(folder: Path, trustlist: dict[str, Any]) -> Release:
    """The current release for ``trustlist``: the last one if the list is unchanged, else a new
    one with the next serial (packages written before the state that names them)."""
    info = read_release_info(folder)
    out = folder / RELEASES
    with _lock:
        out.mkdir(parents=True, exist_ok=True)
        state_path = out / "state.json"
        try:
            state = json.loads(state_path.read_text("utf-8"))
        except (OSError, ValueError):
            state = {"base_version": info["base_version"], "serial": 0, "sha256": None}
        if state.get("base_version") != info["base_version"]:
            state = {"base_version": info["base_version"], "serial": 0, "sha256": None}
        version = f"{info['base_version']}.{state['serial']}"
        names = _names(version)
        built = build_digest(folder)
        if (state["sha256"] == trustlist["sha256"] and state.get("build") == built
                and all((out / n).is_file() for n in names)):
            return Release(version, info["chromium_id"], info["gecko_id"], *names)
        serial = state["serial"] + 1
        if serial > 65535:  # each part of a Chromium version is at most 65535
            raise PackageError("release serial exhausted: raise the extension's package version")
        version = f"{info['base_version']}.{serial}"
        names = _names(version)
        key = load_key(Path(info["key"]))
        listing = json.dumps(trustlist, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        # a list without its payload cannot be compiled: the build's compiled.jsonl (an older list)
        # is left out rather than shipped beside it, and the extension compiles the list itself
        compiled = compiled_file(trustlist).encode() if isinstance(trustlist.get("payload"), str) else None
        for browser, name in zip(("chromium", "firefox"), names, strict=True):
            unpacked = folder / browser
            try:
                manifest = json.loads((unpacked / "manifest.json").read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise PackageError(f"the {browser} build is missing in {folder}: {exc}") from None
            manifest["version"] = version
            archive = zip_folder(unpacked, {
                "manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode(),
                "data/trustlist.json": listing,
                COMPILED_FILE: compiled,
            })
            _write(out / name, crx3(archive, key) if browser == "chromium" else archive)
        state = {"base_version": info["base_version"], "serial": serial, "sha256": trustlist["sha256"],
                 "build": built, "version": version}
        _write(state_path, (json.dumps(state, indent=2) + "\n").encode())
        return Release(version, info["chromium_id"], info["gecko_id"], *names)


# --- the list compiled into buckets: extension/src/shared/compact.js, the same format ---------

COMPILED_FILE = "data/compiled.jsonl"
_ROW_TABLES = ("hosts", "zones", "allows", "denies")
_HOST_SETS = ("deniedPlatforms", "sharedSuffixes")
_MAX_BUCKETS, _ROWS_PER_BUCKET = 1024, 64


def bucket_of(host: str, buckets: int) -> int:
    """FNV-1a over the UTF-16 code units of the key's last two labels (compact.js bucketOf)."""
    last = host.rfind(".")
    start = 0 if last < 0 else host.rfind(".", 0, last) + 1
    value = 0x811C9DC5
    for (unit,) in struct.iter_unpack("<H", host[start:].encode("utf-16-le")):
        value = ((value ^ unit) * 0x01000193) & 0xFFFFFFFF
    return value % buckets


def compiled_file(trustlist: dict[str, Any]) -> str:
    """``data/compiled.jsonl`` for a list document (compact.js compiledFile): a header, the core,
    the scripts, then every bucket of the host-keyed tables (``bucket_of``), one JSON text a line."""
    payload = json.loads(trustlist["payload"])
    rows = len(payload["psl"]) + sum(len(payload[t]) for t in (*_ROW_TABLES, *_HOST_SETS))
    buckets = 16
    while buckets < _MAX_BUCKETS and buckets * _ROWS_PER_BUCKET < rows:
        buckets *= 2
    parts: list[dict[str, Any]] = [{"psl": {}, **{t: [] for t in (*_ROW_TABLES, *_HOST_SETS)}}
                                   for _ in range(buckets)]
    for key, flags in payload["psl"].items():
        parts[bucket_of(key, buckets)]["psl"][key] = flags
    for table in _ROW_TABLES:
        for row in payload[table]:
            parts[bucket_of(row[0], buckets)][table].append(row)
    for table in _HOST_SETS:
        for host in payload[table]:
            parts[bucket_of(host, buckets)][table].append(host)
    split = {"psl", "scripts", *_ROW_TABLES, *_HOST_SETS}
    header = {"format": 1, "version": trustlist["version"], "entries": trustlist.get("entries", 0),
              "buckets": buckets}
    core = {k: v for k, v in payload.items() if k not in split}
    return "\n".join(json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                     for value in (header, core, payload["scripts"], *parts))


def updates_xml(release_: Release, base_url: str) -> str:
    """The Chromium/Edge update manifest (the ``gupdate`` protocol 2.0 response)."""
    codebase = f"{base_url.rstrip('/')}/extension/{release_.crx}"
    return ("<?xml version='1.0' encoding='UTF-8'?>\n"
            "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>\n"
            f"  <app appid={quoteattr(release_.chromium_id)}>\n"
            f"    <updatecheck codebase={quoteattr(codebase)} version={quoteattr(release_.version)} />\n"
            "  </app>\n</gupdate>\n")


def updates_json(release_: Release, base_url: str) -> dict[str, Any]:
    """Firefox's update manifest."""
    link = f"{base_url.rstrip('/')}/extension/{release_.xpi}"
    return {"addons": {release_.gecko_id: {"updates": [{"version": release_.version, "update_link": link}]}}}
