"""The benchmark's load generator: a separate process that measures a real server and only a loopback one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOADGEN = ROOT / "bench" / "loadgen.py"


def run(job: dict[str, Any], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job), encoding="utf-8")
    return subprocess.run([sys.executable, str(LOADGEN), str(path)], capture_output=True, text=True, timeout=120)


def test_load_against_the_service_counts_answers_and_latencies(service: Any, tmp_path: Path) -> None:
    requests = [{"path": "/api/stats"}, {"path": "/api/documents/A/RES/72/1/citations"}]
    out = run({"base": service.url, "clients": 2, "seconds": 1, "requests": requests}, tmp_path)
    figures = json.loads(out.stdout)
    assert figures["errors"] == 0 and figures["completed"] > 0
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    assert figures["throughput_rps"] > 0


def test_statuses_outside_ok_statuses_are_errors(service: Any, tmp_path: Path) -> None:
    missing = {"path": "/api/documents/A/RES/1/999/citations"}
    counted = json.loads(run({"base": service.url, "clients": 1, "seconds": 0.5, "requests": [missing]},
                             tmp_path).stdout)
    allowed = json.loads(run({"base": service.url, "clients": 1, "seconds": 0.5,
                              "requests": [{**missing, "ok_statuses": [404]}]}, tmp_path).stdout)
    assert counted["errors"] > 0 and counted["completed"] == 0
    assert allowed["errors"] == 0 and allowed["completed"] > 0


def test_a_server_off_loopback_is_refused(tmp_path: Path) -> None:
    out = run({"base": "http://192.0.2.1:80", "clients": 1, "seconds": 1, "requests": [{"path": "/"}]}, tmp_path)
    assert out.returncode != 0 and "only loopback" in out.stderr
