"""Health, Prometheus metrics, privacy of the logs, usage counters shared by workers."""

from __future__ import annotations

import gc
import logging
import weakref
from pathlib import Path

from fastapi.testclient import TestClient

from service.logs import (
    ACCESS_LOGGER,
    ERROR_LOGGER,
    StripQueryFilter,
    UpgradeWarningFilter,
    install_privacy_filter,
)
from service.runtime import HeapKeeper, building
from service.usage import UsageCounter


def test_healthz_reports_index_and_registry(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["index"]["loaded"] and "documents" in health["index"]["detail"]
    assert health["registry"]["loaded"]


def test_metrics_count_requests_latency_and_classifications(client: TestClient) -> None:
    client.post("/api/classify", json={"urls": ["https://www.lyon.fr/", "https://nope.example/"]})
    client.get("/api/sources/lyon.fr")
    text = client.get("/metrics").text
    assert 'sdc_http_requests_total{method="POST",route="/api/classify",status="200"}' in text
    assert 'sdc_http_request_duration_seconds_bucket{le="0.005",route="/api/classify"}' in text
    assert 'route="/api/sources/{domain}"' in text and "lyon.fr" not in text
    assert "sdc_urls_classified_total" in text and "sdc_urls_trusted_total" in text
    assert "sdc_trusted_share" in text


def _access_record(path: str) -> logging.LogRecord:
    return logging.LogRecord(ACCESS_LOGGER, logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                             ("127.0.0.1:5555", "GET", path, "1.1", 200), None)


def test_access_log_lines_drop_query_strings_and_clients() -> None:
    record = _access_record("/recherche?q=mon+dossier+medical")
    StripQueryFilter().filter(record)
    assert record.getMessage() == '- - "GET /recherche HTTP/1.1" 200'


def test_log_queries_setting_keeps_them() -> None:
    logger = logging.getLogger(ACCESS_LOGGER)
    try:
        install_privacy_filter(log_queries=True)
        assert not any(isinstance(f, StripQueryFilter) for f in logger.filters)
        install_privacy_filter(log_queries=False)
        assert sum(isinstance(f, StripQueryFilter) for f in logger.filters) == 1
    finally:
        install_privacy_filter(log_queries=False)


def test_upgrade_warnings_are_dropped_and_other_warnings_kept() -> None:
    install_privacy_filter(log_queries=False)
    install_privacy_filter(log_queries=False)
    errors = logging.getLogger(ERROR_LOGGER)
    assert sum(isinstance(f, UpgradeWarningFilter) for f in errors.filters) == 1

    def kept(message: str) -> bool:
        return errors.filter(logging.LogRecord(ERROR_LOGGER, logging.WARNING, __file__, 1, message, (), None))

    assert not kept("Unsupported upgrade request.")
    assert not kept("No supported WebSocket library detected. Please use ...")
    assert kept("Invalid HTTP request received.")


def test_usage_counts_add_up_across_workers_and_restarts(tmp_path: Path) -> None:
    first, second = UsageCounter(tmp_path), UsageCounter(tmp_path)  # two workers, one data dir
    first.record(50, 10)
    second.record(30, 3)
    first.flush()
    second.flush()
    first.record(1, 1)
    snapshot = first.snapshot()
    assert (snapshot.classified_this_month, snapshot.trusted_this_month) == (81, 14)
    assert (snapshot.classified_total, snapshot.trusted_total) == (81, 14)
    first.close()
    second.close()
    restarted = UsageCounter(tmp_path).snapshot()
    assert restarted.classified_total == 81


def test_a_worker_notices_registry_changes_made_by_another(writable_data: Path) -> None:
    from service.state import ServiceState

    this = ServiceState(writable_data, writable_data / "index")
    other = ServiceState(writable_data, writable_data / "index")
    assert not this.refresh_registry()  # nothing changed yet
    with other.open_registry() as registry:
        registry.allow("nouvelle-mairie.fr", "test", "commune")
    other.load_registry()
    assert other.classifier.classify("https://nouvelle-mairie.fr/").trusted
    assert this.refresh_registry()
    assert this.classifier.classify("https://nouvelle-mairie.fr/").trusted
    this.close()
    other.close()


def test_the_classify_fast_path_is_documented_like_the_rest(client: TestClient) -> None:
    operation = client.get("/api/openapi.json").json()["paths"]["/api/classify"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["urls"]["maxItems"] == 1000
    assert "422" in operation["responses"] and "200" in operation["responses"]


class _Registry:
    """Stands for a compiled classifier: an object graph with a reference cycle."""

    def __init__(self) -> None:
        self.me = self


def test_building_defers_collection_and_restores_it() -> None:
    # building() is process-wide: an app of an earlier test of this worker may still be compiling
    # its registry in a thread (CI once started this test with the collector off)
    gc.enable()
    with building():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with building():
            pass
        assert not gc.isenabled()  # what was off stays off
    finally:
        gc.enable()


def test_a_reload_thaws_collects_and_freezes_again() -> None:
    old = _Registry()
    keeper = HeapKeeper(old)
    assert not keeper.after_reload(_Registry())  # never frozen (the tests' apps): nothing to do
    gc.collect()
    gc.freeze()  # what tune_worker does in a server process
    try:
        gone = weakref.ref(old)
        keeper = HeapKeeper(old)
        assert not keeper.after_reload(old)  # the same registry: no full pass
        del old
        assert gone() is not None  # frozen, in a cycle: no collection frees it but a thawed one
        assert keeper.after_reload(_Registry())
        assert gone() is None and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
