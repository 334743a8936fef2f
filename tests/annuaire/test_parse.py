"""Reading both upstream formats: the 2019 CSV and DILA's JSON (plain, .gz, .tar.bz2, over HTTP)."""

from __future__ import annotations

import bz2
import gzip
import io
import tarfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sources.annuaire import AnnuaireFormatError, read_offices
from sources.annuaire.model import french_time


def test_csv_rows_become_clean_offices(sample_csv: Path) -> None:
    offices = {o.id: o for o in read_offices(str(sample_csv))}
    assert len(offices) == 8  # the duplicate id is dropped, the first row kept
    billiers = offices["mairie-56018-01"]
    assert (billiers.name, billiers.type, billiers.street, billiers.postcode, billiers.commune,
            billiers.insee, billiers.phone, billiers.website) == (
        "Mairie - Billiers", "mairie", "26 rue du Penher", "56190", "Billiers", "56018",
        "02 97 41 64 23", "http://www.billiers.fr")
    cio = offices["cio-31555-01"]
    assert cio.name == "Centre d’information et d’orientation (CIO) - Toulouse Centre"  # cp1252 mended
    assert (cio.commune, cio.website) == ("Toulouse", "http://www.ac-toulouse.fr")  # no Cedex, a scheme
    assert offices["mairie-09122-01"].postcode == "09000"  # the 2019 file dropped the leading zero
    assert offices["mairie-09122-01"].department == "09"


def test_dila_json_gz_and_streamed_archive_give_the_same_office(dila_json: Path, tmp_path: Path) -> None:
    plain = list(read_offices(str(dila_json)))
    gz = tmp_path / "dump.json.gz"
    gz.write_bytes(gzip.compress(dila_json.read_bytes()))
    archive = tmp_path / "all_latest.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:
        tar.add(dila_json, arcname="data.gouv_local.json")
    assert plain == list(read_offices(str(gz))) == list(read_offices(str(archive)))
    office = plain[0]
    assert (office.name, office.commune, office.postcode, office.insee, office.website, office.updated) == (
        "Mairie - Breux-sur-Avre", "Breux-sur-Avre", "27570", "27115", "https://www.breux-sur-avre.fr",
        "2021-12-03")
    assert office.latitude == pytest.approx(48.76231)
    monday, week = office.hours
    assert (monday.days, monday.text) == ("lundi", "16 h 30 – 18 h 30")
    assert (week.days, week.text, week.comment) == ("du mardi au vendredi", "9 h – 12 h, 14 h – 17 h 30",
                                                    "sur rendez-vous le vendredi")
    assert [h.days for h in office.hours_on(3)] == ["du mardi au vendredi"]
    assert office.hours_on(6) == []


@pytest.mark.shared
def test_the_shared_dila_sample(shared_data: Path) -> None:
    [office] = read_offices(str(shared_data / "annuaire" / "dila-local-sample.json"))
    assert office.name == "Mairie - Breux-sur-Avre" and office.hours[0].spans == (("16:30", "18:30"),)


def test_an_import_over_http_is_streamed_from_the_url(dila_json: Path) -> None:
    handler = partial(SimpleHTTPRequestHandler, directory=str(dila_json.parent))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{dila_json.name}"
        assert [o.name for o in read_offices(url)] == ["Mairie - Breux-sur-Avre"]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("content", [b"", b"hello,world\n", b"{\"service\": [", b"BZh91AY&SYgarbage",
                                     gzip.compress(b"not json either", mtime=0)])
def test_other_files_are_refused_with_a_format_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(AnnuaireFormatError):
        list(read_offices(str(path)))


def test_a_missing_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(AnnuaireFormatError, match="no such file"):
        list(read_offices(str(tmp_path / "absent.csv")))


def test_an_archive_without_json_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "empty.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:
        info = tarfile.TarInfo("README")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(AnnuaireFormatError, match="no .json"):
        list(read_offices(str(archive)))
    assert bz2  # the archive format is bzip2, read as a stream


def test_french_time() -> None:
    assert [french_time(t) for t in ("09:00", "14:30", "16:05")] == ["9 h", "14 h 30", "16 h 05"]



def test_the_office_page_is_dilas_url_when_the_record_names_it(shared_data: Path, tmp_path: Path) -> None:
    import json

    sample = json.loads((shared_data / "annuaire" / "dila-local-sample.json").read_text(encoding="utf-8"))
    [dump] = list(read_offices(str(shared_data / "annuaire" / "dila-local-sample.json")))
    # the daily dump names no page (its addresses need region and department slugs): a search, said so
    assert not dump.source_is_page and dump.source_url.startswith("https://lannuaire.service-public.fr/recherche?")
    # the API's and export's records carry url_service_public: the office's own page
    page = "https://lannuaire.service-public.fr/normandie/eure/0b19da66-336b-4a4d-a56a-1bbf731ec306"
    sample["service"][0]["url_service_public"] = page
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(sample), encoding="utf-8")
    [office] = list(read_offices(str(exported)))
    assert office.source_is_page and office.source_url == page and office.to_dict()["source_is_page"]
