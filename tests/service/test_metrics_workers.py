"""``sdc serve --workers 2``: /metrics counts every worker's requests, whichever worker answers."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.served import start_service, stop_service


def _value(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert found is not None, f"{name} not in /metrics"
    return float(found.group(1))


def test_metrics_add_up_every_worker(pristine_data: Path, tmp_path: Path) -> None:
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(pristine_data, data_dir)
    process, base = start_service(data_dir, "--workers", "2", "--no-access-log")
    try:
        sent = 30
        for i in range(sent):  # a new connection each: the kernel spreads them over the workers
            with httpx.Client(base_url=base, headers={"Connection": "close"}) as http:
                answer = http.post("/api/classify", json={"urls": [f"https://www.caf.fr/{i}",
                                                                    "https://example.com/"]})
                assert answer.status_code == 200
        for _ in range(6):  # any worker answers the scrape: each one gives the same totals
            with httpx.Client(base_url=base, headers={"Connection": "close"}) as http:
                text = http.get("/metrics").text
            assert _value(text, "sdc_urls_classified_total") == 2 * sent
            assert _value(text, "sdc_urls_trusted_total") == sent
            assert _value(text, "sdc_trusted_share") == pytest.approx(0.5)
            assert _value(text, 'sdc_http_requests_total{method="POST",route="/api/classify",status="200"}') \
                == sent
    finally:
        stop_service(process)
    assert list((data_dir / "metrics").glob("counter_*.db"))  # the workers' shared counters
